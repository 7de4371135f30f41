"""Krippendorff's α from the library, checked on a small example worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components import agreement


def test_alpha_interval_on_a_hand_checked_example(codebook):
    # Two coders, four units: scores (1,1), (2,2), (3,4), (5,5).
    # Pairable values n = 8; D_o = (1/n)·Σ_units 2·(a−b)²/(m_u−1) = (1/8)·(2·1) = 0.25;
    # D_e = Σ_{c<k} n_c n_k (c−k)² / (n(n−1)) over all 8 values {1,1,2,2,3,4,5,5}: 2·Σ_{i<j}(v_i−v_j)²/(8·7)
    values = np.array([1, 1, 2, 2, 3, 4, 5, 5], dtype=float)
    d_e = sum((x - y) ** 2 for i, x in enumerate(values) for y in values[i + 1 :]) * 2 / (8 * 7)
    expected = 1 - 0.25 / d_e
    pairs = pd.DataFrame(
        {
            "score_a": [1, 2, 3, 5],
            "score_b": [1, 2, 4, 5],
            "persistence_a": ["shock"] * 4,
            "persistence_b": ["shock"] * 4,
        }
    )
    assert agreement.summary(pairs, codebook)["alpha_score"] == pytest.approx(expected)
    assert agreement.summary(pairs, codebook)["within_one"] == 1.0


def test_perfect_and_opposed_coders(codebook):
    same = pd.DataFrame(
        {
            "score_a": [-5, 0, 5],
            "score_b": [-5, 0, 5],
            "persistence_a": ["shock", "state", "structural"],
            "persistence_b": ["shock", "state", "structural"],
        }
    )
    result = agreement.summary(same, codebook)
    assert result["alpha_score"] == pytest.approx(1.0) and result["alpha_persistence"] == pytest.approx(1.0)
    opposed = same.assign(score_b=[5, 0, -5])
    assert agreement.summary(opposed, codebook)["alpha_score"] < 0
    assert agreement.summary(opposed, codebook)["differ_by_3_or_more"] == 2


def test_the_shipped_codings_pair_up(dataset):
    pairs = agreement.paired(dataset.events, dataset.codings, dataset.codebook)
    assert len(pairs) == len(dataset.events)
    assert set(pairs["persistence_b"]) <= set(agreement.persistence_codes(dataset.codebook))
    by_decade = agreement.by_group(pairs, "decade", dataset.codebook)
    assert by_decade["events"].sum() == len(pairs)


def test_agreement_compares_the_codings_as_first_made_not_the_adjudicated_scores(dataset):
    pairs = agreement.paired(dataset.events, dataset.codings, dataset.codebook)
    row = pairs.set_index("id").loc["1953-06-east-german-uprising"]
    assert (row["score_a"], row["score_b"]) == (-3.0, -6.0)  # adjudicated to −5 in events.csv
    assert agreement.summary(pairs, dataset.codebook)["differ_by_3_or_more"] >= 2
