"""Ground-truth triplets (part, a, b): the top fraction of part-wise class similarities (METHOD.md 5)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from delex.parts import PART_NAMES, part_family

Rule = Literal["rank", "quantile"]


def round_half_up(x) -> np.ndarray:
    """Round half away from zero for x >= 0 (Python's round() rounds half to even)."""
    return np.floor(np.asarray(x, dtype=np.float64) + 0.5).astype(np.int64)


def _upper_values(scores: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """(P, K(K-1)/2) scores of the candidate triplets a < b, in flat (part, a, b) order."""
    if scores.ndim != 3 or scores.shape[1] != scores.shape[2]:
        raise ValueError(f"scores must be (P, K, K), got shape {scores.shape}")
    iu = np.triu_indices(scores.shape[1], k=1)
    return scores[:, iu[0], iu[1]], iu


def select_triplets(scores, top_fraction: float = 0.2, rule: Rule = "rank") -> np.ndarray:
    """(P, K, K) symmetric bool mask of the ground-truth triplets, False on the diagonal.

    "rank" (paper): exactly round_half_up(top_fraction * n) candidates of largest score, ties broken
    by flat (part, a, b) index, NaN scores last. "quantile" (released code): score >= minus the
    top_fraction quantile of minus the score, i.e. divergence at or below its top_fraction quantile
    (numpy's linear interpolation); ties at the threshold are all kept, NaN never selected.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if not 0.0 <= top_fraction <= 1.0:
        raise ValueError(f"top_fraction must be in [0, 1], got {top_fraction}")
    vals, (ia, ib) = _upper_values(scores)
    flat = vals.ravel()
    if rule == "rank":
        m = int(round_half_up(top_fraction * flat.size))
        order = np.argsort(-flat, kind="stable")  # NaN sorts last
        chosen = np.zeros(flat.size, dtype=bool)
        chosen[order[:m]] = True
    elif rule == "quantile":
        finite = np.isfinite(flat)
        if not finite.any() or top_fraction == 0.0:
            chosen = np.zeros(flat.size, dtype=bool)
        else:
            # Written on minus the score so it is exactly "divergence <= quantile" for score = -div.
            thr = np.quantile(-flat[finite], top_fraction)
            chosen = finite & (-flat <= thr)
    else:
        raise ValueError(f"unknown rule {rule!r}; expected 'rank' or 'quantile'")
    chosen = chosen.reshape(vals.shape)
    out = np.zeros(scores.shape, dtype=bool)
    out[:, ia, ib] = chosen
    out[:, ib, ia] = chosen
    return out


def common_parts(selected: np.ndarray, a: int, b: int) -> np.ndarray:
    """(P,) bool: the parts k with (k, a, b) in the ground truth, K(a, b) of METHOD.md 5."""
    return np.asarray(selected)[:, a, b]


def gt_part_mask(selected: np.ndarray, pairs) -> np.ndarray:
    """(Q, P) bool common parts of each class pair (Q, 2) at once."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return np.asarray(selected)[:, pairs[:, 0], pairs[:, 1]].T


def triplet_table(
    scores,
    selected: np.ndarray,
    part_names: Sequence[str] = PART_NAMES,
    class_names: Sequence | None = None,
) -> pd.DataFrame:
    """Long table of every candidate triplet a < b: part, class_a, class_b, score, selected."""
    scores = np.asarray(scores, dtype=np.float64)
    vals, (ia, ib) = _upper_values(scores)
    n_parts, n_pairs = vals.shape
    if len(part_names) != n_parts:
        raise ValueError(f"{len(part_names)} part names for {n_parts} parts")
    names = np.asarray(range(scores.shape[1]) if class_names is None else list(class_names))
    if names.size != scores.shape[1]:
        raise ValueError(f"{names.size} class names for {scores.shape[1]} classes")
    return pd.DataFrame(
        {
            "part": np.repeat(np.asarray(part_names), n_pairs),
            "class_a": np.tile(names[ia], n_parts),
            "class_b": np.tile(names[ib], n_parts),
            "score": vals.ravel(),
            "selected": np.asarray(selected)[:, ia, ib].ravel(),
        }
    )


def share_of_pairs_per_part(selected: np.ndarray, part_names: Sequence[str] = PART_NAMES) -> pd.DataFrame:
    """Share of class pairs a < b sharing each part family (left or right), plus 'none' sharing none."""
    selected = np.asarray(selected, dtype=bool)
    vals, _ = _upper_values(selected)
    if len(part_names) != vals.shape[0]:
        raise ValueError(f"{len(part_names)} part names for {vals.shape[0]} parts")
    families = [part_family(p) for p in part_names]
    rows = []
    for fam in dict.fromkeys(families):  # first-appearance order
        idx = [i for i, f in enumerate(families) if f == fam]
        shared = vals[idx].any(axis=0)
        rows.append((fam, int(shared.sum())))
    rows.append(("none", int((~vals.any(axis=0)).sum())))
    n_pairs = vals.shape[1]
    frame = pd.DataFrame(rows, columns=["part", "n_pairs"])
    frame["share"] = frame["n_pairs"] / n_pairs if n_pairs else np.nan
    return frame[["part", "share", "n_pairs"]]
