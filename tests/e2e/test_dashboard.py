"""What only a browser shows: the pages load clean, the chart reacts, a click selects, a link reproduces a view."""

from __future__ import annotations

import csv
import re

import pytest

from tests.e2e import harness

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

EVENTS_CSV = harness.ROOT / "data" / "events.csv"
SHARED_QUERY = "/?w_military=2.5&hl=36&ev=1997-05-nato-russia-founding-act&from=1980&to=2000"


def shipped_events() -> dict[str, dict[str, str]]:
    with EVENTS_CSV.open(newline="", encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def no_exception(page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


@pytest.mark.parametrize(
    "path, heading, has_chart",
    [
        ("/", "NATO–Russia Relations Index", True),
        ("/events", "Events", False),
        ("/methodology", "Methodology", False),
        ("/article", "About the source article", False),
    ],
)
def test_every_page_loads_without_errors(page, app_url, console_errors, path, heading, has_chart):
    page.goto(app_url + path)
    harness.wait_for_app(page, chart=has_chart)
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    no_exception(page)
    assert not console_errors, "console errors:\n" + "\n".join(console_errors)


def test_the_chart_has_one_marker_per_event(page, app_url):
    page.goto(app_url)
    harness.wait_for_app(page)
    counts = page.evaluate(harness.MARKER_COUNTS)
    assert sum(n for _, n in counts) == len(shipped_events()), counts


def test_moving_a_weight_changes_the_line_and_the_url(page, app_url):
    page.goto(app_url)
    harness.wait_for_app(page)
    before = harness.trace_y(page, "Index")
    assert before, "no trace named 'Index' on the chart"
    thumb = harness.sidebar_slider(page, "Military")
    stepped = round(float(thumb.input_value()) + 0.1, 1)
    assert stepped < 3, "the test needs Military's default weight below the top of its slider"
    thumb.focus()

    page.keyboard.press("ArrowRight")
    after_step = harness.wait_for_trace_change(page, "Index", before)
    page.wait_for_url(re.compile(r"[?&]w_military=" + re.escape(f"{stepped:g}") + "(&|$)"))
    expect(thumb).to_have_value(f"{stepped:g}")

    page.keyboard.press("End")
    after_end = harness.wait_for_trace_change(page, "Index", after_step)
    page.wait_for_url(re.compile(r"[?&]w_military=3(&|$)"))
    expect(thumb).to_have_value("3")
    assert len(after_end) == len(before)
    no_exception(page)


def test_clicking_a_marker_shows_its_event(page, app_url):
    page.goto(app_url)
    harness.wait_for_app(page)
    expect(page.locator(".st-key-event_details")).to_have_count(0)
    target = page.evaluate(harness.CLICK_TARGET, None)
    assert target is not None, "no marker inside the plot area"
    assert target["margin"] > 0.3, f"no marker can be hovered clear of the line and the other markers: {target}"

    page.mouse.move(target["x"], target["y"])
    page.mouse.click(target["x"], target["y"])

    details = page.locator(".st-key-event_details")
    expect(details).to_contain_text(shipped_events()[target["id"]]["title"])
    page.wait_for_url(re.compile(r"[?&]ev=" + re.escape(target["id"]) + "(&|$)"))
    harness.wait_for_app(page)
    no_exception(page)


def test_a_shared_link_shows_the_same_view_in_a_new_session(page, new_page, app_url):
    page.goto(app_url + SHARED_QUERY)
    harness.wait_for_app(page)
    title = shipped_events()["1997-05-nato-russia-founding-act"]["title"]
    expect(page.locator(".st-key-event_details")).to_contain_text(title)
    page.wait_for_url(re.compile(r"[?&]ev=1997-05-nato-russia-founding-act"))
    shared = page.url
    first = {"y": harness.trace_y(page, "Index"), "range": page.evaluate(harness.X_RANGE)}
    assert first["range"][0][:4] == "1980" and "2000" <= first["range"][1][:10] <= "2001-01-01", first["range"]

    other = new_page()  # a new browser context: no cookies, a new Streamlit session
    other.goto(shared)
    harness.wait_for_app(other)
    expect(other.locator(".st-key-event_details")).to_contain_text(title)
    assert harness.trace_y(other, "Index") == first["y"]
    assert other.evaluate(harness.X_RANGE) == first["range"]
    assert other.url == shared
    no_exception(other)


def test_a_link_with_more_parameters_than_streamlit_reads_is_noticed(page, app_url):
    """Streamlit drops such a link before the app sees it; the page's script relays its size, and the
    app says what the command line says instead of showing the defaults as if nothing had been asked."""
    huge = "&".join(f"w_military={i % 3}" for i in range(1200))
    page.goto(f"{app_url}/?{huge}")
    page.wait_for_url("**/?too_many=1200*", timeout=30_000)
    harness.wait_for_app(page)
    warning = page.get_by_text("more than 1000 parameters")
    warning.wait_for(timeout=30_000)
    assert warning.is_visible()


def test_a_chip_that_resets_a_weight_resets_its_slider_too(page, app_url):
    """Issue 28: after the chip "Military × 1.1" reset the weight, the chart and the link went back but the
    sidebar's slider still showed 1.10, and the next nudge started from there."""
    page.goto(app_url)
    harness.wait_for_app(page)
    thumb = harness.sidebar_slider(page, "Military")
    default = thumb.input_value()
    before = harness.trace_y(page, "Index")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"[?&]w_military="))
    nudged = harness.wait_for_trace_change(page, "Index", before)
    chip = page.locator(".st-key-chips").get_by_role("button", name=re.compile("Military"))
    chip.click()
    harness.wait_for_trace_change(page, "Index", nudged)
    page.wait_for_function("() => !location.search.includes('w_military=')")
    page.wait_for_function(harness.APP_IDLE)
    expect(thumb).to_have_value(default)
    # The next nudge starts from the default again.
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"[?&]w_military=1\.1(&|$)"))
    no_exception(page)


def test_the_actor_weights_open_on_demand_and_keep_their_value_closed_and_on_another_page(page, app_url):
    """The "Who acted" sliders are drawn only while their expander is open (a weight step redraws 4 controls
    fewer); opening it draws them, and a value set there stays in the model closed and across pages."""
    page.goto(app_url)
    harness.wait_for_app(page)
    expect(harness.sidebar_slider(page, "Moscow")).to_have_count(0)
    who = page.locator('[data-testid="stSidebar"] [data-testid="stExpander"]').filter(has_text="Who acted")
    who.locator("summary").click()
    moscow = harness.sidebar_slider(page, "Moscow")
    expect(moscow).to_have_count(1)
    before = harness.trace_y(page, "Index")
    moscow.focus()
    page.keyboard.press("Home")  # Moscow's weight to 0
    page.wait_for_url(re.compile(r"[?&]a_ussr_russia=0(&|$)"))
    moved = harness.wait_for_trace_change(page, "Index", before)
    who.locator("summary").click()  # closed: the slider goes, its value stays
    expect(harness.sidebar_slider(page, "Moscow")).to_have_count(0)
    military = harness.sidebar_slider(page, "Military")
    military.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"[?&]w_military="))
    harness.wait_for_trace_change(page, "Index", moved)
    assert "a_ussr_russia=0" in page.url
    page.get_by_role("link", name="Methodology").click()
    page.wait_for_url(re.compile(r"/methodology\?.*a_ussr_russia=0"))
    page.get_by_role("link", name="Dashboard").click()
    harness.wait_for_app(page)
    assert "a_ussr_russia=0" in page.url
    no_exception(page)
