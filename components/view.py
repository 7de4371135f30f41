"""From a dataset and a view's settings to every number the dashboard shows.

The dashboard and ``python -m components.export`` both call :func:`compute`,
so a shared link's numbers are the same in the browser and on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from components import engine
from components.codebook import Codebook
from components.dataset import Dataset, apply_overrides
from components.url_state import ViewState


@dataclass(frozen=True)
class View:
    state: ViewState
    params: engine.Params
    events: pd.DataFrame  # with any score overrides applied
    unknown_overrides: list[str]
    components: engine.Components
    series: engine.IndexSeries
    band: engine.Band | None
    comparison: engine.IndexSeries | None
    comparison_label: str

    def frame(self) -> pd.DataFrame:
        """The monthly series as a table: date, index, band_low, band_high (and comparison)."""
        out = pd.DataFrame({"date": self.series.months.strftime("%Y-%m"), "index": self.series.index})
        out["band_low"] = self.band.low if self.band is not None else float("nan")
        out["band_high"] = self.band.high if self.band is not None else float("nan")
        if self.comparison is not None:
            out["comparison"] = self.comparison.index
        return out


def params_for(dataset: Dataset, state: ViewState) -> engine.Params:
    # Actor weights of 1 are left out, so the engine skips that multiplication.
    actors = {a: w for a, w in state.actor_weights.items() if w != 1.0}
    return engine.Params.from_codebook(dataset.codebook, category_weights=dict(state.weights),
                                       half_life_months=float(state.half_life_months), actor_weights=actors)


def comparison_labels(codebook: Codebook) -> dict[str, str]:
    """What the dashboard can compare with (the ``cmp`` values), and their labels."""
    return {"none": "Nothing", "default": "Default weights"} | {k: p.label for k, p in codebook.presets.items()}


def comparison_weights(dataset: Dataset, compare: str) -> tuple[dict[str, float], str] | None:
    codebook = dataset.codebook
    if compare == "default":
        return dict(codebook.default_weights), comparison_labels(codebook)[compare]
    if compare in codebook.presets:
        return dict(codebook.presets[compare].weights), comparison_labels(codebook)[compare]
    return None


def compute(dataset: Dataset, state: ViewState, events: pd.DataFrame | None = None,
            months: pd.DatetimeIndex | None = None) -> View:
    """Every series for one view. ``events`` replaces the shipped events (an upload or edits)."""
    base_events = dataset.events if events is None else events
    scored, unknown = apply_overrides(base_events, state.overrides)
    params = params_for(dataset, state)
    months = engine.series_months(scored) if months is None else months
    categories = dataset.codebook.category_keys
    comp = engine.components(scored, params, categories, months)
    series = engine.index_from_components(comp, params)
    band = (engine.sensitivity_band(comp, params, state.spread, dataset.codebook.engine.band_draws)
            if state.spread > 0 else None)
    comparison, label = None, ""
    if (choice := comparison_weights(dataset, state.compare)) is not None:
        weights, label = choice
        comparison = engine.index_from_components(comp, replace(params, category_weights=weights))
    return View(state, params, scored, unknown, comp, series, band, comparison, label)
