"""What a weight step sends the browser, read off the websocket and decoded with Streamlit's own protobuf
classes: one script run (not an app run stopped and then the fragment's), the chart before the page's other
elements, and the sidebar's controls last (issue 28)."""

from __future__ import annotations

import pytest

from tests.e2e import harness

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.e2e


def step_messages(page, press) -> list[str]:
    """The kinds of the ForwardMsgs the server sends for one step: 'new_session', 'delta:<element>', …"""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
    page.reload()
    harness.wait_for_app(page)
    page.wait_for_timeout(500)
    frames.clear()
    press()
    page.wait_for_timeout(300)
    harness.wait_for_app(page)
    page.wait_for_timeout(500)
    kinds = []
    for payload in frames:
        if isinstance(payload, str):
            continue
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            kind = "delta:" + msg.delta.new_element.WhichOneof("type")
        kinds.append(kind)
    return kinds


def test_a_weight_step_is_one_run_with_the_chart_first_and_the_sidebar_last(new_page, app_url):
    page = new_page()
    page.goto(app_url)
    harness.wait_for_app(page)
    military = harness.sidebar_slider(page, "Military")

    def press():
        military.focus()
        page.keyboard.press("ArrowRight")

    kinds = step_messages(page, press)
    assert kinds.count("new_session") == 1, kinds  # one run starts, and it is the fragment's
    assert kinds.count("script_finished") == 1, kinds
    elements = [k for k in kinds if k.startswith("delta:")]
    # The main chart is the dashboard's chart component (components/ui/chart.py), one element a run; the
    # smaller charts further down are st.plotly_chart.
    assert elements.count("delta:bidi_component") == 1
    chart = elements.index("delta:bidi_component")
    # Before the chart: only the markdown of the page's style and script (page.css, page.js), no content.
    assert set(elements[:chart]) <= {"delta:markdown"}, elements[:chart]
    assert elements.index("delta:metric") > chart  # the headline value right after it
    sliders = [i for i, k in enumerate(elements) if k == "delta:slider"]
    # The model's sliders, redrawn by the fragment so that they show the model in use: the category weights and
    # the memory's (the actor weights only while "Who acted" is open, and here it is closed); and the years.
    from components.codebook import load_codebook
    from components.settings import registry

    model = [s for s in registry(load_codebook(), 2026) if s.group in ("weights", "memory") and s.kind != "choice"]
    assert len(sliders) == len(model) + 1, (len(sliders), [s.key for s in model])
    assert sliders[-len(model)] > elements.index("delta:download_button")  # after the page's last part


def test_the_charts_message_and_the_headings_come_first_and_alone(new_page, app_url):
    """The run pauses after the chart and the heading (``chart.let_it_draw``): the browser's Streamlit hands the
    chart its update only once the stream of messages pauses, so without the pause the chart waited for the
    whole page (``benchmarks/step_timeline.py`` shows the draw's start). Read off the network, in Chromium's
    own record of when each websocket frame arrived (the page's clock would say when the page got round to
    each, which a busy page delays): the chart's message (the step's largest) and the heading's few are
    followed by a gap, in most of five steps: on two shared cores a step can lose its gap to the load (a
    clean-room run saw one in three without it). Without the pause no step of three had it (no gap of 20 ms, or
    one 47 messages after the chart's)."""
    page = new_page()
    page.goto(app_url)
    harness.wait_for_app(page)
    arrivals: list[tuple[float, int]] = []
    cdp = page.context.new_cdp_session(page)
    cdp.on(
        "Network.webSocketFrameReceived",
        lambda event: arrivals.append((event["timestamp"] * 1000, len(event["response"]["payloadData"]))),
    )
    cdp.send("Network.enable")
    military = harness.sidebar_slider(page, "Military")
    gap_ms = 20  # the pause is 50 ms (chart.DRAW_PAUSE_S); between the other messages: 0-5 ms
    before_the_pause = []
    for key in ("ArrowRight", "ArrowLeft") * 2 + ("ArrowRight",):
        harness.wait_for_app(page)
        page.wait_for_timeout(300)
        arrivals.clear()
        military.focus()
        page.keyboard.press(key)
        page.wait_for_timeout(300)
        harness.wait_for_app(page)
        page.wait_for_timeout(300)
        at = max(range(len(arrivals)), key=lambda i: arrivals[i][1])
        # The messages between the chart's and the pause: the heading's (title, caption, headline value).
        after = [t for t, _ in arrivals[at:]]
        pause = next((i for i in range(1, len(after)) if after[i] - after[i - 1] >= gap_ms), None)
        before_the_pause.append(pause)
    assert sum(p is not None and p <= 15 for p in before_the_pause) >= 3, before_the_pause
