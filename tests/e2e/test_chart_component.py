"""The main chart as a custom component (components/ui/chart.py, assets/chart.js): one plotly div kept across
reruns and updated in place, drawing what a fresh plot of the same figure draws; selection, the image button,
the text alternative and the dark page's look kept from st.plotly_chart."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from components import chart_parts, figure
from components import view as view_module
from tests.conftest import view_of
from tests.e2e import harness

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.e2e

# Every drawn trace's lines, fills and marker points, by trace: what the reader sees of the data.
PATHS = """(selector) => {
  const gd = document.querySelector(selector);
  return [...gd.querySelectorAll('.scatterlayer .trace')].map(t => ({
    lines: [...t.querySelectorAll('path.js-line, path.js-fill, path.js-tonext')].map(p => p.getAttribute('d')),
    points: [...t.querySelectorAll('path.point')].map(p => p.getAttribute('transform') + ' ' + p.getAttribute('d')),
  }));
}"""

# The same figure (data, layout, config) drawn afresh with Plotly.newPlot in a div of the same size.
FRESH_PLOT = (
    """async () => {
  const gd = document.querySelector('%s');
  const box = gd.getBoundingClientRect();
  const div = document.createElement('div');
  div.id = 'fresh-plot';
  div.style.cssText = `position:absolute;left:0;top:0;width:${box.width}px;height:${box.height}px`;
  document.body.appendChild(div);
  const plain = (value) => JSON.parse(JSON.stringify(value, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)));
  await Plotly.newPlot(div, plain(gd.data), plain(gd.layout), gd._context);
}"""
    % harness.CHART
)

LAST_DRAW = "() => document.querySelector('%s').__nriLastDraw" % harness.CHART


def _step(page, key: str = "ArrowRight") -> None:
    """One step of the Military weight; returns when the chart's line has moved and the run is over."""
    before = harness.trace_y(page, "Your weights") or harness.trace_y(page, "Index")
    name = "Your weights" if harness.trace_y(page, "Your weights") else "Index"
    thumb = harness.sidebar_slider(page, "Military")
    thumb.focus()
    page.keyboard.press(key)
    harness.wait_for_trace_change(page, name, before)
    page.wait_for_function(
        "() => { const d = document.querySelector('%s').__nriLastDraw; return d && d.done; }" % harness.CHART
    )


def test_a_weight_step_updates_the_same_plot_in_place(page, app_url):
    page.goto(app_url)
    harness.wait_for_app(page)
    _step(page)  # the first step from the defaults names the line "Your weights": a new static part
    page.evaluate("() => { document.querySelector('%s').__kept = 'the same div'; }" % harness.CHART)
    for key in ("ArrowRight", "ArrowLeft"):
        _step(page, key)
        assert page.evaluate("() => document.querySelector('%s').__kept" % harness.CHART) == "the same div"
        assert page.evaluate(LAST_DRAW)["inPlace"]  # the same static part and toolbar: updated, not drawn anew
    assert page.locator(harness.CHART).count() == 1


def test_an_update_in_place_draws_the_paths_a_fresh_plot_draws(page, app_url):
    page.goto(app_url + "/?ev=1997-05-nato-russia-founding-act")  # with the selected label, which moves too
    harness.wait_for_app(page)
    _step(page)
    before = page.evaluate(PATHS, harness.CHART)
    _step(page)
    assert page.evaluate(LAST_DRAW)["inPlace"]
    updated = page.evaluate(PATHS, harness.CHART)
    assert updated != before  # the step moved the line
    page.evaluate(FRESH_PLOT)
    fresh = page.evaluate(PATHS, "#fresh-plot")
    assert len(fresh) == len(updated) > 5
    for trace, (mine, theirs) in enumerate(zip(updated, fresh)):
        assert mine == theirs, f"trace {trace} differs from a fresh plot of the same figure"
    label = "() => [...document.querySelectorAll('%s .annotation-text')].map(t => t.textContent)"
    assert page.evaluate(label % harness.CHART) == page.evaluate(label % "#fresh-plot")
    subtitle = "() => document.querySelector('%s .g-gtitle').textContent"
    assert page.evaluate(subtitle % harness.CHART) == page.evaluate(subtitle % "#fresh-plot")
    # What a hover says: the line's hover text (it says the month's value) moved with the line.
    hover = "() => document.querySelector('%s').calcdata.map(trace => trace.map(point => point.htx || null))"
    assert page.evaluate(hover % harness.CHART) == page.evaluate(hover % "#fresh-plot")


def test_a_click_on_a_marker_selects_its_event(page, app_url):
    page.goto(app_url)
    harness.wait_for_app(page)
    target = page.evaluate(harness.CLICK_TARGET, None)
    assert target is not None and target["margin"] > 0.3, target
    page.mouse.move(target["x"], target["y"])
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(re.compile(r"[?&]ev=" + re.escape(target["id"]) + "(&|$)"))
    harness.wait_for_app(page)
    # The selected event is ringed and named on the chart: its label is among the annotations.
    names = page.evaluate(
        "() => document.querySelector('%s').layout.annotations.map(a => a.name || '')" % harness.CHART
    )
    assert chart_parts.SELECTED in names


def test_the_image_button_saves_the_chosen_format_with_its_background_and_source(page, app_url):
    page.goto(app_url)
    harness.wait_for_app(page)
    page.locator(".st-key-image_format").get_by_role("radio", name="SVG").click()
    page.wait_for_function(
        "() => document.querySelector('%s')._context.toImageButtonOptions.format === 'svg'" % harness.CHART
    )
    harness.wait_for_app(page)
    page.hover(harness.CHART)
    button = page.locator(".st-key-chart .modebar-btn[data-title^='Download plot']")
    expect(button).to_have_count(1)
    with page.expect_download() as download:
        button.click()
    saved = download.value
    assert re.fullmatch(r"nato-russia-index-[\w-]+\.svg", saved.suggested_filename), saved.suggested_filename
    svg = open(saved.path(), encoding="utf-8").read()
    assert "Data: NATO–Russia Relations Index" in svg  # the source line travels with the image
    assert "fill: rgb(255, 255, 255); fill-opacity: 1" in svg  # on the page's opaque paper


def test_the_chart_says_what_it_shows(page, app_url):
    page.goto(app_url)
    harness.wait_for_app(page)
    figure_role = page.locator(".st-key-chart [role='figure']")
    expect(figure_role).to_have_count(1)
    assert "Line chart of the monthly index" in figure_role.get_attribute("aria-label")


def test_the_dark_page_gets_the_dark_chart(browser, app_url):
    context = browser.new_context(viewport=harness.VIEWPORT, color_scheme="dark")
    page = context.new_page()
    page.goto(app_url)
    harness.wait_for_app(page)
    drawn = page.evaluate(
        "() => { const l = document.querySelector('%s')._fullLayout;"
        " return {paper: l.paper_bgcolor, font: l.font.color, title: l.title.text}; }" % harness.CHART
    )
    assert drawn["paper"].lower() == figure.PAPER_DARK.lower()
    assert drawn["font"].lower() == chart_parts.LOOK_DARK["layout"]["font"]["color"].lower()
    assert drawn["title"].startswith("<b>")
    context.close()


# The line's hover text as the page wrote it (assets/chart.js, from the parts the app sent).
LINE_HOVER_TEXT = (
    """() => { const gd = document.querySelector('%s');
  const line = gd.data.find(t => t.hovertemplate && (t.mode || '').includes('lines'));
  return Array.from(line.hovertext); }"""
    % harness.CHART
)


def test_the_page_writes_the_line_hover_text_the_app_computes(page, app_url, dataset):
    """The page writes the line's hover text from its parts; it is view.line_hover's, month for month, on
    the first draw and after an update in place."""
    page.goto(app_url + "/?cmp=security")
    harness.wait_for_app(page)
    for stepped in (False, True):
        if stepped:
            _step(page)
            assert page.evaluate(LAST_DRAW)["inPlace"]
        query = urlparse(page.url).query
        expected = view_module.line_hover(view_of(dataset, query), dataset.codebook)
        written = page.evaluate(LINE_HOVER_TEXT)
        assert len(written) == len(expected) > 900, query
        differs = [(i, w, e) for i, (w, e) in enumerate(zip(written, expected, strict=True)) if w != e]
        assert not differs, (query, differs[:3])
    assert "Weighs most" in written[500] and "Carried forward" in written[-1]


def test_the_full_screen_button_fills_the_screen_and_brings_the_chart_back(page, app_url):
    """st.plotly_chart had a full-screen button; the component's toolbar has one too. (Escape, which leaves full
    screen in a browser's window, is the browser's own key: a headless page does not get it.)"""
    page.goto(app_url)
    harness.wait_for_app(page)
    size = "() => { const r = document.querySelector('%s').getBoundingClientRect(); return [r.width, r.height]; }"
    before = page.evaluate(size % harness.CHART)
    page.hover(harness.CHART)
    button = page.locator(".st-key-chart .modebar-btn[data-title^='Full screen']")
    expect(button).to_have_count(1)
    button.click()
    page.wait_for_function("() => document.fullscreenElement && document.fullscreenElement.matches('.nri-chart')")
    viewport = page.viewport_size
    page.wait_for_function(
        "([w, h]) => { const l = document.querySelector('%s')._fullLayout; return l.width >= w - 2 && l.height >= h - 2; }"
        % harness.CHART,
        arg=[viewport["width"], viewport["height"]],
    )
    # On the page's opaque background, not the browser's black backdrop.
    background = page.evaluate("() => getComputedStyle(document.fullscreenElement).backgroundColor")
    assert background not in ("", "rgba(0, 0, 0, 0)", "transparent"), background
    page.mouse.move(10, 10)
    page.hover(harness.CHART)
    button.click()
    page.wait_for_function("() => !document.fullscreenElement")
    page.wait_for_function(
        "([w, h]) => { const r = document.querySelector('%s').getBoundingClientRect();"
        " return Math.abs(r.width - w) < 2 && Math.abs(r.height - h) < 2; }" % harness.CHART,
        arg=before,
    )
