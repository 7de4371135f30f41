"""A study for the next model version (issue 23): how the month's terms are added up.

    python -m benchmarks.aggregation_study

Model version 4 adds every event's term (x_t = Σ_e x_e(t)), so concurrent news and standing states stack:
the war years reach the squash's flat end and the calibration must keep the squash wide, which flattens the
Cold War's crises and détente. This study replaces the sum, per sign, with an *m*-norm,

    P_t = (Σ_{x_e(t) > 0} |x_e(t)|^m)^(1/m),   N_t = (Σ_{x_e(t) < 0} |x_e(t)|^m)^(1/m),   x_t = P_t − N_t,

so one large term counts in full and a second of the same size adds less (m = 1 is model version 4; m → ∞
keeps only the largest). The terms x_e(t) are model version 4's (intensity, persistence, ends, suspensions,
conflict groups). The decomposition would still add up exactly (Euler: x_t = Σ_e sgn(x_e)|x_e|^m / S^((m−1)/m)).

For each m and each state half-life H it runs the calibration's six-fold blocked cross-validation against
the blind panel with two of the calibration's refusal rules (no month beyond ±9; the Cold War's lowest month
the panel's, October 1962), and prints the out-of-sample error and which of the calibration's shape checks
(``calibrate.SHAPE``, the historian's checks of ``tests/test_view.py``) the chosen fit fails. Model version 5's
calibration adds those checks and 'news still moves the war years' as refusal rules.
It changes nothing in the app: a measurement to decide model version 5 on. Takes about a minute.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from benchmarks import calibrate
from components import engine, panel, view
from components.dataset import load_dataset

GRID = {
    "intensity": [1.0, 1.5, 2.0, 2.5],
    "half_life_months": [6.0, 9.0, 12.0, 18.0],
    "state_half_life_months": [48.0, 96.0, 144.0, float("inf")],
    "structural_weight": [0.1, 0.2, 0.3, 0.5],
    "state_weight": [0.5, 1.0, 1.5, 2.0, 3.0],
    "norm": [1.0, 1.5, 2.0, 3.0],
    "squash_width": [6.0, 8.0, 10.0, 12.0, 15.0, 20.0],
}


def main() -> None:
    dataset = load_dataset()
    events, codebook = dataset.events, dataset.codebook
    months = engine.series_months(events)
    targets = panel.target(panel.load_panel(codebook))
    weights = calibrate.period_matrix(months, targets["period"])
    hold = view.held_from(events, months)
    cold_war = int(months.searchsorted(pd.Timestamp("1992-01-01")))
    rated = targets[(targets["period"].str.len() == 7) & (targets["year"] < 1992)]
    lowest = pd.Timestamp(rated.loc[rated["median"].idxmin(), "period"] + "-01")
    terms, started, live, age, cut = calibrate.term_profiles(events, months)
    base = events["weight"].to_numpy(dtype=float) * events["included"].to_numpy(dtype=float)
    combos, predictions, allowed, lines = [], [], [], []
    for p, h, H in itertools.product(GRID["intensity"], GRID["half_life_months"], GRID["state_half_life_months"]):
        q = engine.intensity(events["score"].to_numpy(dtype=float), p) * base
        r, rs = engine.decay_factor(h), engine.decay_factor(H)
        structural = np.where(terms.structural[None, :] & live, q[None, :], 0.0)
        state = np.where(terms.state[None, :] & live, q[None, :] * rs**age, 0.0)
        shock = np.where(terms.shock[None, :] & started, q[None, :] * r**age, 0.0)
        for k, d in itertools.product(GRID["structural_weight"], GRID["state_weight"]):
            x = (k * structural + d * state + shock)[cut:]
            size, negative = np.abs(x), x < 0
            for m in GRID["norm"]:
                powered = size**m
                raw = np.where(~negative, powered, 0).sum(1) ** (1 / m) - np.where(negative, powered, 0).sum(1) ** (
                    1 / m
                )
                for width in GRID["squash_width"]:
                    index = engine.squash(raw, width)
                    if hold is not None:
                        index[hold + 1 :] = index[hold]
                    combos.append({"p": p, "h": h, "H": H, "k": k, "d": d, "m": m, "W": width})
                    predictions.append(index @ weights)
                    allowed.append(
                        bool(np.abs(index).max() <= calibrate.LIMIT)
                        and months[int(np.argmin(index[:cold_war]))] == lowest
                    )
                    lines.append((p, h, H, k, d, m, width))
    predictions, allowed = np.array(predictions), np.array(allowed)
    folds = panel.folds(targets["year"], calibrate.FOLDS)

    def line(c: dict) -> np.ndarray:
        q = engine.intensity(events["score"].to_numpy(dtype=float), c["p"]) * base
        r, rs = engine.decay_factor(c["h"]), engine.decay_factor(c["H"])
        x = (
            c["k"] * np.where(terms.structural[None, :] & live, q[None, :], 0.0)
            + c["d"] * np.where(terms.state[None, :] & live, q[None, :] * rs**age, 0.0)
            + np.where(terms.shock[None, :] & started, q[None, :] * r**age, 0.0)
        )[cut:]
        powered, negative = np.abs(x) ** c["m"], x < 0
        raw = np.where(~negative, powered, 0).sum(1) ** (1 / c["m"]) - np.where(negative, powered, 0).sum(1) ** (
            1 / c["m"]
        )
        index = engine.squash(raw, c["W"])
        if hold is not None:
            index[hold + 1 :] = index[hold]
        return index

    print(f"{len(combos)} combinations; six-fold blocked cross-validation against the panel median.\n")
    print(
        f"{'norm m':>7} {'H':>5}  {'in-sample':>9} {'out-of-sample':>13} {'rho':>5}  chosen fit / historian's checks failed"
    )
    for m, H in itertools.product(GRID["norm"], GRID["state_half_life_months"]):
        mask = np.array([c["m"] == m and c["H"] == H for c in combos])
        result = calibrate.Result(
            [c for c, keep in zip(combos, mask, strict=True) if keep], predictions[mask], allowed[mask], targets, folds
        )
        cv = calibrate.cross_validate(result)
        chosen = result.combos[cv.chosen]
        failed = calibrate.shape_failures(line(chosen), months)
        fit = ", ".join(f"{k}={v:g}" for k, v in chosen.items() if k not in ("m", "H"))
        print(
            f"{m:>7g} {H:>5g}  {cv.in_sample_mae:>9.2f} {cv.out_of_sample_mae:>13.2f} {cv.out_of_sample_rho:>5.2f}  "
            f"{fit}; fails: {', '.join(failed) or 'none'}"
        )


if __name__ == "__main__":
    main()
