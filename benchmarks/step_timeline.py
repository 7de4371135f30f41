"""Where a weight step's time goes in the browser: one timeline per step, medians over the steps.

    python -m benchmarks.step_timeline [--steps 20]    # from the repository root

Starts ``dashboard.py``, opens it in headless Chromium (the browser tests' viewport) and presses ArrowRight and ArrowLeft in turn
on the sidebar's "Military" slider. For each step it records, in the page's own clock (``performance.now()``,
from the keydown): when each websocket message arrived, when the chart component began its draw
(``__nriLastDraw.started``, ``components/ui/assets/chart.js``), when the index line's data changed (polled
each animation frame, as ``bench_browser`` does) and when the run's last message arrived. The chart's message
is the largest of the step.

It answers what ``bench_browser``'s single number cannot: whether the chart waits for its message, for the
browser to take it up, or for its own drawing (``components/ui/chart.py``, ``DRAW_PAUSE_S``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

from tests.e2e import harness

WATCH_LINE = (
    """(name) => {
  window.__timeline = [];
  const signature = %s;
  const before = signature(name);
  const tick = () => {
    if (signature(name) !== before) return window.__timeline.push(['changed', performance.now(), 0]);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""
    % harness.LINE_SIGNATURE
)
DRAW_STARTED = "() => { const d = document.querySelector('%s').__nriLastDraw; return d ? d.started : null; }" % (
    harness.CHART
)
COLUMNS = {
    "chart_message_ms": "the chart's message arrives",
    "draw_started_ms": "the component starts its draw",
    "line_changed_ms": "the line's data has changed",
    "last_message_ms": "the run's last message arrives",
    "messages": "messages in the step",
}


def step(page, slider, key: str) -> dict[str, float]:
    page.evaluate(WATCH_LINE, "Index")
    slider.focus()
    page.keyboard.press(key)
    page.wait_for_function("() => window.__timeline.some(([kind]) => kind === 'changed')", timeout=60_000)
    page.wait_for_timeout(300)
    harness.wait_for_app(page)
    timeline = page.evaluate("window.__timeline")
    pressed = next(t for kind, t, _ in timeline if kind == "key")
    messages = [(t - pressed, size) for kind, t, size in timeline if kind == "message"]
    chart = max(messages, key=lambda m: m[1])
    return {
        "chart_message_ms": chart[0],
        "draw_started_ms": page.evaluate(DRAW_STARTED) - pressed,
        "line_changed_ms": next(t for kind, t, _ in timeline if kind == "changed") - pressed,
        "last_message_ms": messages[-1][0],
        "messages": len(messages),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    load = os.getloadavg()
    rows = []
    with harness.AppServer("dashboard.py") as server, sync_playwright() as playwright:
        browser = harness.launch_chromium(playwright)
        page = browser.new_page(viewport=harness.VIEWPORT)
        page.add_init_script(harness.RECORD_MESSAGES)
        page.goto(server.url)
        harness.wait_for_app(page)
        page.wait_for_timeout(1000)
        slider = harness.sidebar_slider(page, "Military")
        for i in range(args.steps + 2):  # two unmeasured steps first
            row = step(page, slider, "ArrowRight" if i % 2 == 0 else "ArrowLeft")
            if i >= 2:
                rows.append(row)
        browser.close()
    end = os.getloadavg()
    print(f"load average {load[0]:.2f} at start, {end[0]:.2f} at end; medians of {len(rows)} steps, from the keydown")
    for column, label in COLUMNS.items():
        print(f"{label:>34}: {statistics.median(r[column] for r in rows):7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
