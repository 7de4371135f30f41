"""The dashboard against another checkout of itself, alternating in one headless Chromium.

    git worktree add /tmp/before <commit>
    python -m benchmarks.ab_browser /tmp/before            # from the repository root

The floor benchmark (``bench_browser``) divides by a bare page whose own time moves by half between
runs on a shared machine; this one compares two versions of the dashboard directly, with the same
measures (``bench_browser.slider_samples``, ``cold_load_samples``), each server started from its own
checkout (its own ``.streamlit/config.toml``). Prints the medians and the ratio, and writes every
sample to ``benchmarks/results/ab.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from benchmarks import bench_browser
from benchmarks.meta import run_metadata
from tests.e2e import harness

RESULTS_JSON = Path(__file__).resolve().parent / "results" / "ab.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="a checkout of the version to compare with")
    parser.add_argument("--slider-repeats", type=int, default=15)
    parser.add_argument("--cold-repeats", type=int, default=5)
    parser.add_argument("--output", type=Path, default=RESULTS_JSON)
    args = parser.parse_args(argv)
    if not (args.before / "dashboard.py").exists():
        print(f"no dashboard.py in {args.before}", file=sys.stderr)
        return 2
    started, load_start = time.monotonic(), os.getloadavg()
    servers = {"now": harness.AppServer("dashboard.py"), "before": harness.AppServer("dashboard.py", cwd=args.before)}
    samples, _ = bench_browser.browser_samples(servers, args.slider_repeats, args.cold_repeats)
    rows = []
    for measure, per in samples.items():
        now, before = statistics.median(per["now"]), statistics.median(per["before"])
        rows.append(
            {
                "measure": measure,
                "now_ms": round(now, 1),
                "before_ms": round(before, 1),
                "ratio": round(now / before, 2),
            }
        )
        print(f"{measure:14s} now {now:7.0f} ms   before {before:7.0f} ms   now/before {now / before:.2f}×")
    result = {
        **run_metadata("ab", started, load_start),
        "before": str(args.before),
        "rows": rows,
        "samples_ms": samples,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
