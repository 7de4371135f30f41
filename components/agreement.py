"""How well the two codings of the events agree: Krippendorff's α (the ``krippendorff`` package) and simple shares.

Both codings are in ``data/codings.csv`` (A: the dataset's first coding; B: made blind, see the
Methodology page); ``events.csv`` holds the adjudicated score. α is computed for the score at the interval level and for persistence
at the nominal level, overall, per decade and per category. Usual reading (Krippendorff 2004):
α ≥ 0.8 good; 0.667 ≤ α < 0.8 tentative; below that, not reliable.
"""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd

from components.codebook import Codebook


def persistence_codes(codebook: Codebook) -> dict[str, int]:
    """The persistence kinds as numbers for α at the nominal level (any distinct numbers do)."""
    return {kind: i for i, kind in enumerate(codebook.persistence.kinds)}


def _alpha(a: np.ndarray, b: np.ndarray, level: str) -> float:
    data = np.vstack([a, b]).astype(float)
    if data.shape[1] < 2 or len(np.unique(data[~np.isnan(data)])) < 2:
        return float("nan")  # α is undefined when there is no variation to agree on
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def paired(events: pd.DataFrame, codings: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The events both coders scored, as each first coded them (before adjudication): id, decade, category,
    and each coder's score and persistence columns (score_<key>, persistence_<key>)."""
    both = events[["id", "date", "category"]].merge(codings, on="id", how="inner")
    columns = [c for coder in codebook.coders.values() for c in (coder.score_column, coder.persistence_column)]
    out = pd.DataFrame(
        {
            "id": both["id"],
            "decade": (both["date"].dt.year // 10 * 10).astype(str) + "s",
            "category": both["category"],
        }
    )
    for column in columns:
        out[column] = both[column].astype(float) if column.startswith("score_") else both[column]
    return out


def summary(pairs: pd.DataFrame, codebook: Codebook) -> dict[str, float]:
    """α for score and persistence between the codebook's two coders, the share within ±1 point, counts of large
    disagreements."""
    first, second = codebook.coders.values()
    a, b = pairs[first.score_column], pairs[second.score_column]
    kind_a, kind_b = pairs[first.persistence_column], pairs[second.persistence_column]
    codes = persistence_codes(codebook)
    gap = (a - b).abs()
    return {
        "events": float(len(pairs)),
        "alpha_score": _alpha(a.to_numpy(), b.to_numpy(), "interval"),
        "alpha_persistence": _alpha(kind_a.map(codes).to_numpy(), kind_b.map(codes).to_numpy(), "nominal"),
        "within_one": float((gap <= 1).mean()) if len(pairs) else float("nan"),
        "differ_by_3_or_more": float((gap >= 3).sum()),
        "persistence_differs": float((kind_a != kind_b).sum()),
    }


def by_group(pairs: pd.DataFrame, column: str, codebook: Codebook) -> pd.DataFrame:
    """:func:`summary` for each value of ``column`` (decade or category)."""
    rows = {key: summary(group, codebook) for key, group in pairs.groupby(column, sort=True)}
    return pd.DataFrame(rows).T


def reading(alpha: float) -> str:
    if np.isnan(alpha):
        return "undefined (no variation)"
    return "good" if alpha >= 0.8 else "tentative" if alpha >= 0.667 else "not reliable"
