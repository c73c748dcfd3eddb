"""Does a difficulty score rank the images the classifier gets wrong first? (a diagnostic)."""

from __future__ import annotations

import numpy as np
from scipy import stats


def auc(scores, positive) -> float:
    """Area under the ROC curve of `scores` for telling `positive` (bool) from the rest: the chance
    that a random positive scores above a random negative, ties counting half (Mann-Whitney U / n1 n0);
    NaN when either group is empty."""
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    positive = np.asarray(positive, dtype=bool).reshape(-1)
    pos, neg = scores[positive], scores[~positive]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    u = stats.mannwhitneyu(pos, neg, alternative="two-sided").statistic
    return float(u / (len(pos) * len(neg)))
