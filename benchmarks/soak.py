"""Memory under use, measured from outside: does the server's memory keep growing while a reader steps weights?

    python -m benchmarks.soak --minutes 30

Starts ``dashboard.py`` on a free loopback port, opens it in one headless Chromium and, for ``--minutes``,
moves the Military weight one step right and back with key presses, waiting for each run to finish (a reader
at a projector, not a flood). Every ``--every`` seconds it reads the server's resident memory (VmRSS) from
``/proc`` — from this process, outside the server, so the sampling cannot disturb the server's allocator or
its garbage collector — and at the end prints every sample and the least-squares slope in MiB a minute over
the second half of the run (the first minutes hold one-off growth: library pages touched for the first time,
glibc's per-thread arenas). Bounded: it stops at ``--minutes`` and after ``MAX_STEPS`` steps, and talks only
to 127.0.0.1. Writes ``benchmarks/results/soak.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

from benchmarks.load_test import slider_value, vm_kib, weight_in_url
from benchmarks.meta import run_metadata
from tests.e2e import harness

RESULTS_JSON = Path(__file__).resolve().parent / "results" / "soak.json"
MAX_STEPS = 100_000
STEP_TIMEOUT_MS = 60_000


def slope_mib_per_minute(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MiB) samples, in MiB a minute (nan with fewer than two samples)."""
    if len(samples) < 2:
        return float("nan")
    t, mib = (np.array(v, dtype=float) for v in zip(*samples))
    return float(np.polyfit(t / 60.0, mib, 1)[0])


def second_half(samples: list[tuple[float, float]]) -> list[tuple[float, float]]:
    if not samples:
        return []
    middle = samples[0][0] + (samples[-1][0] - samples[0][0]) / 2
    return [s for s in samples if s[0] >= middle]


def soak(minutes: float, every: float) -> dict:
    from playwright.sync_api import sync_playwright

    samples: list[tuple[float, float]] = []
    steps, errors, step_ms = 0, [], []
    started, load_start = time.monotonic(), os.getloadavg()
    with harness.AppServer("dashboard.py") as server, sync_playwright() as playwright:
        browser = harness.launch_chromium(playwright)
        page = browser.new_page(viewport=harness.VIEWPORT)
        harness.watch_console(page, errors)
        page.goto(server.url + "/")
        harness.wait_for_app(page, timeout_ms=120_000)
        thumb = harness.sidebar_slider(page, "Military")
        began = time.monotonic()
        next_sample = began
        low, high, current = 1.0, 1.1, 1.0
        while time.monotonic() - began < minutes * 60 and steps < MAX_STEPS:
            now = time.monotonic()
            if now >= next_sample:
                rss = vm_kib(server.process.pid, "VmRSS")
                if rss is not None:
                    samples.append((now - began, rss / 1024))
                next_sample += every
            target, key = (high, "ArrowRight") if current == low else (low, "ArrowLeft")
            started = time.monotonic()
            try:
                thumb.focus()
                page.keyboard.press(key)
                page.wait_for_url(lambda url, t=target: weight_in_url(url, "w_military") == t, timeout=STEP_TIMEOUT_MS)
                page.wait_for_function(harness.APP_IDLE, timeout=STEP_TIMEOUT_MS)
                if slider_value(thumb.input_value()) != target:
                    errors.append(f"step {steps + 1}: the slider does not show {target}")
            except Exception as err:  # noqa: BLE001 - a failed step is reported, and the soak goes on
                errors.append(f"step {steps + 1}: {type(err).__name__}: {str(err).splitlines()[0]}")
                if len(errors) > 20:
                    break
                continue
            step_ms.append((time.monotonic() - started) * 1000)
            steps += 1
            current = target
        rss = vm_kib(server.process.pid, "VmRSS")
        if rss is not None:
            samples.append((time.monotonic() - began, rss / 1024))
        browser.close()
    half = second_half(samples)
    return {
        "meta": run_metadata("soak", started, load_start),
        "minutes": minutes,
        "steps": steps,
        "errors": errors,
        "step_ms_median": float(np.median(step_ms)) if step_ms else None,
        "samples": [{"seconds": round(t, 1), "rss_mib": round(m, 1)} for t, m in samples],
        "rss_first_mib": samples[0][1] if samples else None,
        "rss_last_mib": samples[-1][1] if samples else None,
        "slope_second_half_mib_per_min": slope_mib_per_minute(half),
        "slope_whole_mib_per_min": slope_mib_per_minute(samples),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--every", type=float, default=30.0, help="seconds between memory samples")
    args = parser.parse_args(argv)
    result = soak(args.minutes, args.every)
    for sample in result["samples"]:
        print(f"{sample['seconds']:8.1f} s  {sample['rss_mib']:7.1f} MiB")
    print(
        f"{result['steps']} steps, {len(result['errors'])} errors, median step {result['step_ms_median'] or 0:.0f} ms; "
        f"RSS {result['rss_first_mib']:.1f} -> {result['rss_last_mib']:.1f} MiB; slope over the second half "
        f"{result['slope_second_half_mib_per_min']:+.3f} MiB/min (whole run {result['slope_whole_mib_per_min']:+.3f})"
    )
    for error in result["errors"][:10]:
        print("error:", error)
    RESULTS_JSON.parent.mkdir(exist_ok=True)
    RESULTS_JSON.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
