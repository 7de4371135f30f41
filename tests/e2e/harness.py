"""Running a Streamlit app on a free port and driving it in Debian's Chromium.

Shared by the browser tests (``tests/e2e``) and the browser benchmarks
(``benchmarks/bench_browser.py``, ``benchmarks/load_test.py``), so that the
tests and the numbers use the same server flags, the same browser and the same
notion of "the script has finished".
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# Playwright cannot download its own browser here, so we drive Debian's. The
# flags keep it headless and off the network: no first-run, sync, component
# update or background requests, and no QUIC.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}  # wide enough for the dashboard's chart and details columns
HEALTH_TIMEOUT_S = 60.0

# --- In-page JavaScript -----------------------------------------------------
# The main chart: the Plotly div inside the element keyed "chart" (the
# dashboard's chart component, components/ui/chart.py, mounted with key="chart";
# the floor app's st.plotly_chart uses the same key).
# Not just the first .js-plotly-plot: the decomposition's bar chart, further
# down, can mount first while the main chart's element is still loading.
CHART = ".st-key-chart .js-plotly-plot"

# A trace's y values as a plain array. Plotly 6 ships numpy arrays as
# {dtype, bdata} (base64), which plotly.js leaves in ``div.data``; decode them.
JS_DECODE = """
const decode = (v) => {
  if (v == null) return null;
  if (typeof v.bdata === 'string') {
    const bin = atob(v.bdata), bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const T = {f8: Float64Array, f4: Float32Array, i4: Int32Array, i2: Int16Array, i1: Int8Array,
               u4: Uint32Array, u2: Uint16Array, u1: Uint8Array}[v.dtype];
    return Array.from(new T(bytes.buffer));
  }
  return Array.from(v);
};
"""

TRACE_Y = """(name) => {
  %s
  const div = document.querySelector('%s');
  if (!div || !div.data) return null;
  const trace = div.data.find(t => t.name === name);
  return trace ? decode(trace.y) : null;
}""" % (JS_DECODE, CHART)

# A cheap fingerprint of a line's y, for polling in animation frames: the
# named trace (or the first lines-only trace); the base64 text as it stands.
LINE_SIGNATURE = (
    """(name) => {
  const div = document.querySelector('%s');
  if (!div || !div.data) return null;
  const trace = name ? div.data.find(t => t.name === name) : div.data.find(t => t.mode === 'lines');
  if (!trace) return null;
  return typeof trace.y.bdata === 'string' ? trace.y.bdata : JSON.stringify(Array.from(trace.y));
}"""
    % CHART
)

# An init script (before the page's own): note in window.__timeline each websocket message's arrival (with
# its size) and each keydown, in the page's clock. benchmarks/step_timeline.py and the step tests read it.
RECORD_MESSAGES = """
(() => {
  window.__timeline = [];
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener('message', (event) => {
      const size = event.data.byteLength || event.data.size || event.data.length || 0;
      window.__timeline.push(['message', performance.now(), size]);
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
  window.addEventListener('keydown', () => window.__timeline.push(['key', performance.now(), 0]), {capture: true});
})();
"""

MARKER_COUNTS = (
    """() => {
  const div = document.querySelector('%s');
  return div.data.filter(t => t.mode === 'markers' && t.customdata).map(t => [t.name, t.customdata.length]);
}"""
    % CHART
)

X_RANGE = (
    """() => {
  const div = document.querySelector('%s');
  return div._fullLayout.xaxis.range.map(String);
}"""
    % CHART
)

# Where to point so that a hover, and so a click, lands on a marker.
# Plotly's "closest" hover takes the point with the smallest distance, which
# for a scatter point is max(d - r, 1 - m/r): d the pixel distance from the
# pointer, m = 3 for a trace with markers and 0.5 for a lines-only trace,
# r = max(m, marker radius) (plotly.js src/traces/scatter/hover.js). Over a
# marker of radius 5 that is 0.4, while an index-line point less than 0.9 px
# away scores 0: at the full 1949-today range the monthly points are about
# half a pixel apart, so pointing at a marker's centre usually hovers the
# line. This tries offsets inside the marker and returns the one where the
# marker beats every other hoverable point by the widest margin.
# Argument: an event id, or null for the marker with the widest margin.
CLICK_TARGET = (
    """(eventId) => {
  const div = document.querySelector('%s');
  const xa = div._fullLayout.xaxis, ya = div._fullLayout.yaxis;
  const box = div.querySelector('.nsewdrag').getBoundingClientRect();
  const points = [];
  div._fullData.forEach(t => {
    if (t.type !== 'scatter' || t.visible !== true || !t.x || !t.y || t.hoverinfo === 'skip') return;
    const isMarker = (t.mode || '').includes('markers');
    const m = isMarker ? 3 : 0.5;
    const size = isMarker && t.marker ? t.marker.size : 6;
    for (let j = 0; j < t.x.length; j++) {
      const radius = isMarker ? (typeof size === 'number' ? size : size[j]) / 2 : 0;
      points.push({px: xa.l2p(xa.d2l(t.x[j])), py: ya.l2p(ya.d2l(t.y[j])), m, r: Math.max(m, radius),
                   id: isMarker && t.customdata ? String(t.customdata[j]) : null});
    }
  });
  const distance = (q, x, y) => Math.max(Math.hypot(q.px - x, q.py - y) - q.r, 1 - q.m / q.r);
  const inside = (x, y) => x > 2 && x < box.width - 2 && y > 2 && y < box.height - 2;
  let best = null;
  for (const p of points) {
    if (p.id === null || (eventId !== null && p.id !== eventId)) continue;
    const near = points.filter(q => q !== p && Math.abs(q.px - p.px) < 40 && Math.abs(q.py - p.py) < 40);
    for (let dx = -p.r + 1; dx <= p.r - 1; dx += 0.5) {
      for (let dy = -p.r + 1; dy <= p.r - 1; dy += 0.5) {
        const x = p.px + dx, y = p.py + dy;
        if (!inside(x, y)) continue;
        const own = distance(p, x, y);
        const rival = near.reduce((d, q) => Math.min(d, distance(q, x, y)), 20);
        const margin = rival - own;
        if (!best || margin > best.margin) best = {id: p.id, x: box.left + x, y: box.top + y, margin};
      }
    }
  }
  return best;
}"""
    % CHART
)


# The chart holds data, and Streamlit's script run is over: stApp's
# data-test-script-state (what Streamlit's own e2e tests wait on) reads
# "notRunning" and the status widget is gone. The status widget alone is not
# enough: it appears only after about half a second of running, so a short
# rerun never shows it.
APP_IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]');
}"""
CHART_DRAWN = (
    """() => {
  const div = document.querySelector('%s');
  return !!div && Array.isArray(div.data) && div.data.length > 0;
}"""
    % CHART
)


# The chart laid out at its frame's size. The page's stylesheet (page.css) comes with the run's last elements, so
# a first draw can be at the frame's size before it; the chart then follows the frame (a ResizeObserver in
# assets/chart.js, in the next animation frame). What a reader sees once the page has settled.
CHART_SIZED = (
    """() => {
  const div = document.querySelector('%s');
  const l = div && div._fullLayout;
  return !!l && Math.abs(l.width - div.clientWidth) < 1 && Math.abs(l.height - div.clientHeight) < 1;
}"""
    % CHART
)


# The page's stylesheet applied (page.css gives the chart's element a scroll margin): it comes in the run's last
# element, which the page may draw a moment after the run is reported finished.
STYLE_APPLIED = """() => {
  const chart = document.querySelector('.st-key-chart');
  return !!chart && getComputedStyle(chart).scrollMarginTop !== '0px';
}"""


def wait_for_app(page, timeout_ms: float = 60_000, chart: bool = True, styled: bool = True) -> None:
    """Wait until the chart is drawn (if the page has one), the script run has finished, the page's stylesheet
    applies and the chart is laid out at its frame's size. ``styled=False``: a page without the dashboard's
    stylesheet (the benchmarks' floor)."""
    if chart:
        page.wait_for_function(CHART_DRAWN, timeout=timeout_ms)
    page.wait_for_function(APP_IDLE, timeout=timeout_ms)
    if chart and styled:
        page.wait_for_function(STYLE_APPLIED, timeout=timeout_ms)
        page.wait_for_function(CHART_SIZED, timeout=timeout_ms)


def trace_y(page, name: str) -> list[float] | None:
    return page.evaluate(TRACE_Y, name)


def wait_for_trace_change(page, name: str, before: list[float], timeout_ms: float = 30_000) -> list[float]:
    """Poll the named trace's y until it differs from ``before``; then wait for the run to end."""
    page.wait_for_function(
        "([name, before]) => { const y = (%s)(name); return y !== null && JSON.stringify(y) !== JSON.stringify(before); }"
        % TRACE_Y,
        arg=[name, before],
        timeout=timeout_ms,
    )
    page.wait_for_function(APP_IDLE, timeout=timeout_ms)
    return trace_y(page, name)


def sidebar_slider(page, label: str):
    """The thumb (an <input type=range>, role "slider") of the sidebar slider with this label."""
    block = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]').filter(has_text=label)
    return block.get_by_role("slider")


# --- Console errors ---------------------------------------------------------
# Two kinds of console error are not the app's and are ignored; every other
# console error, and every uncaught page error, counts.
# 1. The closed network: the sandbox cannot resolve outside hosts, so the
#    browser's requests for Google's Material Symbols font (fonts.gstatic.com)
#    fail with net::ERR_NAME_NOT_RESOLVED and Chromium logs "Failed to load
#    resource: net::ERR_...". Ignored only for resources off the app's host.
# 2. Streamlit's base-path probe: opened at a page's address (/events), the
#    client first tries /events/_stcore/health and /events/_stcore/host-config
#    in case the app is served under that path, gets 404, and falls back to
#    /_stcore/... Ignored only for those two endpoints below a page path.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
_PROBE = re.compile(r"^/[^/].*/_stcore/(health|host-config)$")


def is_network_noise(text: str, url: str) -> bool:
    parts = urlsplit(url or "")
    if text.startswith("Failed to load resource: net::ERR_") and (parts.hostname or "") not in LOCAL_HOSTS:
        return True
    return "status of 404" in text and bool(_PROBE.match(parts.path))


def watch_console(page, errors: list[str]) -> None:
    def on_console(message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if not is_network_noise(message.text, url):
            errors.append(f"console: {message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))


# --- Server and browser ------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """``python -m streamlit run SCRIPT`` on a free port, in its own process group.

    ``--server.fileWatcherType none``: other people edit the sources while the
    tests run; a watching server would put "Source file changed" in the status
    widget mid-test and spend CPU on the watcher during benchmarks.
    """

    def __init__(
        self, script: str = "dashboard.py", port: int | None = None, cwd: Path = ROOT, flags: tuple[str, ...] = ()
    ):
        self.script, self.port, self.cwd, self.flags = script, port or free_port(), cwd, tuple(flags)
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log", delete=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = HEALTH_TIMEOUT_S) -> AppServer:
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            self.script,
            "--server.port",
            str(self.port),
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            *self.flags,
        ]
        self.process = subprocess.Popen(
            command, cwd=self.cwd, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )  # its own process group, killed as one
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log_tail()
                self.stop()
                raise RuntimeError(f"{self.script} exited with {self.process.returncode}:\n{tail}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.read().decode().strip() == "ok":
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.25)
        tail = self.log_tail()
        self.stop()
        raise RuntimeError(f"{self.script} did not answer /_stcore/health within {timeout_s:.0f} s:\n{tail}")

    def stop(self) -> None:
        """End the server's process group (SIGTERM, then SIGKILL after 10 s) and remove its log."""
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

    def log_tail(self, lines: int = 40) -> str:
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def launch_chromium(playwright, **kwargs):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, **kwargs)
