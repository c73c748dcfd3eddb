"""Known answers for the paired insecurity-vs-random test (delex.metrics.paired)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from delex.metrics.paired import combine_greater, signed_rank_curve, signed_rank_greater


def test_signed_rank_exact_known_answers():
    # five positive differences: the exact null puts 1/2^5 on "all ranks positive"
    assert signed_rank_greater([1, 2, 3, 4, 5], [0, 0, 0, 0, 0]) == (pytest.approx(1 / 32), 5)
    assert signed_rank_greater([0] * 5, [1, 2, 3, 4, 5])[0] == pytest.approx(1.0)
    # differences +1, +2, -3: W+ = 1 + 2 = 3; P(W+ >= 3) over the 8 sign patterns is 5/8
    assert signed_rank_greater([1, 2, 0], [0, 0, 3])[0] == pytest.approx(5 / 8)


def test_signed_rank_pairs_only_defined_values():
    p, n = signed_rank_greater([1, np.nan, 3, 5], [0, 2, np.inf, 1])
    assert n == 2 and p == pytest.approx(1 / 4)
    assert np.isnan(signed_rank_greater([1, 2], [1, 2])[0])  # no non-zero difference
    with pytest.raises(ValueError, match="length"):
        signed_rank_greater([1, 2], [1])


def test_signed_rank_curve_columns():
    x = np.array([[1.0, 0.0], [2.0, 0.0], [3.0, np.nan], [4.0, 0.0], [5.0, 0.0]])
    y = np.zeros_like(x)
    p, n = signed_rank_curve(x, y)
    assert p[0] == pytest.approx(1 / 32) and np.isnan(p[1])
    assert n.tolist() == [5, 4]


def test_stouffer_known_answers():
    assert combine_greater([0.5, 0.5], [10, 10]) == pytest.approx(0.5)
    z = (2 * norm.isf(0.1) + 3 * norm.isf(0.2)) / np.sqrt(4 + 9)
    assert combine_greater([0.1, 0.2], [4, 9]) == pytest.approx(norm.sf(z))
    assert combine_greater([0.03, np.nan], [5, 3]) == pytest.approx(0.03)  # one run left
    assert np.isnan(combine_greater([np.nan], [4]))
    # symmetric evidence cancels; one-sided p-values in both directions stay in (0, 1)
    assert combine_greater([0.01, 0.99], [9, 9]) == pytest.approx(0.5)
    assert 0 < combine_greater([0.0, 1.0], [1, 100]) < 1
