"""The index engine, model v6: hand-scored events in, a bounded monthly index of the state of relations out.

Over 400 lines, on purpose: the formula, its fast accumulation, the band and the decomposition share one
set of terms (ends, pauses, conflict groups, the norm); split, each part would re-derive them or reach into
the others' internals. Each function still does one step and says why.

Model
-----
Each event *e* has a hand score :math:`s_e` in [−10, +10], a category *c(e)*,
an actor *a(e)*, a month :math:`m_e`, an optional per-event weight
:math:`v_e` (1 unless a user edits it) and a persistence: *shock*, *state* or
*structural*. Its intensity is :math:`f(s_e) = 10\\, \\mathrm{sgn}(s_e)\\, (|s_e|/10)^p`
with an intensity exponent *p* ≥ 1 (*p* = 1: the score itself). Write
:math:`q_e = w_{c(e)} u_{a(e)} v_e f(s_e)` for its weighted intensity, with
category weights *w* and actor weights *u*. :math:`S_e` is the month *e*'s term
stops: the month of the earliest included row whose ``ends`` names it and, for a
state, the month of its ``end_date`` (∞ if neither). :math:`P_e(t)` is 1 in the
months *e* is paused (see :func:`pauses`: a standing suspension names it, or a
stronger state of its ``conflict`` group stands) and 0 otherwise. With a half-life
*h* in months, a state half-life *H*, a baseline *b*, a structural weight *k*, a
state weight *d*, a norm *μ* and a squash width *W*, each event's term in month *t* is

.. math::

    x_e(t) = k\\, q_e\\, [m_e \\le t < S_e]\\, (1 - P_e(t)) \\;\\text{(structural)}, \\quad
             d\\, q_e\\, 2^{-(t - m_e)/H}\\, [m_e \\le t < S_e]\\, (1 - P_e(t)) \\;\\text{(state)}, \\quad
             n_e\\, q_e\\, 2^{-(t - m_e)/h}\\, [t \\ge m_e] \\;\\text{(news)},

where an event's news weight :math:`n_e` is 1 for a shock, *o* for a structural event and :math:`o_s` for a
state (model v6: a standing event has two terms, its standing and the news of its start; a shock only the
latter). The terms of each sign add up as a *μ*-norm (model v5; with μ = 1 a plain sum, model v4),

.. math::

    x_t = b + \\Big(\\sum_{x_e(t) > 0} x_e(t)^\\mu\\Big)^{1/\\mu} - \\Big(\\sum_{x_e(t) < 0} |x_e(t)|^\\mu\\Big)^{1/\\mu},

and the index is

.. math::

    I_t = 10 \\tanh(x_t / W).

Why this shape (the argument on the Methodology page):

* *Large events weigh more than their share of the scale.* The scale's steps
  are ordered by anchors, not measured: nothing says a brink of nuclear war
  (−9) is only three walk-outs from talks (−3). With *p* > 1 the intensity
  grows faster than the score (at *p* = 2.5 a −9 counts 7.7, a −3 0.49, so
  one −9 outweighs fifteen −3s), and a month crowded with mid-sized news
  cannot sink below a month on the brink. *p* is chosen with the other
  defaults against the blind panel (``benchmarks.calibrate``); *p* = 1 gives
  the plain sum of scores of the Goldstein-scale tradition.
* *Standing states persist, and stop when they end.* A war, a blockade, an
  occupation, a suspended joint body or the division of Europe holds its
  effect for as long as it lasts (relaxing with the state half-life *H*; ∞ by
  default: in full); with no new event the index does not drift back towards
  the baseline while it does. At its ``end_date`` a state stops at once: a
  resolved crisis is over, and its resolution is a row of its own.
* *A reversal reverses exactly.* A row that ends a state or a structural event
  removes that event's own term from its month on, with the event's weights, so
  a treaty's end undoes its entry into force and a successor body replaces the
  one before it, whatever the weights — and no more: the ending row's own score
  is a shock that fades.
* *A suspension suspends; one conflict counts once.* While a state whose
  ``suspends`` names a body or treaty stands, that body's term is off, and it is
  back, exactly, when the suspension ends. Of the states of one ``conflict``
  group standing at once, only the one with the largest coded |score| counts.
* *Concurrent terms do not stack (model v5).* Added as a μ-norm, one large term counts in full and each
  further term of the same sign adds less (at μ = 2 two equal terms make √2 of one, not two): a war, the
  sanctions and the suspensions around it no longer stack past the brink of war, so the squash need not be
  wide, and the crises and détentes of the Cold War keep their depth. Each event's share of the raw level is
  sgn(x)·|x|^μ / S^((μ−1)/μ), S its sign's Σ|x|^μ (:func:`norm_shares`): the shares add up to the raw level
  exactly, so a decomposition still adds up. The calibration chose μ with the other defaults.
* *A start is news (model v6).* A structural event or a state is also news in its month: beside its
  standing term it adds :math:`n_e q_e 2^{-(t-m_e)/h}` with *o* or :math:`o_s`. A treaty's lasting weight *k* is
  small (it should not hold the line up for decades), so without this the month the Berlin Wall went up, the
  Founding Act was signed or the NRC founded hardly moved the line, and the panel's error was 1.44 points
  out of sample against 1.11 with it. An event's two terms are two terms of the norm; its share is their sum.
* *News fades.* A shock's effect halves every *h* months (an exponential
  decay, the carry-over used in event-data indices such as Tsinghua
  University's monthly scores of China's relations with the great powers).
* *The start is history, not an offset.* The series is computed from the
  earliest event (the 1947–49 rows) and shown from April 1949, so it opens
  where the relationship stood; *b* is 0 by default.
* *Bounded.* The squash keeps the index within ±10 whatever the events.

Scores follow the logic of the Goldstein conflict–cooperation scale
(Goldstein 1992) as set out in the codebook.

Everything here is pure numpy/pandas: events are grouped into (category,
month) cells with ``np.bincount``, never with a Python loop over events.

References
----------
Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data.
*Journal of Conflict Resolution* 36(2), 369–385.
Yan Xuetong et al., Tsinghua University Institute of International
Relations: monthly quantitative measurement of China's relations with great
powers (from 1950).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from components.codebook import Codebook

# The formula as the Methodology page writes it (the module docstring states the same).
FORMULA_LATEX = r"""
\begin{aligned}
x_e(t) &= \begin{cases}
  k\, q_e\, [m_e \le t < S_e]\, (1 - P_e(t)) & \text{structural} \\
  d\, q_e\, 2^{-(t-m_e)/H}\, [m_e \le t < S_e]\, (1 - P_e(t)) & \text{state} \\
  n_e\, q_e\, 2^{-(t-m_e)/h}\, [t \ge m_e] & \text{news (shock: } n_e = 1\text{; a start: } o, o_s)
\end{cases} \\
x_t &= b + \Big(\sum_{x_e(t) > 0} x_e(t)^{\mu}\Big)^{1/\mu} - \Big(\sum_{x_e(t) < 0} |x_e(t)|^{\mu}\Big)^{1/\mu}, \\
q_e &= w_{c(e)}\, u_{a(e)}\, v_e\, f(s_e), \qquad
f(s) = 10\, \mathrm{sgn}(s) \left(\frac{|s|}{10}\right)^{p}, \qquad
I_t = 10 \tanh\!\left(\frac{x_t}{W}\right)
\end{aligned}
"""
SERIES_START = pd.Timestamp("1949-04-01")  # the month the North Atlantic Treaty was signed: the first month shown
SCALE_MAX = 10.0
BAND_SEED = 19490404  # fixed: the same parameters always draw the same band
PERSISTENCES = ("shock", "state", "structural")
NEVER = np.iinfo(np.int64).max // 4  # a month offset beyond any series: "no end"
# r^-B must stay far from overflow in the blocked cumulative sum: r^-B <= 1e150.
_MAX_BLOCK_EXPONENT = 150 * np.log(10)


@dataclass(frozen=True)
class Params:
    """Everything that turns events into a series, besides the events themselves (see the module's formula)."""

    category_weights: Mapping[str, float]
    half_life_months: float
    baseline: float
    structural_weight: float
    state_weight: float
    squash_width: float
    # No defaults: the codebook's [engine] table has them (:meth:`from_codebook`).
    intensity: float  # p: the exponent of the intensity f(s) = 10·sgn(s)·(|s|/10)^p
    # H: a standing state's weight halves every H months while it stands (inf: it holds in full, model v3).
    state_half_life_months: float
    # μ: the month's terms of one sign add up as a μ-norm, (Σ|x|^μ)^(1/μ) (1: a plain sum, model v4).
    norm: float
    # o and o_s (model v6): the news of a structural event's or a state's start, a shock of its own of o·q or
    # o_s·q fading with h beside the standing term (0 and 0: no news, model v5).
    onset_weight: float
    state_onset_weight: float
    actor_weights: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_codebook(cls, codebook: Codebook, **overrides) -> Params:
        """The codebook's defaults (its ``[engine]`` table), with ``overrides``."""
        eng = codebook.engine
        base = cls(
            category_weights=dict(codebook.default_weights),
            half_life_months=eng.half_life_months,
            baseline=eng.baseline,
            structural_weight=eng.structural_weight,
            state_weight=eng.state_weight,
            squash_width=eng.squash_width,
            intensity=eng.intensity,
            state_half_life_months=eng.state_half_life_months,
            norm=eng.norm,
            onset_weight=eng.onset_weight,
            state_onset_weight=eng.state_onset_weight,
        )
        return replace(base, **overrides)


@dataclass(frozen=True)
class Components:
    """Per-category sums of events before any category weight is applied, one row a category.

    ``structural[c, t]``: structural scores in force in month *t*; ``state[c, t]``: states
    holding or fading; ``shock[c, t]``: the decayed sum of shocks. All carry actor and
    per-event weights.
    """

    months: pd.DatetimeIndex
    categories: tuple[str, ...]
    structural: np.ndarray | None  # None with a norm ≠ 1: see positive and negative
    state: np.ndarray | None
    shock: np.ndarray | None
    layout: Layout | None = field(default=None, compare=False, repr=False)  # for the band to reuse
    # With a norm m ≠ 1: per category, Σ|x_e(t)|^m of its positive and of its negative terms (k, d and the
    # decays inside, the category weight not), from which the m-norm of each sign is formed (see :func:`raw_level`).
    positive: np.ndarray | None = field(default=None, compare=False, repr=False)
    negative: np.ndarray | None = field(default=None, compare=False, repr=False)

    def per_category(self, params: Params) -> np.ndarray:
        """k·structural + d·state + shock: each category's term before its weight."""
        return params.structural_weight * self.structural + params.state_weight * self.state + self.shock

    def weighted(self, params: Params) -> np.ndarray:
        """The (C, T) matrix of each category's signed sum once its weight applies (the raw level's terms
        when the norm is 1)."""
        w = np.array([params.category_weights.get(c, 0.0) for c in self.categories])
        return w[:, None] * self.per_category(params)

    def raw(self, params: Params, weights: np.ndarray | None = None) -> np.ndarray:
        """The raw level x_t before the baseline, for the category weights ``weights`` ((C,) or (D, C) for D
        draws; the params' by default): a plain sum, or with a norm m the m-norm of the positive terms less
        that of the negative ones, (Σ_c w_c^m P_c)^(1/m) − (Σ_c w_c^m N_c)^(1/m)."""
        w = np.array([params.category_weights.get(c, 0.0) for c in self.categories]) if weights is None else weights
        if self.positive is None:
            return w @ self.per_category(params)
        m = params.norm
        wm = np.abs(w) ** m
        return _root(_combine(wm, self.positive), m) - _root(_combine(wm, self.negative), m)


@dataclass(frozen=True)
class IndexSeries:
    months: pd.DatetimeIndex
    raw: np.ndarray
    index: np.ndarray


def month_range(start: pd.Timestamp = SERIES_START, end: pd.Timestamp | None = None) -> pd.DatetimeIndex:
    """First days of every month from ``start`` to ``end`` (default: this month), inclusive."""
    end = pd.Timestamp.today() if end is None else pd.Timestamp(end)
    first = np.datetime64(pd.Timestamp(start).strftime("%Y-%m"), "M")
    last = np.datetime64(end.strftime("%Y-%m"), "M")
    # numpy month arithmetic: pd.date_range(freq="MS") steps one offset at a time, 30× slower.
    return pd.DatetimeIndex(np.arange(first, last + 1).astype("datetime64[ns]"))


def series_months(events: pd.DataFrame, today: pd.Timestamp | None = None) -> pd.DatetimeIndex:
    """The months a dataset is shown over: April 1949 to now (or its last event).

    Events before April 1949 still count: :func:`components` reaches back to them.
    """
    today = pd.Timestamp.today() if today is None else pd.Timestamp(today)
    end = max(today, events["date"].max()) if len(events) else today
    return month_range(SERIES_START, end)


def month_offsets(dates, months: pd.DatetimeIndex) -> np.ndarray:
    """Number of whole months from the first month of ``months`` to each date (NaT: NEVER)."""
    first = months[0]
    d = pd.DatetimeIndex(dates)
    # Calendar fields, not datetime64[M] conversion: pandas reads year and month 3× faster at 10^6.
    if not d.hasnans:
        return ((d.year - first.year) * 12 + (d.month - first.month)).to_numpy(dtype=np.int64)
    offsets = (d.year - first.year) * 12 + (d.month - first.month)
    return np.where(d.isna(), NEVER, np.nan_to_num(np.asarray(offsets, dtype=float))).astype(np.int64)


def decay_factor(half_life_months: float) -> float:
    """Share of a shock left after one month: r = 2^(−1/h) (1 for an infinite half-life: no decay)."""
    return float(0.5 ** (1.0 / half_life_months))


def _decayed_cumsum(x: np.ndarray, r: float) -> np.ndarray:
    """y[:, t] = Σ_{m≤t} x[:, m] r^(t−m), exactly zero before the first non-zero x.

    Uses y_t = r^t Σ x_m r^(−m) within blocks short enough that r^(−m) cannot
    overflow, carrying the running value from block to block: a loop over a
    handful of blocks, each vectorised over all rows and months.
    """
    rows, T = x.shape
    out = np.empty_like(x, dtype=float)
    block = T if r >= 1 else max(1, int(_MAX_BLOCK_EXPONENT / -np.log(r)))
    carry = np.zeros(rows)
    for start in range(0, T, block):
        stop = min(T, start + block)
        steps = np.arange(stop - start)
        up = r ** -steps.astype(float)
        down = r ** steps.astype(float)
        partial = np.cumsum(x[:, start:stop] * up, axis=1) * down
        out[:, start:stop] = partial + carry[:, None] * (down * r)
        carry = out[:, stop - 1]
    return out


def event_multipliers(events: pd.DataFrame, params: Params) -> np.ndarray:
    """Per-event weight × actor weight × included: what multiplies an event's score (before its category's weight)."""
    actor = (
        events["actor"].map(lambda a: params.actor_weights.get(a, 1.0)).to_numpy(dtype=float)
        if params.actor_weights
        else 1.0
    )
    return events["weight"].to_numpy(dtype=float) * events["included"].to_numpy(dtype=float) * actor


def intensity(scores, exponent: float) -> np.ndarray:
    """f(s) = 10·sgn(s)·(|s|/10)^p: odd, monotone, fixed at 0 and ±10; the score itself when p = 1."""
    scores = np.asarray(scores, dtype=float)
    if exponent == 1.0:
        return scores
    whole = np.rint(scores)
    if scores.size > 64 and np.array_equal(whole, scores) and np.abs(whole).max() <= SCALE_MAX:
        # Whole scores on the scale (the codebook's rule): look the 21 values up, 2.5× faster than a power at 10^6.
        levels = np.arange(-SCALE_MAX, SCALE_MAX + 1)
        table = np.sign(levels) * SCALE_MAX * (np.abs(levels) / SCALE_MAX) ** exponent
        return table[(whole + SCALE_MAX).astype(np.intp)]
    return np.sign(scores) * SCALE_MAX * (np.abs(scores) / SCALE_MAX) ** exponent


def intensity_slope(scores, sd, exponent: float) -> np.ndarray:
    """How much a score error of size sd moves the intensity: f's mean slope over s ± sd (1 when p = 1)."""
    scores, sd = np.asarray(scores, dtype=float), np.asarray(sd, dtype=float)
    if exponent == 1.0:
        return np.ones_like(scores)
    safe = np.where(sd > 0, sd, 1.0)
    slope = (intensity(scores + safe, exponent) - intensity(scores - safe, exponent)) / (2 * safe)
    return np.where(sd > 0, slope, 0.0)


def event_strengths(events: pd.DataFrame, params: Params) -> np.ndarray:
    """Intensity f(score) × per-event weight × actor weight × included, for each event (before the category weight)."""
    return intensity(events["score"].to_numpy(dtype=float), params.intensity) * event_multipliers(events, params)


def ended_at(events: pd.DataFrame, months: pd.DatetimeIndex, start: np.ndarray | None = None) -> np.ndarray:
    """For each event, the month offset R_e of the earliest included row that ends it (NEVER if none)."""
    out = np.full(len(events), NEVER, dtype=np.int64)
    if "ends" not in events or not len(events):
        return out
    has_end = (events["ends"].fillna("") != "").to_numpy(dtype=bool)
    enders = np.flatnonzero(has_end & events["included"].to_numpy(dtype=bool))
    if not len(enders):
        return out
    start = month_offsets(events["date"], months) if start is None else start
    ending = events["ends"].to_numpy(dtype=object)
    # A loop over the ending rows only (a few dozen), each of which may end several ids.
    first_month: dict[str, int] = {}
    for row in enders:
        for target in str(ending[row]).split():
            first_month[target] = min(int(start[row]), first_month.get(target, NEVER))
    ids = events["id"].to_numpy(dtype=object)
    hit = np.flatnonzero(np.isin(ids, list(first_month)))
    out[hit] = [first_month[ids[i]] for i in hit]
    return out


@dataclass(frozen=True)
class Terms:
    """What the formula needs of each event besides its strength, on one grid of months."""

    start: np.ndarray  # m: the event's month offset
    structural: np.ndarray  # masks of the three persistences
    state: np.ndarray
    shock: np.ndarray
    stop: np.ndarray  # the month its term stops: a row ends it (R) or, for a state, its end_date (E); NEVER if none
    # Months in which a state's or a structural event's term is off though it stands: (event, from, to) triples,
    # disjoint for each event, from a suspension (a state whose `suspends` names it) or a stronger member of its
    # `conflict` group (see :func:`pauses`).
    paused: np.ndarray  # event row numbers
    pause_from: np.ndarray
    pause_to: np.ndarray


def _terms(events: pd.DataFrame, months: pd.DatetimeIndex) -> Terms:
    persistence = events["persistence"]
    # Compared as a column (Arrow-vectorised), not as an array of Python strings.
    structural = (persistence == "structural").to_numpy(dtype=bool)
    state = (persistence == "state").to_numpy(dtype=bool)
    start = month_offsets(events["date"], months)
    stop = np.maximum(ended_at(events, months, start), start)
    if state.any() and "end_date" in events:
        # A state is over at its end_date: a resolved crisis stops at once; its resolution is news of its own.
        over = np.maximum(month_offsets(events["end_date"].to_numpy()[state], months), start[state])
        stop[state] = np.minimum(stop[state], over)
    paused, pause_from, pause_to = pauses(events, start, stop, state | structural)
    return Terms(start, structural, state, ~(structural | state), stop, paused, pause_from, pause_to)


def news_weights(terms: Terms, params: Params) -> np.ndarray:
    """Each event's weight as news in its month, fading with the half-life h: 1 for a shock, o for a structural
    event's start, o_s for a state's (model v6; 0 and 0 give model v5, where a standing event is not news)."""
    return np.select(
        [terms.shock, terms.structural, terms.state], [1.0, params.onset_weight, params.state_onset_weight], 0.0
    )


def pauses(
    events: pd.DataFrame, start: np.ndarray, stop: np.ndarray, standing: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The months each standing event's term is switched off: (event rows, from, to), disjoint per event.

    *A suspension suspends.* While an included state whose ``suspends`` names an event stands, that event's
    term is off; when the suspension is over (its end_date, or a row that ends it: the resumption), the term
    is back, exactly. The suspension's own score is the news of the suspension.

    *One conflict, one weight.* Of the included states that share a ``conflict`` and stand in the same month,
    only the one with the largest |score| × per-event weight counts (on a tie, the earliest); the others are
    paused while it stands. The rule reads the coded scores, not the sliders, so which member counts does not
    change as weights move.

    A loop over the few rows that suspend or belong to a group, never over all events.
    """
    included = events["included"].to_numpy(dtype=bool)
    windows: dict[int, list[tuple[int, int]]] = {}
    if "suspends" in events:
        suspends = events["suspends"].fillna("").astype(str).to_numpy(dtype=object)
        row_of = {event_id: i for i, event_id in enumerate(events["id"].to_numpy(dtype=object))}
        for r in np.flatnonzero((suspends != "") & included & standing):
            for target in suspends[r].split():
                x = row_of.get(target)
                if x is not None and standing[x] and x != r:
                    windows.setdefault(x, []).append((int(start[r]), int(stop[r])))
    if "conflict" in events:
        conflict = events["conflict"].fillna("").astype(str).to_numpy(dtype=object)
        size = np.abs(events["score"].to_numpy(dtype=float)) * events["weight"].to_numpy(dtype=float)
        members = np.flatnonzero((conflict != "") & included & standing)
        for group in set(conflict[members]):
            rows = members[conflict[members] == group]
            bounds = np.unique(np.concatenate([start[rows], stop[rows]]))
            for lo, hi in zip(bounds[:-1], bounds[1:]):
                live = rows[(start[rows] <= lo) & (stop[rows] > lo)]
                if len(live) < 2:
                    continue
                top = live[np.lexsort((start[live], -size[live]))[0]]
                for x in live[live != top]:
                    windows.setdefault(int(x), []).append((int(lo), int(hi)))
    rows_out, lo_out, hi_out = [], [], []
    for x, spans in windows.items():
        # Merge overlapping windows and keep them within the event's own life, so nothing is taken away twice.
        merged: list[list[int]] = []
        for lo, hi in sorted(spans):
            lo, hi = max(lo, int(start[x])), min(hi, int(stop[x]))
            if lo >= hi:
                continue
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        for lo, hi in merged:
            rows_out.append(x)
            lo_out.append(lo)
            hi_out.append(hi)
    as_array = lambda v: np.asarray(v, dtype=np.int64)  # noqa: E731
    return as_array(rows_out), as_array(lo_out), as_array(hi_out)


def components(
    events: pd.DataFrame, params: Params, categories: tuple[str, ...], months: pd.DatetimeIndex
) -> Components:
    """Group events into (category, month) cells and accumulate them; see the module's formula.

    Computed from the earliest event (so what came before the first month shown counts),
    then cut to ``months``.
    """
    strength = np.broadcast_to(event_strengths(events, params), (len(events),))[None, :]
    layout = _layout(events, categories, months)
    if params.norm == 1.0:
        structural, state, shock = _accumulate(events, params, categories, months, strength, layout=layout)
        return Components(months, tuple(categories), structural[0], state[0], shock[0], layout)
    # Each sign's terms raised to μ, summed per category, both signs in one pass (K = 2 strength rows): the
    # μ-norms are formed from them once the category weights apply (Components.raw), so a weight step does not
    # accumulate again.
    m = params.norm
    signs = np.vstack([np.maximum(strength[0], 0.0), np.maximum(-strength[0], 0.0)])
    signs = signs * signs if m == 2.0 else signs**m
    (both,) = _accumulate(events, powered(params, m), categories, months, signs, total=True, layout=layout)
    # Contiguous: they are read every weight step and every band draw.
    positive, negative = np.ascontiguousarray(both[0]), np.ascontiguousarray(both[1])
    # With a norm the signed sums per persistence are not formed (nothing reads them): only the power sums.
    return Components(months, tuple(categories), None, None, None, layout, positive, negative)


@dataclass(frozen=True)
class Layout:
    """Where each event falls: its category row and its terms on the grid from the earliest event."""

    grid_length: int
    cut: int  # months of the grid before the first month shown
    cat_index: np.ndarray
    terms: Terms


def _layout(events: pd.DataFrame, categories: tuple[str, ...], months: pd.DatetimeIndex) -> Layout:
    first = months[0]
    if len(events):
        first = min(first, pd.Timestamp(events["date"].min()).to_period("M").to_timestamp())
    grid = month_range(first, months[-1]) if first < months[0] else months
    # factorize, not Categorical: pandas 3 keeps strings in Arrow, and factorize
    # encodes them without making a Python object per event (4× faster at 10^6).
    codes, uniques = pd.factorize(events["category"])
    lookup = np.append(pd.Index(categories).get_indexer(uniques), -1)
    cat_index = lookup[codes].astype(np.int64)  # unknown or missing category: −1, dropped below
    return Layout(len(grid), len(grid) - len(months), cat_index, _terms(events, grid))


def _accumulate(
    events: pd.DataFrame,
    params: Params,
    categories: tuple[str, ...],
    months: pd.DatetimeIndex,
    strengths: np.ndarray,
    merged: bool = False,
    total: bool = False,
    layout: Layout | None = None,
) -> tuple[np.ndarray, ...]:
    """The structural, state and shock sums of K sets of event strengths at once: three (K, C, T) arrays.

    ``strengths`` is (K, E): K = 1 for the index, K = the band's draws for score perturbations.
    ``merged``: every known category into one row (C = 1), for strengths that already carry their weights.
    ``total``: only k·structural + d·state + shock, as one (K, C, T) array.
    ``layout``: the events' layout when already known (from :func:`components`).
    """
    layout = _layout(events, categories, months) if layout is None else layout
    K, C, T = strengths.shape[0], len(categories), layout.grid_length
    cat_index, terms = layout.cat_index, layout.terms
    if merged:
        cat_index, C = np.where(cat_index >= 0, 0, -1), 1
    start, stop = terms.start, terms.stop
    known = cat_index >= 0
    r = decay_factor(params.half_life_months)
    layer = (np.arange(K, dtype=np.int64) * C * T)[:, None]

    def summed(rows: np.ndarray, at: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Sum (event row, month, (K,) weight) pairs into their (category, month) cells; a row may repeat (an
        event paused twice). Every pair must fall on the grid in a known category."""
        if not len(rows):
            return np.zeros((K * C, T))
        where = (cat_index[rows] * T + at)[None, :] + layer
        return np.bincount(where.ravel(), weights=weights.ravel(), minlength=K * C * T).reshape(K * C, T)

    def cells(offsets: np.ndarray, weights: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Sum ``weights`` of the events in ``mask``, each at its own month in ``offsets`` (NEVER: nothing)."""
        rows = np.flatnonzero(mask & known & (offsets < T))
        return summed(rows, offsets[rows], weights[:, rows])

    def steps(mask: np.ndarray, rate: float = 1.0) -> np.ndarray:
        """+q from the event's month, −q from the month it stops, −q/+q around each pause.

        With ``rate`` < 1 the term decays by ``rate`` a month from the event's month: each step then
        carries the term's value at its month, rate^(month − start), for a decayed cumulative sum.
        """
        decayed = None
        if rate < 1:
            # rate^age from a table of the grid's ages (a gather, not a power per event: 26 → 3 ms at 10^6
            # events); ages past the grid only reach months that cells() drops, so they share the last entry.
            powers = rate ** np.arange(T + 1, dtype=float)

            def decayed(at: np.ndarray, since: np.ndarray) -> np.ndarray:
                return powers[np.clip(at - since, 0, T)]

        at_stop = strengths if decayed is None else strengths * decayed(stop, start)[None, :]
        out = cells(start, strengths, mask) - cells(stop, at_stop, mask)
        mine = mask[terms.paused] & known[terms.paused]
        for months, sign in ((terms.pause_from, -1.0), (terms.pause_to, 1.0)):
            on_grid = mine & (months < T)
            rows, at = terms.paused[on_grid], months[on_grid]
            weights = strengths[:, rows] if decayed is None else strengths[:, rows] * decayed(at, start[rows])[None, :]
            out += sign * summed(rows, at, weights)
        return out

    rs = decay_factor(params.state_half_life_months)
    structural_steps = steps(terms.structural)
    state_steps = steps(terms.state, rs)
    # Every event's news in its month: a shock's whole term, a standing event's start times o or o_s (model v6).
    news = news_weights(terms, params)
    if params.onset_weight == 0.0 and params.state_onset_weight == 0.0:
        shocks = cells(start, strengths, terms.shock)
    else:
        shocks = cells(start, strengths * news[None, :], news != 0)
    cut = layout.cut
    if total:
        # Only the weighted sum is wanted: one running sum and one or two decayed sums.
        stepped = params.structural_weight * structural_steps
        states = params.state_weight * state_steps
        if rs < 1:
            summed = np.cumsum(stepped, axis=1) + _decayed_cumsum(shocks, r) + _decayed_cumsum(states, rs)
        else:
            summed = np.cumsum(stepped + states, axis=1) + _decayed_cumsum(shocks, r)
        return (summed.reshape(K, C, T)[:, :, cut:],)
    structural = np.cumsum(structural_steps, axis=1)
    state = _decayed_cumsum(state_steps, rs) if rs < 1 else np.cumsum(state_steps, axis=1)
    shock = _decayed_cumsum(shocks, r)
    return tuple(a.reshape(K, C, T)[:, :, cut:] for a in (structural, state, shock))


def squash(raw: np.ndarray, width: float) -> np.ndarray:
    """I = 10·tanh(x / W): smooth, odd, monotone, and never beyond ±10."""
    return SCALE_MAX * np.tanh(np.asarray(raw) / width)


def index_from_components(comp: Components, params: Params) -> IndexSeries:
    raw = params.baseline + comp.raw(params)
    return IndexSeries(comp.months, raw, squash(raw, params.squash_width))


def _combine(weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """weights @ rows for a handful of rows (the categories): (C,) or (D, C) weights, (C, T) rows.

    ``np.einsum``'s own loop rather than a BLAS product: with C = 6 the product is tiny, and OpenBLAS's
    threads cost more than they save on a loaded 2-core machine (15–30 ms a product, against 0.3 ms);
    einsum (without ``optimize``) never calls BLAS, and is about three times faster than C rank-one updates.
    """
    if weights.ndim == 1:
        return weights @ rows
    return np.einsum("dc,ct->dt", weights, rows)


def _root(x: np.ndarray, m: float) -> np.ndarray:
    """x^(1/m), in place; a square root when m = 2 (twice as fast as the power, and the default)."""
    return np.sqrt(x, out=x) if m == 2.0 else np.power(x, 1 / m, out=x)


def powered(params: Params, exponent: float) -> Params:
    """The parameters under which :func:`_accumulate` sums each term raised to ``exponent``: |k q g|^e =
    k^e |q|^e g^e, and a decay 2^(−age/h) raised to e is 2^(−age/(h/e))."""
    return replace(
        params,
        structural_weight=params.structural_weight**exponent,
        state_weight=params.state_weight**exponent,
        onset_weight=params.onset_weight**exponent,
        state_onset_weight=params.state_onset_weight**exponent,
        half_life_months=params.half_life_months / exponent,
        state_half_life_months=params.state_half_life_months / exponent,
    )


def monthly_index(
    events: pd.DataFrame, params: Params, categories: tuple[str, ...], months: pd.DatetimeIndex | None = None
) -> IndexSeries:
    """The index for every month: see the module docstring for the formula."""
    months = series_months(events) if months is None else months
    return index_from_components(components(events, params, categories, months), params)


@dataclass(frozen=True)
class Band:
    low: np.ndarray
    high: np.ndarray
    draws: int
    spread: float
    percentiles: tuple[float, float]


def sensitivity_band(
    comp: Components,
    params: Params,
    spread: float,
    draws: int,
    percentiles: tuple[float, float],
    seed: int = BAND_SEED,
    events: pd.DataFrame | None = None,
    score_sd: np.ndarray | None = None,
) -> Band:
    """Two percentiles (the codebook's ``band_percentiles``) of the index under random weights and scores.

    Each draw multiplies every category weight by its own log-normal factor
    exp(σ·z), z ~ N(0, 1), σ = ``spread``; and, when ``score_sd`` is given,
    adds to every event's score its own normal error ε_e·sd_e (sd_e from the
    event's confidence and the two coders' disagreement, see
    ``components.view.score_uncertainty``). The generator is seeded, so the
    same parameters always give the same band. The weight draws reuse the
    per-category components; the score errors are drawn month by month from
    their exact normal distribution (:func:`_score_errors`).
    """
    raws = _raw_draws(comp, params, spread, draws, seed, events, score_sd)
    # np.percentile's linear interpolation, done on the squashed order statistics
    # only: the squash is monotone, so the ranks are the same before and after it.
    # A full sort: measured faster here than a partition on the four ranks needed (1.3 against 3.8 ms).
    raws.sort(axis=0)
    low, high = (_interpolated_rank(raws, q, params.squash_width) for q in percentiles)
    return Band(low, high, draws, spread, tuple(percentiles))


def _raw_draws(
    comp: Components,
    params: Params,
    spread: float,
    draws: int,
    seed: int,
    events: pd.DataFrame | None,
    score_sd: np.ndarray | None,
) -> np.ndarray:
    """The (D, T) raw levels of the band's draws (see :func:`sensitivity_band`)."""
    w = np.array([params.category_weights.get(c, 0.0) for c in comp.categories])
    weight_z, score_z = _standard_normals(seed, draws, len(comp.categories), len(comp.months))
    factors = np.exp(spread * weight_z)
    scaled = w[None, :] * factors
    if comp.positive is not None:  # a norm μ ≠ 1: each draw's μ-norms from the per-category power sums
        m = params.norm
        wm = np.abs(scaled) ** m
        totals = (_combine(wm, comp.positive), _combine(wm, comp.negative))  # each sign's Σ|x|^μ, every draw
        root = np.sqrt if m == 2.0 else (lambda x: np.power(x, 1 / m))  # new arrays: the totals are read again
        raws = root(totals[0])
        raws -= root(totals[1])
        raws += params.baseline
        if events is not None and score_sd is not None and np.any(score_sd > 0):
            raws += _score_errors(comp, params, events, score_sd, scaled, score_z, totals)
        return raws
    raws = _combine(scaled, comp.per_category(params))
    raws += params.baseline
    if events is not None and score_sd is not None and np.any(score_sd > 0):
        raws += _score_errors(comp, params, events, score_sd, scaled, score_z)
    return raws


@lru_cache(maxsize=4)
def _standard_normals(seed: int, draws: int, categories: int, months: int) -> tuple[np.ndarray, np.ndarray]:
    """The band's standard normal draws for a seed: (D, C) for the weights, then (D, T) float32 for the scores.

    Drawn in that order from one generator, so they are the same numbers on every call; kept (read-only)
    because drawing the (D, T) block costs more than the rest of a score-error pass (1.6 of about 5 ms).
    """
    rng = np.random.default_rng(seed)
    weight_z = rng.standard_normal((draws, categories))
    score_z = rng.standard_normal((draws, months), dtype=np.float32)
    weight_z.flags.writeable = score_z.flags.writeable = False
    return weight_z, score_z


def band_draws(
    comp: Components,
    params: Params,
    spread: float,
    draws: int,
    seed: int = BAND_SEED,
    events: pd.DataFrame | None = None,
    score_sd: np.ndarray | None = None,
) -> np.ndarray:
    """The band's draws of the index itself, (D, T), in draw order (for the robustness figures)."""
    return squash(_raw_draws(comp, params, spread, draws, seed, events, score_sd), params.squash_width)


def _score_errors(
    comp: Components,
    params: Params,
    events: pd.DataFrame,
    score_sd: np.ndarray,
    scaled: np.ndarray,
    z: np.ndarray,
    totals: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Each draw's error in the raw level from independent normal errors in the scores, month by month.

    ``scaled``: each draw's category weights (D, C); ``z``: standard normal draws (D, T); ``totals``: with a
    norm m ≠ 1, each sign's (D, T) Σ|x|^m of the draws when the caller has them (they are overwritten).

    A score error of sd_e moves the intensity f(s_e) by about σ_e = sd_e·f'_e, f'_e being f's mean slope over
    s_e ± sd_e (:func:`intensity_slope`; exact when p = 1). Write x_e = w_c κ_e q_e g_e(t) for an event's
    term (κ_e = k, d or 1, g_e its profile, q_e = m_e f(s_e)) and S for the sum of a sign's |x_e|^m. The raw
    level's derivative in q_e is S^((1−m)/m)·(w_c κ_e g_e)^m·|q_e|^(m−1), so to first order one draw's error in
    month t is normal with variance Σ_sign S_d,t^(2(1−m)/m) Σ_c w_d,c^(2m) V_c(t), where V_c(t) =
    Σ_{e∈c} κ_e^(2m) g_e(t)^(2m) |q_e|^(2(m−1)) (σ_e m_e)²: one accumulation with every term raised to 2m
    (:func:`powered`: k^2m, d^2m, and the half-lives divided by 2m), one row a sign. With m = 1 the raw level is
    linear in the intensities, S's power is 0, the two signs are one sum, and the variance is exact.

    Each draw then takes z·√V_d,t. The band is a percentile month by month, so only these monthly
    distributions matter; what is not reproduced is the correlation of one draw's errors across months,
    which the band does not use.
    """
    m = params.norm
    slope = intensity_slope(events["score"].to_numpy(dtype=float), score_sd, params.intensity)
    error = (score_sd * slope * event_multipliers(events, params)) ** 2
    if m == 1.0:
        rows = error[None, :]
    else:
        strength = event_strengths(events, params)
        error = error * np.abs(strength) ** (2 * (m - 1))
        # Both signs' V_c(t) in one accumulation (K = 2 strength rows), as components() does for the index.
        rows = np.vstack([np.where(strength > 0, error, 0.0), np.where(strength < 0, error, 0.0)])
    (v,) = _accumulate(
        events, powered(params, 2 * m), comp.categories, comp.months, rows, total=True, layout=comp.layout
    )
    v = v + _news_cross_terms(events, params, comp, rows)
    w2m = np.abs(scaled) ** (2 * m)
    if m == 1.0:
        variance = _combine(w2m, v[0])
    else:
        wm = np.abs(scaled) ** m
        variance = None
        for sign, sums in enumerate((comp.positive, comp.negative)):
            total = _combine(wm, sums) if totals is None else totals[sign]  # (D, T): the sign's Σ|x|^m, each draw
            reach = _combine(w2m, v[sign])  # Σ_c w_d,c^(2m) V_c(t)
            # Times S^(2(1−m)/m): a division by S when m = 2. Where a sign has no term (S = 0) its V is 0 too,
            # and the cell is left at 0 (no 1/0).
            present = total > 0
            if m == 2.0:
                np.divide(reach, total, out=reach, where=present)
            else:
                np.multiply(reach, np.power(total, 2 * (1 - m) / m, out=total, where=present), out=reach, where=present)
            if variance is None:
                variance = reach
            else:
                variance += reach
    np.sqrt(np.maximum(variance, 0.0, out=variance), out=variance)
    return z * variance


def _news_cross_terms(events: pd.DataFrame, params: Params, comp: Components, rows: np.ndarray) -> np.ndarray:
    """What V_c(t) of :func:`_score_errors` lacks when a standing event is news too (model v6).

    Its two terms, standing A = κ g_s and news B = o g_n (each raised to m), share one score error, so
    its derivative is the sum of theirs and its variance (A + B)², not A² + B²: the accumulation gives the
    squares, and this the cross term 2AB, for every standing event at once. For a state the product of its
    profiles is live·(r_s·r)^(m·age), a state of half-life 1/(m(1/H + 1/h)); for a structural event
    live·r^(m·age), a state of half-life h/m. Zero (and not computed) when standing events are not news.
    """
    out = np.zeros((rows.shape[0], len(comp.categories), len(comp.months)))
    layout, m, h = comp.layout, params.norm, params.half_life_months
    if layout is None:
        layout = _layout(events, comp.categories, comp.months)
    terms = layout.terms
    none = np.zeros_like(terms.shock)
    for mask, kappa, onset, rate in (
        (terms.state, params.state_weight, params.state_onset_weight, m / params.state_half_life_months + m / h),
        (terms.structural, params.structural_weight, params.onset_weight, m / h),
    ):
        if onset == 0.0 or kappa == 0.0 or not mask.any():
            continue
        both = replace(layout, terms=replace(terms, state=mask, structural=none, shock=none))
        cross = replace(
            params,
            structural_weight=0.0,
            state_weight=2 * (kappa * onset) ** m,
            state_half_life_months=1 / rate,
            onset_weight=0.0,
            state_onset_weight=0.0,
        )
        (part,) = _accumulate(events, cross, comp.categories, comp.months, rows, total=True, layout=both)
        out += part
    return out


def _ranks(percentile: float, n: int) -> tuple[int, int, float]:
    """The two order statistics (0-based) a percentile of n values lies between, and how far along."""
    position = percentile / 100 * (n - 1)
    below = int(np.floor(position))
    return below, min(below + 1, n - 1), position - below


def _interpolated_rank(ranked_raws: np.ndarray, percentile: float, width: float) -> np.ndarray:
    """``ranked_raws``: (D, T) with at least this percentile's two ranks in place along axis 0."""
    below, above, fraction = _ranks(percentile, ranked_raws.shape[0])
    lower, upper = squash(ranked_raws[below], width), squash(ranked_raws[above], width)
    return lower + (upper - lower) * fraction


@dataclass(frozen=True)
class Decomposition:
    """Why the index stands where it does in one month."""

    month: pd.Timestamp
    baseline: float
    by_category: pd.DataFrame  # category, shock, state, structural, total
    events: pd.DataFrame  # id, title, date, category, persistence, contribution (sorted by |contribution|)
    raw: float
    index: float

    @property
    def squash_effect(self) -> float:
        """How far the squash moved the value: index − raw."""
        return self.index - self.raw


def _month_position(months: pd.DatetimeIndex, month: pd.Timestamp) -> int:
    t = int(month_offsets(pd.Series([pd.Timestamp(month)]), months)[0])
    return min(max(t, 0), len(months) - 1)


def event_contributions(
    events: pd.DataFrame, params: Params, categories: tuple[str, ...], months: pd.DatetimeIndex, month: pd.Timestamp
) -> np.ndarray:
    """Each event's share of the raw level in ``month`` (0 for events after it), in the events' order: its
    term of the formula, or with a norm m ≠ 1 its share of its sign's norm (:func:`norm_shares`).

    Written event by event from the module's formula, independently of the cell sums of
    :func:`components`, so that the decomposition checks them.
    """
    t = _month_position(months, month)
    terms = _terms(events, months)
    start, stop = terms.start, terms.stop
    w = events["category"].map(lambda c: params.category_weights.get(c, 0.0)).to_numpy(dtype=float)
    w = np.where(events["category"].isin(categories).to_numpy(), w, 0.0)
    q = w * event_strengths(events, params)
    r = decay_factor(params.half_life_months)
    started, live = t >= start, t < stop
    in_pause = (terms.pause_from <= t) & (t < terms.pause_to)
    live[terms.paused[in_pause]] = False
    age = np.clip(t - start, 0, None).astype(float)
    rs = decay_factor(params.state_half_life_months)
    standing = np.select(
        [terms.structural, terms.state], [params.structural_weight * live, params.state_weight * live * rs**age], 0.0
    )
    fading = news_weights(terms, params) * r**age  # a shock's term, or a standing event's news of its start
    # Up to two terms an event (its news and its standing), each a term of the norm; the event's share is theirs.
    both = np.where(started, q * np.stack([fading, standing]), 0.0)
    shares = norm_shares(both.ravel(), params.norm).reshape(both.shape)
    return shares.sum(axis=0)


def norm_shares(terms: np.ndarray, m: float) -> np.ndarray:
    """Each term's share of the raw level when the terms of one sign add up as an m-norm: for a term x of
    the sign whose powers sum to S = Σ|x|^m, sgn(x)·|x|^m / S^((m−1)/m). The shares of a sign add up to its
    norm S^(1/m) exactly (Euler's theorem for a function homogeneous of degree 1), so a decomposition still
    adds up to the raw level; with m = 1 each share is the term itself. ``terms``: (..., events)."""
    if m == 1.0:
        return terms
    powered = np.abs(terms) ** m
    out = np.zeros_like(terms, dtype=float)
    for mask in (terms > 0, terms < 0):
        total = np.where(mask, powered, 0.0).sum(axis=-1, keepdims=True)
        scale = np.where(total > 0, total, 1.0) ** ((m - 1) / m)
        out = np.where(mask, np.sign(terms) * powered / scale, out)
    return out


def largest_contributors(
    events: pd.DataFrame,
    params: Params,
    categories: tuple[str, ...],
    months: pd.DatetimeIndex,
    chunk: int = 256,
    layout: Layout | None = None,
    comp: Components | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For every month, the row of the event whose term of the formula is largest in size, and that term.

    The same terms as :func:`event_contributions`, for all months at once. A shock's size in month *t* is
    :math:`|q_e| r^{t - m_e} = r^t \\cdot |q_e| r^{-m_e}`, so the largest shock is the started one with the
    largest :math:`\\log|q_e| - m_e \\log r`: a running maximum over the months, never a months × events
    matrix. Standing terms (states, structural events) are compared in blocks of at most ``chunk`` rows
    (a few dozen in the shipped data). A month no event reaches has row −1 and term 0.

    ``layout``: the one :func:`components` made for these events and months (``Components.layout``), whose
    terms are reused rather than worked out again.

    With a norm m ≠ 1 the events are compared by their shares of the raw level (:func:`norm_shares`): within a
    sign the largest term has the largest share, so the largest of each sign is found as above and the two
    shares compared, with each sign's Σ|x|^m from ``comp`` (:func:`components`'s, computed when not given).
    """
    T = len(months)
    best_row, best = np.full(T, -1, dtype=np.int64), np.zeros(T)
    if not len(events) or not T:
        return best_row, best
    if layout is not None and layout.grid_length - layout.cut == T and len(layout.cat_index) == len(events):
        c, lt = layout.cut, layout.terms  # the layout's grid starts ``cut`` months earlier
        terms = replace(
            lt, start=lt.start - c, stop=lt.stop - c, pause_from=lt.pause_from - c, pause_to=lt.pause_to - c
        )
    else:
        terms = _terms(events, months)
    w = events["category"].map(lambda c: params.category_weights.get(c, 0.0)).to_numpy(dtype=float)
    w = np.where(events["category"].isin(categories).to_numpy(), w, 0.0)
    q = w * event_strengths(events, params)
    news, m = news_weights(terms, params), params.norm

    def largest(q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        best_row, best = np.full(T, -1, dtype=np.int64), np.zeros(T)

        def take(rows: np.ndarray, values: np.ndarray) -> None:
            better = np.abs(values) > np.abs(best)
            best_row[better], best[better] = rows[better], values[better]

        # Shocks: the running maximum of log|q| − m·log r over the months they have started in.
        log_r = np.log(decay_factor(params.half_life_months))
        shocks = np.flatnonzero(terms.shock & (q != 0))
        if len(shocks):
            with np.errstate(divide="ignore"):
                key = np.log(np.abs(q[shocks])) - terms.start[shocks] * log_r
            month = np.clip(terms.start[shocks], 0, None)  # a shock before the first month counts from it
            reach = month < T
            shocks, key, month = shocks[reach], key[reach], month[reach]
            order = np.lexsort((-key, month))  # per month, the largest key first
            first_of_month = np.unique(month[order], return_index=True)[1]
            per_month_key = np.full(T, -np.inf)
            per_month_row = np.full(T, -1, dtype=np.int64)
            per_month_key[month[order][first_of_month]] = key[order][first_of_month]
            per_month_row[month[order][first_of_month]] = shocks[order][first_of_month]
            running = np.maximum.accumulate(per_month_key)
            # The row that set each running maximum: the last month at or before t whose key is the maximum.
            setter = np.where(per_month_key == running, np.arange(T), 0)
            row = per_month_row[np.maximum.accumulate(setter)]
            t = np.arange(T)
            has = (row >= 0) & np.isfinite(running)
            values = np.zeros(T)
            values[has] = q[row[has]] * np.exp(log_r * (t[has] - terms.start[row[has]]))
            take(np.where(has, row, -1), values)

        # Standing events: in blocks of rows, months × rows; each one's standing term and its news of its start
        # (model v6) make one share, as one term of size (|standing|^m + |news|^m)^(1/m) (the same sign).
        standing = np.flatnonzero(~terms.shock & (q != 0))
        rs = decay_factor(params.state_half_life_months)
        t = np.arange(T)[:, None]
        for lo in range(0, len(standing), chunk):
            cols = standing[lo : lo + chunk]
            start, stop = terms.start[cols][None, :], terms.stop[cols][None, :]
            live = (t >= start) & (t < stop)
            for row, first, last in zip(terms.paused, terms.pause_from, terms.pause_to):
                hit = np.flatnonzero(cols == row)
                if len(hit):
                    live[max(first, 0) : max(last, 0), hit[0]] = False
            weight = np.where(terms.structural[cols], params.structural_weight, params.state_weight)[None, :]
            block = q[cols][None, :] * weight * live
            if rs < 1:
                block = block * np.where(terms.state[cols][None, :], rs ** np.clip(t - start, 0, None), 1.0)
            told = q[cols][None, :] * news[cols][None, :] * np.exp(log_r * np.clip(t - start, 0, None)) * (t >= start)
            block = (
                block + told
                if m == 1.0
                else np.sign(block + told) * (np.abs(block) ** m + np.abs(told) ** m) ** (1 / m)
            )
            top = np.argmax(np.abs(block), axis=1)
            take(cols[top], block[np.arange(T), top])
        best_row[best == 0] = -1
        return best_row, best

    if params.norm == 1.0:
        return largest(q)
    m = params.norm
    comp = components(events, params, categories, months) if comp is None else comp
    wm = np.array([params.category_weights.get(c, 0.0) for c in comp.categories]) ** m
    rows_up, up = largest(np.where(q > 0, q, 0.0))
    rows_down, down = largest(np.where(q < 0, q, 0.0))
    shares = []
    for terms_of_sign, sums in ((up, comp.positive), (down, comp.negative)):
        total = wm @ sums
        scale = np.where(total > 0, total, 1.0) ** ((m - 1) / m)
        shares.append(np.sign(terms_of_sign) * np.abs(terms_of_sign) ** m / scale)
    pick_up = np.abs(shares[0]) >= np.abs(shares[1])
    rows = np.where(pick_up, rows_up, rows_down)
    values = np.where(pick_up, shares[0], shares[1])
    rows[values == 0] = -1
    return rows, values


def decompose(
    events: pd.DataFrame, params: Params, categories: tuple[str, ...], months: pd.DatetimeIndex, month: pd.Timestamp
) -> Decomposition:
    """Each category's and each event's contribution to the raw level in ``month``.

    The event contributions add up to raw − baseline; the category totals too.
    """
    t = _month_position(months, month)
    contribution = event_contributions(events, params, categories, months, month)
    table = events[["id", "title", "date", "category", "persistence", "score"]].assign(contribution=contribution)
    active = table[table["contribution"] != 0]
    active = active.reindex(active["contribution"].abs().sort_values(ascending=False, kind="stable").index)
    by_cat = (
        table.pivot_table(index="category", columns="persistence", values="contribution", aggfunc="sum", observed=False)
        .reindex(index=list(categories), columns=list(PERSISTENCES))
        .fillna(0.0)
    )
    by_cat["total"] = by_cat[list(PERSISTENCES)].sum(axis=1)
    by_cat = by_cat.reset_index().rename_axis(columns=None)
    raw = params.baseline + float(contribution.sum())
    return Decomposition(
        months[t], params.baseline, by_cat, active.reset_index(drop=True), raw, float(squash(raw, params.squash_width))
    )
