"""From a dataset and a view's settings to every number the dashboard shows.

The dashboard and ``python -m components.export`` both call :func:`compute`,
so a shared link's numbers are the same in the browser and on the command
line. The other functions here compute what a page prints about a view (the
headline, the era means, an event's contribution now), so that every number a
reader sees is computed, and tested, outside Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from components import engine, settings
from components.codebook import Codebook
from components.dataset import Dataset, eras_of
from components.edits import Assembled, apply_coder, assemble
from components.settings import ViewState


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
    model_version: str

    def frame(self) -> pd.DataFrame:
        """The monthly series as a table: date, index, band_low, band_high (and comparison)."""
        out = pd.DataFrame({"date": self.series.months.strftime("%Y-%m"), "index": self.series.index})
        out["band_low"] = self.band.low if self.band is not None else float("nan")
        out["band_high"] = self.band.high if self.band is not None else float("nan")
        if self.comparison is not None:
            out["comparison"] = self.comparison.index
        return out


def params_for(codebook: Codebook, state: ViewState) -> engine.Params:
    """The engine's parameters for a view: the codebook's defaults with the view's model settings."""
    # Actor weights of 1 are left out, so the engine skips that multiplication.
    actors = {a: w for a, w in state.actor_weights.items() if w != 1.0}
    return engine.Params.from_codebook(
        codebook,
        category_weights=dict(state.weights),
        half_life_months=float(state.half_life_months),
        actor_weights=actors,
    )


def comparison_labels(codebook: Codebook) -> dict[str, str]:
    """What the dashboard can compare with (the ``cmp`` values), and their labels."""
    presets = {k: f"{p.label} (whole model)" for k, p in codebook.presets.items()}
    coders = {"coder_a": "Defaults, coding A's scores", "coder_b": "Defaults, coding B's scores (blind)"}
    return {"none": "Nothing", "default": "Codebook defaults"} | presets | coders


def comparison_state(codebook: Codebook, compare: str) -> ViewState | None:
    """The whole model a comparison stands for: every model setting, no rescored events."""
    if compare == "default":
        return settings.defaults(codebook)
    if compare in codebook.presets:
        return settings.model_of_preset(codebook, compare)
    if compare in ("coder_a", "coder_b"):
        return replace(settings.defaults(codebook), coder=compare[-1], preset="custom")
    return None


def compute(
    dataset: Dataset, state: ViewState, assembled: Assembled | None = None, months: pd.DatetimeIndex | None = None
) -> View:
    """Every series for one view. ``assembled``: the events in use (upload, edits, the view's rescorings);
    by default the shipped events with the view's rescorings."""
    codebook = dataset.codebook
    if assembled is None:
        assembled = assemble(
            dataset.events, codebook, overrides=state.overrides, coder=state.coder, codings=dataset.codings
        )
    scored, base_events = assembled.events, assembled.unscored
    unknown = assembled.unknown.get("rescorings", [])
    params = params_for(codebook, state)
    months = engine.series_months(scored) if months is None else months
    categories = codebook.category_keys
    comp = engine.components(scored, params, categories, months)
    series = engine.index_from_components(comp, params)
    band = (
        engine.sensitivity_band(
            comp,
            params,
            state.spread,
            codebook.engine.band_draws,
            percentiles=codebook.engine.band_percentiles,
            events=scored,
            score_sd=score_uncertainty(scored, dataset.codings, codebook),
        )
        if state.spread > 0
        else None
    )
    comparison, label = None, ""
    if (other := comparison_state(codebook, state.compare)) is not None:
        other_params = params_for(codebook, other)
        label = comparison_labels(codebook)[state.compare]
        # The other model's own events: the same data in use, with its own coding and no rescorings.
        other_events = apply_coder(base_events, dataset.codings, other.coder, dataset.events)
        comparison = engine.monthly_index(other_events, other_params, categories, months)
    return View(state, params, scored, unknown, comp, series, band, comparison, label, codebook.model_version)


# What a page prints about a view ------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The value the headline metric shows: the last month of the years shown."""

    month: pd.Timestamp
    value: float
    change_12m: float | None  # value − the value twelve months earlier, when that month is in the series
    level: str  # the named level of the scale holding the value
    band: tuple[float, float] | None  # the uncertainty range in that month
    last_event: pd.Timestamp | None = None  # the date of the last coded event in the data in use
    carried_forward: bool = False  # the month shown is after the last coded event: no news, the value carried


def last_event(view: View) -> pd.Timestamp | None:
    """The date of the latest included event in the data in use."""
    included = view.events[view.events["included"]]
    return None if included.empty else pd.Timestamp(included["date"].max())


def shown_months(view: View) -> np.ndarray:
    """Positions of the months inside the years the view shows."""
    years = view.series.months.year
    last = view.state.year_to if view.state.year_to is not None else years.max()
    return np.flatnonzero((years >= view.state.year_from) & (years <= last))


def headline(view: View, codebook: Codebook) -> Headline:
    shown = shown_months(view)
    t = int(shown[-1]) if len(shown) else len(view.series.months) - 1
    value = float(view.series.index[t])
    change = value - float(view.series.index[t - 12]) if t >= 12 else None
    band = (float(view.band.low[t]), float(view.band.high[t])) if view.band is not None else None
    last = last_event(view)
    month = view.series.months[t]
    carried = last is not None and month > last.to_period("M").to_timestamp()
    return Headline(month, value, change, codebook.band_of(value), band, last, carried)


def era_means(view: View, eras: pd.DataFrame) -> pd.DataFrame:
    """Mean of the view's line and of its comparison in each era: columns yours, other, difference."""
    if view.comparison is None or eras.empty:
        return pd.DataFrame(columns=["yours", "other", "difference"])
    frame = pd.DataFrame({"yours": view.series.index, "other": view.comparison.index}, index=view.series.months)
    frame["era"] = eras_of(eras, frame.index)
    means = frame[frame["era"] != ""].groupby("era", sort=False)[["yours", "other"]].mean()
    means = means.reindex([e for e in eras["name"] if e in means.index])
    means["difference"] = means["yours"] - means["other"]
    return means


def contribution_now(view: View, codebook: Codebook, event_id: str) -> float:
    """One event's term of the formula in the series' latest month (0 when it is not in the data)."""
    match = (view.events["id"] == event_id).to_numpy()
    if not match.any():
        return 0.0
    # All events, not the one alone: a later row may end it.
    terms = engine.event_contributions(
        view.events, view.params, codebook.category_keys, view.series.months, view.series.months[-1]
    )
    return float(terms[match][0])


def decomposition(view: View, codebook: Codebook, month: pd.Timestamp) -> engine.Decomposition:
    """Why the view's index stands where it does in ``month``: each category's and event's contribution."""
    return engine.decompose(view.events, view.params, codebook.category_keys, view.series.months, month)


def formula_latex() -> str:
    """The model's formula as the Methodology page writes it (stated once, beside the engine's code)."""
    return engine.FORMULA_LATEX


def events_per_year(events: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Events per year by category (the coverage chart): one row a year, one column a category label."""
    table = pd.crosstab(events["date"].dt.year, events["category"]).reindex(
        columns=list(codebook.category_keys), fill_value=0
    )
    years = range(int(table.index.min()), int(table.index.max()) + 1)
    return table.reindex(years, fill_value=0).rename(columns=codebook.category_labels).rename_axis("year")


def score_uncertainty(events: pd.DataFrame, codings: pd.DataFrame, codebook: Codebook) -> np.ndarray:
    """Each event's score error for the band: sd = √(c² + (|A − B| / 2)²).

    *c* is the codebook's sd for the event's confidence (``[engine] score_sd``); A and B are the two
    codings' scores where the event has both (an uploaded event has none, so only *c*).
    """
    by_confidence = events["confidence"].map(codebook.engine.score_sd).fillna(max(codebook.engine.score_sd.values()))
    gap = pd.Series(0.0, index=events.index)
    if not codings.empty:
        known = codings.set_index("id")
        half_gap = ((known["score_a"] - known["score_b"]).abs() / 2).astype(float)
        gap = events["id"].map(half_gap).fillna(0.0)
    return np.sqrt(by_confidence.to_numpy(dtype=float) ** 2 + gap.to_numpy(dtype=float) ** 2)


def validation(view: View, references: list) -> pd.DataFrame:
    """The view's agreement with each outside series: n, ρ, the chance level, and whether ρ beats it."""
    from components import validation as checks

    index = pd.Series(view.series.index, index=view.series.months)
    rows = []
    for reference in references:
        result = checks.agreement(index, reference)
        rows.append(
            {
                "series": reference.label,
                "key": reference.key,
                "values": result.n,
                "rho": result.rho,
                "chance_mean": result.chance_mean,
                "chance_95": result.chance_95,
                "beats_chance": result.beats_chance,
            }
        )
    return pd.DataFrame(rows)
