"""Grid over the engine's defaults on the shipped events: how each setting uses the scale.

    python -m benchmarks.calibrate

Prints, for every combination, the lowest and highest month, the share of
months beyond ±9.5 (pinned at a bound) and each era's mean. The codebook's
[engine] defaults were chosen from this table.
"""

import itertools

import numpy as np
import pandas as pd

from components import engine
from components.dataset import eras_of, load_dataset


def main() -> None:
    dataset = load_dataset()
    codebook = dataset.codebook
    months = engine.series_months(dataset.events)
    era_names = list(dataset.eras["name"])
    era_of_month = eras_of(dataset.eras, months)
    rows = []
    for k, width, half_life, baseline in itertools.product([0.2, 0.3, 0.4, 0.5], [10, 15, 20], [12, 24, 36], [-2, -4]):
        params = engine.Params(
            category_weights=codebook.default_weights,
            half_life_months=half_life,
            baseline=baseline,
            structural_weight=k,
            squash_width=width,
        )
        index = engine.monthly_index(dataset.events, params, codebook.category_keys, months).index
        means = [index[era_of_month == name].mean() for name in era_names]
        rows.append((k, width, half_life, baseline, index.min(), index.max(), np.mean(np.abs(index) > 9.5), *means))
    table = pd.DataFrame(rows, columns=["k", "W", "h", "b", "min", "max", "pinned", *era_names])
    with pd.option_context("display.width", 250, "display.max_rows", 500, "display.precision", 2):
        print(table.to_string(index=False))


if __name__ == "__main__":
    main()
