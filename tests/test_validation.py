"""Agreement with outside series: ρ at the series' own dates, and a chance level from a shifted index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components import validation
from components.engine import month_range

MONTHS = month_range(pd.Timestamp("1949-04-01"), pd.Timestamp("2026-11-01"))
# A made-up index with history in it: a slow wave, so that shifting it breaks its alignment.
INDEX = pd.Series(8 * np.sin(np.arange(len(MONTHS)) / 60.0), index=MONTHS)


def reference(values: pd.Series, dates: str = "month", direction: int = 1) -> validation.Reference:
    frame = pd.DataFrame({"date": values.index, "value": values.to_numpy(), "source": "test"})
    return validation.Reference("t", "test", "nobody", dates, direction, "", frame)


def test_a_series_that_follows_the_index_agrees_and_beats_chance():
    dates = MONTHS[::37]
    ref = reference(pd.Series(INDEX[dates].to_numpy() * 3 + 50, index=dates))
    result = validation.agreement(INDEX, ref)
    assert result.rho == pytest.approx(1.0)
    assert result.beats_chance and result.chance_95 < 0.9


def test_a_series_that_measures_the_opposite_agrees_once_its_direction_is_turned():
    dates = MONTHS[::37]
    ref = reference(pd.Series(-INDEX[dates].to_numpy(), index=dates), direction=-1)
    assert validation.agreement(INDEX, ref).rho == pytest.approx(1.0)


def test_a_series_unrelated_to_history_does_not_beat_chance():
    dates = MONTHS[::37]
    noise = np.random.default_rng(3).standard_normal(len(dates))
    assert not validation.agreement(INDEX, reference(pd.Series(noise, index=dates))).beats_chance


def test_a_yearly_value_is_compared_with_the_years_mean():
    years = pd.to_datetime([f"{y}-01-01" for y in range(1960, 1970)])
    ref = reference(pd.Series(range(10), index=years), dates="year")
    expected = [INDEX[str(y)].mean() for y in range(1960, 1970)]
    np.testing.assert_allclose(validation.index_at(INDEX, ref), expected)


def test_the_shipped_references_load_with_a_source_for_every_value():
    refs = validation.load_references()
    assert {r.key for r in refs} == {"doomsday", "gallup", "levada", "unga"}
    for ref in refs:
        assert len(ref.values) >= 10 and (ref.values["source"].str.strip() != "").all(), ref.key


def test_the_largest_disagreements_are_where_the_ranks_differ_most():
    dates = MONTHS[::60][:8]
    values = INDEX[dates].to_numpy().copy()
    values[[2, 5]] = values[[5, 2]]  # swap two dates: those two now disagree most
    gaps = validation.largest_disagreements(INDEX, reference(pd.Series(values, index=dates)), count=2)
    assert set(gaps["date"]) == {dates[2], dates[5]}
    assert (gaps["gap"].abs() > 0).all() and list(gaps.columns) == ["date", "index_rank", "reference_rank", "gap"]


def test_a_series_is_drawn_on_the_index_scale_with_its_sign_turned():
    dates = MONTHS[:3]
    drawn = validation.normalised(reference(pd.Series([10.0, 20.0, 30.0], index=dates), direction=-1))
    assert list(drawn) == [10.0, 0.0, -10.0]


def test_the_reading_of_alpha_follows_the_usual_thresholds():
    from components import agreement

    assert [agreement.reading(a) for a in (0.9, 0.8, 0.7, 0.6, float("nan"))] == [
        "good",
        "good",
        "tentative",
        "not reliable",
        "undefined (no variation)",
    ]


def test_spearman_is_the_textbook_rank_correlation_without_ties():
    rng = np.random.default_rng(11)
    a, b = rng.permutation(30).astype(float), rng.permutation(30).astype(float)
    d = a - b  # permutations of 0..29 are their own ranks (minus one)
    expected = 1 - 6 * (d**2).sum() / (30 * (30**2 - 1))
    assert validation.spearman(a, b) == pytest.approx(expected)


def test_spearman_gives_tied_values_their_average_rank_and_skips_missing_pairs():
    a = np.array([1.0, 2.0, 2.0, 3.0, np.nan, 5.0])
    b = np.array([10.0, 30.0, 20.0, 40.0, 0.0, 50.0])
    # ranks of a (finite pairs): 1, 2.5, 2.5, 4, 5; of b: 1, 3, 2, 4, 5
    ra, rb = np.array([1, 2.5, 2.5, 4, 5]), np.array([1, 3, 2, 4, 5])
    expected = ((ra - ra.mean()) * (rb - rb.mean())).sum() / np.sqrt(
        ((ra - ra.mean()) ** 2).sum() * ((rb - rb.mean()) ** 2).sum()
    )
    assert validation.spearman(a, b) == pytest.approx(expected)
    assert np.isnan(validation.spearman(np.ones(6), b))
