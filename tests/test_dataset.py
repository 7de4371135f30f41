"""The shipped dataset: it validates, it covers 1949 to today, the article's events are in it."""

from __future__ import annotations

import csv
from collections import Counter

import pandas as pd
import pytest

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
