"""The index engine: hand-scored events in, a bounded monthly index out.

Model
-----
Each event *e* has a hand score :math:`s_e` in [−10, +10], a category *c(e)*,
an actor *a(e)*, a month :math:`m_e`, an optional per-event weight
:math:`v_e` (1 unless a user edits it) and a persistence, *shock* or
*structural*. With category weights :math:`w_c`, actor weights :math:`u_a`,
a half-life *h* in months, a baseline *b*, a structural weight *k* and a
squash width *W*, the raw level in month *t* is

.. math::

    x_t = b + \\sum_{e \\in \\text{structural},\\, m_e \\le t} k\\, w_{c(e)} u_{a(e)} v_e s_e
            + \\sum_{e \\in \\text{shock},\\, m_e \\le t} w_{c(e)} u_{a(e)} v_e s_e\\, 2^{-(t - m_e)/h}

and the index is squashed smoothly into the scale,

.. math::

    I_t = 10 \\tanh(x_t / W),

so that no sequence of events can carry it past ±10.

A shock's effect halves every *h* months (an exponential decay, the
carry-over used in event-data indices such as Tsinghua University's monthly
scores of China's relations with the great powers, which carry each month's
value into the next). A structural event shifts the baseline for good, until
a later structural event moves it back. Scores follow the logic of the
Goldstein conflict–cooperation scale (Goldstein 1992) as set out in the
codebook.

Everything here is pure numpy/pandas: events are grouped into months with
array operations, never with a Python loop over events.

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

import numpy as np
import pandas as pd

from components.codebook import Codebook

# The formula as the Methodology page writes it; the module docstring states the same.
FORMULA_LATEX = r"""
x_t = b \;+\; \sum_{e\,\in\,\text{structural},\; m_e \le t} k\, w_{c(e)}\, u_{a(e)}\, v_e\, s_e
\;+\; \sum_{e\,\in\,\text{shock},\; m_e \le t} w_{c(e)}\, u_{a(e)}\, v_e\, s_e\; 2^{-(t-m_e)/h},
\qquad I_t = 10 \tanh\!\left(\frac{x_t}{W}\right)
"""
SERIES_START = pd.Timestamp("1949-04-01")  # the month the North Atlantic Treaty was signed
SCALE_MAX = 10.0
BAND_SEED = 19490404  # fixed: the same parameters always draw the same band
# r^-B must stay far from overflow in the blocked cumulative sum: r^-B <= 1e150.
_MAX_BLOCK_EXPONENT = 150 * np.log(10)


@dataclass(frozen=True)
class Params:
    """Everything that turns events into a series, besides the events themselves."""

    category_weights: Mapping[str, float]
    half_life_months: float = 24.0
    baseline: float = -2.0
    structural_weight: float = 0.2
    squash_width: float = 20.0
    actor_weights: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_codebook(cls, codebook: Codebook, **overrides) -> Params:
        eng = codebook.engine
        base = cls(
            category_weights=dict(codebook.default_weights),
            half_life_months=eng.half_life_months,
            baseline=eng.baseline,
            structural_weight=eng.structural_weight,
            squash_width=eng.squash_width,
        )
        return replace(base, **overrides)


@dataclass(frozen=True)
class Components:
    """Per-category sums of events before any category weight is applied.

    ``structural[c, t]`` is the running sum of structural scores of category
    *c* up to month *t*; ``shock[c, t]`` the decayed sum of its shocks.
    Both already carry actor and per-event weights.
    """

    months: pd.DatetimeIndex
    categories: tuple[str, ...]
    structural: np.ndarray
    shock: np.ndarray

    def weighted(self, params: Params) -> np.ndarray:
        """The (C, T) matrix of each category's contribution once its weight applies."""
        w = np.array([params.category_weights.get(c, 0.0) for c in self.categories])
        return w[:, None] * (params.structural_weight * self.structural + self.shock)


@dataclass(frozen=True)
class IndexSeries:
    months: pd.DatetimeIndex
    raw: np.ndarray
    index: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"date": self.months, "raw": self.raw, "index": self.index})


def month_range(start: pd.Timestamp = SERIES_START, end: pd.Timestamp | None = None) -> pd.DatetimeIndex:
    """First days of every month from ``start`` to ``end`` (default: this month), inclusive."""
    end = pd.Timestamp.today() if end is None else pd.Timestamp(end)
    first = np.datetime64(pd.Timestamp(start).strftime("%Y-%m"), "M")
    last = np.datetime64(end.strftime("%Y-%m"), "M")
    # numpy month arithmetic: pd.date_range(freq="MS") steps one offset at a time, 30× slower.
    return pd.DatetimeIndex(np.arange(first, last + 1).astype("datetime64[ns]"))


def series_months(events: pd.DataFrame, today: pd.Timestamp | None = None) -> pd.DatetimeIndex:
    """The months a dataset is drawn over: April 1949 (or its first event) to now (or its last)."""
    today = pd.Timestamp.today() if today is None else pd.Timestamp(today)
    if len(events):
        start = min(SERIES_START, events["date"].min())
        end = max(today, events["date"].max())
    else:
        start, end = SERIES_START, today
    return month_range(start, end)


def month_offsets(dates: pd.Series, months: pd.DatetimeIndex) -> np.ndarray:
    """Number of whole months from the first month of ``months`` to each date."""
    first = months[0]
    d = pd.DatetimeIndex(dates)
    return ((d.year - first.year) * 12 + (d.month - first.month)).to_numpy()


def decay_factor(half_life_months: float) -> float:
    """Share of a shock left after one month: r = 2^(−1/h)."""
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


def event_strengths(events: pd.DataFrame, params: Params) -> np.ndarray:
    """Score × per-event weight × actor weight × included, for each event (before the category weight)."""
    actor = (
        events["actor"].map(lambda a: params.actor_weights.get(a, 1.0)).to_numpy(dtype=float)
        if params.actor_weights
        else 1.0
    )
    return (
        events["score"].to_numpy(dtype=float)
        * events["weight"].to_numpy(dtype=float)
        * events["included"].to_numpy(dtype=float)
        * actor
    )


def components(
    events: pd.DataFrame, params: Params, categories: tuple[str, ...], months: pd.DatetimeIndex
) -> Components:
    """Group events into (category, month) cells and accumulate them; see the module's formula."""
    C, T = len(categories), len(months)
    # factorize, not Categorical: pandas 3 keeps strings in Arrow, and factorize
    # encodes them without making a Python object per event (4× faster at 10^6).
    codes, uniques = pd.factorize(events["category"])
    lookup = np.append(pd.Index(categories).get_indexer(uniques), -1)
    cat_index = lookup[codes].astype(np.int64)  # unknown or missing category: −1, dropped below
    offsets = month_offsets(events["date"], months)
    keep = (cat_index >= 0) & (offsets >= 0) & (offsets < T)
    strength = event_strengths(events, params)
    structural_mask = (events["persistence"] == "structural").to_numpy()
    cells = cat_index * T + offsets

    def grouped(mask: np.ndarray) -> np.ndarray:
        sel = keep & mask
        return np.bincount(cells[sel], weights=np.broadcast_to(strength, sel.shape)[sel], minlength=C * T).reshape(C, T)

    structural = np.cumsum(grouped(structural_mask), axis=1)
    shock = _decayed_cumsum(grouped(~structural_mask), decay_factor(params.half_life_months))
    return Components(months, tuple(categories), structural, shock)


def squash(raw: np.ndarray, width: float) -> np.ndarray:
    """I = 10·tanh(x / W): smooth, odd, monotone, and never beyond ±10."""
    return SCALE_MAX * np.tanh(np.asarray(raw) / width)


def index_from_components(comp: Components, params: Params) -> IndexSeries:
    raw = params.baseline + comp.weighted(params).sum(axis=0)
    return IndexSeries(comp.months, raw, squash(raw, params.squash_width))


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
    comp: Components, params: Params, spread: float, draws: int, percentiles: tuple[float, float], seed: int = BAND_SEED
) -> Band:
    """Two percentiles (the codebook's ``band_percentiles``) of the index under random perturbations of the weights.

    Each draw multiplies every category weight by its own log-normal factor
    exp(σ·z), z ~ N(0, 1), σ = ``spread``. The generator is seeded, so the
    same parameters always give the same band. The draws reuse the
    per-category components: one (D, C) × (C, T) product.
    """
    per_cat = params.structural_weight * comp.structural + comp.shock
    w = np.array([params.category_weights.get(c, 0.0) for c in comp.categories])
    rng = np.random.default_rng(seed)
    factors = np.exp(spread * rng.standard_normal((draws, len(comp.categories))))
    scaled = w[None, :] * factors
    # C rank-one updates rather than a (D, C) @ (C, T) product: with C = 6 the
    # product is tiny, and BLAS's threads cost more than they save.
    raws = np.full((draws, per_cat.shape[1]), params.baseline)
    for c in range(per_cat.shape[0]):
        raws += scaled[:, c : c + 1] * per_cat[c]
    raws.sort(axis=0)
    # np.percentile's linear interpolation, done on the squashed order statistics
    # only: the squash is monotone, so the ranks are the same before and after it.
    low, high = (_interpolated_rank(raws, q, params.squash_width) for q in percentiles)
    return Band(low, high, draws, spread, tuple(percentiles))


def _interpolated_rank(sorted_raws: np.ndarray, percentile: float, width: float) -> np.ndarray:
    position = percentile / 100 * (sorted_raws.shape[0] - 1)
    below = int(np.floor(position))
    above = min(below + 1, sorted_raws.shape[0] - 1)
    fraction = position - below
    lower, upper = squash(sorted_raws[below], width), squash(sorted_raws[above], width)
    return lower + (upper - lower) * fraction


@dataclass(frozen=True)
class Decomposition:
    """Why the index stands where it does in one month."""

    month: pd.Timestamp
    baseline: float
    by_category: pd.DataFrame  # category, structural, shock, total
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
    """Each event's term of the formula in ``month`` (0 for events after it), in the events' order."""
    age = _month_position(months, month) - month_offsets(events["date"], months)
    w = events["category"].map(lambda c: params.category_weights.get(c, 0.0)).to_numpy(dtype=float)
    w = np.where(events["category"].isin(categories).to_numpy(), w, 0.0)
    structural = (events["persistence"] == "structural").to_numpy()
    r = decay_factor(params.half_life_months)
    carried = np.where(structural, params.structural_weight, r ** np.maximum(age, 0).astype(float))
    return np.where(age >= 0, w * event_strengths(events, params) * carried, 0.0)


def decompose(
    events: pd.DataFrame, params: Params, categories: tuple[str, ...], months: pd.DatetimeIndex, month: pd.Timestamp
) -> Decomposition:
    """Each category's and each event's contribution to the raw level in ``month``.

    The event contributions add up to raw − baseline; the category totals too.
    """
    t = _month_position(months, month)
    contribution = event_contributions(events, params, categories, months, month)
    structural = (events["persistence"] == "structural").to_numpy()
    table = events[["id", "title", "date", "category", "persistence", "score"]].assign(contribution=contribution)
    active = table[table["contribution"] != 0]
    active = active.reindex(active["contribution"].abs().sort_values(ascending=False, kind="stable").index)
    kinds = table.assign(kind=np.where(structural, "structural", "shock"))
    by_cat = (
        kinds.pivot_table(index="category", columns="kind", values="contribution", aggfunc="sum", observed=False)
        .reindex(index=list(categories), columns=["structural", "shock"])
        .fillna(0.0)
    )
    by_cat["total"] = by_cat["structural"] + by_cat["shock"]
    by_cat = by_cat.reset_index().rename_axis(columns=None)
    raw = params.baseline + float(contribution.sum())
    return Decomposition(
        months[t], params.baseline, by_cat, active.reset_index(drop=True), raw, float(squash(raw, params.squash_width))
    )
