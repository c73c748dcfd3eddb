"""Sanity-check analyses: internal consistency (Spearman between configurations of one metric) and
inter-method reliability (Spearman between metrics, point-biserial when one is binary), per method."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

# Higher is better after multiplying by the sign: deletion, Average Drop % and ROAD-MoRF are negated.
DIRECTION = {
    "insertion": 1,
    "deletion": -1,
    "avg_drop": -1,
    "increase": 1,
    "pointing": 1,
    "road_morf": -1,
    "road_lerf": 1,
}
BINARY = ("pointing",)


def _clean(x, y):
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if x.shape != y.shape:
        raise ValueError(f"x and y differ in length: {x.size} vs {y.size}")
    ok = np.isfinite(x) & np.isfinite(y)
    return x[ok], y[ok]


def spearman(x, y) -> float:
    """Spearman's rho over the finite pairs; NaN for < 3 pairs or a constant side."""
    x, y = _clean(x, y)
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    return float(stats.spearmanr(x, y).statistic)


def point_biserial(binary, y) -> float:
    """Point-biserial r between a 0/1 variable and a continuous one; NaN if either is constant."""
    b, y = _clean(binary, y)
    if not np.isin(b, (0.0, 1.0)).all():
        raise ValueError("point_biserial: the first variable must be 0/1")
    if b.size < 3 or np.ptp(b) == 0 or np.ptp(y) == 0:
        return float("nan")
    return float(stats.pointbiserialr(b, y).statistic)


def correlation(a: str, x, b: str, y) -> tuple[float, str]:
    """Correlation of metric a's scores x with metric b's y, directions aligned (higher = better for
    both); point-biserial when one of them is binary, else Spearman. Returns (r, kind)."""
    base = lambda m: m.split(":")[0]  # noqa: E731  ("avg_drop:bin50" -> "avg_drop")
    x = DIRECTION[base(a)] * np.asarray(x, dtype=np.float64)
    y = DIRECTION[base(b)] * np.asarray(y, dtype=np.float64)
    if base(a) in BINARY and base(b) in BINARY:
        raise ValueError("two binary metrics: no correlation defined here")
    if base(a) in BINARY:
        return point_biserial(x, y), "point-biserial"
    if base(b) in BINARY:
        return point_biserial(y, x), "point-biserial"
    return spearman(x, y), "spearman"


def consistency_matrix(scores: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Square Spearman matrix between configuration columns of one method's per-image scores."""
    m = pd.DataFrame(np.eye(len(columns)), index=columns, columns=columns)
    for a, b in itertools.combinations(columns, 2):
        m.loc[a, b] = m.loc[b, a] = spearman(scores[a], scores[b])
    return m


def reliability(scores: pd.DataFrame, metrics: dict[str, str]) -> list[dict]:
    """Rows (pair, r, kind) for every pair of metrics {label: column} of one method's scores."""
    rows = []
    for (la, ca), (lb, cb) in itertools.combinations(metrics.items(), 2):
        r, kind = correlation(la, scores[ca], lb, scores[cb])
        rows.append({"pair": f"{la} & {lb}", "r": r, "kind": kind})
    return rows
