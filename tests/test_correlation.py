"""pearson(): scipy's value on the finite pairs, NaN on degenerate input."""

import math

import numpy as np
import pytest
from scipy import stats

from delex.metrics.correlation import pearson


def test_pearson_matches_scipy_after_dropping_nan():
    rng = np.random.default_rng(0)
    x = rng.normal(size=40)
    y = 0.5 * x + rng.normal(size=40)
    xn, yn = x.copy(), y.copy()
    xn[3], yn[7], yn[9] = np.nan, np.nan, np.inf
    keep = np.ones(40, dtype=bool)
    keep[[3, 7, 9]] = False
    expected = stats.pearsonr(x[keep], y[keep])
    r, p = pearson(xn, yn)
    assert r == pytest.approx(expected.statistic)
    assert p == pytest.approx(expected.pvalue)
    assert pearson([1, 2, 3], [2, 4, 6])[0] == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1])[0] == pytest.approx(-1.0)


def test_pearson_degenerate_cases():
    for x, y in [
        ([1, 2], [3, 4]),
        ([1, 1, 1], [1, 2, 3]),
        ([1, 2, 3], [5, 5, 5]),
        ([1, 2, np.nan, 4], [1, np.nan, 3, 4]),
    ]:
        r, p = pearson(x, y)
        assert math.isnan(r) and math.isnan(p)
    with pytest.raises(ValueError):
        pearson([1, 2, 3], [1, 2])
