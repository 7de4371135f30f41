"""The robustness line's numbers (components.robustness), checked against the band's draws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components import robustness, wording
from components import view as view_module
from tests.conftest import view_of


def test_robustness_counts_draws_that_agree(dataset):
    view = view_of(dataset)
    draws = robustness.band_draws(view, dataset)
    assert draws.shape == (dataset.codebook.engine.band_draws, len(view.series.months))
    result = robustness.robustness(view, dataset, draws)
    last = view_module.shown_months(view)[-1]
    expected = np.mean(np.sign(draws[:, last]) == np.sign(view.series.index[last]))
    assert result.sign_agreement == pytest.approx(expected)
    assert 0 <= result.era_order_agreement <= 1
    assert result.largest_gaps["difference"].abs().max() == pytest.approx(0.0, abs=1e-9)  # the defaults themselves
    cheap = robustness.range_check(view)  # the part shown without draws is the same
    assert (cheap.saturated_share, cheap.band_span) == (result.saturated_share, result.band_span)
    assert result.saturated_share == pytest.approx(
        np.mean(np.abs(view.series.index[view_module.shown_months(view)]) > 9.5)
    )


def _era_of_each_month(dataset, view):
    """Each month's era, found here from the eras' own start and end dates (not with dataset.eras_of)."""
    months = view.series.months
    names = np.full(len(months), "", dtype=object)
    for era in dataset.eras.itertuples(index=False):
        inside = (months >= era.start) & ((months <= era.end) if pd.notna(era.end) else True)
        names[inside & (names == "")] = era.name
    return names


def test_the_share_of_draws_keeping_the_eras_order_counts_only_draws_that_keep_all_of_it(dataset):
    """Issue 25: 42 of 100 draws rank every era as the line does; 30 swap the two lowest eras only, 28 reverse
    the order. The robustness line says 42%, not 100% (a draw agreeing on some eras is not counted)."""
    view = view_of(dataset)
    shown = view_module.shown_months(view)
    line = view.series.index.copy()
    names = _era_of_each_month(dataset, view)
    eras = [e for e in dict.fromkeys(names[shown]) if e]
    assert len(eras) >= 3
    means = {e: line[shown][names[shown] == e].mean() for e in eras}
    ranked = sorted(eras, key=means.get)  # lowest first

    def with_era_means(order):
        """The line with each era's months moved so that era e has the mean of era order[e]."""
        draw = line.copy()
        for e in eras:
            inside = names == e
            draw[inside] += means[order[e]] - means[e]
        return draw

    same = with_era_means({e: e for e in eras})
    swapped = with_era_means({**{e: e for e in eras}, ranked[0]: ranked[1], ranked[1]: ranked[0]})
    reversed_ = with_era_means(dict(zip(ranked, reversed(ranked), strict=True)))
    draws = np.stack([same] * 42 + [swapped] * 30 + [reversed_] * 28)
    result = robustness.robustness(view, dataset, draws)
    assert result.era_order_agreement == pytest.approx(0.42)
    last = shown[-1]
    sign = np.mean(np.sign(draws[:, last]) == np.sign(line[last]))
    assert sign != pytest.approx(0.42)  # so that the two sentences cannot be swapped unnoticed
    assert result.sign_agreement == pytest.approx(sign)
    said, _ = wording.robustness_sentences(result, dataset.codebook.scale_max)
    assert "42% rank the eras' means in the same order" in said
    assert f"{sign:.0%} of the range's draws agree with the line on the sign of the last month shown" in said


@pytest.mark.parametrize(
    "query, sign",
    [
        ("w_military=0", "+"),  # without the military events (mostly hostile) your line is above the defaults
        ("w_military=3", "-"),  # with them tripled it is below
    ],
)
def test_where_your_line_differs_most_from_the_defaults_says_which_way(dataset, query, sign):
    """The month where the line differs most from the defaults, and its sign: + where your line is above the
    defaults' line, − where it is below (checked against the two lines computed here)."""
    view = view_of(dataset, query)
    default = view_of(dataset)
    shown = view_module.shown_months(view)
    yours, theirs = view.series.index[shown], default.series.index[shown]
    at = int(np.argmax(np.abs(yours - theirs)))
    month, gap = view.series.months[shown][at], float(yours[at] - theirs[at])
    assert abs(gap) > 0.5 and (gap > 0) == (sign == "+")  # a real difference, of a definite sign
    result = robustness.robustness(view, dataset)
    top = result.largest_gaps.iloc[0]
    assert top["month"] == month
    assert (top["yours"], top["default"], top["difference"]) == pytest.approx((yours[at], theirs[at], gap))
    said, _ = wording.robustness_sentences(result, dataset.codebook.scale_max)
    assert f"your line differs most from the defaults in {month:%B %Y} ({sign}{abs(gap):.1f})" in said
