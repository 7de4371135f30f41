"""Many readers at once: do sessions stay apart, and does the server hold up?

    python -m benchmarks.load_test --sessions 20 --seconds 60

Starts ``dashboard.py`` on a free port (the same flags as the tests) and opens
``--sessions`` pages in one headless Chromium (a browser context each, so a
Streamlit session each), all on 127.0.0.1. Session *i* opens the dashboard
with its own identity in the link, an "Arms control" weight no other session
uses, and a "Military" weight of its own; then, for ``--seconds``, it moves the
Military slider one step right, then back, with key presses, waiting each
time for its run to finish; every 7th step it visits the Methodology page and
comes back by its link, every 11th it reopens its own link afresh (``page
switch``: the page drew without an error; ``link reopened``: the link drew the
same weights in the address bar and the slider). After every step it checks:

* ``military``: the address bar, which the server rewrites from the session's
  state after each run, holds the value this session just set;
* ``slider``: the slider shows it;
* ``identity``: the address bar still holds this session's Arms control
  weight (another session's value there would mean state leaking between
  sessions);
* ``no exception``: no ``stException`` element on the page.

Errors are timeouts, console errors (network noise filtered as in the browser
tests) and uncaught page errors. The server's resident memory (VmRSS from
/proc; VmHWM for the peak) is read before the pages open, every second while
they work, and after they close. Prints a table per session and a summary,
and writes ``benchmarks/results/load.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from benchmarks.meta import run_metadata
from tests.e2e import harness

RESULTS_JSON = Path(__file__).resolve().parent / "results" / "load.json"
# Distinct Arms control weights, one per session: 0.0 … 3.0 without the default 1.0.
IDENTITIES = [round(0.1 * k, 1) for k in range(31) if k != 10]
DEFAULT_WEIGHT = 1.0  # a weight at its default is left out of the link
LOAD_TIMEOUT_MS = 180_000  # opening every page at once on two cores is slow
STEP_TIMEOUT_MS = 90_000
MAX_STEPS = 10_000  # a bound on the loop besides the clock
CHECKS = ("military", "slider", "identity", "no exception", "page switch", "link reopened")
PAGE_EVERY = 7  # every 7th step a session visits the Methodology page and comes back by its link
LINK_EVERY = 11  # every 11th step it opens its own link afresh, as a reader who was sent it


@dataclass
class Session:
    number: int
    identity: float  # its Arms control weight
    low: float  # its Military weight moves between low and low + 0.1
    load_ms: float | None = None
    steps: int = 0
    step_ms: list[float] = field(default_factory=list)
    passed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    failed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    errors: list[str] = field(default_factory=list)

    @property
    def high(self) -> float:
        return round(self.low + 0.1, 1)


def weight_in_url(url: str, key: str) -> float | None:
    values = parse_qs(urlsplit(url).query).get(key)
    if not values:
        return DEFAULT_WEIGHT
    try:
        return round(float(values[-1]), 2)
    except ValueError:
        return None


def slider_value(text: str) -> float | None:
    try:
        return round(float(text), 2)
    except ValueError:
        return None


async def run_session(browser, base_url: str, session: Session, start_at: asyncio.Event, deadline_box: list) -> None:
    context = await browser.new_context(viewport=harness.VIEWPORT)
    page = await context.new_page()
    page.on("pageerror", lambda error: session.errors.append(f"pageerror: {error}"))

    def on_console(message) -> None:
        url = (message.location or {}).get("url", "")
        if message.type == "error" and not harness.is_network_noise(message.text, url):
            session.errors.append(f"console: {message.text}")

    page.on("console", on_console)
    try:
        began = time.monotonic()
        await page.goto(
            f"{base_url}/?w_arms_control={session.identity:g}&w_military={session.low:g}", timeout=LOAD_TIMEOUT_MS
        )
        await page.wait_for_function(harness.CHART_DRAWN, timeout=LOAD_TIMEOUT_MS)
        await page.wait_for_function(harness.APP_IDLE, timeout=LOAD_TIMEOUT_MS)
        session.load_ms = (time.monotonic() - began) * 1000
    except Exception as err:  # noqa: BLE001 - a session that can't load is reported, not fatal
        session.errors.append(f"load: {type(err).__name__}: {str(err).splitlines()[0]}")
        await context.close()
        return
    await start_at.wait()  # every session starts stepping at once
    thumb = (
        page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]')
        .filter(has_text="Military")
        .get_by_role("slider")
    )
    current = session.low
    consecutive_errors = 0
    while time.monotonic() < deadline_box[0] and session.steps < MAX_STEPS and consecutive_errors < 2:
        target, key = (session.high, "ArrowRight") if current == session.low else (session.low, "ArrowLeft")
        began = time.monotonic()
        try:
            await thumb.focus()
            await page.keyboard.press(key)
            await page.wait_for_url(
                lambda url, target=target: weight_in_url(url, "w_military") == target, timeout=STEP_TIMEOUT_MS
            )
            await page.wait_for_function(harness.APP_IDLE, timeout=STEP_TIMEOUT_MS)
            results = {
                "military": weight_in_url(page.url, "w_military") == target,
                "slider": slider_value(await thumb.input_value()) == target,
                "identity": weight_in_url(page.url, "w_arms_control") == session.identity,
                "no exception": await page.locator('[data-testid="stException"]').count() == 0,
            }
        except Exception as err:  # noqa: BLE001
            session.errors.append(f"step {session.steps + 1}: {type(err).__name__}: {str(err).splitlines()[0]}")
            consecutive_errors += 1
            continue
        consecutive_errors = 0
        session.steps += 1
        session.step_ms.append((time.monotonic() - began) * 1000)
        for check, ok in results.items():
            (session.passed if ok else session.failed)[check] += 1
        current = target
        if session.steps % PAGE_EVERY == 0 or session.steps % LINK_EVERY == 0:
            try:
                link = page.url
                if session.steps % PAGE_EVERY == 0:  # another page, then back by the link
                    await page.goto(f"{base_url}/methodology", timeout=STEP_TIMEOUT_MS)
                    await page.get_by_role("heading", name="Methodology").first.wait_for(timeout=STEP_TIMEOUT_MS)
                    ok = await page.locator('[data-testid="stException"]').count() == 0
                    (session.passed if ok else session.failed)["page switch"] += 1
                await page.goto(link, timeout=STEP_TIMEOUT_MS)
                await page.wait_for_function(harness.CHART_DRAWN, timeout=STEP_TIMEOUT_MS)
                await page.wait_for_function(harness.APP_IDLE, timeout=STEP_TIMEOUT_MS)
                same = (
                    weight_in_url(page.url, "w_military") == current
                    and weight_in_url(page.url, "w_arms_control") == session.identity
                    and slider_value(await thumb.input_value()) == current
                )
                (session.passed if same else session.failed)["link reopened"] += 1
            except Exception as err:  # noqa: BLE001
                session.errors.append(f"after step {session.steps}: {type(err).__name__}: {str(err).splitlines()[0]}")
                consecutive_errors += 1
    await context.close()


def vm_kib(pid: int, field_name: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, IndexError, ValueError):
        return None


async def sample_rss(pid: int, samples: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        if (rss := vm_kib(pid, "VmRSS")) is not None:
            samples.append(rss)
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except TimeoutError:
            pass


async def load(base_url: str, pid: int, sessions: list[Session], seconds: float) -> dict:
    from playwright.async_api import async_playwright

    rss_samples: list[int] = []
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(pid, rss_samples, stop))
    start_at = asyncio.Event()
    deadline_box = [float("inf")]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(harness.CHROMIUM), args=harness.CHROMIUM_ARGS)
        tasks = [asyncio.create_task(run_session(browser, base_url, s, start_at, deadline_box)) for s in sessions]
        load_began = time.monotonic()
        # Wait until every session has loaded (or given up), then start the clock for all.
        while (
            any(s.load_ms is None and not s.errors for s in sessions)
            and time.monotonic() - load_began < LOAD_TIMEOUT_MS / 1000 + 5
        ):
            await asyncio.sleep(0.2)
        load_phase_s = time.monotonic() - load_began
        rss_loaded = vm_kib(pid, "VmRSS")
        cpu_before = cpu_seconds(pid)
        deadline_box[0] = time.monotonic() + seconds
        stepping_began = time.monotonic()
        start_at.set()
        await asyncio.gather(*tasks)
        stepping_s = time.monotonic() - stepping_began
        cpu_after = cpu_seconds(pid)
        await browser.close()
    rss_at_end = vm_kib(pid, "VmRSS")
    await asyncio.sleep(5)  # let the server notice the closed sockets
    stop.set()
    await sampler
    return {
        "load_phase_s": round(load_phase_s, 1),
        "stepping_s": round(stepping_s, 1),
        "server_cpu_s_while_stepping": None
        if cpu_before is None or cpu_after is None
        else round(cpu_after - cpu_before, 1),
        "rss_kib_all_loaded": rss_loaded,
        "rss_kib_at_end": rss_at_end,
        "rss_kib_5s_after_close": vm_kib(pid, "VmRSS"),
        "rss_kib_peak_sampled": max(rss_samples) if rss_samples else None,
        "rss_kib_high_water_mark": vm_kib(pid, "VmHWM"),
    }


def mib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.0f}"


def session_table(sessions: list[Session]) -> str:
    headings = [
        "session",
        "arms",
        "military",
        "load s",
        "steps",
        "median ms",
        "max ms",
        "checks ok",
        "failed",
        "errors",
    ]
    body = []
    for s in sessions:
        body.append(
            [
                str(s.number),
                f"{s.identity:g}",
                f"{s.low:g}↔{s.high:g}",
                "-" if s.load_ms is None else f"{s.load_ms / 1000:.1f}",
                str(s.steps),
                f"{statistics.median(s.step_ms):.0f}" if s.step_ms else "-",
                f"{max(s.step_ms):.0f}" if s.step_ms else "-",
                str(sum(s.passed.values())),
                str(sum(s.failed.values())),
                str(len(s.errors)),
            ]
        )
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(headings)]

    def line(cells):
        return "  ".join(c.rjust(w) for c, w in zip(cells, widths))

    return "\n".join([line(headings), line(["-" * w for w in widths])] + [line(b) for b in body])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long every session keeps stepping")
    parser.add_argument("--output", type=Path, default=RESULTS_JSON)
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= len(IDENTITIES):
        parser.error(f"--sessions must be 1 to {len(IDENTITIES)} (one distinct Arms control weight each)")
    if not harness.CHROMIUM.exists():
        print(f"Chromium is needed at {harness.CHROMIUM}", file=sys.stderr)
        return 2
    sessions = [Session(i + 1, IDENTITIES[i], round(0.1 * (i % 29), 1)) for i in range(args.sessions)]
    started = time.monotonic()
    load_start = os.getloadavg()
    with harness.AppServer("dashboard.py") as server:
        pid = server.process.pid
        rss_before = vm_kib(pid, "VmRSS")
        memory = asyncio.run(load(server.url, pid, sessions, args.seconds))

    steps = [ms for s in sessions for ms in s.step_ms]
    passed = {c: sum(s.passed[c] for s in sessions) for c in CHECKS}
    failed = {c: sum(s.failed[c] for s in sessions) for c in CHECKS}
    errors = [f"session {s.number}: {e}" for s in sessions for e in s.errors]
    summary = {
        "sessions": args.sessions,
        "sessions_loaded": sum(s.load_ms is not None for s in sessions),
        "seconds": args.seconds,
        "steps": len(steps),
        "steps_per_s": round(len(steps) / memory["stepping_s"], 2) if memory["stepping_s"] else None,
        "step_ms_median": round(statistics.median(steps)) if steps else None,
        "step_ms_p90": round(statistics.quantiles(steps, n=10)[-1]) if len(steps) >= 2 else None,
        "step_ms_p95": round(statistics.quantiles(steps, n=20)[-1]) if len(steps) >= 2 else None,
        "step_ms_max": round(max(steps)) if steps else None,
        "load_s_median": round(statistics.median(s.load_ms for s in sessions if s.load_ms) / 1000, 1)
        if any(s.load_ms for s in sessions)
        else None,
        "checks_passed": passed,
        "checks_failed": failed,
        "errors": len(errors),
        "rss_kib_before": rss_before,
        **memory,
    }
    ok = (
        not errors
        and not any(failed.values())
        and summary["sessions_loaded"] == args.sessions
        and all(s.steps > 0 for s in sessions)
    )

    print(session_table(sessions))
    print()
    print(
        f"sessions {summary['sessions_loaded']}/{args.sessions} loaded (median {summary['load_s_median']} s, "
        f"all within {memory['load_phase_s']} s); then {memory['stepping_s']} s of steps"
    )
    print(
        f"steps {summary['steps']} ({summary['steps_per_s']}/s); step ms median {summary['step_ms_median']}, "
        f"p90 {summary['step_ms_p90']}, p95 {summary['step_ms_p95']}, max {summary['step_ms_max']}; "
        f"server CPU {memory['server_cpu_s_while_stepping']} s while stepping"
    )
    print("checks " + ", ".join(f"{c}: {passed[c]} ok / {failed[c]} failed" for c in CHECKS))
    print(
        f"server RSS MiB: before {mib(rss_before)}, all loaded {mib(memory['rss_kib_all_loaded'])}, "
        f"peak {mib(memory['rss_kib_peak_sampled'])} (high-water {mib(memory['rss_kib_high_water_mark'])}), "
        f"at end {mib(memory['rss_kib_at_end'])}, 5 s after close {mib(memory['rss_kib_5s_after_close'])}"
    )
    print(
        f"errors {len(errors)}"
        + "".join(f"\n  {e}" for e in errors[:20])
        + (f"\n  … and {len(errors) - 20} more" if len(errors) > 20 else "")
    )
    print("result:", "pass" if ok else "FAIL")

    result = {
        **run_metadata("load", started, load_start),
        "pass": ok,
        "summary": summary,
        "sessions": [asdict(s) | {"high": s.high, "step_ms": [round(v) for v in s.step_ms]} for s in sessions],
        "errors": errors,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
