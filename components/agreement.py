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

PERSISTENCE_CODES = {"shock": 0, "state": 1, "structural": 2}


def _alpha(a: np.ndarray, b: np.ndarray, level: str) -> float:
    data = np.vstack([a, b]).astype(float)
    if data.shape[1] < 2 or len(np.unique(data[~np.isnan(data)])) < 2:
        return float("nan")  # α is undefined when there is no variation to agree on
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def paired(events: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """The events both coders scored, as each first coded them (before adjudication): id, decade, category,
    score_a, score_b, persistence_a, persistence_b."""
    both = events[["id", "date", "category"]].merge(codings, on="id", how="inner")
    return pd.DataFrame(
        {
            "id": both["id"],
            "decade": (both["date"].dt.year // 10 * 10).astype(str) + "s",
            "category": both["category"],
            "score_a": both["score_a"].astype(float),
            "score_b": both["score_b"].astype(float),
            "persistence_a": both["persistence_a"],
            "persistence_b": both["persistence_b"],
        }
    )


def summary(pairs: pd.DataFrame) -> dict[str, float]:
    """α for score and persistence, the share within ±1 point, counts of large disagreements."""
    gap = (pairs["score_a"] - pairs["score_b"]).abs()
    return {
        "events": float(len(pairs)),
        "alpha_score": _alpha(pairs["score_a"].to_numpy(), pairs["score_b"].to_numpy(), "interval"),
        "alpha_persistence": _alpha(
            pairs["persistence_a"].map(PERSISTENCE_CODES).to_numpy(),
            pairs["persistence_b"].map(PERSISTENCE_CODES).to_numpy(),
            "nominal",
        ),
        "within_one": float((gap <= 1).mean()) if len(pairs) else float("nan"),
        "differ_by_3_or_more": float((gap >= 3).sum()),
        "persistence_differs": float((pairs["persistence_a"] != pairs["persistence_b"]).sum()),
    }


def by_group(pairs: pd.DataFrame, column: str) -> pd.DataFrame:
    """:func:`summary` for each value of ``column`` (decade or category)."""
    rows = {key: summary(group) for key, group in pairs.groupby(column, sort=True)}
    return pd.DataFrame(rows).T


def reading(alpha: float) -> str:
    if np.isnan(alpha):
        return "undefined (no variation)"
    return "good" if alpha >= 0.8 else "tentative" if alpha >= 0.667 else "not reliable"
