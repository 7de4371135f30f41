"""From a dataset and a view's settings to every number the dashboard shows.

The dashboard and ``python -m components.export`` both call :func:`compute`,
so a shared link's numbers are the same in the browser and on the command
line. The other functions here compute the numbers a page shows of a view (where
the data end and the line holds, the hover, the era means, an event's
contribution now, a decomposition, what moved the line), so that every number
a reader sees is computed, and tested, outside Streamlit. Beside it:
:mod:`components.robustness` (how far the story depends on the weights),
:mod:`components.wording` (what a page *says* about a view) and
:mod:`components.dataset` (the questions asked of the events and the claims).

Over 400 lines on purpose: what is left is one object's computation (the View's series, where they hold, and
each number a page reads off them), and they share the view's months and its hold rule; the words, the
robustness line and the questions asked of the data went to their own modules (issue 25).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from components import engine, settings
from components.codebook import Codebook
from components.dataset import Dataset, data_end, eras_of
from components.edits import Assembled, apply_coder, assemble
from components.memo import IdentityMemo
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

    def frame(self, years: tuple[int, int] | None = None) -> pd.DataFrame:
        """The monthly series as a table: date, index, band_low, band_high (and comparison), and ``carried``:
        true for the months after the one in which the data end (:func:`held_from`), which hold its value.

        ``years``: only the months of these years (both included); None for every month.
        """
        out = pd.DataFrame({"date": self.series.months.strftime("%Y-%m"), "index": self.series.index})
        out["band_low"] = self.band.low if self.band is not None else float("nan")
        out["band_high"] = self.band.high if self.band is not None else float("nan")
        if self.comparison is not None:
            out["comparison"] = self.comparison.index
        position = held_from(self.events, self.series.months)
        out["carried"] = np.arange(len(out)) > (len(out) if position is None else position)
        if years is not None:
            year = self.series.months.year
            out = out[(year >= years[0]) & (year <= years[1])].reset_index(drop=True)
        return out


def params_for(codebook: Codebook, state: ViewState) -> engine.Params:
    """The engine's parameters for a view: the codebook's defaults with the view's model settings."""
    # Actor weights of 1 are left out, so the engine skips that multiplication.
    actors = {a: w for a, w in state.actor_weights.items() if w != 1.0}
    return engine.Params.from_codebook(
        codebook,
        category_weights=dict(state.weights),
        half_life_months=float(state.half_life_months),
        intensity=float(state.intensity),
        actor_weights=actors,
    )


def comparison_labels(codebook: Codebook) -> dict[str, str]:
    """What the dashboard can compare with (the ``cmp`` values), and their labels."""
    presets = {k: f"{p.label} (whole model)" for k, p in codebook.presets.items()}
    coders = {c.compare_key: c.compare_label for c in codebook.coders.values()}
    return {"none": "Nothing", "default": "Codebook defaults"} | presets | coders


def comparison_legend_labels(codebook: Codebook) -> dict[str, str]:
    """The comparisons' names as the chart's legend shows them: short enough for one fifth of its width
    (the subtitle says "whole model")."""
    presets = {k: p.label for k, p in codebook.presets.items()}
    coders = {c.compare_key: c.label for c in codebook.coders.values()}
    return {"none": "", "default": "Codebook defaults"} | presets | coders


def comparison_state(codebook: Codebook, compare: str) -> ViewState | None:
    """The whole model a comparison stands for: every model setting, no rescored events."""
    if compare == "default":
        return settings.defaults(codebook)
    if compare in codebook.presets:
        return settings.model_of_preset(codebook, compare)
    coder = {c.compare_key: c.key for c in codebook.coders.values()}.get(compare)
    if coder is not None:
        return replace(settings.defaults(codebook), coder=coder, preset=settings.CUSTOM)
    return None


# What a weight step does not change, kept by the identity of the events in use (components.memo).
_COMPONENTS = IdentityMemo()
_UNCERTAINTY = IdentityMemo()


def _components(
    events: pd.DataFrame, params: engine.Params, categories: tuple[str, ...], months: pd.DatetimeIndex
) -> engine.Components:
    """``engine.components``, kept across weight steps: the components are the sums before the category
    weights, so every other parameter (and the months and categories) is part of the key."""
    key = (repr(replace(params, category_weights={})), categories, months[0], months[-1], len(months))
    return _COMPONENTS.get(events, key, lambda: _read_only(engine.components(events, params, categories, months)))


def _read_only(comp: engine.Components) -> engine.Components:
    """A kept result is shared by every later view: its arrays refuse a write rather than change them all."""
    for array in vars(comp).values():
        if isinstance(array, np.ndarray):
            array.flags.writeable = False
    return comp


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
    comp = _components(scored, params, categories, months)
    series = engine.index_from_components(comp, params)
    band = (
        engine.sensitivity_band(
            comp,
            params,
            state.spread,
            codebook.engine.band_draws,
            percentiles=codebook.engine.band_percentiles,
            events=scored,
            score_sd=_UNCERTAINTY.get(
                scored,
                (id(dataset.codings), id(codebook)),
                lambda: score_uncertainty(scored, dataset.codings, codebook),
            ),
        )
        if state.spread > 0
        else None
    )
    comparison, label = None, ""
    if (other := comparison_state(codebook, state.compare)) is not None:
        other_params = params_for(codebook, other)
        label = comparison_labels(codebook)[state.compare]
        # The other model's own events: the same data in use, with its own coding and no rescorings.
        other_events = apply_coder(base_events, dataset.codings, other.coder, dataset.events, codebook)
        comparison = engine.monthly_index(other_events, other_params, categories, months)
    # After the data end they say nothing: every line holds its value (see held_from).
    position = held_from(scored, months)
    series, band, comparison = (_hold_series(x, position) for x in (series, band, comparison))
    return View(state, params, scored, unknown, comp, series, band, comparison, label, codebook.model_version)


# Where the data end: the months after it hold its value ----------------------------------------


def held_from(events: pd.DataFrame, months: pd.DatetimeIndex) -> int | None:
    """The position of the month in which the data end (``dataset.data_end``), when months follow it (None
    otherwise): every month after it holds its value.

    The months after the data end are not news: the index holds its value there instead of letting shocks
    fade, so that a quiet stretch after the data stop never reads as improvement. The one rule for those
    months: the series and its band and comparison (:func:`compute`), the band's draws, the hover, the headline's
    "carried", the chart's shading, a decomposition there, and the export's ``carried`` column.
    """
    end = data_end(events)
    if end is None:
        return None
    position = int(months.searchsorted(end.to_period("M").to_timestamp(), side="right")) - 1
    return position if 0 <= position < len(months) - 1 else None


def hold(values: np.ndarray, position: int | None) -> np.ndarray:
    """A copy of ``values`` (months along the last axis) with every month after ``position`` set to its value."""
    values = np.array(values, copy=True)
    if position is not None:
        values[..., position + 1 :] = values[..., position : position + 1]
    return values


def _hold_series(series, position: int | None):
    """An index series or band, held after ``position`` (:func:`hold` of each of its monthly arrays)."""
    if series is None or position is None:
        return series
    names = [name for name in ("raw", "index", "low", "high") if hasattr(series, name)]
    return replace(series, **{name: hold(np.asarray(getattr(series, name), dtype=float), position) for name in names})


def held(events: pd.DataFrame, series: engine.IndexSeries) -> engine.IndexSeries:
    """An index series as the dashboard shows it: held after the month in which the data of ``events`` end."""
    return _hold_series(series, held_from(events, series.months))


def held_month(view: View) -> pd.Timestamp:
    """The month whose value the latest months hold: the one in which the data end (or the latest)."""
    position = held_from(view.events, view.series.months)
    return view.series.months[-1 if position is None else position]


def calibration_fit(index: pd.Series, codebook: Codebook) -> pd.DataFrame:
    """Each of the codebook's ``[[calibration]]`` targets beside the index's mean over its months.

    ``index``: the index as shown, by month. The calibration (``benchmarks.calibrate``) fits the defaults
    with this table; the Methodology page shows it for the view's own settings.
    """
    rows = [
        (t.name, f"{t.start} to {t.end}", t.level, float(index[t.start : t.end].mean()), t.why)
        for t in codebook.calibration
    ]
    return pd.DataFrame(rows, columns=["period", "months", "target", "index", "why"])


def series_settings(state: ViewState) -> ViewState:
    """The part of a view that :func:`compute` reads: two states with equal parts give the same series.

    What is left out only chooses what to show of them (years, markers, eras, the selected event) or is
    read off the model (the preset it matches), so a page may keep the last view's series when only
    those change (``components.ui.context``).
    """
    return replace(
        state,
        preset=settings.CUSTOM,
        year_from=settings.YEAR_MIN,
        year_to=None,
        categories_shown=None,
        show_eras=True,
        selected=None,
    )


def with_state(view: View, state: ViewState) -> View:
    """The same series under another view of them (``series_settings`` of both must be equal)."""
    if series_settings(view.state) != series_settings(state):
        raise ValueError("the series depend on settings that differ")
    return replace(view, state=state)


# The months a view shows, and what hovering them says ---------------------------------------


def shown_months(view: View) -> np.ndarray:
    """Positions of the months inside the years the view shows."""
    years = view.series.months.year
    last = view.state.year_to if view.state.year_to is not None else years.max()
    return np.flatnonzero((years >= view.state.year_from) & (years <= last))


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")  # fmt: skip


_LINE_HOVER = IdentityMemo(size=4)


def line_hover(view: View, codebook: Codebook) -> np.ndarray:
    """What hovering the index line says of each month: its value and level, the uncertainty range, and the
    event whose term weighs most that month (for the months carried forward after the last coded
    information: that month's, and that they are carried). Plain text with ``<br>`` breaks; every title
    HTML-escaped, since an upload's titles are a user's text.

    Kept for the view's series (one object per computation, which ``with_state`` carries over): a click, the
    years or the markers do not format it again. The array is shared: read-only."""
    return _LINE_HOVER.get(view.series, id(codebook), lambda: _read_only_array(_line_hover(view, codebook)))


def _read_only_array(values: np.ndarray) -> np.ndarray:
    values.flags.writeable = False
    return values


@dataclass(frozen=True)
class LineHover:
    """The line's hover text in parts: what a weight step does not change (the months' names, the levels, the
    events' titles, where the data end) and what it does (each month's heaviest event and its term). The
    dashboard's chart component sends these and writes the text in the browser (``assets/chart.js``, the same
    text as :meth:`text`, which a browser test checks), instead of 230 KB of text a step."""

    labels: np.ndarray  # "<b>April 1949</b>" per month
    edges: np.ndarray  # the levels' upper bounds but the last: a value's level is how many are ≤ it
    names: tuple[str, ...]  # the levels' names
    titles: np.ndarray  # each event's title as the label shows it: shortened to 60 characters, HTML-escaped
    rows: np.ndarray  # per month: the row of the event whose term weighs most (−1: none)
    terms: np.ndarray  # per month: that term, raw
    position: int | None  # the last coded month (months after it are carried forward), or None
    carried: str  # what a carried month adds

    def text(self, values: np.ndarray, low: np.ndarray | None = None, high: np.ndarray | None = None) -> np.ndarray:
        """The hover text for the index ``values`` and, when given, the band's ``low`` and ``high``."""
        # Formatted column by column (numpy's string operations), each title escaped once: a loop of f-strings
        # over 900 months took 15 ms a weight step.
        names = np.array(self.names, dtype=object)[np.searchsorted(self.edges, values, "right")]
        text = self.labels + ": index " + np.char.mod("%+.1f", values).astype(object) + " (" + names + ")"
        if low is not None and high is not None:
            low_text, high_text = (np.char.mod("%+.1f", b).astype(object) for b in (low, high))
            text = text + "<br>Range of the draws: " + low_text + " to " + high_text
        weighs = np.full(len(values), "", dtype=object)
        reached = self.rows >= 0
        if reached.any():
            weighs[reached] = (
                "<br>Weighs most: "
                + self.titles[self.rows[reached]]
                + " ("
                + np.char.mod("%+.2f", self.terms[reached]).astype(object)
                + " raw)"
            )
        out = text + weighs
        if self.position is not None:
            out[self.position + 1 :] = out[self.position + 1 :] + self.carried
        return out


_TITLES = IdentityMemo(size=4)
_CHOICES = IdentityMemo(size=4)


def event_choices(events: pd.DataFrame) -> Mapping[str, str]:
    """Every event's id and its label in the dashboard's list of events ("1962-10-22 · title"), in date order.
    Kept by the identity of the events in use: a weight step does not sort and format them again. Read-only."""

    def make() -> Mapping[str, str]:
        ordered = events.sort_values(["date", "id"], kind="stable")
        labels = ordered["date"].dt.strftime("%Y-%m-%d") + " · " + ordered["title"]
        return MappingProxyType(dict(zip(ordered["id"], labels, strict=True)))

    return _CHOICES.get(events, None, make)


def _hover_titles(events: pd.DataFrame) -> np.ndarray:
    """Every event's title as the line's label shows it (kept by the identity of the events in use)."""

    def make() -> np.ndarray:
        titles = events["title"].to_numpy(dtype=object)
        return _read_only_array(
            np.array([html.escape(t if len(t) <= 60 else t[:59] + "…") for t in map(str, titles)], dtype=object)
        )

    return _TITLES.get(events, None, make)


_LINE_HOVER_PARTS = IdentityMemo(size=4)


def line_hover_parts(view: View, codebook: Codebook) -> LineHover:
    """The line's hover text in parts (:class:`LineHover`), kept for the view's series as :func:`line_hover`."""
    return _LINE_HOVER_PARTS.get(view.series, id(codebook), lambda: _line_hover_parts(view, codebook))


def _line_hover_parts(view: View, codebook: Codebook) -> LineHover:
    months = view.series.months
    rows, terms = engine.largest_contributors(
        view.events, view.params, codebook.category_keys, months, layout=view.components.layout, comp=view.components
    )
    position = held_from(view.events, months)
    rows, terms = hold(rows, position), hold(terms, position)
    labels = "<b>" + (
        np.array(_MONTH_NAMES, dtype=object)[months.month - 1] + " " + months.year.astype(str).to_numpy(dtype=object)
    )
    return LineHover(
        labels=labels + "</b>",
        edges=np.array([band.high for band in codebook.bands[:-1]]),
        names=tuple(band.name for band in codebook.bands),
        titles=_hover_titles(view.events),
        rows=_read_only_array(np.array(rows, dtype=np.int64)),
        terms=_read_only_array(np.array(terms, dtype=float)),
        position=position,
        carried=f"<br>Carried forward from {months[position]:%B %Y}: no coded events after it"
        if position is not None
        else "",
    )


def _line_hover(view: View, codebook: Codebook) -> np.ndarray:
    parts = _line_hover_parts(view, codebook)
    band = view.band
    return parts.text(view.series.index, *((band.low, band.high) if band is not None else ()))


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
        view.events, view.params, codebook.category_keys, view.series.months, held_month(view)
    )
    return float(terms[match][0])


def decomposition(view: View, codebook: Codebook, month: pd.Timestamp) -> engine.Decomposition:
    """Why the view's index stands where it does in ``month``: each category's and event's contribution.

    A month after the last coded information holds that month's value, so its decomposition is that month's.
    """
    month = min(pd.Timestamp(month), held_month(view))
    return engine.decompose(view.events, view.params, codebook.category_keys, view.series.months, month)


def counted_as(params: engine.Params, score: float) -> float:
    """What an event of this score counts for before its weights: its intensity under the view's exponent p."""
    return float(engine.intensity(score, params.intensity))


def formula_latex() -> str:
    """The model's formula as the Methodology page writes it (stated once, beside the engine's code)."""
    return engine.FORMULA_LATEX


def score_uncertainty(events: pd.DataFrame, codings: pd.DataFrame, codebook: Codebook) -> np.ndarray:
    """Each event's score error for the band: sd = √(c² + (|A − B| / 2)²).

    *c* is the codebook's sd for the event's confidence (``[engine] score_sd``; the loader makes sure every
    confidence level has one, and the events' schema that every row has a level); A and B are the two
    coders' scores where the event has both (an uploaded event has none, so only *c*).
    """
    by_confidence = events["confidence"].map(codebook.engine.score_sd)
    if by_confidence.isna().any():
        unknown = sorted(set(events.loc[by_confidence.isna(), "confidence"].astype(str)))
        raise ValueError(f"confidence {unknown} has no score error in the codebook ([engine] score_sd)")
    gap = pd.Series(0.0, index=events.index)
    if not codings.empty:
        known = codings.set_index("id")
        first, second = codebook.coders.values()
        half_gap = ((known[first.score_column] - known[second.score_column]).abs() / 2).astype(float)
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


def monthly_table(view: View) -> pd.DataFrame:
    """The monthly values of the years shown, with the uncertainty range: the chart as a table."""
    shown = shown_months(view)
    table = view.frame().iloc[shown]
    return table.rename(columns={"band_low": "range_low", "band_high": "range_high"}).reset_index(drop=True)


@dataclass(frozen=True)
class Movement:
    """What moved the index between two months: each event's change, and the squash's share, adding up."""

    start: pd.Timestamp
    end: pd.Timestamp
    index_start: float
    index_end: float
    raw_start: float
    raw_end: float
    events: pd.DataFrame  # id, title, date, category, persistence, change (raw units), largest |change| first

    @property
    def change(self) -> float:
        return self.index_end - self.index_start

    @property
    def squash_share(self) -> float:
        """What the squash adds to the sum of the events' raw changes: index change − raw change."""
        return self.change - (self.raw_end - self.raw_start)


def what_moved(view: View, codebook: Codebook, start: pd.Timestamp, end: pd.Timestamp) -> Movement:
    """Why the index differs between ``start`` and ``end``: each event's contribution in ``end`` minus its
    contribution in ``start`` (the formula's terms, ``engine.event_contributions``), largest first.

    The events' changes add up to the raw level's change exactly; the squash's share makes up the rest, so
    Σ changes + squash share = index(end) − index(start). Months after the last coded information hold its
    value (as the chart does), so they read as that month.
    """
    last = held_month(view)
    start, end = (min(pd.Timestamp(m).to_period("M").to_timestamp(), last) for m in (start, end))
    months, categories = view.series.months, codebook.category_keys
    before = engine.event_contributions(view.events, view.params, categories, months, start)
    after = engine.event_contributions(view.events, view.params, categories, months, end)
    table = view.events[["id", "title", "date", "category", "persistence"]].assign(change=after - before)
    table = table[table["change"].abs() > 1e-12]
    table = table.reindex(table["change"].abs().sort_values(ascending=False, kind="stable").index)
    position = {m: i for i, m in enumerate(months)}
    i, j = position[start], position[end]
    return Movement(
        start,
        end,
        float(view.series.index[i]),
        float(view.series.index[j]),
        float(view.series.raw[i]),
        float(view.series.raw[j]),
        table.reset_index(drop=True),
    )


def movement_steps(movement: Movement, top: int = 8) -> pd.DataFrame:
    """The waterfall's steps: the ``top`` largest changes, then the rest together, then the squash's share.

    Columns: label, change. They add up to the index's change (``Movement.change``).
    """
    head = movement.events.head(top)
    rows = [(f"{r.title} ({r.date:%Y-%m})", float(r.change)) for r in head.itertuples()]
    rest = movement.events.iloc[top:]
    if len(rest):
        rows.append((f"{len(rest)} other events", float(rest["change"].sum())))
    rows.append(("The squash (10·tanh)", movement.squash_share))
    return pd.DataFrame(rows, columns=["label", "change"])
