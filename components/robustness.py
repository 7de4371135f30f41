"""How far a view's story depends on the weights and the scores: the numbers of the robustness line.

The band's draws (the same seed as the band), the share of them that agree with the line on the sign of the
last month shown and on the order of the eras, the months pinned at the scale's ends, the band's widest span,
and where the line differs most from the defaults. :mod:`components.wording` says them in words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from components import engine, settings
from components.dataset import Dataset, eras_of
from components.view import View, compute, held_from, hold, score_uncertainty, shown_months

SATURATION = 9.5  # a month beyond ±9.5 is pinned at the end of the scale
SATURATION_SHARE = 0.05  # warn when more than this share of the months shown is pinned


@dataclass(frozen=True)
class Robustness:
    """How far the story depends on the weights and scores: the band's draws and the user's line in words."""

    sign_agreement: float | None  # share of draws with the line's sign in the last month shown
    era_order_agreement: float | None  # share of draws ranking the eras' means as the line does
    saturated_share: float  # share of the months shown beyond ±9.5
    band_span: float | None  # the widest span of the band over the months shown, in points
    largest_gaps: pd.DataFrame  # month, yours, default, difference: where the line and the defaults differ most


def robustness(view: View, dataset: Dataset, draws: np.ndarray | None = None) -> Robustness:
    """The robustness line under the chart, for the months the view shows.

    ``draws``: the band's draws (D, T) of the index; :func:`band_draws` gives them.
    """
    shown = shown_months(view)
    index = view.series.index[shown]
    sign = era = None
    if draws is not None and len(shown):
        last = shown[-1]
        sign = float(np.mean(np.sign(draws[:, last]) == np.sign(view.series.index[last])))
        era_names = eras_of(dataset.eras, view.series.months[shown])
        labels = [e for e in dict.fromkeys(era_names) if e]
        if len(labels) >= 2:
            masks = [era_names == e for e in labels]
            line_order = np.argsort([index[m].mean() for m in masks])
            draw_orders = np.argsort(np.stack([draws[:, shown][:, m].mean(axis=1) for m in masks], axis=1), axis=1)
            era = float(np.mean((draw_orders == line_order[None, :]).all(axis=1)))
    default = compute(dataset, settings.defaults(dataset.codebook), months=view.series.months).series.index[shown]
    gaps = pd.DataFrame({"month": view.series.months[shown], "yours": index, "default": default})
    gaps["difference"] = gaps["yours"] - gaps["default"]
    gaps = gaps.reindex(gaps["difference"].abs().sort_values(ascending=False, kind="stable").index).head(3)
    return replace(
        range_check(view), sign_agreement=sign, era_order_agreement=era, largest_gaps=gaps.reset_index(drop=True)
    )


def range_check(view: View) -> Robustness:
    """The cheap part of :func:`robustness`, always shown: the share of the months shown pinned at the scale's
    ends, and the band's widest span there (no draws, no second model)."""
    shown = shown_months(view)
    index = view.series.index[shown]
    saturated = float(np.mean(np.abs(index) > SATURATION)) if len(index) else 0.0
    span = float(np.max(view.band.high[shown] - view.band.low[shown])) if view.band is not None and len(shown) else None
    empty = pd.DataFrame(columns=["month", "yours", "default", "difference"])
    return Robustness(None, None, saturated, span, empty)


def band_draws(view: View, dataset: Dataset) -> np.ndarray:
    """The band's draws of the index, (D, T), as the band draws them (same seed)."""
    codebook = dataset.codebook
    draws = engine.band_draws(
        view.components,
        view.params,
        view.state.spread,
        codebook.engine.band_draws,
        events=view.events,
        score_sd=score_uncertainty(view.events, dataset.codings, codebook),
    )
    return hold(draws, held_from(view.events, view.series.months))  # held after the data end, as the band is
