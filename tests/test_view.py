"""Every number a page shows, computed in components.view and checked against a value computed another way."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from components import engine, settings, url_state
from components import view as view_module
from components.dataset import data_end
from components.edits import assemble
from tests.conftest import frame, state_ending_after_the_last_event, view_of


def test_era_means_are_the_means_of_the_months_inside_each_era(dataset):
    view = view_of(dataset, "w_military=3&cmp=default")
    means = view_module.era_means(view, dataset.eras)
    yours, other = frame(view), pd.Series(view.comparison.index, index=view.series.months)
    for era in dataset.eras.itertuples():
        end = era.end if pd.notna(era.end) else yours.index[-1]
        inside = (yours.index >= era.start) & (yours.index <= end)
        assert means.loc[era.name, "yours"] == pytest.approx(yours[inside].mean())
        assert means.loc[era.name, "other"] == pytest.approx(other[inside].mean())
        assert means.loc[era.name, "difference"] == pytest.approx(yours[inside].mean() - other[inside].mean())
    assert (means["difference"] > 0).sum() + (means["difference"] < 0).sum() >= 1


def test_contribution_now_follows_the_formula(dataset):
    view = view_of(dataset, "w_diplomacy=2&a_ussr_russia=0.5&hl=30")
    events = view.events
    last = view_module.held_month(view)  # the month the latest months hold (the last with coded information)
    params = view.params
    ended = {}
    for row in events.itertuples():
        for target in row.ends.split():
            ended[target] = min(ended.get(target, row.date), row.date)

    def months_to(date):
        return (last.year - date.year) * 12 + (last.month - date.month)

    def standing(event):  # in force in the last month: started, not ended by a row, not over by its end_date
        if months_to(event.date) < 0 or (event.id in ended and months_to(ended[event.id]) >= 0):
            return False
        return not (event.persistence == "state" and pd.notna(event.end_date) and months_to(event.end_date) >= 0)

    states = [e for e in events.itertuples() if e.persistence == "state" and standing(e)]

    def paused(event):  # suspended by a standing state, or outranked in its conflict group by a standing state
        return any(event.id in s.suspends.split() for s in states) or any(
            event.conflict
            and s.conflict == event.conflict
            and s.id != event.id
            and (abs(s.score), -s.date.value) > (abs(event.score), -event.date.value)
            for s in states
        )

    def term(event):  # the event's terms x_e of the formula in the last month: its news and its standing
        if months_to(event.date) < 0:
            return (0.0, 0.0)
        w = params.category_weights[event.category] * params.actor_weights.get(event.actor, 1.0) * event.weight
        live = standing(event) and not paused(event)
        fading = 0.5 ** (months_to(event.date) / 30)
        if event.persistence == "shock":
            news, carried = fading, 0.0
        elif event.persistence == "structural":  # news of its start (model v6), and standing while in force
            news, carried = params.onset_weight * fading, params.structural_weight * live
        else:  # a state: in full while it stands (relaxing with its own half-life), nothing once it is over
            news = params.state_onset_weight * fading
            carried = params.state_weight * live * 0.5 ** (months_to(event.date) / params.state_half_life_months)
        p = params.intensity  # the score's intensity, written out here: 10·sgn(s)·(|s|/10)^p
        intensity = 0.0 if event.score == 0 else np.sign(event.score) * 10 * (abs(event.score) / 10) ** p
        return (w * intensity * news, w * intensity * carried)

    # Model version 5: the terms of one sign add up as an m-norm; an event's contribution is its share,
    # sgn(x)·|x|^m / S^((m−1)/m) with S the sign's Σ|x|^m (the shares add up to the norm).
    terms = {event.id: term(event) for event in events.itertuples()}
    assert any(news != 0 and carried != 0 for news, carried in terms.values())  # both kinds of term are checked
    m = params.norm
    every = [x for pair in terms.values() for x in pair]
    sums = {sign: sum(abs(x) ** m for x in every if np.sign(x) == sign) for sign in (1, -1)}

    def share(x):
        return 0.0 if x == 0 else np.sign(x) * abs(x) ** m / sums[np.sign(x)] ** ((m - 1) / m)

    assert sum(share(x) for x in every) == pytest.approx(view.series.raw[-1] - params.baseline, abs=1e-9)
    checked = events.sample(60, random_state=1).itertuples()
    special = events[(events["suspends"] != "") | (events["conflict"] != "")].itertuples()
    for event in [*checked, *special, *events[events["id"].isin(["2002-05-nato-russia-council-rome"])].itertuples()]:
        expected = sum(share(x) for x in terms[event.id])
        assert view_module.contribution_now(view, dataset.codebook, event.id) == pytest.approx(expected, abs=1e-9)
    assert view_module.contribution_now(view, dataset.codebook, "no-such-event") == 0.0


def test_comparison_with_the_defaults_is_the_default_view(dataset):
    """Whatever the user's model, "Codebook defaults" draws exactly the default view's line."""
    default = view_of(dataset)
    for query in [
        "a_ussr_russia=0&cmp=default",
        "hl=60&w_military=0&cmp=default",
        "ov=1997-05-nato-russia-founding-act:-5&cmp=default",
    ]:
        view = view_of(dataset, query)
        np.testing.assert_allclose(view.comparison.index, default.series.index, atol=1e-12)
    security = view_of(dataset, "preset=security")
    compared = view_of(dataset, "a_nato=2&cmp=security")
    np.testing.assert_allclose(compared.comparison.index, security.series.index, atol=1e-12)
    assert not np.allclose(compared.series.index, compared.comparison.index)


def test_the_series_frame_carries_the_band_and_the_comparison(dataset):
    view = view_of(dataset, "cmp=security")
    table = view.frame()
    assert list(table.columns) == ["date", "index", "band_low", "band_high", "comparison", "carried"]
    np.testing.assert_array_equal(table["band_low"], view.band.low)
    np.testing.assert_array_equal(table["band_high"], view.band.high)
    assert (table["band_low"] <= table["band_high"] + 1e-12).all()
    no_band = view_of(dataset, "spread=0").frame()
    assert no_band["band_low"].isna().all()


def test_rescorings_of_unknown_ids_are_reported(dataset):
    state, _ = url_state.decode("ov=zzz:3,1997-05-nato-russia-founding-act:1", dataset.codebook)
    assembled = assemble(dataset.events, dataset.codebook, overrides=state.overrides)
    assert assembled.unknown == {"rescorings": ["zzz"]}
    view = view_module.compute(dataset, state, assembled)
    assert view.unknown_overrides == ["zzz"]
    assert view.events.set_index("id").loc["1997-05-nato-russia-founding-act", "score"] == 1


def test_reset_state_is_the_default_state(codebook):
    assert settings.defaults(codebook) == url_state.decode("", codebook)[0]


def test_era_means_are_empty_without_a_comparison(dataset):
    assert view_module.era_means(view_of(dataset), dataset.eras).empty


def test_the_monthly_table_holds_the_years_shown_with_the_range(dataset):
    view = view_of(dataset, "from=1980&to=1989")
    table = view_module.monthly_table(view)
    assert table["date"].iloc[0] == "1980-01" and table["date"].iloc[-1] == "1989-12" and len(table) == 120
    assert list(table.columns) == ["date", "index", "range_low", "range_high", "carried"]


def test_a_view_keeps_its_series_only_under_settings_that_do_not_change_them(dataset):
    """The page reuses the last series when only years, markers, eras or the selection change."""
    base = view_of(dataset, "")
    shown = view_of(dataset, "from=1980&to=1990&cats=military&eras=0&ev=" + str(dataset.events["id"].iloc[0]))
    assert view_module.series_settings(base.state) == view_module.series_settings(shown.state)
    np.testing.assert_array_equal(base.series.index, shown.series.index)
    np.testing.assert_array_equal(base.band.low, shown.band.low)
    kept = view_module.with_state(base, shown.state)
    assert kept.state == shown.state and kept.series is base.series
    for query in ("hl=24", "w_military=2", "spread=0", "cmp=security", "coder=b", "a_nato=0"):
        other = view_of(dataset, query)
        assert view_module.series_settings(other.state) != view_module.series_settings(base.state), query
        with pytest.raises(ValueError):
            view_module.with_state(base, other.state)


def test_every_comparison_has_a_legend_name_short_enough_for_a_fifth_of_the_chart(dataset):
    long = view_module.comparison_labels(dataset.codebook)
    short = view_module.comparison_legend_labels(dataset.codebook)
    assert set(short) == set(long)
    assert all(len(name) <= 20 for name in short.values()), short


def test_after_the_last_coded_month_every_line_holds_its_value(dataset):
    """No news is not improvement: after the data stop, the index, its range and a comparison stay put,
    and the numbers read there (contribution, decomposition) are those of the last coded month."""
    view = view_of(dataset, "cmp=security")
    until = data_end(view.events)
    assert until == max(dataset.events["date"].max(), dataset.events["end_date"].max())
    held = view_module.held_month(view)
    assert held == until.to_period("M").to_timestamp()
    after = view.series.months > held
    assert after.any(), "the shipped data stop before this month"
    k = int(np.flatnonzero(view.series.months == held)[0])
    for values in (view.series.index, view.series.raw, view.band.low, view.band.high, view.comparison.index):
        assert np.all(values[after] == values[k])
    # before it the line moves as the formula says (it is the engine's, not held)
    unheld = engine.monthly_index(view.events, view.params, dataset.codebook.category_keys, view.series.months)
    np.testing.assert_allclose(view.series.index[: k + 1], unheld.index[: k + 1])
    assert not np.allclose(unheld.index[after], unheld.index[k])  # the engine alone would have moved
    last = view_module.decomposition(view, dataset.codebook, view.series.months[-1])
    assert last.month == held and last.index == pytest.approx(view.series.index[-1], abs=1e-9)
    # data that stop in 1990 hold from 1990
    early = dataset.events[dataset.events["date"] < "1990-01-01"].assign(end_date=pd.NaT)
    state, _ = url_state.decode("", dataset.codebook, today_year=2026)
    short = view_module.compute(dataset, state, assemble(early, dataset.codebook), months=view.series.months)
    assert view_module.held_month(short) < pd.Timestamp("1990-01-01")
    assert np.ptp(short.series.index[short.series.months >= pd.Timestamp("1990-01-01")]) == 0


def test_the_default_view_has_the_shape_a_historian_expects(dataset):
    """Issue 23's reading of the default view (model v4), on the series the chart draws."""
    view = view_of(dataset)
    index = pd.Series(view.series.index, index=view.series.months)

    def mean(start, end):
        return index[start:end].mean()

    cold_war = index[:"1991-12"]
    assert cold_war.idxmin().strftime("%Y-%m") in ("1962-10", "1962-11")  # the Cuban crisis, not autumn 1983
    assert mean("1949-04", "1953-12") < -3  # clearly hostile from the start
    assert mean("1983-01", "1983-12") < -4  # deep in tension
    assert mean("1963", "1963") > mean("1962", "1962")  # the hotline and the test ban after the crisis
    assert mean("1988", "1988") > mean("1984", "1984") + 2  # INF in force, the Moscow summit
    assert index.idxmax().year in (1990, 1991) and index.max() < 9  # the high point, short of integration
    assert mean("1999-04", "1999-06") < 0  # the Kosovo war
    assert mean("2002", "2004") > mean("2006", "2008") + 1  # the NRC years decline, not flat
    assert mean("2021-01", "2021-09") < -3  # tension before the expulsions
    assert index["2022":].min() >= -9  # not at war: no month past the brink-of-war anchor
    held = index[view_module.held_month(view) :]
    assert len(held) > 1 and held.nunique() == 1 and held.iloc[0] < -6  # held, in confrontation, while the war lasts


def test_news_still_moves_the_line_in_the_war_years(dataset):
    """Not saturated: a scored −3 incident in 2025 moves the default line by at least 0.1 in its month."""
    base = view_of(dataset)
    events = base.events
    incident = events.iloc[[-1]].assign(
        id="test-incident", date=pd.Timestamp("2025-06-10"), score=-3.0, persistence="shock", ends="", suspends=""
    )
    cats = dataset.codebook.category_keys
    with_it = pd.concat([events, incident], ignore_index=True)
    before = engine.monthly_index(events, base.params, cats, base.series.months)
    after = engine.monthly_index(with_it, base.params, cats, base.series.months)
    at = base.series.months.get_loc(pd.Timestamp("2025-06-01"))
    assert before.index[at] - after.index[at] >= 0.1


def test_the_calibration_table_is_the_mean_of_the_index_over_each_target(dataset):
    view = view_of(dataset)
    index = pd.Series(view.series.index, index=view.series.months)
    table = view_module.calibration_fit(index, dataset.codebook)
    assert list(table["period"]) == [t.name for t in dataset.codebook.calibration]
    cuba = table.set_index("period").loc["Cuban missile crisis"]
    assert cuba["index"] == pytest.approx((index.loc["1962-10-01"] + index.loc["1962-11-01"]) / 2)
    assert cuba["target"] == -9


@pytest.mark.parametrize(
    "query, start, end",
    [("", "2024-12", "2025-12"), ("w_military=2&hl=20", "1961-01", "1963-06"), ("", "1987-01", "1985-01")],
)
def test_what_moved_adds_up_to_the_change_shown(dataset, query, start, end):
    view = view_of(dataset, query)
    moved = view_module.what_moved(view, dataset.codebook, pd.Timestamp(start), pd.Timestamp(end))
    index = pd.Series(view.series.index, index=view.series.months)
    assert moved.change == pytest.approx(index[end + "-01"] - index[start + "-01"], abs=1e-12)
    assert moved.events["change"].sum() + moved.squash_share == pytest.approx(moved.change, abs=1e-9)
    steps = view_module.movement_steps(moved)
    assert steps["change"].sum() == pytest.approx(moved.change, abs=1e-9)
    assert moved.events["change"].abs().is_monotonic_decreasing


def test_what_moved_names_the_event_that_moved_the_line(dataset):
    """Between September and November 1962 the Cuban crisis (a −9 state) is the largest change, and it is
    gone by 1963: the largest change between October 1962 and March 1963 is its end."""
    view = view_of(dataset)
    up = view_module.what_moved(view, dataset.codebook, pd.Timestamp("1962-09"), pd.Timestamp("1962-10"))
    assert up.events.iloc[0]["id"] == "1962-10-cuban-missile-crisis" and up.events.iloc[0]["change"] < 0
    down = view_module.what_moved(view, dataset.codebook, pd.Timestamp("1962-10"), pd.Timestamp("1963-03"))
    assert down.events.iloc[0]["id"] == "1962-10-cuban-missile-crisis" and down.events.iloc[0]["change"] > 0
    # After the data stop the line holds: nothing moves between two carried months.
    late = view_module.what_moved(view, dataset.codebook, pd.Timestamp("2026-05"), pd.Timestamp("2026-11"))
    assert late.change == 0 and late.events.empty


def test_hovering_the_line_says_each_months_value_level_range_and_largest_term(dataset):
    view = view_of(dataset, "w_military=2")
    codebook = dataset.codebook
    hover = view_module.line_hover(view, codebook)
    assert len(hover) == len(view.series.months)
    rows, terms = engine.largest_contributors(view.events, view.params, codebook.category_keys, view.series.months)
    held = view_module.held_month(view)
    for t in (0, 162, 500, len(hover) - 1):
        month, value = view.series.months[t], view.series.index[t]
        text = hover[t]
        assert text.startswith(f"<b>{month:%B %Y}</b>: index {value:+.1f} ({codebook.band_of(value)})"), text
        assert f"{view.band.low[t]:+.1f} to {view.band.high[t]:+.1f}" in text
        if month <= held:
            title = view.events["title"].iloc[rows[t]]
            assert f"Weighs most: {title[:40]}" in text and f"({terms[t]:+.2f} raw)" in text
        assert ("Carried forward" in text) == (month > held), text


def test_the_line_hover_escapes_an_uploaded_title(dataset):
    events = dataset.events.copy()
    row = events.index[events["id"] == "1962-10-cuban-missile-crisis"][0]
    events.loc[row, "title"] = "<script>alert(1)</script>"
    view = view_of(dataset)
    view = view_module.View(**{**view.__dict__, "events": events})
    text = view_module.line_hover(view, dataset.codebook)[view.series.months.get_loc(pd.Timestamp("1962-10-01"))]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text


def test_the_data_end_at_a_states_end_after_the_last_event(dataset):
    """Issue 25: a state's end_date after the last event. The line moves until the state is over, so the hold,
    the export's carried months and a decomposition there start from the state's end, not the last event's
    date (the chart shaded and the headline said "carried" from the last event while the line still moved)."""
    events = state_ending_after_the_last_event(dataset.events)
    last_event = events.loc[events["id"] != "test-standing-state", "date"].max()
    assert last_event < pd.Timestamp("1990-01-01") and data_end(events) == pd.Timestamp("1995-06-30")
    state, _ = url_state.decode("", dataset.codebook, today_year=2026)
    view = view_module.compute(
        dataset, state, assemble(events, dataset.codebook), months=view_of(dataset).series.months
    )
    index = pd.Series(view.series.index, index=view.series.months)
    assert index[last_event.strftime("%Y-%m") : "1995-05"].nunique() > 1  # the line moves after the last event
    assert index["1995-05-01"] != index["1995-06-01"]  # the state is over in its end's month
    assert view_module.held_month(view) == pd.Timestamp("1995-06-01") and index["1995-06":].nunique() == 1
    table = view.frame()
    assert list(table.loc[table["carried"], "date"])[0] == "1995-07"
    assert view_module.decomposition(view, dataset.codebook, pd.Timestamp("2010-01-01")).month == pd.Timestamp(
        "1995-06-01"
    )


def test_each_events_score_error_is_its_confidence_sd_and_half_the_coders_disagreement(dataset):
    """The band's score error of every shipped event, worked out here from data/codebook.toml and
    data/codings.csv: sd = √(c² + (|A − B|/2)²), c the codebook's sd for the event's confidence."""
    import csv
    import tomllib

    from components import paths

    by_confidence = tomllib.loads(paths.CODEBOOK_TOML.read_text(encoding="utf-8"))["engine"]["score_sd"]
    with (paths.DATA_DIR / "codings.csv").open(encoding="utf-8", newline="") as file:
        half_gap = {r["id"]: abs(float(r["score_a"]) - float(r["score_b"])) / 2 for r in csv.DictReader(file)}
    events = dataset.events
    expected = [
        math.sqrt(by_confidence[confidence] ** 2 + half_gap[event_id] ** 2)
        for event_id, confidence in zip(events["id"], events["confidence"], strict=True)
    ]
    got = view_module.score_uncertainty(events, dataset.codings, dataset.codebook)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert sum(g > 0 for g in half_gap.values()) > 100  # the coders' gaps are in it, not only the confidence
    # An uploaded event has no codings: its confidence's sd alone.
    alone = view_module.score_uncertainty(events.head(3), dataset.codings.iloc[0:0], dataset.codebook)
    np.testing.assert_allclose(alone, [by_confidence[c] for c in events["confidence"].head(3)], rtol=1e-12)


def test_the_bands_width_from_score_errors_is_the_normal_range_of_that_error(dataset):
    """One state, −6, confidence medium (c = 1), coded −7 and −3 (half the gap 2): its score error is
    √(1 + 4) ≈ 2.24 points. With the weights held still, the band (10th to 90th percentile) is in every month
    2·1.2816 times that error carried by the state's term: the closed form, to within the 200 draws' noise."""
    from dataclasses import replace
    from statistics import NormalDist

    from components.dataset import Dataset

    row = dataset.events.iloc[[0]].assign(
        id="test-state",
        date=pd.Timestamp("1950-01-15"),
        end_date=pd.Timestamp("1959-12-31"),
        score=-6.0,
        persistence="state",
        confidence="medium",
        weight=1.0,
        included=True,
        ends="",
        suspends="",
        conflict="",
    )
    codings = pd.DataFrame(
        [{"id": "test-state", "score_a": -7.0, "persistence_a": "state", "score_b": -3.0, "persistence_b": "state"}]
    ).reindex(columns=dataset.codings.columns, fill_value="")
    one = Dataset(dataset.codebook, row.reset_index(drop=True), dataset.eras, dataset.claims, codings)
    assert dataset.codebook.engine.score_sd["medium"] == 1.0
    sd = math.sqrt(1.0**2 + (abs(-7.0 - -3.0) / 2) ** 2)
    # A band with the weights held still, at p = 1: the raw level is then linear in the score (the state's
    # standing term and its news of its start alike), and its error is sd × term / score.
    state = replace(url_state.defaults(dataset.codebook), spread=1e-9, intensity=1.0)
    view = view_module.compute(one, state)
    assert view.params.intensity == 1.0
    width = view.params.squash_width
    raw_width = width * (np.arctanh(view.band.high / 10) - np.arctanh(view.band.low / 10))
    term = np.abs(view.series.raw - view.params.baseline)
    live = term > 0.05
    assert live.sum() > 100
    low, high = dataset.codebook.engine.band_percentiles
    normal_range = NormalDist().inv_cdf(high / 100) - NormalDist().inv_cdf(low / 100)
    ratio = raw_width[live] / (sd * term[live] / 6.0)
    assert float(np.mean(ratio)) == pytest.approx(normal_range, rel=0.03)
    # In points of the index: the band's width, month by month, is that normal range through the squash.
    half = normal_range / 2 * sd * term / 6.0
    raw = view.series.raw
    closed = 10 * (np.tanh((raw + half) / width) - np.tanh((raw - half) / width))
    points = view.band.high - view.band.low
    assert float(np.mean(points[live])) == pytest.approx(float(np.mean(closed[live])), rel=0.03)
    assert float(np.mean(closed[live])) > 2.5  # points a reader sees, not a rounding error
