"""The chart on the screens it is meant for: a projector, a full-HD monitor and a phone, light and dark.

What only a browser knows: how wide the plot really is, whether plotly had to widen a margin (and so
lay the chart out twice), how large and how legible the labels are once drawn, whether two of them
overlap, and whether a tap on a phone lands on the marker under the finger.
"""

from __future__ import annotations

import itertools
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e import harness

pytestmark = pytest.mark.e2e

PHONE_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)
# name: viewport, phone?, the least plot width the chart issue asks for
SCREENS = {
    "projector 1280x720": ({"width": 1280, "height": 720}, False, 750),
    # 1100 px before the event's story stood beside the chart on a screen this wide (issue 24): 1000 now.
    "full HD 1920x1080": ({"width": 1920, "height": 1080}, False, 1000),
    "phone 390x844": ({"width": 390, "height": 844}, True, 330),
}

# Every drawn text of the chart: what it belongs to, its size, colour and box (page pixels).
TEXTS = (
    """() => {
  const gd = document.querySelector('%s');
  const out = [];
  for (const t of gd.querySelectorAll('text')) {
    const r = t.getBoundingClientRect();
    if (!t.textContent.trim() || r.width === 0) continue;
    const cs = getComputedStyle(t);
    const kind = t.closest('.annotation') ? 'annotation' : t.closest('.shape-label') ? 'level' : t.closest('.xtick') ? 'xtick'
      : t.closest('.ytick') ? 'ytick' : t.classList.contains('legendtext') ? 'legend'
      : t.closest('.g-gtitle') ? 'title' : 'other';
    out.push({text: t.textContent, kind, size: parseFloat(cs.fontSize), fill: cs.fill,
              opacity: parseFloat(cs.opacity) * parseFloat(cs.fillOpacity || '1'),
              box: [r.left, r.top, r.right, r.bottom]});
  }
  return out;
}"""
    % harness.CHART
)

# Each legend entry's box: its key and its text together.
LEGEND_ITEMS = (
    """() => [...document.querySelectorAll('%s .legend .traces')].map(g => {
  const r = g.getBoundingClientRect();
  return {text: g.textContent, box: [r.left, r.top, r.right, r.bottom]};
})"""
    % harness.CHART
)

LAYOUT = (
    """() => {
  const gd = document.querySelector('%s');
  const size = gd._fullLayout._size;
  return {asked: gd.layout.margin, drawn: {l: size.l, r: size.r, t: size.t, b: size.b}, plot: size.w,
          paper: gd._fullLayout.paper_bgcolor, height: gd.getBoundingClientRect().height};
}"""
    % harness.CHART
)

# The centre, in page pixels, of every event marker between two dates, in the order they are drawn.
MARKER_CENTRES = (
    """([first, last]) => {
  const gd = document.querySelector('%s');
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const trace = gd._fullData.find(t => t.mode === 'markers' && t.customdata && t.customdata.length);
  const out = [];
  for (let j = 0; j < trace.x.length; j++) {
    if (trace.x[j] < first || trace.x[j] > last) continue;
    out.push({id: String(trace.customdata[j]), x: box.left + xa.l2p(xa.d2l(trace.x[j])),
              y: box.top + ya.l2p(ya.d2l(trace.y[j]))});
  }
  return out;
}"""
    % harness.CHART
)


def _open(browser, app_url, screen: str, scheme: str = "light", query: str = ""):
    viewport, phone, _ = SCREENS[screen]
    context = browser.new_context(
        viewport=viewport,
        color_scheme=scheme,
        user_agent=PHONE_AGENT if phone else None,
        has_touch=phone,
        is_mobile=phone,
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(app_url + "/" + query)
    harness.wait_for_app(page)
    return page


def _press_until_selected(page, press, accept, attempts: int = 3) -> str | None:
    """Press (a click or a tap) and return the event the link then selects; a press that changes nothing
    (it landed while the chart was being redrawn after the last selection) is repeated, up to ``attempts``."""
    selected = parse_qs(urlsplit(page.url).query).get("ev", [None])[0]
    for _ in range(attempts):
        before = selected
        press()
        try:
            page.wait_for_function(
                "(old) => new URLSearchParams(location.search).get('ev') !== old", arg=before, timeout=5_000
            )
        except PlaywrightTimeout:
            pass
        page.wait_for_function(harness.APP_IDLE)
        selected = parse_qs(urlsplit(page.url).query).get("ev", [None])[0]
        if selected != before or accept(selected):
            return selected
    return selected


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a CSS rgb()/rgba() or #rrggbb colour."""
    if colour.startswith("#"):
        channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [float(c) for c in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
    linear = [(c / 255) / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


@pytest.mark.parametrize("screen", SCREENS)
def test_the_plot_takes_the_width_and_is_laid_out_once(browser, app_url, screen):
    page = _open(browser, app_url, screen)
    layout = page.evaluate(LAYOUT)
    assert layout["plot"] >= SCREENS[screen][2], layout
    # Margins that already hold the axis labels and the legend: plotly never widened one, which it
    # does by laying out and drawing the whole chart again.
    assert {k: round(v) for k, v in layout["drawn"].items()} == {k: layout["asked"][k] for k in "lrtb"}, layout
    # The whole chart, title to legend, fits the screen's height.
    assert layout["height"] <= SCREENS[screen][0]["height"], layout
    page.context.close()


@pytest.mark.parametrize(("screen", "scheme"), list(itertools.product(SCREENS, ("light", "dark"))))
def test_labels_are_readable_from_the_back_row_and_never_overlap(browser, app_url, screen, scheme):
    # with a comparison: the legend's longest entries
    page = _open(browser, app_url, screen, scheme, query="?cmp=security")
    paper = page.evaluate(LAYOUT)["paper"]
    texts = page.evaluate(TEXTS)
    labels = [t for t in texts if t["kind"] in ("annotation", "level", "xtick", "ytick", "legend")]
    assert {t["kind"] for t in labels} >= {"xtick", "ytick", "legend", "level"}  # level: a band's name
    small = [(t["text"], t["size"]) for t in labels if t["size"] < 13]
    assert not small, small
    faint = [(t["text"], t["fill"], round(_contrast(t["fill"], paper), 2)) for t in labels if t["opacity"] > 0]
    faint = [f for f in faint if f[2] < 4.5]
    assert not faint, faint
    # Era and level names, the note on the last coded event and the legend's entries: no two share a pixel.
    names = [t for t in texts if t["kind"] in ("annotation", "level", "legend") and t["opacity"] > 0]
    clashes = [(a["text"], b["text"]) for a, b in itertools.combinations(names, 2) if _overlap(a["box"], b["box"])]
    assert not clashes, clashes
    entries = page.evaluate(LEGEND_ITEMS)
    assert len(entries) >= 8, entries
    clashes = [(a["text"], b["text"]) for a, b in itertools.combinations(entries, 2) if _overlap(a["box"], b["box"])]
    assert not clashes, clashes
    page.context.close()


def test_a_tap_on_a_phone_selects_the_marker_under_the_finger(browser, app_url):
    """20 taps on marker centres, 2020–2022, on a 390-px phone showing those years: at least 18 hit."""
    page = _open(browser, app_url, "phone 390x844", query="?from=2020&to=2022")
    centres = page.evaluate(MARKER_CENTRES, ["2020-01-01", "2022-12-31"])
    assert len(centres) >= 20, len(centres)
    step = len(centres) / 20
    chosen = [centres[int(i * step)] for i in range(20)]
    hits, misses = 0, []
    for target in chosen:

        def tap(target=target):
            # Not within plotly's double-click delay (300 ms) of the last tap: two taps that close are a double
            # tap, which resets the axes (to the whole range). The chart component answers a tap faster than
            # st.plotly_chart did, so that the next tap could come that soon; a person's next tap does not.
            page.wait_for_timeout(350)
            # the centre as it is now (a selection redraws the chart)
            page.locator(harness.CHART).scroll_into_view_if_needed()
            now = next(
                c for c in page.evaluate(MARKER_CENTRES, ["2020-01-01", "2022-12-31"]) if c["id"] == target["id"]
            )
            page.touchscreen.tap(now["x"], now["y"])

        selected = _press_until_selected(page, tap, lambda chosen, wanted=target["id"]: chosen == wanted)
        if selected == target["id"]:
            hits += 1
        else:
            misses.append((target["id"], selected))
    assert hits >= 18, misses
    page.context.close()


@pytest.mark.parametrize(
    "window",
    (
        ("2021-10-01", "2021-11-30"),  # the article's three ★ within a few pixels at 1280 px
        ("1962-10-01", "1962-11-30"),  # the Cuban crisis and its resolution twelve days later
    ),
)
def test_a_click_in_a_cluster_selects_the_marker_nearest_the_pointer(browser, app_url, window):
    """Each centre clicked selects its own event, not a neighbour whose marker also covers the point; where
    two markers share one spot (the same date), the story panel offers the other."""
    page = _open(browser, app_url, "projector 1280x720")

    def centres():
        page.locator(harness.CHART).scroll_into_view_if_needed()
        return page.evaluate(MARKER_CENTRES, list(window))

    first = centres()
    assert len(first) >= 2, first
    for target in first:
        same_spot = {c["id"] for c in first if abs(c["x"] - target["x"]) + abs(c["y"] - target["y"]) < 1}

        def click(target=target):
            now = next(c for c in centres() if c["id"] == target["id"])
            page.mouse.move(now["x"], now["y"])
            # A person's pointer comes to rest before it clicks: plotly runs a hover at most every 50 ms, and a
            # press within 50 ms of the move would have its nearest-marker hover wait behind the move's.
            page.wait_for_timeout(100)
            page.mouse.down()
            page.mouse.up()

        selected = _press_until_selected(page, click, lambda chosen, spot=same_spot: chosen in spot)
        assert selected in same_spot, (target["id"], selected)
        if len(same_spot) == 1:
            assert selected == target["id"]
        else:
            panel = page.locator(".st-key-event_details")
            assert panel.get_by_text("on or beside this marker").is_visible()
    page.context.close()


def test_a_weight_change_is_announced_to_screen_readers(browser, app_url):
    page = _open(browser, app_url, "full HD 1920x1080")
    region = page.locator("#nri-announce")
    assert region.get_attribute("aria-live") == "polite" and region.get_attribute("role") == "status"
    assert region.text_content() == ""  # nothing said on load
    slider = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]').first.get_by_role("slider")
    announced = "() => document.querySelector('#nri-announce').textContent.includes('Index,')"
    for _ in range(3):  # a key pressed while a loaded page is still wiring its widgets can be lost: press again
        slider.focus()
        page.keyboard.press("End")
        try:
            page.wait_for_function(announced, timeout=20_000)
            break
        except Exception:  # noqa: BLE001 - retried; the last wait below fails the test if it never comes
            continue
    page.wait_for_function(announced)
    page.wait_for_function(harness.APP_IDLE)
    said = region.text_content()
    shown = page.locator(".st-key-headline [data-testid='stMetricValue']").text_content().strip()
    assert shown in said, (said, shown)
    page.context.close()


# The exported image: the camera icon's PNG, rendered by plotly.js itself; the alpha of its corner pixel.
EXPORTED_CORNER = (
    """async () => {
  const gd = document.querySelector('%s');
  const url = await window.Plotly.toImage(gd, {format: 'png', width: 800, height: 500});
  const img = new Image();
  await new Promise((ok) => { img.onload = ok; img.src = url; });
  const canvas = document.createElement('canvas');
  canvas.width = img.width; canvas.height = img.height;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  return Array.from(context.getImageData(2, 2, 1, 1).data);
}"""
    % harness.CHART
)


@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_the_exported_image_is_opaque_in_either_theme(browser, app_url, scheme):
    page = _open(browser, app_url, "projector 1280x720", scheme)
    red, green, blue, alpha = page.evaluate(EXPORTED_CORNER)
    assert alpha == 255
    paper = page.evaluate(LAYOUT)["paper"]
    assert (red, green, blue) == tuple(int(paper[i : i + 2], 16) for i in (1, 3, 5)), paper
    # The paper is the page's own colour, so the chart does not sit in a box of another shade.
    page_colour = page.evaluate("() => getComputedStyle(document.querySelector('.stApp')).backgroundColor")
    assert page_colour == "rgb({}, {}, {})".format(*(int(paper[i : i + 2], 16) for i in (1, 3, 5))), page_colour
    page.context.close()


def test_on_a_phone_the_chart_is_on_the_first_screen_and_its_controls_under_it(browser, app_url):
    """At 390×844 the title and its caption come first, then the chart, then the years, markers,
    comparison and eras (above the chart they pushed it below the first screen)."""
    page = _open(browser, app_url, "phone 390x844")
    chart = page.locator(harness.CHART).bounding_box()
    assert chart["y"] + chart["height"] / 2 < 844, chart  # at least half the chart shows without scrolling
    years = page.get_by_text("Years shown").bounding_box()
    assert years["y"] > chart["y"] + chart["height"], (years, chart)
    page.context.close()


def _in_view(box, height) -> bool:
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_whole_chart_and_the_headline_are_on_the_first_screen_of_a_projector(browser, app_url):
    """At 1280×720 with the sidebar open: the chart, legend and source line included, ends above the fold,
    and the headline value is on the same screen; at 1920×1080 the story stands beside the chart."""
    page = _open(browser, app_url, "projector 1280x720")
    assert page.locator('[data-testid="stSidebar"]').bounding_box()["width"] > 200  # the sidebar is open
    chart = page.locator(harness.CHART).bounding_box()
    assert chart["y"] >= 0 and chart["y"] + chart["height"] <= 720, chart
    assert chart["height"] >= 440 and chart["width"] >= 750, chart
    value = page.locator(".st-key-headline [data-testid='stMetricValue']").bounding_box()
    assert _in_view(value, 720), value
    page.context.close()

    page = _open(browser, app_url, "full HD 1920x1080")
    chart = page.locator(harness.CHART).bounding_box()
    story = page.locator(".st-key-story").bounding_box()
    assert chart["y"] + chart["height"] <= 1080, chart
    assert story["x"] >= chart["x"] + chart["width"], (story, chart)  # beside it, not under it
    assert story["y"] < chart["y"] + chart["height"] / 2, (story, chart)
    page.context.close()


def test_on_a_phone_a_tap_brings_the_story_into_view_and_a_link_goes_back(browser, app_url):
    """The student's path: find the Cuban crisis on the chart, tap it, read its story on the screen, go back."""
    page = _open(browser, app_url, "phone 390x844", query="?from=1960&to=1965")
    crisis = "1962-10-cuban-missile-crisis"

    def tap():
        page.locator(harness.CHART).scroll_into_view_if_needed()
        centre = next(c for c in page.evaluate(MARKER_CENTRES, ["1962-10-01", "1962-10-31"]) if c["id"] == crisis)
        page.touchscreen.tap(centre["x"], centre["y"])

    assert _press_until_selected(page, tap, lambda chosen: chosen == crisis) == crisis
    story = page.locator(".st-key-event_details")
    page.wait_for_function(
        "() => { const r = document.querySelector('.st-key-event_details').getBoundingClientRect();"
        " return r.top >= -2 && r.top < innerHeight / 2; }"
    )
    assert "Cuban" in story.text_content()
    back = story.get_by_role("link", name="Back to the chart")
    header = page.locator('[data-testid="stHeader"]').bounding_box()
    # Under Streamlit's header, not behind it: the link and the event's title are on the screen.
    assert header["y"] + header["height"] <= back.bounding_box()["y"] < 844, (back.bounding_box(), header)
    assert story.get_by_text("Cuban missile crisis", exact=False).first.bounding_box()["y"] >= header["height"]
    back.click()
    page.wait_for_function(
        "() => { const r = document.querySelector('.st-key-chart').getBoundingClientRect();"
        " return r.top >= -2 && r.top < innerHeight / 2; }"
    )
    page.context.close()


# The point of the index line farthest from every marker (page pixels), and the line's name.
LINE_POINT_CLEAR_OF_MARKERS = (
    """() => {
  const gd = document.querySelector('%s');
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const line = gd._fullData.find(t => t.mode === 'lines' && t.hovertemplate);
  const events = gd._fullData.find(t => t.mode === 'markers' && t.customdata && t.customdata.length);
  const marks = [];
  for (let j = 0; j < events.x.length; j++) marks.push([xa.l2p(xa.d2l(events.x[j])), ya.l2p(ya.d2l(events.y[j]))]);
  let best = null;
  for (let i = 0; i < line.x.length; i++) {
    const x = xa.l2p(xa.d2l(line.x[i])), y = ya.l2p(ya.d2l(line.y[i]));
    if (x < 5 || x > xa._length - 5) continue;
    let d = Infinity;
    for (const m of marks) d = Math.min(d, Math.hypot(m[0] - x, m[1] - y));
    if (!best || d > best.d) best = {d, x: box.left + x, y: box.top + y, i};
  }
  return best;
}"""
    % harness.CHART
)


def test_hovering_the_line_tells_the_month_and_a_marker_still_tells_its_event(browser, app_url):
    """Along the line: the month, its value and level, the range, the event that weighs most. Over a
    marker's centre: that marker's own story, though the line passes under it."""
    page = _open(browser, app_url, "projector 1280x720")
    label = page.locator(f"{harness.CHART} .hoverlayer")

    def point_at(x: float, y: float, shows: str, timeout_ms: float) -> bool:
        """Bring the pointer onto (x, y) from below right, as a hand does; True once the label ``shows``."""
        page.mouse.move(x + 30, y + 60)
        page.mouse.move(x, y)
        try:
            page.wait_for_function(shows, arg=f"{harness.CHART} .hoverlayer", timeout=timeout_ms)
            return True
        except PlaywrightTimeout:
            return False

    # Read where the line is and point at it; once in 30 runs the first hover never came (the chart laid out
    # again after the point was read?): a reader moves the pointer again, and so does the test, up to 3 times.
    line_told = "(sel) => document.querySelector(sel).textContent.includes('Weighs most')"
    for _ in range(3):
        point = page.evaluate(LINE_POINT_CLEAR_OF_MARKERS)
        assert point["d"] > 12, point
        if point_at(point["x"], point["y"], line_told, 5_000):
            break
    text = label.text_content()
    assert ": index " in text and "Range of the draws" in text, text
    centres = page.evaluate(MARKER_CENTRES, ["1949-01-01", "2026-12-31"])
    chosen = [centres[int(i * len(centres) / 30)] for i in range(30)]
    # A pointer at rest, as a reader's is when reading a label: the marker's story within a second (the chart
    # hovers the marker again 80 ms after the pointer stops, after plotly's throttled hover; on a loaded machine
    # that timer can come later than a fixed wait, which made this test flaky).
    marker_told = (
        "(sel) => { const t = document.querySelector(sel).textContent;"
        " return t.length > 0 && !t.includes('Weighs most'); }"
    )
    on_the_line = [t["id"] for t in chosen if not point_at(t["x"], t["y"], marker_told, 1_000)]
    assert not on_the_line, on_the_line
    crisis = next(c for c in page.evaluate(MARKER_CENTRES, ["1962-10-01", "1962-10-31"]))
    point_at(crisis["x"], crisis["y"], "(sel) => document.querySelector(sel).textContent.includes('Cuban')", 1_000)
    assert "Cuban" in label.text_content(), label.text_content()
    page.context.close()
