"""The shipped dataset: it validates, it covers 1949 to today, the article's events are in it; and the questions
asked of its tables (components.dataset)."""

from __future__ import annotations

import csv
from collections import Counter

import pandas as pd
import pytest

from components import dataset as dataset_module
from components import paths
from components.events import COLUMNS

ISSUE_COLUMNS = (
    "id",
    "date",
    "date_precision",
    "end_date",
    "title",
    "summary",
    "category",
    "score",
    "persistence",
    "actor",
    "rationale",
    "source_title",
    "source_url",
    "in_article",
    "confidence",
    "ends",
    "suspends",
    "conflict",
    "aliases",
)


def test_shipped_events_validate_and_carry_every_documented_column(dataset):
    with open(paths.EVENTS_CSV, newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert tuple(header) == ISSUE_COLUMNS
    assert set(header) <= set(COLUMNS)
    assert len(dataset.events) >= 260


def test_every_row_is_fully_documented(dataset):
    events = dataset.events
    for column in ("title", "summary", "rationale", "source_title", "source_url"):
        empty = events[events[column].str.strip() == ""]["id"].tolist()
        assert not empty, f"{column} empty for {empty}"
    assert events["source_url"].str.match(r"^https?://").all()
    assert (events["score"] == events["score"].round()).all(), "hand scores are whole numbers"
    # The series opens where the relationship stood: the 1947–49 rows come first.
    assert events["date"].min() < pd.Timestamp("1949-04-01")
    aggregators = ("inkl.com", "urdupoint", "menafn")
    assert not events["source_url"].str.contains("|".join(aggregators)).any()


def test_coverage_every_decade_and_no_long_gap(dataset):
    years = dataset.events["date"].dt.year
    decades = Counter((years // 10) * 10)
    for decade in range(1950, 2030, 10):
        assert decades[decade] >= 10, f"{decade}s has {decades[decade]} events"
    dates = dataset.events["date"].sort_values()
    gaps = dates.diff().dropna()
    assert gaps.max() <= pd.Timedelta(days=4 * 365), f"longest gap {gaps.max()}"
    assert dates.iloc[-1] >= pd.Timestamp("2025-01-01")


ARTICLE_EVENTS = {
    "NATO founded": ("1949-04-04", "north atlantic treaty"),
    "Soviet Union dissolved": ("1991-12", "soviet union"),
    "Founding Act and PJC": ("1997-05-27", "founding act"),
    "Kosovo air campaign": ("1999-03-24", "yugoslavia"),
    "Georgia war": ("2008-08", "georgia"),
    "Eight Russian staff lose accreditation": ("2021-10-06", "eight"),
    "Russia announces suspension": ("2021-10-18", "suspen"),
    "Suspension takes effect": ("2021-11-01", "stop work"),
}


@pytest.mark.parametrize("name", ARTICLE_EVENTS)
def test_article_events_are_present_and_flagged(dataset, name):
    date, words = ARTICLE_EVENTS[name]
    events = dataset.events
    on_date = events[events["date"].dt.strftime("%Y-%m-%d").str.startswith(date)]
    match = on_date[
        on_date["title"].str.lower().str.contains(words) | on_date["summary"].str.lower().str.contains(words)
    ]
    assert len(match) >= 1, f"{name} not found on {date}"
    assert match["in_article"].any(), f"{name} is not flagged as from the article"


def test_no_two_rows_share_date_and_title(dataset):
    duplicated = dataset.events.duplicated(["date", "title"], keep=False)
    assert not duplicated.any(), dataset.events.loc[duplicated, "id"].tolist()


def test_eras_cover_1949_to_today_without_gaps(dataset):
    eras = dataset.eras
    assert eras["start"].iloc[0] == pd.Timestamp("1949-04-04")
    assert pd.isna(eras["end"].iloc[-1])
    for previous, following in zip(eras.itertuples(), eras.iloc[1:].itertuples()):
        assert following.start == previous.end + pd.Timedelta(days=1), (previous.name, following.name)


def test_article_claims_point_at_real_events(dataset):
    ids = set(dataset.events["id"])
    for claim in dataset.claims.itertuples():
        for event_id in claim.event_ids.split():
            assert event_id in ids, (claim.id, event_id)
    verdicts = set(dataset.claims["verdict"])
    assert "incorrect" in verdicts  # the article is not always right, and the data says where
    membership = dataset.claims[dataset.claims["id"] == "claim-membership-30"]
    assert membership["verdict"].iloc[0] == "correct_when_written"


def test_every_row_standing_today_has_a_reason_in_the_data(dataset):
    """No state or structural row stays open by oversight: each one open in the last month is in standing.csv."""
    from components import engine
    from components.paths import DATA_DIR

    events = dataset.events
    months = engine.series_months(events)
    terms = engine._terms(events, months)
    last = len(months) - 1
    standing = (terms.structural | terms.state) & (terms.stop > last) & (terms.start <= last)
    reasons = pd.read_csv(DATA_DIR / "standing.csv", dtype=str, keep_default_na=False)
    assert sorted(events["id"][standing]) == sorted(reasons["id"])
    assert (reasons["reason"].str.len() > 20).all()


def test_a_suspension_and_a_conflict_group_in_the_shipped_data_behave_as_the_codebook_says(dataset):
    from components import engine

    events = dataset.events
    months = engine.series_months(events)
    terms = engine._terms(events, months)
    row = {event_id: i for i, event_id in enumerate(events["id"])}
    paused_at = lambda event_id, month: any(  # noqa: E731
        lo <= months.get_loc(pd.Timestamp(month)) < hi
        for r, lo, hi in zip(terms.paused, terms.pause_from, terms.pause_to)
        if r == row[event_id]
    )
    # The NRC is off while suspended in 2008–09, on again after the resumption, off from April 2014.
    assert paused_at("2002-05-nato-russia-council-rome", "2008-12-01")
    assert not paused_at("2002-05-nato-russia-council-rome", "2010-01-01")
    assert paused_at("2002-05-nato-russia-council-rome", "2015-01-01")
    # From the full-scale invasion, Crimea and the four annexed regions add nothing beside the war.
    assert paused_at("2014-03-crimea-annexation-treaty", "2023-01-01")
    assert paused_at("2022-09-russia-annexes-four-ukrainian-regions", "2023-01-01")
    assert not paused_at("2014-03-crimea-annexation-treaty", "2016-01-01")


def test_each_claim_of_the_article_is_shown_once(dataset):
    named = list(dataset.events[dataset.events["in_article"]]["id"])
    by_event, others = dataset_module.claims_by_event(dataset.claims, named)
    shown = [cid for frame in by_event.values() for cid in frame["id"]] + list(others["id"])
    assert sorted(shown) == sorted(dataset.claims["id"])  # every claim, and each once
    for event_id, frame in by_event.items():
        assert frame["event_ids"].str.split().map(lambda ids, e=event_id: e in ids).all()


def test_the_claims_about_an_event_are_those_naming_it(dataset):
    claims = dataset.claims
    for event_id in dict.fromkeys(claims["event_ids"].str.split().sum()):
        about = dataset_module.claims_about(claims, event_id)
        expected = claims[claims["event_ids"].str.split().map(lambda ids, e=event_id: e in ids)]
        assert list(about["id"]) == list(expected["id"]) and len(about), event_id
    assert dataset_module.claims_about(claims, "no-such-event").empty
    assert dataset_module.claims_about(claims.iloc[0:0], "no-such-event").empty


def test_events_per_year_counts_every_event_once_by_category(dataset):
    table = dataset_module.events_per_year(dataset.events, dataset.codebook)
    assert table.to_numpy().sum() == len(dataset.events)
    assert list(table.columns) == [c.label for c in dataset.codebook.categories.values()]
    years = dataset.events["date"].dt.year
    assert table.index.min() == years.min() and table.index.max() == years.max()
    assert len(table) == years.max() - years.min() + 1  # empty years shown as zero, so thin years show
    for year in (1962, 1983, 2022):
        assert table.loc[year].sum() == (years == year).sum()


def test_previous_and_next_walk_the_events_in_date_order(dataset):
    events = dataset.events.sort_values(["date", "id"])
    ids = list(events["id"])
    assert dataset_module.neighbours(dataset.events, ids[5]) == (ids[4], ids[6])
    assert dataset_module.neighbours(dataset.events, ids[0]) == (None, ids[1])
    assert dataset_module.neighbours(dataset.events, ids[-1]) == (ids[-2], None)


def test_events_of_the_same_month_are_offered_together(dataset):
    """Issue 24: at the full range a month's markers share a pixel or two (the Cuban crisis and its resolution
    six days later), so the story offers the month's others, in date order."""
    events = dataset.events
    month = events["date"].dt.to_period("M")
    crisis = "1962-10-cuban-missile-crisis"
    offered = dataset_module.same_place(events, crisis)
    assert "1962-10-cuban-crisis-resolved" in set(offered["id"])
    expected = events[(month == pd.Period("1962-10", "M")) & (events["id"] != crisis)].sort_values(["date", "id"])
    assert list(offered["id"]) == list(expected["id"])
    assert offered["date"].is_monotonic_increasing
    alone = events[~month.duplicated(keep=False)].iloc[0]
    assert dataset_module.same_place(events, alone["id"]).empty
    assert dataset_module.same_place(events, "no-such-id").empty


def test_coverage_by_kind_counts_each_kinds_rows_by_decade(dataset):
    table = dataset_module.coverage_by_kind(dataset.events, dataset.codebook)
    events = dataset.events
    for kind in dataset.codebook.kinds:
        found = [
            row
            for row in events.itertuples()
            if pd.Series([f"{row.id} {row.title} {row.aliases}".lower()]).str.contains(kind.match).iloc[0]
        ]
        assert table.loc[kind.label, "total"] == len(found) > 0
        in_2010s = sum(1 for row in found if 2010 <= row.date.year < 2020)
        assert table.loc[kind.label, "2010s"] == in_2010s
    assert (table.drop(columns="total").sum(axis=1) == table["total"]).all()
    # The second sweep's kinds reach back into the Cold War where they occurred.
    for label in (
        "Military incidents between the parties' forces",
        "Nuclear signalling",
        "Summits, leaders' calls and visits",
    ):
        assert table.loc[label, ["1950s", "1960s", "1980s"]].min() > 0


def test_the_data_end_at_the_last_included_event_or_a_later_states_end():
    from tests.conftest import make_events

    events = make_events(
        {"date": "1990-03-05"},
        {"date": "1991-07-01", "persistence": "state"},
        {"date": "1999-01-01", "included": False},
    )
    assert dataset_module.data_end(events) == pd.Timestamp("1991-07-01")  # an excluded row says nothing
    events.loc[1, "end_date"] = pd.Timestamp("1994-02-28")
    assert dataset_module.data_end(events) == pd.Timestamp("1994-02-28")  # a state that ends after the last event
    events.loc[1, "end_date"] = pd.Timestamp("1991-09-30")
    assert dataset_module.data_end(events) == pd.Timestamp("1991-09-30")
    assert dataset_module.data_end(events.assign(included=False)) is None
    assert dataset_module.data_end(events.iloc[0:0]) is None
