"""The robustness line's numbers (components.robustness), checked against the band's draws."""

from __future__ import annotations

import numpy as np
import pytest

from components import robustness, url_state
from components import view as view_module


def view_of(dataset, query=""):
    state, _ = url_state.decode(query, dataset.codebook, today_year=2026)
    return view_module.compute(dataset, state)


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
