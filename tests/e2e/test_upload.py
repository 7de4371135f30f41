"""A reader's own events file: a bad one is explained, a hostile one is shown as text and never runs.

The upload controls (sidebar, "Your events"): a file uploader inside the
container keyed ``upload`` and a radio keyed ``upload_mode`` ("Replace the
shipped events" / "Extend the shipped events"). A bad file gives an error in
the sidebar starting "Your file could not be used" that lists each problem;
a good one a success "Using N events from FILE".
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.e2e import harness

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

COLUMNS = ["id", "date", "title", "summary", "category", "score", "source_url"]
HOSTILE_TITLE = (
    "<img src=x onerror=\"alert('title')\"> ![pwned](x) "
    "<script>document.body.append(Object.assign(document.createElement('p'), {id: 'pwned'}))</script>"
)
HOSTILE_SUMMARY = "<div id=\"pwned\">injected</div> [click me](javascript:alert('summary'))"
INJECTED = ['img[src="x"]', "#pwned", 'a[href^="javascript:"]']


def events_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def event(**fields) -> dict:
    return {
        "id": "1960-06-plain",
        "date": "1960-06-15",
        "title": "A plain event",
        "summary": "Nothing odd.",
        "category": "diplomacy",
        "score": "-3",
        "source_url": "https://example.org/plain",
    } | fields


def upload(page, name: str, content: bytes) -> None:
    page.locator(".st-key-upload input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )


def sidebar_alert(page, kind: str):
    return page.locator(f'[data-testid="stSidebar"] [data-testid="stAlertContent{kind}"]')


@pytest.fixture
def dialogs(page) -> list[str]:
    """Every alert/confirm/prompt the page opens (dismissed at once); a test asserts there are none."""
    opened: list[str] = []

    def on_dialog(dialog) -> None:
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened


def assert_nothing_injected(page, dialogs: list[str]) -> None:
    assert not dialogs, f"a dialog opened: {dialogs}"
    for selector in INJECTED:
        expect(page.locator(selector)).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_a_bad_file_is_explained_and_the_shipped_events_stay(page, app_url):
    page.goto(app_url)
    harness.wait_for_app(page)
    markers_before = page.evaluate(harness.MARKER_COUNTS)
    bad = events_csv([event(), event(id="1961-01-bad-score", date="1961-01-20", score="50")])  # line 3

    upload(page, "bad_score.csv", bad)

    error = sidebar_alert(page, "Error")
    expect(error).to_contain_text("line 3, column 'score': found '50'; expected a number from -10 to 10")
    # The message itself, without the icon (offline, its font's ligature name shows as text).
    message = error.locator('[data-testid="stMarkdownContainer"]').first
    assert message.inner_text().strip().startswith("Your file could not be used")
    expect(sidebar_alert(page, "Success")).to_have_count(0)
    harness.wait_for_app(page)
    assert page.evaluate(harness.MARKER_COUNTS) == markers_before
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_html_in_an_uploaded_title_is_shown_as_text_and_never_runs(page, app_url, dialogs):
    page.goto(app_url)
    harness.wait_for_app(page)
    hostile = event(
        id="2001-01-hostile",
        date="2001-01-15",
        title=HOSTILE_TITLE,
        summary=HOSTILE_SUMMARY,
        category="military",
        score="4",
        source_url="https://example.org/hostile",
    )

    upload(page, "hostile.csv", events_csv([event(), hostile]))

    expect(sidebar_alert(page, "Success")).to_contain_text("Using 2 events from hostile.csv")
    page.wait_for_function("() => (%s)().reduce((n, [, k]) => n + k, 0) === 2" % harness.MARKER_COUNTS)
    harness.wait_for_app(page)
    assert_nothing_injected(page, dialogs)

    # The hover label shows the markup as text.
    position = page.evaluate(harness.CLICK_TARGET, "2001-01-hostile")
    assert position is not None and position["margin"] > 0.3, (
        f"the uploaded event's marker can't be hovered: {position}"
    )
    page.mouse.move(position["x"], position["y"])
    hover = page.locator(f"{harness.CHART} .hoverlayer").first
    expect(hover).to_contain_text("<img src=x onerror=")
    expect(hover).to_contain_text("<script>")

    # So does the event's panel, once its marker is clicked.
    page.mouse.click(position["x"], position["y"])
    details = page.locator(".st-key-event_details")
    expect(details).to_contain_text("<img src=x onerror=\"alert('title')\"> ![pwned](x) <script>")
    expect(details).to_contain_text("<div id=\"pwned\">injected</div> [click me](javascript:alert('summary'))")
    harness.wait_for_app(page)
    assert_nothing_injected(page, dialogs)


def test_an_uploaded_file_name_is_shown_as_text(page, app_url, dialogs):
    """The file name is the uploader's text too: it appears in the success message, literally."""
    page.goto(app_url)
    harness.wait_for_app(page)
    name = "![pwned](x) <img src=x onerror=alert(1)>.csv"

    upload(page, name, events_csv([event()]))

    expect(sidebar_alert(page, "Success")).to_contain_text(f"Using 1 events from {name}")
    harness.wait_for_app(page)
    assert_nothing_injected(page, dialogs)


EVIL = "evil.example"
NO_EVIL = f'() => [...document.querySelectorAll("a[href], img[src]")].filter(e => (e.href || e.src).includes("{EVIL}")).length'


def test_no_outside_link_or_image_from_an_upload_or_a_link_is_rendered(page, app_url, dialogs):
    """Bare addresses, e-mails, markdown links and images in text a user wrote stay text (no autolinks)."""
    page.goto(app_url)
    harness.wait_for_app(page)
    text = event(
        id="2001-02-links",
        date="2001-02-15",
        title=f"See https://{EVIL}/x or www.{EVIL} or me@{EVIL}",
        summary=f"[Your session expired: sign in](https://{EVIL}/login) ![p](https://{EVIL}/u.png)",
        category="military",
        score="4",
        source_url="https://example.org/links",
    )
    upload(page, "links.csv", events_csv([event(), text]))
    expect(sidebar_alert(page, "Success")).to_contain_text("Using 2 events from links.csv")
    harness.wait_for_app(page)
    position = page.evaluate(harness.CLICK_TARGET, "2001-02-links")
    assert position is not None
    page.mouse.click(position["x"], position["y"])
    expect(page.locator(".st-key-event_details")).to_contain_text(f"{EVIL}/login")
    harness.wait_for_app(page)
    found = page.evaluate(NO_EVIL.replace(".length", ".map(e => e.outerHTML.slice(0, 120))"))
    assert found == [], found
    assert_nothing_injected(page, dialogs)

    # A crafted link: its notice shows the parts as text.
    page.goto(app_url + f"/?x%5Bsign%20in%5D(https://{EVIL}/)=1&cats=![p](https://{EVIL}/u.png)")
    harness.wait_for_app(page)
    expect(page.locator('[data-testid="stAlertContentWarning"]').first).to_contain_text("could not be used")
    assert page.evaluate(NO_EVIL) == 0
