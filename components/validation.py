"""The index beside outside measures: rank agreement at each series' own dates, against a chance level.

For each reference series (``data/references/series.toml``), the index is read at the series' dates
(the month of a monthly value; the mean of the year for a yearly one) and Spearman's rank correlation
ρ is computed between the two, with the series' sign turned so that a positive ρ means agreement.
The chance level is the same computation with the index shifted circularly out of step with history,
by every whole number of years from 5 to 70: if ρ does not clearly beat what a misaligned index
gives, the agreement says nothing about history.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from components import paths
from components.engine import SCALE_MAX

REFERENCES_DIR = paths.DATA_DIR / "references"
SHIFT_YEARS = range(5, 71)


@dataclass(frozen=True)
class Reference:
    key: str
    label: str
    publisher: str
    dates: str  # "month" or "year"
    direction: int
    confounds: str
    values: pd.DataFrame  # date (first of month or of year), value, source


@dataclass(frozen=True)
class Agreement:
    key: str
    n: int
    rho: float  # Spearman ρ, signed so that positive = agreement
    chance_mean: float
    chance_95: float  # 95th percentile of ρ over the shifted indices

    @property
    def beats_chance(self) -> bool:
        return bool(np.isfinite(self.rho) and self.rho > self.chance_95)


def load_references(directory: Path = REFERENCES_DIR) -> list[Reference]:
    """Every series of ``series.toml`` with its values (rows without a value left out)."""
    spec_path = directory / "series.toml"
    if not spec_path.exists():
        return []
    with open(spec_path, "rb") as handle:
        specs = tomllib.load(handle)["series"]
    out = []
    for key, spec in specs.items():
        raw = pd.read_csv(directory / spec["file"], dtype=str, keep_default_na=False)
        text = raw[spec["date_column"]].str.strip()
        when = pd.to_datetime(text if spec["dates"] == "month" else text + "-01", format="%Y-%m", errors="coerce")
        value = pd.to_numeric(raw[spec["value_column"]], errors="coerce")
        frame = pd.DataFrame({"date": when, "value": value, "source": raw.get("source", "")}).dropna(
            subset=["date", "value"]
        )
        out.append(
            Reference(
                key,
                spec["label"],
                spec["publisher"],
                spec["dates"],
                int(spec["direction"]),
                spec["confounds"],
                frame.reset_index(drop=True),
            )
        )
    return out


def index_at(index: pd.Series, reference: Reference, shift_months: int = 0) -> np.ndarray:
    """The index (monthly, by month start) at the reference's dates; a yearly value takes the year's mean.

    ``shift_months`` rolls the index circularly first (for the chance level).
    """
    values = pd.Series(np.roll(index.to_numpy(), shift_months), index=index.index) if shift_months else index
    if reference.dates == "year":
        by_year = values.groupby(values.index.year).mean()
        return reference.values["date"].dt.year.map(by_year).to_numpy(dtype=float)
    return reference.values["date"].map(values).to_numpy(dtype=float)


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's ρ over the pairs where both are finite: Pearson's r of the average ranks.

    pandas' ``corr(method="spearman")`` computes the same number but imports scipy, which the app does not
    install; ranking with pandas and correlating the ranks needs nothing beyond pandas and numpy.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 4 or np.ptp(a[ok]) == 0 or np.ptp(b[ok]) == 0:
        return float("nan")  # a constant series has no rank order to agree with
    ranks_a = pd.Series(a[ok]).rank().to_numpy()
    ranks_b = pd.Series(b[ok]).rank().to_numpy()
    return float(np.corrcoef(ranks_a, ranks_b)[0, 1])


def agreement(index: pd.Series, reference: Reference) -> Agreement:
    """ρ between the index and the reference at its dates, and the chance level from shifted indices."""
    signed = reference.direction * reference.values["value"].to_numpy(dtype=float)
    rho = spearman(index_at(index, reference), signed)
    shifted = [
        spearman(index_at(index, reference, 12 * years), signed) for years in SHIFT_YEARS if 12 * years < len(index)
    ]
    shifted = np.array([s for s in shifted if np.isfinite(s)])
    n = int(np.isfinite(index_at(index, reference)).sum())
    if not len(shifted):
        return Agreement(reference.key, n, rho, float("nan"), float("nan"))
    return Agreement(reference.key, n, rho, float(shifted.mean()), float(np.percentile(shifted, 95)))


def normalised(reference: Reference) -> pd.Series:
    """The reference rescaled to the index's scale (±``SCALE_MAX``) by its own range (sign turned), for drawing
    beside it."""
    v = reference.direction * reference.values["value"]
    span = v.max() - v.min()
    scaled = (v - v.min()) / span * 2 * SCALE_MAX - SCALE_MAX if span else v * 0
    return pd.Series(scaled.to_numpy(), index=reference.values["date"])


def largest_disagreements(index: pd.Series, reference: Reference, count: int = 3) -> pd.DataFrame:
    """The dates where the two rank orders differ most: date, index rank, reference rank (percentiles)."""
    ours = pd.Series(index_at(index, reference))
    theirs = pd.Series(reference.direction * reference.values["value"].to_numpy(dtype=float))
    ok = ours.notna() & theirs.notna()
    ranks = pd.DataFrame(
        {
            "date": reference.values["date"][ok].to_numpy(),
            "index_rank": ours[ok].rank(pct=True).to_numpy(),
            "reference_rank": theirs[ok].rank(pct=True).to_numpy(),
        }
    )
    ranks["gap"] = ranks["index_rank"] - ranks["reference_rank"]
    return ranks.reindex(ranks["gap"].abs().sort_values(ascending=False).index).head(count).reset_index(drop=True)
