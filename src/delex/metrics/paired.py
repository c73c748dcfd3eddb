"""Is the insecurities' precision above the random regions'? A paired test per run, combined over runs.

Means over runs with their std (the paper's mean(std)) cannot say whether a margin of a few points is
more than noise: both numbers move together with the explained images. The images pair them, so each
run gets a Wilcoxon signed-rank test of per-image differences (scipy.stats.wilcoxon), one-sided
(insecurities > random regions), and the runs' p-values are combined with Stouffer's method weighted
by sqrt(number of pairs) (scipy.stats.combine_pvalues).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from delex.metrics.precision_recall import as_numpy


def signed_rank_greater(x, y) -> tuple[float, int]:
    """(one-sided p of x > y, number of pairs) over the pairs where both are finite.

    Zero differences are dropped (Wilcoxon's convention); p is NaN when no non-zero difference is left.
    """
    x = as_numpy(x).astype(np.float64).reshape(-1)
    y = as_numpy(y).astype(np.float64).reshape(-1)
    if x.shape != y.shape:
        raise ValueError(f"x and y differ in length: {x.size} vs {y.size}")
    ok = np.isfinite(x) & np.isfinite(y)
    d = x[ok] - y[ok]
    if not np.any(d != 0):
        return float("nan"), int(ok.sum())
    res = stats.wilcoxon(d, zero_method="wilcox", alternative="greater")
    return float(res.pvalue), int(ok.sum())


def signed_rank_curve(x, y) -> tuple[np.ndarray, np.ndarray]:
    """`signed_rank_greater` for every column of (n_images, n_cov) per-image curves."""
    x, y = as_numpy(x), as_numpy(y)
    if x.shape != y.shape or x.ndim != 2:
        raise ValueError(f"per-image curves must be two equal (n_images, n_cov) arrays: {x.shape}, {y.shape}")
    out = [signed_rank_greater(x[:, c], y[:, c]) for c in range(x.shape[1])]
    return np.array([p for p, _ in out]), np.array([n for _, n in out], dtype=np.int64)


def combine_greater(pvalues, n_pairs) -> float:
    """Stouffer's combination of one-sided p-values, weights sqrt(n_pairs); NaN entries are skipped
    and NaN is returned when none is left."""
    p = as_numpy(pvalues).astype(np.float64).reshape(-1)
    n = as_numpy(n_pairs).astype(np.float64).reshape(-1)
    if p.shape != n.shape:
        raise ValueError(f"pvalues and n_pairs differ in length: {p.size} vs {n.size}")
    ok = np.isfinite(p) & (n > 0)
    if not ok.any():
        return float("nan")
    if ok.sum() == 1:
        return float(p[ok][0])
    # combine_pvalues needs p strictly inside (0, 1) for the normal quantile; clip at float eps
    eps = np.finfo(np.float64).eps
    res = stats.combine_pvalues(np.clip(p[ok], eps, 1 - eps), method="stouffer", weights=np.sqrt(n[ok]))
    return float(res.pvalue)
