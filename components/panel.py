"""The blind expert panel: the calibration target of the index, and how the index generalises to it.

``data/panel.csv`` holds, for each panelist, one level on the codebook's scale for every year from 1949
and for the months of the major crises, with a reason (``data/PANEL.md`` gives the protocol). The target
is the panel's median; the spread is its range. Pure pandas: no streamlit.

A period ``YYYY`` is compared with the index's mean over that year's months, a period ``YYYY-MM`` with that
month's value. Cross-validation folds are blocks of consecutive years: a crisis month goes with its year,
so a fold never shares a year with another, and a held-out block is a stretch of history the fit never saw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd

from components.codebook import Codebook
from components.paths import PANEL_CSV
from components.validation import spearman

PANEL_FILE = PANEL_CSV
COLUMNS = ("panelist", "period", "level", "reason")
_PERIOD = re.compile(r"^(\d{4})(-(0[1-9]|1[0-2]))?$")


class PanelError(ValueError):
    """The panel file breaks the protocol; the message says where."""


def load_panel(codebook: Codebook, path: Path = PANEL_FILE) -> pd.DataFrame:
    """The panel as a frame (panelist, period, level, reason), checked against the protocol."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    validate_panel(frame, codebook)
    return frame.assign(level=frame["level"].astype(float))


def validate_panel(frame: pd.DataFrame, codebook: Codebook) -> None:
    """Raise :class:`PanelError` naming the line of every row that breaks the protocol."""
    if tuple(frame.columns) != COLUMNS:
        raise PanelError(f"the panel's columns must be {', '.join(COLUMNS)}; found {', '.join(frame.columns)}")
    problems = []
    for line, row in zip(range(2, len(frame) + 2), frame.itertuples(index=False)):
        match = _PERIOD.match(row.period)
        level = pd.to_numeric(row.level, errors="coerce")
        if not row.panelist.strip():
            problems.append(f"line {line}: no panelist")
        if not match or not 1949 <= int(match.group(1)) <= pd.Timestamp.today().year:
            problems.append(f"line {line}: period {row.period!r} is not a year or month from 1949")
        if pd.isna(level) or not codebook.scale_min <= level <= codebook.scale_max:
            problems.append(
                f"line {line}: level {row.level!r} is not a number from {codebook.scale_min} to {codebook.scale_max}"
            )
        if not row.reason.strip():
            problems.append(f"line {line}: no reason")
    doubled = frame[frame.duplicated(["panelist", "period"], keep="first")]
    problems += [
        f"line {i + 2}: {r.panelist} rates {r.period} twice" for i, r in zip(doubled.index, doubled.itertuples())
    ]
    periods = frame.groupby("panelist")["period"].apply(frozenset)
    if periods.nunique() > 1:
        problems.append("the panelists do not all rate the same periods")
    if problems:
        raise PanelError("; ".join(problems))


def target(panel: pd.DataFrame) -> pd.DataFrame:
    """Per period: the panel's median (the target), its lowest and highest level, and the year it belongs to."""
    grouped = panel.groupby("period", sort=True)["level"]
    out = pd.DataFrame({"median": grouped.median(), "low": grouped.min(), "high": grouped.max()})
    out["year"] = [int(p[:4]) for p in out.index]
    return out.rename_axis("period").reset_index()


def alpha(panel: pd.DataFrame) -> float:
    """Krippendorff's α (interval) of the panelists' levels over the periods."""
    table = panel.pivot(index="panelist", columns="period", values="level")
    return float(krippendorff.alpha(reliability_data=table.to_numpy(dtype=float), level_of_measurement="interval"))


def index_at_periods(index: pd.Series, periods) -> np.ndarray:
    """The index (by month start) for each period: a year's mean, or a month's value (NaN outside the series)."""
    by_year = index.groupby(index.index.year).mean()
    out = []
    for period in periods:
        if len(period) == 4:
            out.append(float(by_year.get(int(period), np.nan)))
        else:
            out.append(float(index.get(pd.Timestamp(period + "-01"), np.nan)))
    return np.array(out)


@dataclass(frozen=True)
class Fit:
    mae: float
    rho: float
    n: int


def fit(index: pd.Series, targets: pd.DataFrame) -> Fit:
    """Mean absolute error and Spearman's ρ of the index against the panel medians of ``targets``."""
    ours = index_at_periods(index, targets["period"])
    ok = np.isfinite(ours)
    errors = np.abs(ours[ok] - targets["median"].to_numpy()[ok])
    return Fit(
        float(errors.mean()) if ok.any() else float("nan"), spearman(ours, targets["median"].to_numpy()), int(ok.sum())
    )


def comparison(index: pd.Series, targets: pd.DataFrame) -> pd.DataFrame:
    """Each period's panel median and range beside the index, and their difference (index − median)."""
    out = targets.copy()
    out["index"] = index_at_periods(index, targets["period"])
    out["difference"] = out["index"] - out["median"]
    return out


def folds(years, k: int) -> np.ndarray:
    """For each year, its fold (0…k−1): k blocks of consecutive years, as equal as whole years allow."""
    years = np.asarray(years, dtype=int)
    distinct = np.unique(years)
    block = np.minimum((np.arange(len(distinct)) * k) // len(distinct), k - 1)
    return block[np.searchsorted(distinct, years)]
