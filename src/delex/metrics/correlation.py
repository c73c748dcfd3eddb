"""Pearson correlation between insecurity importance and precision (rebuttal Table 1)."""

from __future__ import annotations

import numpy as np
from scipy import stats

from delex.metrics.precision_recall import as_numpy


def pearson(x, y) -> tuple[float, float]:
    """(r, two-sided p) over the pairs where both are finite; (NaN, NaN) if < 3 pairs or constant."""
    x = as_numpy(x).astype(np.float64).reshape(-1)
    y = as_numpy(y).astype(np.float64).reshape(-1)
    if x.shape != y.shape:
        raise ValueError(f"x and y differ in length: {x.size} vs {y.size}")
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan"), float("nan")
    res = stats.pearsonr(x, y)
    return float(res.statistic), float(res.pvalue)
