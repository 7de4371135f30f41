"""The index engine: the behaviour a user relies on when moving a slider."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components import engine
from components.codebook import load_codebook
from components.engine import Params
from tests.conftest import make_events

CATS = ("military", "arms_control", "diplomacy", "institutions", "enlargement", "political_change")
MONTHS = engine.month_range(pd.Timestamp("1949-04-01"), pd.Timestamp("1960-12-01"))
ONES = {c: 1.0 for c in CATS}
# Fixed parameters for these tests (not the codebook's, which calibration moves).
FIXED = {
    "half_life_months": 24.0,
    "baseline": -2.0,
    "structural_weight": 0.2,
    "state_weight": 0.5,
    "squash_width": 20.0,
    # The plain formula: no intensity, states that hold in full, terms that add up.
    "intensity": 1.0,
    "state_half_life_months": float("inf"),
    "norm": 1.0,
    "onset_weight": 0.0,  # no news of a standing event's start (model v6's, tested on its own)
    "state_onset_weight": 0.0,
}


def P(**overrides) -> Params:
    return Params(**{"category_weights": ONES, **FIXED, **overrides})


def run(events, **overrides):
    params = P(category_weights=overrides.pop("weights", ONES), **overrides)
    return engine.monthly_index(events, params, CATS, MONTHS)


def at(series, date):
    return series.index[MONTHS.get_loc(pd.Timestamp(date))]


def test_cooperative_event_raises_index_from_its_month_and_not_before():
    quiet = run(make_events())
    series = run(make_events({"date": "1955-07-18", "score": 5}))
    before = MONTHS < pd.Timestamp("1955-07-01")
    assert np.array_equal(series.index[before], quiet.index[before])
    assert at(series, "1955-07-01") > at(quiet, "1955-07-01")
    assert (series.index[~before] > quiet.index[~before]).all()


def test_conflictual_event_lowers_index():
    quiet = run(make_events())
    series = run(make_events({"date": "1956-11-04", "score": -7, "category": "military"}))
    assert at(series, "1956-11-01") < at(quiet, "1956-11-01")


def test_zero_weight_removes_a_categorys_effect():
    events = make_events(
        {"date": "1955-07-18", "score": 5, "category": "diplomacy"},
        {"date": "1956-11-04", "score": -7, "category": "military"},
    )
    only_military = make_events({"date": "1956-11-04", "score": -7, "category": "military"})
    zeroed = run(events, weights={**ONES, "diplomacy": 0.0})
    np.testing.assert_allclose(zeroed.index, run(only_military).index)


def test_shock_halves_after_one_half_life():
    series = run(make_events({"date": "1950-01-15", "score": 6}), baseline=0.0, half_life_months=12.0)
    assert series.raw[MONTHS.get_loc(pd.Timestamp("1951-01-01"))] == pytest.approx(3.0)
    assert series.raw[MONTHS.get_loc(pd.Timestamp("1952-01-01"))] == pytest.approx(1.5)


def test_structural_event_stays():
    series = run(
        make_events({"date": "1950-01-15", "score": 6, "persistence": "structural"}),
        baseline=0.0,
        structural_weight=0.5,
    )
    after = MONTHS >= pd.Timestamp("1950-01-01")
    np.testing.assert_allclose(series.raw[after], 3.0)
    np.testing.assert_allclose(series.raw[~after], 0.0)


def test_structural_event_is_reversed_by_its_opposite():
    series = run(
        make_events(
            {"date": "1950-01-15", "score": 6, "persistence": "structural"},
            {"date": "1955-01-15", "score": -6, "persistence": "structural"},
        ),
        baseline=0.0,
    )
    assert series.raw[MONTHS.get_loc(pd.Timestamp("1954-12-01"))] > 0
    assert series.raw[MONTHS.get_loc(pd.Timestamp("1955-01-01"))] == pytest.approx(0.0)


def test_all_weights_zero_gives_the_baseline():
    events = make_events(
        {"date": "1950-01-15", "score": 6}, {"date": "1955-01-15", "score": -9, "category": "military"}
    )
    series = run(events, weights={c: 0.0 for c in CATS}, baseline=-2.0, squash_width=20.0)
    np.testing.assert_allclose(series.index, 10 * np.tanh(-2.0 / 20.0))


def test_excluded_event_and_event_weight():
    base = make_events({"date": "1950-01-15", "score": 6})
    np.testing.assert_allclose(
        run(make_events({"date": "1950-01-15", "score": 6, "included": False})).index, run(make_events()).index
    )
    doubled = run(make_events({"date": "1950-01-15", "score": 6, "weight": 2.0}), baseline=0.0)
    assert doubled.raw[-1] == pytest.approx(2 * run(base, baseline=0.0).raw[-1])


def test_events_in_the_same_month_add_up():
    two = run(make_events({"date": "1950-01-02", "score": 3}, {"date": "1950-01-30", "score": 3}), baseline=0.0)
    one = run(make_events({"date": "1950-01-15", "score": 6}), baseline=0.0)
    np.testing.assert_allclose(two.raw, one.raw)


def test_decayed_cumsum_matches_the_recursion_for_long_series_and_short_half_lives():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 2500)) * (rng.random((3, 2500)) < 0.05)
    for half_life in (1.0, 2.5, 24.0, 600.0):
        r = engine.decay_factor(half_life)
        expected = np.zeros_like(x)
        carry = np.zeros(3)
        for t in range(x.shape[1]):
            carry = carry * r + x[:, t]
            expected[:, t] = carry
        np.testing.assert_allclose(engine._decayed_cumsum(x, r), expected, atol=1e-9)


def test_series_runs_from_april_1949_to_the_current_month():
    months = engine.series_months(make_events({"date": "1960-01-01"}), today=pd.Timestamp("2026-11-26"))
    assert months[0] == pd.Timestamp("1949-04-01")
    assert months[-1] == pd.Timestamp("2026-11-01")
    assert len(months) == (2026 - 1949) * 12 + (11 - 4) + 1


# --- properties -------------------------------------------------------------

event_rows = st.lists(
    st.fixed_dictionaries(
        {
            "date": st.dates(min_value=pd.Timestamp("1949-04-01").date(), max_value=pd.Timestamp("1960-12-31").date()),
            "score": st.integers(-10, 10),
            "category": st.sampled_from(CATS),
            "persistence": st.sampled_from(["shock", "structural"]),
        }
    ),
    max_size=60,
)
weights = st.fixed_dictionaries({c: st.floats(0, 3) for c in CATS})


@settings(max_examples=60, deadline=None)
@given(event_rows, weights, st.floats(1, 120), st.floats(-10, 10))
def test_index_is_bounded_for_any_events_and_weights(rows, w, half_life, baseline):
    series = run(make_events(*rows), weights=w, half_life_months=half_life, baseline=baseline)
    assert np.isfinite(series.index).all()
    assert (np.abs(series.index) <= 10).all()


@settings(max_examples=60, deadline=None)
@given(event_rows.filter(len), st.data(), st.floats(0.1, 3))
def test_raising_an_events_weight_moves_the_index_its_way_from_its_date_only(rows, data, extra):
    events = make_events(*rows)
    i = data.draw(st.integers(0, len(events) - 1))
    heavier = events.copy()
    heavier.loc[i, "weight"] = 1.0 + extra
    base, moved = run(events), run(heavier)
    month = MONTHS.get_loc(events.loc[i, "date"].to_period("M").to_timestamp())
    np.testing.assert_array_equal(moved.index[:month], base.index[:month])
    sign = np.sign(events.loc[i, "score"])
    diff = (moved.raw - base.raw)[month:]
    if sign == 0:
        np.testing.assert_allclose(diff, 0, atol=1e-12)
    else:
        assert (sign * diff >= -1e-12).all()
        assert sign * diff[0] > 0


@settings(max_examples=60, deadline=None)
@given(
    event_rows,
    weights,
    st.floats(1, 120),
    st.dates(min_value=pd.Timestamp("1949-04-01").date(), max_value=pd.Timestamp("1960-12-01").date()),
)
def test_decomposition_adds_up_to_the_raw_level(rows, w, half_life, day):
    events = make_events(*rows)
    params = P(category_weights=w, half_life_months=half_life, intensity=1.0 + (half_life % 2))
    series = engine.monthly_index(events, params, CATS, MONTHS)
    month = pd.Timestamp(day).to_period("M").to_timestamp()
    result = engine.decompose(events, params, CATS, MONTHS, month)
    t = MONTHS.get_loc(month)
    assert result.raw == pytest.approx(series.raw[t], abs=1e-9)
    assert result.baseline + result.by_category["total"].sum() == pytest.approx(series.raw[t], abs=1e-9)
    assert result.baseline + result.events["contribution"].sum() == pytest.approx(series.raw[t], abs=1e-9)
    assert result.index == pytest.approx(series.index[t], abs=1e-9)
    assert result.squash_effect == pytest.approx(series.index[t] - series.raw[t], abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(event_rows, st.floats(1, 60))
def test_shock_contribution_halves_after_one_half_life(rows, half_life):
    """Whatever else happened, a single shock's own contribution halves in h months."""
    events = make_events(*rows, {"id": "probe", "date": "1950-01-10", "score": 8})
    params = P(half_life_months=half_life)
    start = pd.Timestamp("1950-01-01")
    later = start + pd.DateOffset(months=int(round(half_life)))
    if later > MONTHS[-1]:
        return

    def contribution(month):
        d = engine.decompose(events, params, CATS, MONTHS, month).events
        return float(d.loc[d["id"] == "probe", "contribution"].iloc[0])

    expected = 8 * 0.5 ** (round(half_life) / half_life)
    assert contribution(later) == pytest.approx(expected)
    assert contribution(start) == pytest.approx(8.0)


def test_band_is_seeded_and_brackets_the_line(dataset):
    params = Params.from_codebook(dataset.codebook)
    months = engine.series_months(dataset.events)
    comp = engine.components(dataset.events, params, dataset.codebook.category_keys, months)
    first = engine.sensitivity_band(comp, params, spread=0.3, draws=200, percentiles=(10.0, 90.0))
    second = engine.sensitivity_band(comp, params, spread=0.3, draws=200, percentiles=(10.0, 90.0))
    np.testing.assert_array_equal(first.low, second.low)
    assert (first.low <= first.high).all()
    line = engine.index_from_components(comp, params).index
    inside = (first.low - 1e-9 <= line) & (line <= first.high + 1e-9)
    assert inside.mean() > 0.9  # the line sits inside its own band almost everywhere
    wider = engine.sensitivity_band(comp, params, spread=0.8, draws=200, percentiles=(10.0, 90.0))
    assert (wider.high - wider.low).mean() > (first.high - first.low).mean()
    flat = engine.sensitivity_band(comp, params, spread=0.0, draws=50, percentiles=(10.0, 90.0))
    np.testing.assert_allclose(flat.low, line)


def test_param_defaults_are_the_codebooks(codebook):
    params = Params.from_codebook(codebook)
    eng = codebook.engine
    assert (
        params.half_life_months,
        params.baseline,
        params.structural_weight,
        params.state_weight,
        params.squash_width,
        params.intensity,
    ) == (eng.half_life_months, eng.baseline, eng.structural_weight, eng.state_weight, eng.squash_width, eng.intensity)


# Model v3: the intensity of a score ---------------------------------------------------------------


@settings(deadline=None)  # not the 200 ms default: a loaded machine must not fail a correct property
@given(st.floats(-10, 10), st.floats(-10, 10), st.floats(1, 3))
def test_intensity_is_odd_monotone_and_keeps_zero_and_the_ends(a, b, p):
    fa, fb = engine.intensity([a, b], p)
    assert engine.intensity(-a, p) == pytest.approx(-fa, abs=1e-12)
    if a < b:
        assert fa <= fb
    assert list(engine.intensity([-10, 0, 10], p)) == pytest.approx([-10, 0, 10])
    assert abs(fa) <= abs(a) + 1e-12  # never counts for more than its score


def test_intensity_one_is_the_score_itself_and_the_engine_gives_version_2s_numbers():
    events = make_events(
        {"date": "1950-03-01", "score": -3}, {"date": "1951-06-01", "score": 7, "persistence": "state"}
    )
    np.testing.assert_array_equal(engine.intensity([-3, 0, 7], 1.0), [-3, 0, 7])
    np.testing.assert_array_equal(run(events, intensity=1.0).raw, run(events).raw)
    at_p2 = run(events, intensity=2.0)
    # written out: the shock counts 10·0.3², the state 0.5 · 10·0.7² in June 1951 (24-month half-life)
    expected = -2.0 - 0.9 * 0.5 ** (15 / 24) + 0.5 * 4.9
    assert raw_at(at_p2, "1951-06-01") == pytest.approx(expected, abs=1e-9)


def test_with_p_above_one_a_large_event_outweighs_many_small_ones():
    brink = make_events({"date": "1950-01-01", "score": -9})
    crowded = make_events(*({"date": "1950-01-01", "score": -3} for _ in range(4)))
    # Summing scores, four −3s (−12) sink below one −9; counting intensities at p = 2.5 they do not (4 × 0.49).
    assert raw_at(run(crowded, intensity=1.0), "1950-01-01") < raw_at(run(brink, intensity=1.0), "1950-01-01")
    assert raw_at(run(crowded, intensity=2.5), "1950-01-01") > raw_at(run(brink, intensity=2.5), "1950-01-01")


# Model v2: standing states, exact reversals, no drift ------------------------------------------------


def raw_at(series, date):
    return series.raw[MONTHS.get_loc(pd.Timestamp(date))]


def test_a_state_holds_until_its_end_date_then_stops():
    war = make_events({"date": "1950-06-25", "score": -8, "persistence": "state", "category": "military"})
    war["end_date"] = pd.Timestamp("1953-07-27")
    series = run(war, baseline=0.0, half_life_months=12.0)
    held = series.raw[MONTHS.get_loc(pd.Timestamp("1950-06-01")) : MONTHS.get_loc(pd.Timestamp("1953-07-01"))]
    np.testing.assert_allclose(held, -8 * 0.5)  # d·q, flat for three years: no drift while it lasts
    # Model v4: a resolved state is over at once (its resolution is news of its own), it does not linger.
    np.testing.assert_allclose(series.raw[MONTHS.get_loc(pd.Timestamp("1953-07-01")) :], 0.0)


def test_an_open_state_holds_to_the_end_without_drift():
    events = make_events({"date": "1950-01-01", "score": -6, "persistence": "state"})
    series = run(events, baseline=0.0)
    after = series.raw[MONTHS.get_loc(pd.Timestamp("1950-01-01")) :]
    np.testing.assert_allclose(after, after[0])


@pytest.mark.parametrize("kind", ["state", "structural"])
def test_a_row_that_ends_an_event_cancels_it_exactly_under_any_weights(kind):
    events = make_events(
        {
            "id": "suspended",
            "date": "1951-03-01",
            "score": -5,
            "persistence": kind,
            "category": "institutions",
            "actor": "ussr_russia",
        },
        {"id": "resumed", "date": "1952-06-01", "score": 0, "category": "diplomacy"},
    )
    events["ends"] = ["", "suspended"]
    for w in (ONES, {**ONES, "institutions": 2.7}):
        series = run(events, weights=w, baseline=0.0, actor_weights={"ussr_russia": 0.4})
        np.testing.assert_allclose(series.raw[MONTHS.get_loc(pd.Timestamp("1952-06-01")) :], 0.0, atol=1e-12)
        assert raw_at(series, "1952-05-01") < 0


def test_a_row_that_ends_a_state_before_its_end_date_stops_it_there():
    events = make_events(
        {"id": "war", "date": "1951-12-27", "score": -7, "persistence": "state"},
        {"id": "accords", "date": "1955-04-14", "score": 0},
    )
    events["end_date"] = [pd.Timestamp("1956-02-15"), pd.NaT]  # the last soldier leaves; the war turned earlier
    events["ends"] = ["", "war"]
    series = run(events, baseline=0.0)
    assert raw_at(series, "1955-03-01") < 0
    np.testing.assert_allclose(series.raw[MONTHS.get_loc(pd.Timestamp("1955-04-01")) :], 0.0, atol=1e-12)


# Model v4: suspensions and conflict groups ----------------------------------------------------------------


def body_and_suspension(resumed: bool = True):
    events = make_events(
        {"id": "council", "date": "1951-01-01", "score": 7, "persistence": "structural", "category": "institutions"},
        {"id": "suspension", "date": "1952-03-01", "score": -5, "persistence": "state", "category": "institutions"},
        {"id": "resumption", "date": "1953-06-01", "score": 2, "category": "institutions"},
    )
    events["suspends"] = ["", "council", ""]
    events["ends"] = ["", "", "suspension"]
    return events if resumed else events.iloc[:2]


@pytest.mark.parametrize("weights", [ONES, {**ONES, "institutions": 2.3}])
def test_a_suspension_switches_the_body_off_and_a_resumption_restores_it_exactly(weights):
    events = body_and_suspension()
    both = run(events, weights=weights, baseline=0.0, half_life_months=6.0)
    alone = run(events.iloc[[0]], weights=weights, baseline=0.0, half_life_months=6.0)
    news = run(
        events.iloc[[1, 2]].assign(suspends="", ends=["", "suspension"]),
        weights=weights,
        baseline=0.0,
        half_life_months=6.0,
    )
    during = slice(MONTHS.get_loc(pd.Timestamp("1952-03-01")), MONTHS.get_loc(pd.Timestamp("1953-06-01")))
    after = slice(MONTHS.get_loc(pd.Timestamp("1953-06-01")), None)
    # While suspended the body adds nothing: only the suspension's own term stands.
    np.testing.assert_allclose(both.raw[during], news.raw[during], atol=1e-12)
    # From the resumption the body is back, exactly as if it had never been suspended.
    np.testing.assert_allclose(both.raw[after], alone.raw[after] + news.raw[after], atol=1e-12)


def test_an_open_suspension_keeps_the_body_off_to_the_end():
    series = run(body_and_suspension(resumed=False), baseline=0.0)
    last = series.raw[MONTHS.get_loc(pd.Timestamp("1960-01-01")) :]
    np.testing.assert_allclose(last, 0.5 * -5 * 1.0, atol=1e-12)  # d·q of the suspension alone (p = 1 here)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 10), st.integers(0, 60), st.integers(1, 60)),  # |score|, start, length (months)
        min_size=1,
        max_size=5,
    ),
    st.sampled_from([-1, 1]),
)
def test_a_conflict_group_never_counts_more_than_its_strongest_standing_state(members, sign):
    rows = []
    for i, (size, start, _length) in enumerate(members):
        day = (MONTHS[12 + start]).strftime("%Y-%m-%d")
        rows.append({"id": f"m{i}", "date": day, "score": sign * size, "persistence": "state", "category": "military"})
    events = make_events(*rows)
    events["end_date"] = [MONTHS[12 + s + n] for _, s, n in members]
    events["conflict"] = "war"
    series = run(events, baseline=0.0)
    for t, month in enumerate(MONTHS):
        standing = [size for size, s, n in members if MONTHS[12 + s] <= month < MONTHS[12 + s + n]]
        expected = sign * 0.5 * max(standing) if standing else 0.0  # d·q of the strongest (p = 1, d = 0.5 here)
        assert series.raw[t] == pytest.approx(expected, abs=1e-9)


def test_the_decomposition_adds_up_with_suspensions_and_conflict_groups():
    events = body_and_suspension(resumed=False)
    extra = make_events(
        {"id": "a", "date": "1952-01-01", "score": -6, "persistence": "state", "category": "military"},
        {"id": "b", "date": "1952-05-01", "score": -8, "persistence": "state", "category": "military"},
    )
    extra["conflict"] = "war"
    events = pd.concat([events.assign(conflict=""), extra.assign(suspends="", ends="")], ignore_index=True)
    params, cats = P(baseline=0.0, category_weights={**ONES, "military": 1.7}), CATS
    series = engine.monthly_index(events, params, cats, MONTHS)
    for month in ("1952-02-01", "1952-06-01", "1955-01-01"):
        dec = engine.decompose(events, params, cats, MONTHS, pd.Timestamp(month))
        assert dec.events["contribution"].sum() == pytest.approx(series.raw[MONTHS.get_loc(pd.Timestamp(month))])
    june = engine.decompose(events, params, cats, MONTHS, pd.Timestamp("1952-06-01")).events
    assert "a" not in set(june["id"]) and "council" not in set(june["id"])  # outranked, and suspended


def test_a_crisis_registers_as_a_fall_in_the_month_it_starts():
    events = make_events({"date": "1957-09-10", "score": -3, "persistence": "state"})
    series = run(events)
    assert raw_at(series, "1957-09-01") < raw_at(series, "1957-08-01")


def test_events_before_the_first_month_shown_set_where_it_starts():
    division = make_events({"date": "1948-03-20", "score": -5, "persistence": "state"})
    series = run(division, baseline=0.0)
    assert series.raw[0] == pytest.approx(-5 * 0.5)
    assert series.months[0] == MONTHS[0]


state_rows = st.lists(
    st.fixed_dictionaries(
        {
            "date": st.dates(min_value=pd.Timestamp("1947-01-01").date(), max_value=pd.Timestamp("1960-12-01").date()),
            "score": st.integers(-10, 10),
            "category": st.sampled_from(CATS),
            "persistence": st.sampled_from(["shock", "state", "structural"]),
        }
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(
    state_rows,
    st.data(),
    st.floats(1, 60),
    st.dates(min_value=pd.Timestamp("1949-04-01").date(), max_value=pd.Timestamp("1960-12-01").date()),
)
def test_decomposition_adds_up_with_states_ends_and_reversals(rows, data, half_life, day):
    events = make_events(*rows)
    n = len(events)
    ends = [""] * n
    end_dates = [pd.NaT] * n
    for i in range(n):
        if events.loc[i, "persistence"] == "state" and data.draw(st.booleans()):
            end_dates[i] = events.loc[i, "date"] + pd.DateOffset(months=data.draw(st.integers(0, 30)))
        targets = [
            j
            for j in range(n)
            if events.loc[j, "persistence"] != "shock" and events.loc[j, "date"] <= events.loc[i, "date"] and j != i
        ]
        if events.loc[i, "persistence"] == "shock" and targets and data.draw(st.booleans()):
            ends[i] = events.loc[data.draw(st.sampled_from(targets)), "id"]
    events["ends"], events["end_date"] = ends, end_dates
    params = P(half_life_months=half_life, intensity=data.draw(st.sampled_from([1.0, 1.5, 2.5, 3.0])))
    series = engine.monthly_index(events, params, CATS, MONTHS)
    month = pd.Timestamp(day).to_period("M").to_timestamp()
    result = engine.decompose(events, params, CATS, MONTHS, month)
    t = MONTHS.get_loc(month)
    assert result.raw == pytest.approx(series.raw[t], abs=1e-9)
    assert result.baseline + result.by_category["total"].sum() == pytest.approx(series.raw[t], abs=1e-9)
    assert (np.abs(series.index) <= 10).all()


def test_the_band_widens_when_scores_are_less_certain(dataset):
    """Score errors in the draws: a larger sd per event gives a wider band, a zero sd the weights-only band."""
    params = Params.from_codebook(dataset.codebook)
    months = engine.series_months(dataset.events)
    comp = engine.components(dataset.events, params, dataset.codebook.category_keys, months)
    events = dataset.events

    def width(sd):
        band = engine.sensitivity_band(
            comp, params, 0.3, 200, (10.0, 90.0), events=events, score_sd=np.full(len(events), sd)
        )
        return float(np.mean(band.high - band.low))

    weights_only = engine.sensitivity_band(comp, params, 0.3, 200, (10.0, 90.0))
    assert width(0.0) == pytest.approx(float(np.mean(weights_only.high - weights_only.low)))
    assert width(0.0) < width(0.5) < width(1.5) < width(3.0)


def test_score_errors_have_the_variance_the_formula_gives():
    """One shock, no weight spread: the band's draws in a month have the sd of the score error times its decay."""
    events = make_events({"date": "1950-01-01", "score": 4})
    params = P(baseline=0.0, half_life_months=12.0, squash_width=1e6)  # a wide squash: index ≈ raw/10^5 linear
    comp = engine.components(events, params, CATS, MONTHS)
    draws = engine.band_draws(comp, params, 0.0, 4000, events=events, score_sd=np.array([2.0]))
    t = MONTHS.get_loc(pd.Timestamp("1951-01-01"))
    raw_sd = np.std(np.arctanh(draws[:, t] / 10) * params.squash_width)
    assert raw_sd == pytest.approx(2.0 * 0.5, rel=0.05)  # one half-life later the error is halved too


def test_score_errors_under_an_intensity_exponent_move_the_intensity_by_its_mean_slope():
    """At p = 2 a score of 4 ± 2 counts 10·0.4² and moves it by (10·0.6² − 10·0.2²)/4 = 0.8 per point."""
    events = make_events({"date": "1950-01-01", "score": 4})
    params = P(baseline=0.0, half_life_months=12.0, squash_width=1e6, intensity=2.0)
    comp = engine.components(events, params, CATS, MONTHS)
    draws = engine.band_draws(comp, params, 0.0, 4000, events=events, score_sd=np.array([2.0]))
    t = MONTHS.get_loc(pd.Timestamp("1951-01-01"))
    raw = np.arctanh(draws[:, t] / 10) * params.squash_width
    assert np.mean(raw) == pytest.approx(1.6 * 0.5, abs=0.05)
    assert np.std(raw) == pytest.approx(0.8 * 2.0 * 0.5, rel=0.05)


@settings(deadline=None)
@given(st.lists(st.integers(-10, 10), min_size=65, max_size=200), st.floats(1, 3))
def test_the_lookup_of_whole_scores_gives_the_power_itself(scores, p):
    looked_up = engine.intensity(np.array(scores, dtype=float), p)
    written_out = [np.sign(s) * 10 * (abs(s) / 10) ** p for s in scores]
    np.testing.assert_allclose(looked_up, written_out, rtol=1e-12, atol=1e-12)
    with_a_half = engine.intensity(np.array(scores + [4.5], dtype=float), p)  # not whole: the power
    np.testing.assert_allclose(with_a_half[:-1], written_out, rtol=1e-12, atol=1e-12)
    assert with_a_half[-1] == pytest.approx(10 * 0.45**p)


@pytest.mark.parametrize("state_half_life", [12.0, 40.0])
def test_a_standing_state_relaxes_with_its_half_life_and_pauses_keep_its_clock(state_half_life):
    events = make_events(
        {"id": "war", "date": "1950-01-01", "score": -6, "persistence": "state", "category": "military"},
        {"id": "truce", "date": "1952-01-01", "score": 0, "persistence": "state", "category": "military"},
        {"id": "peace", "date": "1953-01-01", "score": 0, "category": "military"},
    )
    events["suspends"] = ["", "war", ""]
    events["ends"] = ["", "", "truce"]
    events["end_date"] = [pd.Timestamp("1956-01-01"), pd.NaT, pd.NaT]
    series = run(events, baseline=0.0, state_half_life_months=state_half_life)
    for t, month in enumerate(MONTHS):
        age = (month.year - 1950) * 12 + month.month - 1
        live = pd.Timestamp("1950-01-01") <= month < pd.Timestamp("1956-01-01")
        paused = pd.Timestamp("1952-01-01") <= month < pd.Timestamp("1953-01-01")
        expected = 0.5 * -6 * 2 ** (-age / state_half_life) if live and not paused else 0.0
        assert series.raw[t] == pytest.approx(expected, abs=1e-9), month
        if month.month == 7:
            dec = engine.decompose(events, P(baseline=0.0, state_half_life_months=state_half_life), CATS, MONTHS, month)
            assert dec.raw == pytest.approx(series.raw[t], abs=1e-9)


@pytest.mark.parametrize(
    "overrides",
    (
        {},
        {"state_half_life_months": 24.0, "half_life_months": 3.0, "intensity": 1.0},
        {"category_weights": {"military": 0.0, "diplomacy": 2.5, "institutions": 1.0}, "structural_weight": 0.8},
        {"actor_weights": {"ussr_russia": 0.0}},
    ),
)
def test_the_largest_contributor_of_every_month_is_the_largest_term_of_the_formula(dataset, overrides):
    """Checked month by month against event_contributions (the formula written event by event), with the
    components' layout reused and without, and in blocks of a few rows."""
    events, codebook = dataset.events, dataset.codebook
    params = Params.from_codebook(codebook, **overrides)
    months = engine.series_months(events)
    comp = engine.components(events, params, codebook.category_keys, months)
    rows, terms = engine.largest_contributors(events, params, codebook.category_keys, months, layout=comp.layout)
    again = engine.largest_contributors(events, params, codebook.category_keys, months, chunk=7)
    np.testing.assert_array_equal(rows, again[0])
    np.testing.assert_allclose(terms, again[1], rtol=1e-12)
    for t in range(0, len(months), 3):
        each = engine.event_contributions(events, params, codebook.category_keys, months, months[t])
        largest = np.abs(each).max()
        assert abs(terms[t]) == pytest.approx(largest, rel=1e-9, abs=1e-12), months[t]
        if largest > 0:
            assert each[rows[t]] == pytest.approx(terms[t], rel=1e-9), months[t]
        else:
            assert rows[t] == -1


def test_the_largest_contributor_follows_a_shock_as_it_fades_past_a_standing_state():
    events = make_events(
        {"date": "1990-01-15", "score": -4, "persistence": "state", "category": "military"},
        {"date": "1990-03-10", "score": 8, "category": "diplomacy"},
    )
    params = Params.from_codebook(
        load_codebook(),
        intensity=1.0,
        half_life_months=2.0,
        state_weight=1.0,
        state_half_life_months=float("inf"),
        state_onset_weight=0.0,
    )
    months = engine.month_range("1990-01-01", "1990-12-01")
    rows, terms = engine.largest_contributors(events, params, ("military", "diplomacy"), months)
    # January–February the state (−4); from March the shock (+8, then 4, 2·√2 …) until it falls below 4.
    assert rows.tolist() == [0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert terms[2] == pytest.approx(8.0) and terms[4] == pytest.approx(4.0)


def test_terms_of_one_sign_add_up_as_a_norm_and_opposite_signs_subtract():
    """Model version 5: two equal conflictual states make √2 of one at μ = 2, not two; a cooperative one
    subtracts its own norm; μ = 1 is the plain sum of model version 4."""
    events = make_events(
        {"date": "1990-01-15", "score": -6, "persistence": "state", "category": "military"},
        {"date": "1990-03-15", "score": -6, "persistence": "state", "category": "military"},
        {"date": "1990-05-15", "score": 4, "persistence": "state", "category": "diplomacy"},
    )
    months = engine.month_range("1990-01-01", "1990-06-01")
    cats = ("military", "diplomacy")
    base = dict(
        category_weights={"military": 1.0, "diplomacy": 1.0},
        half_life_months=12.0,
        baseline=0.0,
        structural_weight=1.0,
        state_weight=1.0,
        squash_width=10.0,
    )
    norm = engine.monthly_index(events, P(**base, norm=2.0), cats, months).raw
    np.testing.assert_allclose(norm, [-6, -6, -6 * np.sqrt(2), -6 * np.sqrt(2), 4 - 6 * np.sqrt(2), 4 - 6 * np.sqrt(2)])
    plain = engine.monthly_index(events, P(**base, norm=1.0), cats, months).raw
    np.testing.assert_allclose(plain, [-6, -6, -12, -12, -8, -8])
    # The decomposition gives each its share of the norm, and the shares add up to the raw level.
    result = engine.decompose(events, P(**base, norm=2.0), cats, months, pd.Timestamp("1990-05-01"))
    assert result.raw == pytest.approx(4 - 6 * np.sqrt(2))
    shares = dict(zip(result.events["date"].dt.month, result.events["contribution"], strict=True))
    assert shares[1] == pytest.approx(-6 / np.sqrt(2)) and shares[3] == pytest.approx(-6 / np.sqrt(2))
    assert shares[5] == pytest.approx(4.0)


@pytest.mark.parametrize("news", (0.0, 1.0))
@pytest.mark.parametrize("norm", (1.0, 2.0, 3.0))
def test_the_bands_score_error_is_the_raw_levels_first_order_error(norm, news):
    """The band's score errors with a norm: each draw's sd in a month is √Σ (∂x_t/∂s_e · sd_e)², checked against
    finite differences of the raw level in the scores (p = 1, so the intensity is the score). With ``news``
    (model v6) a standing event's news of its start shares its score's error with its standing term."""
    events = make_events(
        {"date": "1990-01-15", "score": -6, "persistence": "state", "category": "military"},
        {"date": "1990-02-15", "score": -3, "category": "military"},
        {"date": "1990-03-15", "score": 5, "persistence": "structural", "category": "diplomacy"},
        {"date": "1990-03-20", "score": 2, "category": "diplomacy"},
    )
    params = P(
        category_weights={"military": 1.3, "diplomacy": 0.7},
        half_life_months=6.0,
        baseline=0.0,
        structural_weight=0.5,
        state_weight=1.5,
        squash_width=10.0,
        state_half_life_months=24.0,
        norm=norm,
        onset_weight=1.5 * news,
        state_onset_weight=news,
    )
    months = engine.month_range("1990-01-01", "1990-12-01")
    cats = ("military", "diplomacy")
    comp = engine.components(events, params, cats, months)
    sd = np.array([1.0, 0.5, 1.5, 0.7])
    weights = np.array([[1.3, 0.7]])

    ones = np.ones((1, len(months)))  # the draws' normal factors set to 1: the function then returns each month's sd
    got = engine._score_errors(comp, params, events, sd, weights, ones)[0]
    step = 1e-6
    gradient = []
    for e in range(len(events)):
        moved = events.copy()
        moved.loc[moved.index[e], "score"] += step
        gradient.append((engine.monthly_index(moved, params, cats, months).raw - comp.raw(params)) / step)
    expected = np.sqrt(((np.array(gradient) * sd[:, None]) ** 2).sum(axis=0))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-6)


def test_a_standing_events_start_is_news_that_fades_beside_its_standing_term():
    """Model version 6: a structural row counts o·q in its month, fading with h, beside its standing k·q; a
    state o_s·q beside d·q. The terms of one sign add as a norm (here μ = 2), and the decomposition still adds up."""
    events = make_events(
        {"id": "act", "date": "1997-05-27", "score": 6, "persistence": "structural", "category": "institutions"},
        {"id": "war", "date": "1999-03-24", "score": -5, "persistence": "state", "category": "military"},
    )
    months = engine.month_range("1997-01-01", "2001-12-01")
    params = P(
        baseline=0.0,
        half_life_months=6.0,
        structural_weight=0.1,
        state_weight=1.0,
        norm=2.0,
        onset_weight=1.5,
        state_onset_weight=1.0,
    )
    series = engine.monthly_index(events, params, CATS, months)
    for t, month in enumerate(months):
        age_act = (month.year - 1997) * 12 + month.month - 5
        age_war = (month.year - 1999) * 12 + month.month - 3
        up = math.hypot(0.1 * 6, 1.5 * 6 * 2 ** (-age_act / 6)) if age_act >= 0 else 0.0
        down = math.hypot(5.0, 5.0 * 2 ** (-age_war / 6)) if age_war >= 0 else 0.0
        assert series.raw[t] == pytest.approx(up - down, abs=1e-12), month
        dec = engine.decompose(events, params, CATS, months, month)
        assert dec.events["contribution"].sum() == pytest.approx(series.raw[t], abs=1e-12)
    # The month of the Act: its news, 9, dwarfs its standing 0.6; two years on only the standing is left.
    may = months.get_loc(pd.Timestamp("1997-05-01"))
    assert series.raw[may] > 9 and series.raw[may + 22] < 0.7
    # Without news (model v5) the same row moves its month by its standing term only.
    quiet = engine.monthly_index(events, replace(params, onset_weight=0.0, state_onset_weight=0.0), CATS, months)
    assert quiet.raw[may] == pytest.approx(0.6)
