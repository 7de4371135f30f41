"""Four readers' tasks, end to end in the browser, each as the issue that asked for them describes it (issue 24).

- A lecturer on a 1280×720 projector: a preset, the years, a comparison, the chart as an image, the link
  and a citation.
- A journalist on a 1920×1080 screen: what moved the index in 2025, with the waterfall adding up.
- A student on a 390×844 phone: find the Cuban crisis on the chart, tap it, read its story on the screen
  (``test_screens.test_on_a_phone_a_tap_brings_the_story_into_view_and_a_link_goes_back``, and below at the
  full range of years, where its resolution six days later shares its spot).
- A researcher: download the events, edit one with a blank optional cell, upload it to extend the shipped
  events, export the series with its context.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e import harness
from tests.e2e.test_screens import MARKER_CENTRES, _open, _press_until_selected

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


def no_exception(page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def choose(page, container: str, option: str) -> None:
    """Pick ``option`` in the select box inside the element keyed/labelled by ``container``."""
    page.locator(container).get_by_role("combobox").first.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_function(harness.APP_IDLE)


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_a_lecturer_sets_up_a_view_on_a_projector_and_shares_it(browser, app_url):
    page = _open(browser, app_url, "projector 1280x720")
    # A preset from the sidebar.
    before = harness.trace_y(page, "Index")
    choose(page, '[data-testid="stSidebar"] [data-testid="stSelectbox"]:has-text("Preset")', "Security lens")
    page.wait_for_url(re.compile(r"[?&]preset=security(&|$)"))
    harness.wait_for_trace_change(page, "Index", before)
    # The years: the upper end of "Years shown" back to 2000, by keyboard.
    upper = page.locator('[data-testid="stSlider"]').filter(has_text="Years shown").get_by_role("slider").nth(1)
    upper.focus()
    for _ in range(26):
        page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"[?&]to=2000(&|$)"), timeout=30_000)
    page.wait_for_function(harness.APP_IDLE)
    assert page.evaluate(harness.X_RANGE)[1].startswith("2000-12-31")
    # A comparison with the codebook's defaults: a second, dotted line.
    choose(page, '[data-testid="stSelectbox"]:has-text("Compare with")', "Codebook defaults")
    page.wait_for_url(re.compile(r"[?&]cmp=default(&|$)"))
    page.wait_for_function(harness.APP_IDLE)
    assert harness.trace_y(page, "Codebook defaults"), "no comparison line"
    # The whole chart is still on the first screen.
    chart = page.locator(harness.CHART).bounding_box()
    assert chart["y"] + chart["height"] <= 720, chart
    # The image: the toolbar's camera draws a PNG of the chart as shown (plotly's own export).
    png = page.evaluate(
        "async (sel) => await window.Plotly.toImage(document.querySelector(sel), {format: 'png', scale: 2})",
        harness.CHART,
    )
    data = base64.b64decode(png.split(",", 1)[1])
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000, len(data)
    page.locator(harness.CHART).hover()
    expect(page.locator(f'{harness.CHART} .modebar-btn[data-title^="Download plot"]')).to_have_count(1)
    # The link holds the view; opened afresh it draws the same line.
    link = page.locator(".st-key-share_link input").input_value()
    assert all(part in link for part in ("preset=security", "to=2000", "cmp=default")), link
    mine = harness.trace_y(page, "Security lens") or harness.trace_y(page, "Your weights")
    # The citation names the project and carries the link.
    page.get_by_text("Copy the link, or cite this view").click()
    page.wait_for_function(harness.APP_IDLE)
    blocks = page.locator(".st-key-cite_view pre")
    expect(blocks.first).to_be_visible()
    codes = " ".join(blocks.all_text_contents())
    assert "NATO–Russia Relations Index" in codes and link in codes, codes[:300]
    no_exception(page)
    other = _open(browser, app_url, "projector 1280x720", query="?" + urlsplit(link).query)
    again = harness.trace_y(other, "Your weights")
    assert again and mine and again == pytest.approx(mine), "the link drew another line"
    other.context.close()
    # The embed snippet's frame opens the same view, embedded (without the app menu).
    source = html.unescape(re.search(r'<iframe src="([^"]+)"', codes).group(1))
    assert "embed=true" in source and "cmp=default" in source, source
    embedded = _open(browser, app_url, "projector 1280x720", query="?" + urlsplit(source).query)
    expect(embedded.locator('[data-testid="stMainMenu"]')).to_have_count(0)
    expect(page.locator('[data-testid="stMainMenu"]')).to_have_count(1)  # the same check fails unembedded
    assert harness.trace_y(embedded, "Your weights") == pytest.approx(mine)
    embedded.context.close()
    page.context.close()


LINE_BY_MONTH = """(name) => {
  %s
  const t = document.querySelector('%s').data.find(t => t.name === name);
  const x = decode(t.x), y = decode(t.y);
  const out = {};
  x.forEach((ms, i) => { out[new Date(ms).toISOString().slice(0, 7)] = y[i]; });
  return out;
}""" % (harness.JS_DECODE, harness.CHART)


def test_a_journalist_asks_what_moved_the_index_in_2025(browser, app_url):
    page = _open(browser, app_url, "full HD 1920x1080", query="?from=2025&to=2025")
    page.get_by_text("What moved the line between two months").click()
    page.wait_for_function(harness.APP_IDLE)
    expect(page.locator(".st-key-moved_chart .js-plotly-plot")).to_have_count(1)
    steps = page.evaluate("() => Array.from(document.querySelector('.st-key-moved_chart .js-plotly-plot').data[0].x)")
    assert len(steps) >= 2, steps
    caption = page.locator(".st-key-what_moved").get_by_text("so the bars sum to the index's change").text_content()
    change = float(re.search(r"index's change, ([+−-]?\d+\.\d+)", caption).group(1).replace("−", "-"))
    # The bars add up to the change said, and that is the chart's own: December 2025 less January 2025.
    assert sum(steps) == pytest.approx(change, abs=0.006), (sum(steps), change)
    line = page.evaluate(LINE_BY_MONTH, "Index")
    assert line["2025-12"] - line["2025-01"] == pytest.approx(change, abs=0.006)
    # The largest bar names an event of the data, not a placeholder.
    labels = page.evaluate("() => Array.from(document.querySelector('.st-key-moved_chart .js-plotly-plot').data[0].y)")
    assert any("squash" in label.lower() for label in labels), labels
    no_exception(page)
    page.context.close()


def test_a_student_finds_the_cuban_crisis_on_a_phone_and_reads_its_story(browser, app_url):
    """At the full range the crisis and its resolution six days later share a spot: whichever the finger
    gets, the story comes into view and offers the other, and the crisis's story is a tap away."""
    page = _open(browser, app_url, "phone 390x844")
    crisis = "1962-10-cuban-missile-crisis"

    def tap():
        page.locator(harness.CHART).scroll_into_view_if_needed()
        centre = next(c for c in page.evaluate(MARKER_CENTRES, ["1962-10-01", "1962-10-31"]) if c["id"] == crisis)
        page.touchscreen.tap(centre["x"], centre["y"])

    chosen = _press_until_selected(page, tap, lambda chosen: chosen is not None and chosen.startswith("1962-10"))
    assert chosen and chosen.startswith("1962-10"), chosen
    story = page.locator(".st-key-event_details")
    page.wait_for_function(
        "() => { const r = document.querySelector('.st-key-event_details').getBoundingClientRect();"
        " return r.top >= -2 && r.top < innerHeight / 2; }"
    )
    if chosen != crisis:
        offered = story.get_by_role("button", name=re.compile("Cuban missile crisis"))
        offered.tap()
        page.wait_for_url(re.compile(r"[?&]ev=" + crisis))
        page.wait_for_function(harness.APP_IDLE)
    expect(story).to_contain_text("Kennedy")
    expect(story).to_contain_text("Source:")
    box = story.get_by_text("Score", exact=False).first.bounding_box()
    assert box is not None and 0 <= box["y"] < 844 * 2, box  # the score line is on this screen or the next
    no_exception(page)
    page.context.close()


def test_a_researcher_edits_the_events_in_a_spreadsheet_and_exports_the_series_with_its_context(browser, app_url):
    page = _open(browser, app_url, "full HD 1920x1080")
    # Download the events in use.
    with page.expect_download() as got:
        page.locator(".st-key-download_events button").first.click()
    rows = list(csv.DictReader(io.StringIO(got.value.path().read_text(encoding="utf-8"))))
    assert len(rows) > 500
    # Edit one in a spreadsheet: rescore it, and leave an optional cell (its confidence) blank.
    target = next(r for r in rows if r["id"] == "1997-05-nato-russia-founding-act")
    target["score"] = "3"
    target["confidence"] = ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerow(target)
    before = harness.trace_y(page, "Index")
    # Upload it to update the shipped events whose ids match.
    page.locator('[data-testid="stSidebar"]').get_by_text("Update the events whose ids match").click()
    page.wait_for_function(harness.APP_IDLE)
    page.locator(".st-key-upload input[type=file]").set_input_files(
        {"name": "founding-act.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode("utf-8")}
    )
    after = harness.wait_for_trace_change(page, "Index", before)
    assert after != before
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stAlertContentError"]')).to_have_count(0)
    # Export the series: its header says what made it.
    with page.expect_download() as got:
        page.locator(".st-key-download_series button").first.click()
    text = got.value.path().read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("model version" in line and "data version" in line for line in header), header
    assert any("data in use" in line and "upload" in line for line in header), header
    table = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert {"date", "index", "carried"} <= set(table[0]), table[0]
    assert any(r["carried"] == "true" for r in table) or any(r["carried"] == "True" for r in table)
    no_exception(page)
    page.context.close()
