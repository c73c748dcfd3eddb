"""Robustness of insecurities to small image shifts (rebuttal R1.5): IoU of the caught part points."""

from __future__ import annotations

import numpy as np

from delex.metrics.precision_recall import as_numpy, safe_ratio


def shift_iou(inside_orig, inside_shift, gt=None) -> np.ndarray:
    """(Q, n_cov) IoU of the points inside the same ambiguity's insecurity before/after a shift.

    inside_* are (Q, n_cov, P) bool; gt (Q, P) optionally restricts both sets to ground-truth points
    (the rebuttal's p_i). NaN when the union is empty.
    """
    a = as_numpy(inside_orig).astype(bool)
    b = as_numpy(inside_shift).astype(bool)
    if a.shape != b.shape or a.ndim != 3:
        raise ValueError(f"inside masks must both be (Q, n_cov, P), got {a.shape} and {b.shape}")
    if gt is not None:
        g = as_numpy(gt).astype(bool)[:, None, :]
        a, b = a & g, b & g
    return safe_ratio((a & b).sum(-1), (a | b).sum(-1))


def _canonical(pairs) -> np.ndarray:
    """(Q, 3) int64 rows [image, min(a, b), max(a, b)]: an ambiguity is an unordered pair."""
    p = as_numpy(pairs).astype(np.int64).reshape(-1, 3)
    return np.column_stack([p[:, 0], np.minimum(p[:, 1], p[:, 2]), np.maximum(p[:, 1], p[:, 2])])


def match_pairs(pairs_a, pairs_b) -> tuple[np.ndarray, np.ndarray]:
    """Indices (idx_a, idx_b) of the ambiguities [image, a, b] present in both lists.

    (a, b) and (b, a) match; results are sorted by (image, min, max). Duplicates raise ValueError.
    """
    ca, cb = _canonical(pairs_a), _canonical(pairs_b)
    keys, inverse = np.unique(np.concatenate([ca, cb]), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    ka, kb = inverse[: len(ca)], inverse[len(ca) :]
    if np.unique(ka).size != ka.size or np.unique(kb).size != kb.size:
        raise ValueError("duplicate ambiguities within one list")
    _, idx_a, idx_b = np.intersect1d(ka, kb, assume_unique=True, return_indices=True)
    return idx_a, idx_b
