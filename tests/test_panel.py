"""The blind panel: its file keeps the protocol, the folds keep years apart, the recorded fit is reproducible."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks import calibrate
from components import panel


@pytest.fixture(scope="module")
def shipped(codebook):
    return panel.load_panel(codebook)


def test_the_shipped_panel_keeps_the_protocol(shipped):
    assert shipped["panelist"].nunique() >= 3
    per = shipped.groupby("panelist")["period"].apply(set)
    years = {str(y) for y in range(1949, 2027)}
    assert all(years <= periods for periods in per)  # every year from 1949, for every panelist
    assert all(len(periods - years) >= 10 for periods in per)  # and the crisis months


@pytest.mark.parametrize(
    "row, problem",
    [
        ({"period": "1948"}, "not a year or month from 1949"),
        ({"period": "1962-13"}, "not a year or month"),
        ({"level": "-11"}, "not a number from -10 to 10"),
        ({"level": "cold"}, "not a number"),
        ({"reason": " "}, "no reason"),
        ({"panelist": ""}, "no panelist"),
    ],
)
def test_a_bad_panel_row_is_refused_with_its_line(shipped, codebook, row, problem):
    frame = shipped.astype({"level": str}).copy()
    for key, value in row.items():
        frame.loc[frame.index[4], key] = value
    with pytest.raises(panel.PanelError, match=f"line 6: .*{problem}"):
        panel.validate_panel(frame, codebook)


def test_a_panelist_who_rates_a_period_twice_is_refused(shipped, codebook):
    frame = pd.concat([shipped, shipped.iloc[[0]]], ignore_index=True).astype({"level": str})
    with pytest.raises(panel.PanelError, match="twice"):
        panel.validate_panel(frame, codebook)


def test_the_target_is_the_median_and_the_range(shipped):
    table = panel.target(shipped).set_index("period")
    by_hand = shipped[shipped["period"] == "1962-10"]["level"].to_numpy()
    assert table.loc["1962-10", "median"] == np.median(by_hand)
    assert table.loc["1962-10", "low"] == by_hand.min() and table.loc["1962-10", "high"] == by_hand.max()


def test_alpha_is_one_for_identical_panelists_and_lower_when_they_differ(shipped):
    one = shipped[shipped["panelist"] == shipped["panelist"].iloc[0]]
    twins = pd.concat([one, one.assign(panelist="twin")])
    assert panel.alpha(twins) == pytest.approx(1.0)
    noisy = pd.concat([one, one.assign(panelist="noisy", level=one["level"].sample(frac=1, random_state=2).to_numpy())])
    assert panel.alpha(noisy) < 0.5


@pytest.mark.parametrize("k", [2, 5, 6, 10])
def test_cross_validation_folds_never_share_a_year_and_are_blocks(k):
    years = np.array([1949, 1950, 1950, 1951, 1962, 1962, 1963, 1990, 2001, 2014, 2022, 2022, 2026] * 2)
    fold = panel.folds(years, k)
    for year in np.unique(years):
        assert len(set(fold[years == year])) == 1  # a crisis month stays with its year
    order = np.argsort(years, kind="stable")
    assert np.all(np.diff(fold[order]) >= 0)  # consecutive years: the folds are blocks, in order
    assert set(fold) == set(range(min(k, len(np.unique(years)))))


def test_a_year_is_compared_with_its_mean_and_a_month_with_its_value():
    months = pd.date_range("1962-01-01", "1963-12-01", freq="MS")
    index = pd.Series(np.arange(len(months), dtype=float), index=months)
    assert list(panel.index_at_periods(index, ["1962", "1962-10", "1963-02", "1950"])[:3]) == [5.5, 9.0, 13.0]
    assert np.isnan(panel.index_at_periods(index, ["1950"])[0])


def test_the_codebook_records_the_fit_the_calibration_measures(dataset):
    """The out-of-sample error the Methodology page shows is the one cross-validation gives, and the defaults
    are the combination the calibration chooses."""
    result = calibrate.evaluate(dataset)
    cv = calibrate.cross_validate(result)
    recorded = dataset.codebook.panel_fit
    assert recorded.folds == calibrate.FOLDS
    assert recorded.out_of_sample_mae == pytest.approx(cv.out_of_sample_mae, abs=0.005)
    assert recorded.in_sample_mae == pytest.approx(cv.in_sample_mae, abs=0.005)
    assert recorded.out_of_sample_rho == pytest.approx(cv.out_of_sample_rho, abs=0.005)
    assert recorded.in_sample_rho == pytest.approx(cv.in_sample_rho, abs=0.005)
    engine = dataset.codebook.engine
    chosen = result.combos[cv.chosen]
    assert {k: getattr(engine, k) for k in chosen} == chosen
    # Held-out predictions come from fits that never saw their block: scoring a fold with its own best fit
    # can only do as well or better.
    assert cv.out_of_sample_mae >= cv.in_sample_mae - 1e-9
