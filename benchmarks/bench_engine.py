"""How fast the index engine turns events into the monthly index and its band.

    python -m benchmarks.bench_engine            # from the repository root
    python -m benchmarks.bench_engine --profile  # also cProfile the 10^6-event index case

Prints one table and writes every number to ``benchmarks/results/engine.json``.

Cases
-----
* ``index``: ``engine.components`` + ``engine.index_from_components`` (what
  ``engine.monthly_index`` does).
* ``index + band``: the same plus ``engine.sensitivity_band`` with the
  codebook's spread and number of draws, as ``components.view.compute`` does
  on every slider move.

Rows
----
* ``shipped``: the ~200 events of ``data/events.csv`` over ``engine.series_months``.
* ``synthetic``: 10^3 … 10^6 random events (dates April 1949 to 2026, integer
  scores −10..10, the codebook's categories, 75 % shocks) over the same months.
* ``months``: the 10^4-event frame over 1×, 2× and 4× as many months (earlier
  starts), to show the cost growing linearly with the number of months.
* ``shipped, system malloc``: the shipped rows again, measured in a fresh
  interpreter that keeps glibc's default allocator thresholds; every other row
  runs as the app does, after ``components.allocator.keep_freed_memory``. The
  two shipped groups side by side show what keeping freed memory buys.

Method
------
Synthetic frames are built once per size, outside the timed region; the
months are computed once too. Each case is called once to warm up, then timed
with ``time.perf_counter`` until it has run for about ``--budget`` seconds and
at least ``--min-repeats`` times; the table shows the median. Peak memory is
measured with ``tracemalloc`` in a separate, untimed call: it counts what the
case allocates through Python and numpy, not the input frame, and not memory
pyarrow allocates itself (pandas 3 keeps strings in Arrow arrays).

``ratio`` is the case's median divided by the median of the same case on
10^3 synthetic events (shipped and synthetic rows), or on the base number of
months (months rows): growing linearly, it tracks the events or months ratio.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from components import allocator, engine
from components.dataset import load_dataset
from components.view import score_uncertainty

RESULTS_JSON = Path(__file__).resolve().parent / "results" / "engine.json"
SIZES = (10**3, 10**4, 10**5, 10**6)
MONTHS_SCALING_SIZE = 10**4
MONTH_MULTIPLES = (1, 2, 4)
SHOCK_SHARE = 0.75
SEED = 20260401
SYNTHETIC_FIRST_DAY = np.datetime64("1949-04-01")
SYNTHETIC_LAST_DAY = np.datetime64("2026-12-31")

INDEX, BAND = "index", "index + band"
CASE_NAMES = (INDEX, BAND)
SHIPPED, SYNTHETIC, MONTHS = "shipped", "synthetic", "months"
SHIPPED_SYSTEM = "shipped, system malloc"  # the shipped rows without keep_freed_memory (a child process)

# (data, events or None for "any", case) → target median in ms.
TARGETS = {
    (SHIPPED, None, BAND): 10.0,
    (SYNTHETIC, 10**6, INDEX): 150.0,
}

COLUMNS = (
    "data",
    "events",
    "months",
    "case",
    "repeats",
    "median_ms",
    "min_ms",
    "peak_mib",
    "us_per_event",
    "ratio",
    "target_ms",
    "pass",
)
HEADINGS = {
    "data": "data",
    "events": "events",
    "months": "months",
    "case": "case",
    "repeats": "repeats",
    "median_ms": "median ms",
    "min_ms": "min ms",
    "peak_mib": "peak MiB",
    "us_per_event": "µs/event",
    "ratio": "ratio",
    "target_ms": "target",
    "pass": "pass",
}


# ---------------------------------------------------------------- the cases


def case_index(
    events: pd.DataFrame, params: engine.Params, categories: tuple[str, ...], months: pd.DatetimeIndex
) -> engine.IndexSeries:
    """components + index_from_components: the series alone."""
    comp = engine.components(events, params, categories, months)
    return engine.index_from_components(comp, params)


def case_index_band(
    events: pd.DataFrame,
    params: engine.Params,
    categories: tuple[str, ...],
    months: pd.DatetimeIndex,
    spread: float,
    draws: int,
    score_sd: np.ndarray | None = None,
) -> tuple[engine.IndexSeries, engine.Band]:
    """components + index + sensitivity band (weights and, when given, score errors), as components.view.compute does."""
    comp = engine.components(events, params, categories, months)
    series = engine.index_from_components(comp, params)
    return series, engine.sensitivity_band(comp, params, spread, draws, (10.0, 90.0), events=events, score_sd=score_sd)


# ---------------------------------------------------------------- the data


def synthetic_events(
    n: int,
    categories: tuple[str, ...],
    actors: tuple[str, ...] = ("both", "nato", "ussr_russia", "other"),
    seed: int = SEED,
    last_day: np.datetime64 | None = None,
) -> pd.DataFrame:
    """A typed events frame of ``n`` random events, built with numpy (no Python loop per event).

    Same columns and dtypes as the shipped events: dates uniform from April
    1949 to the end of 2026 (or ``last_day`` if earlier), integer scores
    −10..10, categories and actors uniform, 75 % shocks, weight 1, all included.
    """
    rng = np.random.default_rng(seed + n)
    last = SYNTHETIC_LAST_DAY if last_day is None else min(SYNTHETIC_LAST_DAY, np.datetime64(last_day, "D"))
    span = int((last - SYNTHETIC_FIRST_DAY).astype(int)) + 1
    dates = (SYNTHETIC_FIRST_DAY + rng.integers(0, span, n)).astype("datetime64[us]")
    ids = np.char.add("s", np.arange(n).astype(str))
    empty = np.full(n, "", dtype="<U1")
    return pd.DataFrame(
        {
            "id": ids,
            "date": dates,
            "date_precision": np.full(n, "day"),
            "end_date": np.full(n, np.datetime64("NaT"), dtype="datetime64[us]"),
            "title": ids,
            "summary": empty,
            "category": np.asarray(categories)[rng.integers(0, len(categories), n)],
            "score": rng.integers(-10, 11, n).astype(float),
            "persistence": np.where(rng.random(n) < SHOCK_SHARE, "shock", "structural"),
            "actor": np.asarray(actors)[rng.integers(0, len(actors), n)],
            "rationale": empty,
            "source_title": empty,
            "source_url": np.full(n, "https://example.org/"),
            "in_article": np.zeros(n, dtype=bool),
            "confidence": np.full(n, "high"),
            "weight": np.ones(n),
            "included": np.ones(n, dtype=bool),
        }
    )


def months_times(base: pd.DatetimeIndex, multiple: int) -> pd.DatetimeIndex:
    """``multiple`` × as many months as ``base``, ending with it (an earlier start)."""
    start = base[-1] - pd.DateOffset(months=multiple * len(base) - 1)
    months = engine.month_range(start, base[-1])
    assert len(months) == multiple * len(base), (len(months), multiple, len(base))
    return months


# ---------------------------------------------------------------- measuring


def time_case(fn: Callable[[], object], budget_s: float, min_repeats: int, max_repeats: int) -> list[float]:
    """Seconds per call: one warm-up call, then calls until ``budget_s`` has passed and at least ``min_repeats``."""
    fn()
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    times: list[float] = []
    try:
        started = time.perf_counter()
        while len(times) < max_repeats and (len(times) < min_repeats or time.perf_counter() - started < budget_s):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    finally:
        if was_enabled:
            gc.enable()
    return times


def peak_memory_mib(fn: Callable[[], object]) -> float:
    """Peak memory traced by tracemalloc during one call, above what was traced before it."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = fn()
        peak = tracemalloc.get_traced_memory()[1]
        del result
    finally:
        tracemalloc.stop()
    return (peak - before) / 2**20


def target_for(data: str, events: int, case: str) -> float | None:
    for (t_data, t_events, t_case), ms in TARGETS.items():
        if t_data == data and t_case == case and (t_events is None or t_events == events):
            return ms
    return None


@dataclass
class Settings:
    budget_s: float = 1.0
    min_repeats: int = 5
    max_repeats: int = 100_000
    memory: bool = True
    verbose: bool = False
    compare_allocator: bool = True  # also the shipped rows under the system's allocator defaults
    shipped_only: bool = False


def measure(
    data: str, events: pd.DataFrame, months: pd.DatetimeIndex, case: str, fn: Callable[[], object], settings: Settings
) -> dict:
    if settings.verbose:
        print(f"  {data:9} {len(events):>9,} events {len(months):>5} months  {case} …", file=sys.stderr, flush=True)
    times = time_case(fn, settings.budget_s, settings.min_repeats, settings.max_repeats)
    median_ms = statistics.median(times) * 1e3
    n = len(events)
    target = target_for(data, n, case)
    return {
        "data": data,
        "events": n,
        "months": len(months),
        "case": case,
        "repeats": len(times),
        "median_ms": median_ms,
        "min_ms": min(times) * 1e3,
        "max_ms": max(times) * 1e3,
        "peak_mib": peak_memory_mib(fn) if settings.memory else None,
        "us_per_event": median_ms * 1e3 / n if n else None,
        "ratio": None,
        "ratio_base": None,
        "target_ms": target,
        "pass": None if target is None else bool(median_ms <= target),
    }


def _fill_ratios(rows: list[dict]) -> None:
    """Each row's median over its base: the smallest synthetic size, or the fewest months (months rows)."""
    size_base: dict[str, dict] = {}
    month_base: dict[str, dict] = {}
    for r in rows:
        if r["data"] == SYNTHETIC and (r["case"] not in size_base or r["events"] < size_base[r["case"]]["events"]):
            size_base[r["case"]] = r
        if r["data"] == MONTHS and (r["case"] not in month_base or r["months"] < month_base[r["case"]]["months"]):
            month_base[r["case"]] = r
    for r in rows:
        base = month_base.get(r["case"]) if r["data"] == MONTHS else size_base.get(r["case"])
        if base is not None and base["median_ms"] > 0:
            r["ratio"] = r["median_ms"] / base["median_ms"]
            r["ratio_base"] = (
                f"{base['months']} months" if r["data"] == MONTHS else f"{base['events']} synthetic events"
            )


def run(
    sizes: tuple[int, ...] = SIZES,
    month_multiples: tuple[int, ...] = MONTH_MULTIPLES,
    months_scaling_size: int = MONTHS_SCALING_SIZE,
    settings: Settings | None = None,
) -> list[dict]:
    """Every case: the shipped rows, the synthetic sizes, then the months scaling. Returns the rows."""
    settings = settings or Settings()
    dataset = load_dataset()
    codebook = dataset.codebook
    categories = codebook.category_keys
    params = engine.Params.from_codebook(codebook)
    spread, draws = codebook.engine.band_spread, codebook.engine.band_draws
    actors = tuple(sorted(dataset.events["actor"].unique()))

    def cases(events: pd.DataFrame, months: pd.DatetimeIndex) -> dict[str, Callable[[], object]]:
        # The band's score errors as the app draws them: by confidence and the coders' disagreement.
        score_sd = score_uncertainty(events, dataset.codings, codebook)
        return {
            INDEX: partial(case_index, events, params, categories, months),
            BAND: partial(case_index_band, events, params, categories, months, spread, draws, score_sd),
        }

    rows = []
    shipped_months = engine.series_months(dataset.events)
    for case, fn in cases(dataset.events, shipped_months).items():
        rows.append(measure(SHIPPED, dataset.events, shipped_months, case, fn, settings))
    if settings.shipped_only:
        return rows
    if settings.compare_allocator:
        rows += shipped_rows_with_system_malloc(settings)

    months = engine.month_range()  # April 1949 to this month, as series_months gives for in-range events
    today = np.datetime64(pd.Timestamp.today().normalize().date(), "D")
    scaling_frame = None
    for n in sizes:
        events = synthetic_events(n, categories, actors, last_day=today)
        for case, fn in cases(events, months).items():
            rows.append(measure(SYNTHETIC, events, months, case, fn, settings))
        if n == months_scaling_size:
            scaling_frame = events
        del events
        gc.collect()

    if month_multiples:
        if scaling_frame is None:
            scaling_frame = synthetic_events(months_scaling_size, categories, actors, last_day=today)
        for multiple in month_multiples:
            longer = months_times(months, multiple)
            for case, fn in cases(scaling_frame, longer).items():
                rows.append(measure(MONTHS, scaling_frame, longer, case, fn, settings))

    _fill_ratios(rows)
    return rows


def shipped_rows_with_system_malloc(settings: Settings) -> list[dict]:
    """The shipped rows measured again in a fresh interpreter with the allocator's defaults (the comparison)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "system.json"
        command = [sys.executable, "-m", "benchmarks.bench_engine", "--allocator", "system", "--shipped-only"]
        command += ["--budget", str(settings.budget_s), "--min-repeats", str(settings.min_repeats)]
        command += ["--out", str(out)] + ([] if settings.memory else ["--no-memory"])
        subprocess.run(command, check=True, cwd=Path(__file__).resolve().parents[1], stdout=subprocess.DEVNULL)
        rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    for r in rows:
        r.update(data=SHIPPED_SYSTEM, target_ms=None, **{"pass": None})
    return rows


# ---------------------------------------------------------------- reporting


def _fmt(key: str, value) -> str:
    if value is None:
        return "" if key != "peak_mib" else "–"
    if key == "events":
        return f"{value:,}"
    if key in ("median_ms", "min_ms"):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    if key == "peak_mib":
        return f"{value:.2f}" if value < 10 else f"{value:.1f}"
    if key == "us_per_event":
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    if key == "ratio":
        return f"{value:.2f}×"
    if key == "target_ms":
        return f"≤ {value:g} ms"
    if key == "pass":
        return "yes" if value else "NO"
    return str(value)


def format_table(rows: list[dict]) -> str:
    """The rows as one aligned text table, with a short legend."""
    cells = [[HEADINGS[c] for c in COLUMNS]] + [[_fmt(c, r[c]) for c in COLUMNS] for r in rows]
    left = {"data", "case"}
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) if c in left else v.rjust(w) for c, v, w in zip(COLUMNS, values, widths)).rstrip()

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    previous = None
    for r, values in zip(rows, cells[1:]):
        if previous is not None and r["data"] != previous:
            out.append("")
        previous = r["data"]
        out.append(line(values))
    out.append("")
    out.append(
        "ratio: median ÷ median of the same case on the smallest synthetic size "
        "(shipped/synthetic rows) or on the base months (months rows)."
    )
    out.append("peak MiB: tracemalloc, separate call; excludes the input frame and pyarrow's own allocations.")
    return "\n".join(out)


def _git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def results_document(rows: list[dict], settings: Settings, elapsed_s: float) -> dict:
    dataset_targets = [r for r in rows if r["target_ms"] is not None]
    return {
        "benchmark": "engine",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "load_average_1_5_15": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "blas_threads_env": {
            k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
        },
        "allocator": "keep_freed_memory" if settings.compare_allocator else "system defaults",
        "budget_s_per_case": settings.budget_s,
        "min_repeats": settings.min_repeats,
        "elapsed_s": round(elapsed_s, 2),
        "columns": list(COLUMNS),
        "rows": rows,
        "targets_met": all(r["pass"] for r in dataset_targets) if dataset_targets else None,
    }


def write_json(document: dict, path: Path = RESULTS_JSON) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def profile_largest(n: int = max(SIZES), top: int = 25) -> str:
    """cProfile of the index case on ``n`` synthetic events (one warm call, then the profiled one)."""
    dataset = load_dataset()
    codebook = dataset.codebook
    params = engine.Params.from_codebook(codebook)
    events = synthetic_events(n, codebook.category_keys)
    months = engine.month_range()
    case_index(events, params, codebook.category_keys, months)
    profiler = cProfile.Profile()
    profiler.runcall(case_index, events, params, codebook.category_keys, months)
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(top)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=1.0, help="seconds of timed calls per case (default 1)")
    parser.add_argument("--min-repeats", type=int, default=5, help="fewest timed calls per case (default 5)")
    parser.add_argument(
        "--sizes",
        type=lambda s: tuple(int(float(x)) for x in s.split(",")),
        default=SIZES,
        help="synthetic sizes, comma-separated (default 1e3,1e4,1e5,1e6)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS_JSON, help="where to write the JSON")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the largest index case")
    parser.add_argument("-v", "--verbose", action="store_true", help="progress on stderr")
    parser.add_argument(
        "--allocator",
        choices=("app", "system"),
        default="app",
        help="app: keep freed memory as the app does (default); system: the C library's defaults",
    )
    parser.add_argument("--shipped-only", action="store_true", help="only the shipped rows")
    args = parser.parse_args(argv)

    if args.allocator == "app":
        allocator.keep_freed_memory()
    settings = Settings(
        budget_s=args.budget,
        min_repeats=args.min_repeats,
        memory=not args.no_memory,
        verbose=args.verbose,
        compare_allocator=args.allocator == "app",
        shipped_only=args.shipped_only,
    )
    scaling = MONTHS_SCALING_SIZE if MONTHS_SCALING_SIZE in args.sizes else min(args.sizes)
    started = time.perf_counter()
    rows = run(args.sizes, MONTH_MULTIPLES, scaling, settings)
    elapsed = time.perf_counter() - started
    print(format_table(rows))
    document = results_document(rows, settings, elapsed)
    write_json(document, args.out)
    print(f"\n{len(rows)} cases in {elapsed:.1f} s; wrote {args.out}")
    if args.profile:
        print()
        print(profile_largest(max(args.sizes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
