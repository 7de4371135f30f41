"""The one events pipeline (upload modes, edits, rescorings) and the search."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from components import search
from components.codebook import CodebookError, _build
from components.edits import assemble, summarise_changes
from tests.conftest import make_events

ROOT = Path(__file__).resolve().parents[1]


def shipped():
    return make_events(
        {"id": "a", "date": "1950-01-01", "score": 2}, {"id": "b", "date": "1960-01-01", "score": -3, "title": "B"}
    )


def test_extend_leaves_out_clashing_ids_and_says_which(codebook):
    upload = make_events({"id": "b", "date": "1960-01-01", "score": 5}, {"id": "c", "date": "1970-01-01"})
    result = assemble(shipped(), codebook, upload, "extend")
    assert list(result.events["id"]) == ["a", "b", "c"]
    assert result.events.set_index("id").loc["b", "score"] == -3  # the shipped version kept
    assert result.clashes == ["b"]


def test_update_takes_the_uploaded_version_and_adds_the_new_ones(codebook):
    upload = make_events({"id": "b", "date": "1960-01-01", "score": 5, "title": "B"}, {"id": "c", "date": "1970-01-01"})
    result = assemble(shipped(), codebook, upload, "update")
    assert list(result.events["id"]) == ["a", "b", "c"]
    assert result.events.set_index("id").loc["b", "score"] == 5
    summary = summarise_changes(shipped(), result.events)
    assert (summary.added, summary.removed, summary.changed) == (["c"], [], {"b": ["score"]})
    assert str(summary) == "1 changed, 1 added, 0 removed"


def test_replace_and_unknown_ids_of_every_kind(codebook):
    upload = make_events({"id": "z", "date": "1980-01-01"})
    result = assemble(shipped(), codebook, upload, "replace", edits={"a": {"score": 1}}, overrides={"b": 2.0})
    assert list(result.events["id"]) == ["z"]
    assert result.unknown == {"edits": ["a"], "rescorings": ["b"]}
    assert summarise_changes(shipped(), result.events).removed == ["a", "b"]


def test_edits_then_rescorings_in_that_order(codebook):
    result = assemble(shipped(), codebook, edits={"a": {"score": 7, "weight": 2.0}}, overrides={"a": -1.0})
    row = result.events.set_index("id").loc["a"]
    assert (row["score"], row["weight"]) == (-1.0, 2.0)
    assert result.unscored.set_index("id").loc["a", "score"] == 7


@pytest.mark.parametrize(
    "query, expected",
    [
        ("berlin", {"blockade"}),
        ("2021", {"expel"}),
        ("2021-10", {"expel"}),
        ("1949-05", {"blockade"}),
        ("expulsion", {"expel"}),
        ("moscow", {"blockade"}),  # the actor's label
        ("arms control", {"treaty"}),  # the category's label
        ("guardian", {"treaty"}),  # the source title
        ("", {"blockade", "expel", "treaty"}),
    ],
)
def test_search_finds_words_periods_labels_and_aliases(codebook, query, expected):
    events = make_events(
        {
            "id": "blockade",
            "date": "1949-05-12",
            "title": "Berlin blockade lifted",
            "actor": "ussr_russia",
            "category": "military",
        },
        {"id": "expel", "date": "2021-10-06", "title": "NATO withdraws accreditation", "actor": "nato"},
        {"id": "treaty", "date": "1987-12-08", "title": "INF", "category": "arms_control", "actor": "both"},
    )
    events["aliases"] = ["", "expulsion; diplomats", ""]
    events["source_title"] = ["", "", "The Guardian archive"]
    assert set(events["id"][search.matches(events, query, codebook)]) == expected


def test_the_codebook_refuses_an_unstyled_or_clashing_category():
    raw = tomllib.loads((ROOT / "data" / "codebook.toml").read_text(encoding="utf-8"))
    raw["categories"]["diplomacy"]["symbol"] = raw["categories"]["military"]["symbol"]
    with pytest.raises(CodebookError, match="share a marker symbol"):
        _build(raw)
    raw = tomllib.loads((ROOT / "data" / "codebook.toml").read_text(encoding="utf-8"))
    del raw["categories"]["military"]["colour"]
    with pytest.raises(KeyError):
        _build(raw)
    raw = tomllib.loads((ROOT / "data" / "codebook.toml").read_text(encoding="utf-8"))
    raw["categories"]["new_kind"] = dict(raw["categories"]["military"], symbol="diamond", colour="#000000")
    for preset in raw["presets"].values():
        preset["weights"]["new_kind"] = 1.0
    assert "new_kind" in _build(raw).categories  # adding a category is one codebook edit


@pytest.mark.parametrize(
    "browser_url, page_path, base, expected",
    [
        ("http://localhost:8501/dashboard?w=1", "", "", "http://localhost:8501/"),  # the default page by its name
        ("http://localhost:8501/no-such-page", "", "", "http://localhost:8501/"),  # a mistyped page: the default runs
        ("https://x.streamlit.app/methodology#top", "methodology", "", "https://x.streamlit.app/methodology"),
        ("http://h:8501/app/events", "events", "app", "http://h:8501/app/events"),
        ("", "", "", "http://localhost:8501/"),
        ("javascript:alert(1)", "", "", "http://localhost:8501/"),
    ],
)
def test_a_page_link_is_built_from_the_apps_root(browser_url, page_path, base, expected):
    from components.text import page_link

    assert page_link(browser_url, page_path, base) == expected
