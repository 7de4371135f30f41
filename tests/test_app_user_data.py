"""Bring your own events, in the app: upload, bad files, edits, export, reset, and sessions kept apart."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from components.codebook import load_codebook
from components.dataset import load_dataset
from components.events import load_events
from tests.conftest import main_chart_spec, move, plotly_array

ROOT = Path(__file__).resolve().parents[1]
EVENTS_PAGE = "components/ui/pages/events.py"
HEADER = "id,date,title,summary,category,score,source_url\n"
GOOD = (
    HEADER + "u1,1960-01-01,Class event one,A test,diplomacy,8,https://example.org/1\n"
    "u2,1980-06-01,Class event two,A test,military,-6,https://example.org/2\n"
).encode()
HOSTILE = (
    HEADER + 'x1,1970-01-01,"<img src=x onerror=alert(1)> [click](javascript:alert(2)) **bold**",'
    '"<script>alert(3)</script>",diplomacy,5,https://example.org/x\n'
).encode()


def start() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    return at


def markers(at: AppTest) -> int:
    spec = main_chart_spec(at)
    return sum(len(t.get("customdata", [])) for t in spec["data"] if t.get("mode") == "markers")


def line(at: AppTest) -> list:
    spec = main_chart_spec(at)
    return next(t["y"] for t in spec["data"] if t.get("name") == "Index")


def upload(at: AppTest, data: bytes, name: str = "class.csv") -> AppTest:
    at.file_uploader[0].upload(name, data, "text/csv")
    at.run()
    return at


def test_upload_replaces_the_shipped_events():
    at = upload(start(), GOOD)
    assert not at.exception
    assert markers(at) == 2
    assert any("Using 2 events from class" in s.value for s in at.sidebar.success)


def test_upload_extends_the_shipped_events():
    shipped = len(load_dataset().events)
    at = start()
    at.sidebar.radio(key="upload_mode").set_value("extend").run()
    upload(at, GOOD)
    assert markers(at) == shipped + 2


def test_bad_upload_shows_every_problem_and_keeps_the_last_good_data():
    at = upload(start(), GOOD)
    before = line(at)
    bad = (HEADER + "b1,1990-13-01,T,S,economics,50,javascript:alert(1)\n").encode()
    upload(at, bad, "bad.csv")
    assert not at.exception
    message = " ".join(e.value for e in at.sidebar.error).replace("\\", "")  # as rendered: markdown escapes removed
    assert (
        message.startswith("Your file could not be used, so your last good upload stays in use")
        or "last good upload" in message
    )
    for expected in ("column 'date'", "column 'category'", "column 'score'", "column 'source_url'", "line 2"):
        assert expected in message
    assert line(at) == before and markers(at) == 2


def test_hostile_text_is_shown_as_text():
    at = upload(start(), HOSTILE)
    at.query_params.clear()
    at.session_state["ev"] = "x1"
    at.run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert re.search(r"(?<!\\)[<\[]", shown.replace("[source](https://example.org/x)", "")) is None
    assert "\\<img" in shown  # escaped: markdown shows the characters themselves, never a tag or a link
    assert "](javascript" not in shown
    spec = main_chart_spec(at)
    hover = " ".join(h for t in spec["data"] if t.get("mode") == "markers" for h in t.get("hovertext", []))
    assert "<img" not in hover and "&lt;img" in hover


def test_edits_change_the_index_travel_as_overrides_and_export_round_trips():
    from components.ui import widgets

    at = start()
    default = line(at)
    at.switch_page(EVENTS_PAGE).run()
    editor = at.data_editor[0]
    first_id = load_dataset().events["id"].iloc[0]
    at.session_state[editor.key] = {
        "edited_rows": {0: {"score": 10}, 1: {"included": False}, 2: {"weight": 2.5}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert at.query_params["ov"] in (f"{first_id}:10", [f"{first_id}:10"])
    assert any(b.proto.label == "Export the dataset (CSV)" for b in at.get("download_button"))
    offered = widgets.events_file(at.session_state["_page_context"])()  # what the export button offers
    again = load_events(offered.encode(), load_codebook())
    assert again.loc[0, "score"] == 10 and not again.loc[1, "included"] and again.loc[2, "weight"] == 2.5
    # the export holds exactly what the app computes from
    assert again.loc[3:, "score"].tolist() == load_dataset().events.loc[3:, "score"].tolist()
    at.switch_page("components/ui/pages/dashboard.py").run()
    assert line(at) != default


def test_reset_to_the_shipped_data_undoes_upload_and_edits():
    at = upload(start(), GOOD)
    at.session_state["ov"] = {"u1": -10.0}
    at.run()
    at.sidebar.button(key="reset_data").click().run()
    assert markers(at) == len(load_dataset().events)
    assert "ov" not in at.query_params


def test_sessions_are_isolated_and_the_cached_dataset_is_never_mutated():
    reference = load_dataset().events.copy()
    first = upload(start(), GOOD)
    move(first, "w_military", 3.0)
    first.switch_page(EVENTS_PAGE).run()
    first.session_state[first.data_editor[0].key] = {
        "edited_rows": {0: {"score": -9, "category": "military"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    first.run()
    second = start()
    assert markers(second) == len(reference)
    assert second.sidebar.slider(key="w_military").value == 1.0
    assert "ov" not in second.query_params
    # the other session's edits left neither the cache nor the files changed
    from components.ui import data

    cached = data._load(str(ROOT / "data"), data._fingerprint(ROOT / "data"))
    pd.testing.assert_frame_equal(cached.events, reference)


def shipped_rows(n: int, rescore: dict[str, int] | None = None) -> bytes:
    """The first n shipped events as an upload, some rescored."""
    from components.events import events_csv

    events = load_dataset().events.head(n).copy()
    for event_id, score in (rescore or {}).items():
        events.loc[events["id"] == event_id, "score"] = float(score)
    return events_csv(events).encode()


def test_update_mode_takes_the_uploaded_versions_and_says_what_changed():
    first = load_dataset().events["id"].iloc[0]
    at = start()
    at.sidebar.radio(key="upload_mode").set_value("update").run()
    upload(at, shipped_rows(3, {first: 9}))
    assert not at.exception
    summary = " ".join(c.value for c in at.sidebar.caption)
    assert "1 changed, 0 added, 0 removed" in summary
    assert markers(at) == len(load_dataset().events)
    assert any(e.label.startswith("What changed in 1 events") for e in at.sidebar.expander)


def test_extend_with_the_shipped_file_gives_one_line_not_hundreds():
    at = start()
    at.sidebar.radio(key="upload_mode").set_value("extend").run()
    upload(at, shipped_rows(40))
    assert not at.exception
    warnings = [w.value for w in at.sidebar.warning]
    assert len(warnings) == 1 and warnings[0].startswith("40 of your events have ids the shipped events already use")
    assert markers(at) == len(load_dataset().events)  # nothing replaced against the user's choice


def test_a_share_link_made_with_an_upload_says_it_cannot_carry_it():
    at = upload(start(), GOOD)
    assert any("cannot travel in a link" in w.value for w in at.warning)
    plain = start()
    assert not any("cannot travel in a link" in w.value for w in plain.warning)


def test_the_tables_show_formula_cells_neutralised_so_their_own_download_is_safe():
    """Streamlit's table toolbar downloads what the table shows: a formula cell must show as text."""
    hostile = (
        HEADER + 'f1,1990-01-01,"=HYPERLINK(""https://evil.example"",""x"")",+cmd|calc,diplomacy,2,'
        "https://example.org/f\n"
    ).encode()
    at = upload(start(), hostile, "formulas.csv")
    assert not at.exception
    at.switch_page(str(ROOT / "components" / "ui" / "pages" / "events.py"))
    at.run()
    table = at.dataframe[0].value
    row = table[table["id"] == "f1"].iloc[0]
    assert row["title"].startswith("'=HYPERLINK") and row["summary"].startswith("'+cmd")
    # The editable table too: its toolbar's download writes the read-only title as shown (issue 27).
    editor = [frame for frame in at.dataframe if "included" in frame.value.columns][0].value
    titles = editor["title"].tolist()
    assert any(t.startswith("'=HYPERLINK") for t in titles) and not any(t.startswith("=") for t in titles)


def test_many_events_on_one_date_offer_a_bounded_list_and_a_count():
    """Issue 27: 5,000 events on one date made a button each in the story panel and the page spun."""
    from components.ui.widgets import SAME_PLACE_SHOWN

    rows = "".join(f"d{i:04d},1990-05-01,Event {i},S,diplomacy,1,https://example.org/{i}\n" for i in range(300))
    at = upload(start(), (HEADER + rows).encode(), "crowded.csv")
    assert not at.exception
    at.session_state["ev"] = "d0000"  # the selection, as a click or a link sets it
    at.run()
    assert not at.exception
    offered = [b for b in at.button if str(b.key).startswith("same_place_")]
    assert len(offered) == SAME_PLACE_SHOWN
    assert any(f"and {299 - SAME_PLACE_SHOWN:,} more this month" in c.value for c in at.caption)


def test_an_uploads_result_is_said_on_the_page_the_reader_is_on():
    """Issue 24: the upload's result or error showed only in the sidebar (hidden on a phone)."""
    at = start()
    at.switch_page(str(ROOT / "components" / "ui" / "pages" / "methodology.py"))
    at.run()
    upload(at, GOOD)
    assert any("Using 2 events from class" in t.value for t in at.toast)
    upload(at, (HEADER + "b1,1990-13-01,T,S,economics,50,javascript:alert(1)\n").encode(), "bad.csv")
    said = [t.value.replace("\\", "") for t in at.toast]
    assert any("bad.csv could not be used" in t and "your last good upload stays in use" in t for t in said), said


def test_an_upload_whose_state_ends_after_its_last_event_is_shaded_from_where_its_line_stops():
    """Issue 25: a state's end_date after the file's last event. The line moves until the state ends (its shock
    fades, then the state's term drops out), so the chart shades, and the headline says "carried", from there:
    the chart shaded from the last event while the line still moved for fifteen years."""
    state_ends = (
        HEADER.rstrip("\n") + ",persistence,end_date\n"
        "u1,1960-01-01,A shock,A test,diplomacy,8,https://example.org/1,shock,\n"
        "u2,1970-06-01,A state,A test,military,-6,https://example.org/2,state,1985-06-30\n"
    ).encode()
    at = upload(start(), state_ends)
    assert not at.exception
    spec = main_chart_spec(at)
    index = next(t for t in spec["data"] if t.get("name") == "Index")
    values = pd.Series(plotly_array(index["y"]), index=pd.to_datetime(plotly_array(index["x"]), unit="ms"))
    assert values["1970-07":"1985-05"].nunique() > 1  # after the last event the line still moves (the shock fades)
    assert values["1985-05-01"] != values["1985-06-01"]  # the state is over in the month of its end_date
    assert values["1985-06":].nunique() == 1  # then it holds
    shaded = [s for s in spec["layout"]["shapes"] if s.get("fillcolor") == "rgba(128,128,128,0.18)"]
    assert len(shaded) == 1 and pd.Timestamp(shaded[0]["x0"]) == pd.Timestamp("1985-06-30")
    notes = " ".join(c.value for c in at.caption)
    assert "30 June 1985" in notes and "01 June 1970" not in notes
