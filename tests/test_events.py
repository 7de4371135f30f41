"""Loading event files: every bad file gets a clear message; a good one loads; exports load back exactly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components import export
from components.events import COLUMNS, DatasetError, load_events

BAD = Path(__file__).parent / "bad_files"
CASES = list(csv.DictReader(open(BAD / "expected.csv", newline="", encoding="utf-8")))
HEADER = "id,date,title,summary,category,score,source_url\n"


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_file_gets_its_message(codebook, case):
    with pytest.raises(DatasetError) as caught:
        load_events(BAD / case["file"], codebook)
    assert case["message"] in str(caught.value)


def test_every_problem_is_reported_at_once(codebook):
    text = HEADER + (
        "a,1990-13-01,T,S,economics,50,ftp://x\n"
        "b,1990-01-01,T,S,diplomacy,3,https://example.org/\n"
        "b,1991-01-01,T,S,military,-11,https://example.org/\n"
    )
    with pytest.raises(DatasetError) as caught:
        load_events(text.encode(), codebook)
    where = {(p.line, p.column) for p in caught.value.problems}
    assert {(2, "date"), (2, "category"), (2, "score"), (2, "source_url"), (3, "id"), (4, "id"), (4, "score")} <= where


def test_minimal_file_loads_with_defaults(codebook):
    events = load_events((HEADER + "a,1990-01,T,S,diplomacy,-5,https://example.org/\n").encode(), codebook)
    row = events.iloc[0]
    assert list(events.columns) == list(COLUMNS)
    assert row["date"] == pd.Timestamp("1990-01-01") and row["date_precision"] == "month"
    assert row["score"] == -5 and row["persistence"] == "shock" and row["included"] and row["weight"] == 1


def test_byte_order_mark_and_crlf_are_accepted(codebook):
    data = (
        b"\xef\xbb\xbf"
        + (HEADER + "a,1990-01-01,T,S,diplomacy,3,https://example.org/\n").replace("\n", "\r\n").encode()
    )
    assert load_events(data, codebook)["id"].tolist() == ["a"]


def test_ten_thousand_events_are_accepted(codebook):
    rng = np.random.default_rng(0)
    days = pd.Timestamp("1949-04-04") + pd.to_timedelta(rng.integers(0, 27000, 10_000), unit="D")
    lines = [HEADER.strip()] + [
        f"e{i},{d:%Y-%m-%d},Event {i},Synthetic,{c},{s},https://example.org/{i}"
        for i, (d, c, s) in enumerate(
            zip(days, rng.choice(list(codebook.category_keys), 10_000), rng.integers(-10, 11, 10_000))
        )
    ]
    events = load_events("\n".join(lines).encode(), codebook)
    assert len(events) == 10_000


def test_shipped_data_round_trips_through_export(dataset, codebook):
    text = export.events_csv(dataset.events)
    again = load_events(text.encode(), codebook)
    pd.testing.assert_frame_equal(again, dataset.events)


hostile_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40).map(
    str.strip
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(hostile_text.filter(bool), hostile_text, st.integers(-10, 10), st.floats(0, 10)),
        min_size=1,
        max_size=8,
    )
)
def test_export_round_trip_is_exact_for_hostile_text(codebook, rows):
    frame = load_events(
        (
            HEADER
            + "\n".join(f"e{i},1990-01-0{1 + i % 9},x,x,diplomacy,0,https://example.org/" for i in range(len(rows)))
        ).encode(),
        codebook,
    )
    for i, (title, summary, score, weight) in enumerate(rows):
        frame.loc[i, ["title", "summary"]] = [title, summary]
        frame.loc[i, "score"] = float(score)
        frame.loc[i, "weight"] = round(weight, 3)
    text = export.events_csv(frame)
    for record in csv.DictReader(io.StringIO(text, newline="")):
        for column in ("title", "summary"):
            assert (
                not record[column].startswith(("=", "+", "-", "@"))
                or record[column].lstrip("+-").replace(".", "").isdigit()
            )
        assert record["score"].lstrip("-").isdigit()  # numbers stay numbers
    again = load_events(text.encode(), codebook)
    pd.testing.assert_frame_equal(again, frame)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=600))
def test_any_bytes_load_or_raise_the_projects_own_error(codebook, data):
    try:
        load_events(data, codebook)
    except DatasetError as err:
        assert err.problems and str(err)


csv_cell = st.text(max_size=20) | st.sampled_from(
    ["1990-01-01", "diplomacy", "5", "-10", "https://x.org/", "", "1990-02", "nan", "inf", "true", "structural"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(list(COLUMNS) + ["zz"]), min_size=1, max_size=9, unique=True), st.data())
def test_any_table_loads_or_raises_the_projects_own_error(codebook, header, data):
    rows = data.draw(st.lists(st.lists(csv_cell, min_size=len(header), max_size=len(header)), max_size=5))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    try:
        events = load_events(buffer.getvalue().encode(), codebook)
    except DatasetError:
        return
    assert events["score"].between(-10, 10).all()
    assert events["id"].is_unique


def test_a_spreadsheets_empty_trailing_columns_are_dropped(codebook):
    """Excel writes empty cells after the last column; such a file is accepted as it is."""
    path = Path(__file__).resolve().parent / "good_files" / "trailing_empty_columns.csv"
    events = load_events(path.read_bytes(), codebook)
    assert list(events["id"]) == ["a"]


def test_a_nul_byte_anywhere_is_refused_and_dates_outside_the_scale_are_refused(codebook):
    header = "id,date,title,summary,category,score,source_url\n"
    row = "a,1990-01-01,T,S,diplomacy,2,https://example.org/\n"
    with pytest.raises(DatasetError, match="NUL"):
        load_events((header + row * 400 + "b,1990-01-01,T\x00,S,diplomacy,2,https://example.org/\n").encode(), codebook)
    this_year = pd.Timestamp.today().year
    for date in ("0001-01-01", "9999-12-31", "1648-10-24", f"{this_year + 1}-01-01", "2062-03-09"):
        with pytest.raises(DatasetError, match=f"1900–{this_year}"):
            load_events((header + row.replace("1990-01-01", date)).encode(), codebook)
    # An end date in the future is as much a typo as a date: events have happened.
    state = row.replace("1990-01-01,T,S,diplomacy,2,", "1990-01-01,T,S,diplomacy,2,")
    with pytest.raises(DatasetError, match="end_date"):
        load_events(
            (header.replace("\n", ",persistence,end_date\n") + state.replace("\n", ",state,2062-01-01\n")).encode(),
            codebook,
        )


def test_an_event_id_with_a_final_newline_is_refused(codebook):
    from components.text import is_event_id

    assert is_event_id("a-b") and not is_event_id("a-b\n")


ENDS_HEADER = "id,date,title,summary,category,score,source_url,persistence,ends,suspends\n"


@pytest.mark.parametrize(
    "rows, refused_lines",
    [
        (["a,1990-01-01,T,S,diplomacy,-2,https://e.org/,state,a,"], [2]),  # a state that ends itself
        (
            [
                "a,1990-01-01,T,S,diplomacy,-2,https://e.org/,state,b,",
                "b,1990-01-01,T,S,diplomacy,-2,https://e.org/,state,a,",
            ],
            [2, 3],
        ),
        (
            [
                "a,1990-01-01,T,S,diplomacy,-2,https://e.org/,state,c,",
                "b,1990-01-01,T,S,diplomacy,-2,https://e.org/,state,a,",
                "c,1990-01-01,T,S,diplomacy,-2,https://e.org/,state,b,",
            ],
            [2, 3, 4],
        ),  # a ring of three
        (["a,1990-01-01,T,S,diplomacy,-2,https://e.org/,state,,a"], [2]),  # a suspension of itself
        (
            [
                "a,1990-01-01,T,S,diplomacy,-2,https://e.org/,state,,b",
                "b,1990-01-01,T,S,diplomacy,-2,https://e.org/,state,,a",
            ],
            [2, 3],
        ),
        (["a,1990-01-01,T,S,diplomacy,-2,https://e.org/,shock,,"], []),
        # A month-precision state ended later in the same month, either way round, is valid.
        (
            [
                "a,1990-05,T,S,diplomacy,-2,https://e.org/,state,,",
                "b,1990-05-20,T,S,diplomacy,2,https://e.org/,shock,a,",
            ],
            [],
        ),
        (
            [
                "a,1990-05-10,T,S,diplomacy,-2,https://e.org/,state,,",
                "b,1990-05,T,S,diplomacy,2,https://e.org/,shock,a,",
            ],
            [],
        ),
    ],
)
def test_rows_that_end_or_suspend_themselves_or_each_other_are_refused_by_line(codebook, rows, refused_lines):
    text = (ENDS_HEADER + "\n".join(rows) + "\n").encode()
    if not refused_lines:
        assert len(load_events(text, codebook)) == len(rows)
        return
    with pytest.raises(DatasetError) as caught:
        load_events(text, codebook)
    assert sorted({p.line for p in caught.value.problems}) == refused_lines


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.floats(-10, 10, allow_nan=False).filter(lambda v: v != int(v)),
    st.floats(0, 10, allow_nan=False),
    st.integers(2, 28),
)
def test_the_events_download_keeps_every_digit_and_the_day_of_a_month_precision_date(codebook, score, weight, day):
    """Issue 27: scores and weights were cut to six significant digits and a month-precision date lost its day."""
    text = (
        "id,date,date_precision,title,summary,category,score,weight,source_url\n"
        f"a,1990-05-{day:02d},month,T,S,diplomacy,{score!r},{weight!r},https://example.org/\n"
        "b,1991-06,month,T,S,diplomacy,2,1,https://example.org/\n"
    )
    first = load_events(text.encode(), codebook)
    again = load_events(export.events_csv(first).encode(), codebook)
    pd.testing.assert_frame_equal(again, first)
    assert again.loc[0, "score"] == score and again.loc[0, "weight"] == weight
    assert again.loc[0, "date"].day == day and again.loc[1, "date"].day == 1


def test_blank_optional_cells_take_their_defaults(codebook):
    """Issue 24: a spreadsheet row with a blank weight or confidence was refused instead of taking the default."""
    text = "id,date,title,summary,category,score,weight,confidence,persistence,actor,included,source_url\n"
    text += "a,1990-01-01,T,S,diplomacy,2,,,,,,https://example.org/\n"
    row = load_events(text.encode(), codebook).iloc[0]
    assert (row["weight"], row["confidence"], row["persistence"], row["actor"], row["included"]) == (
        1.0,
        "medium",
        "shock",
        "both",
        True,
    )


def test_a_file_of_more_events_than_the_app_draws_is_refused_at_once_with_the_count(codebook):
    from components.events import MAX_EVENTS

    row = "a{i},1990-01-01,T,S,diplomacy,2,https://example.org/\n"
    text = HEADER + "".join(row.format(i=i) for i in range(MAX_EVENTS + 1))
    with pytest.raises(DatasetError, match=f"at most {MAX_EVENTS:,} events") as caught:
        load_events(text.encode(), codebook)
    assert f"{MAX_EVENTS + 1:,} events" in str(caught.value)
