"""Per-part attribute distributions of classes and their pairwise similarities (METHOD.md section 5).

Paper default: each attribute group of a class is turned into a distribution by adding epsilon to the
percentages and normalising; two classes are similar on a part when the mean over the part's groups of
exp(-symmetric KL) is large. Released variant: softmax over the raw percentages and minus the mean
Endres-Schindelin divergence (= 2 Jensen-Shannon divergence).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from scipy.special import rel_entr, softmax

from delex.parts import PART_GROUPS

Method = Literal["kl", "endres_schindelin"]


def _as_class_matrix(class_attributes) -> np.ndarray:
    """Class-by-attribute matrix as float64, checked to be 2-D and finite."""
    x = np.asarray(class_attributes, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"class_attributes must be (K, A), got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("class_attributes contains non-finite values")
    return x


def group_distributions(
    class_attributes, groups: Sequence[Sequence[int]], epsilon: float
) -> list[np.ndarray]:
    """(x + epsilon) normalised per class within each group: one (K, G) distribution per group."""
    if epsilon < 0:
        raise ValueError(f"epsilon must be >= 0, got {epsilon}")
    x = _as_class_matrix(class_attributes)
    out = []
    for g in groups:
        v = x[:, list(g)] + epsilon
        total = v.sum(axis=1, keepdims=True)
        if np.any(total <= 0):
            raise ValueError(f"group {list(g)[:3]}... sums to 0 for some class; use epsilon > 0")
        out.append(v / total)
    return out


def softmax_distributions(class_attributes, groups: Sequence[Sequence[int]]) -> list[np.ndarray]:
    """Softmax of the raw percentages per class within each group (released-code variant)."""
    x = _as_class_matrix(class_attributes)
    return [softmax(x[:, list(g)], axis=1) for g in groups]


def _kl_matrix(p: np.ndarray) -> np.ndarray:
    """KL(p_a || p_b) for all row pairs; rel_entr gives 0 log 0 = 0 and p log(p/0) = inf."""
    p = np.asarray(p, dtype=np.float64)
    return rel_entr(p[:, None, :], p[None, :, :]).sum(axis=-1)


def symmetric_kl(p: np.ndarray) -> np.ndarray:
    """(K, K) matrix of KL(a||b) + KL(b||a) (natural log) between the rows of p (K, G)."""
    kl = _kl_matrix(p)
    return kl + kl.T


def kl_similarity(p: np.ndarray) -> np.ndarray:
    """(K, K) similarity exp(-(KL(a||b) + KL(b||a))): 1 for identical rows, 0 for disjoint support."""
    return np.exp(-symmetric_kl(p))


def endres_schindelin(p: np.ndarray) -> np.ndarray:
    """(K, K) Endres-Schindelin divergence = 2 JSD (natural log) between the rows of p (K, G)."""
    p = np.asarray(p, dtype=np.float64)
    a, b = p[:, None, :], p[None, :, :]
    m = (a + b) / 2
    # scipy.spatial.distance.jensenshannon works on one pair at a time and returns sqrt(JSD);
    # the all-pairs form with rel_entr is vectorised and exact (0 on the diagonal).
    return (rel_entr(a, m) + rel_entr(b, m)).sum(axis=-1)


def part_scores(
    class_attributes,
    method: Method = "kl",
    epsilon: float = 1e-3,
    part_groups: Sequence[Sequence[Sequence[int]]] = PART_GROUPS,
) -> np.ndarray:
    """(P, K, K) part similarity of every class pair, larger = more similar (epsilon: "kl" only)."""
    cache: dict[tuple, np.ndarray] = {}  # left/right parts share groups: compute each family once
    out = []
    for groups in part_groups:
        key = tuple(tuple(int(i) for i in g) for g in groups)
        if key not in cache:
            if method == "kl":
                dists = group_distributions(class_attributes, key, epsilon)
                cache[key] = np.mean([kl_similarity(d) for d in dists], axis=0)
            elif method == "endres_schindelin":
                dists = softmax_distributions(class_attributes, key)
                cache[key] = -np.mean([endres_schindelin(d) for d in dists], axis=0)
            else:
                raise ValueError(f"unknown method {method!r}; expected 'kl' or 'endres_schindelin'")
        out.append(cache[key])
    return np.stack(out)
