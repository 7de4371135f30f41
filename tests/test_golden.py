"""The engine against values computed another way (tests/results/make_golden.py: a plain loop over the formula)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from components import engine

RESULTS = Path(__file__).resolve().parent / "results"


def test_the_engine_matches_the_plain_formula_on_the_shipped_events_1947_to_2026(dataset):
    with open(RESULTS / "golden_1947_2026.csv", newline="", encoding="utf-8") as handle:
        golden = list(csv.DictReader(handle))
    events = dataset.events[dataset.events["date"] <= pd.Timestamp("2026-11-30")]
    params = engine.Params(
        category_weights={c: 1.0 for c in dataset.codebook.category_keys},
        half_life_months=9.0,
        baseline=0.0,
        structural_weight=0.2,
        state_weight=1.2,
        squash_width=12.0,
        intensity=2.5,
        state_half_life_months=float("inf"),
        norm=2.0,
        onset_weight=1.5,
        state_onset_weight=0.5,
    )
    months = engine.month_range(pd.Timestamp("1949-04-01"), pd.Timestamp("2026-11-01"))
    series = engine.monthly_index(events, params, dataset.codebook.category_keys, months)
    assert [g["month"] for g in golden] == list(months.strftime("%Y-%m"))
    np.testing.assert_allclose(series.raw, [float(g["raw"]) for g in golden], rtol=0, atol=1e-9)
    np.testing.assert_allclose(series.index, [float(g["index"]) for g in golden], rtol=0, atol=1e-9)
    assert len(events) >= 500 and set(events["persistence"]) == {"shock", "state", "structural"}
    # The slice exercises every rule: rows that end others, suspensions and a conflict group.
    assert (events["ends"] != "").sum() >= 10 and (events["suspends"] != "").sum() >= 5
    assert events.groupby("conflict").size().drop("", errors="ignore").max() >= 3
