"""Does a difficulty score rank the images the classifier gets wrong first? (a diagnostic)."""

from __future__ import annotations

import numpy as np
import torch
from scipy import stats

from delex.models.training import normalise


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


def difficulty_aucs(
    classifier, predictor, images_uint8: np.ndarray, labels: np.ndarray
) -> tuple[float, float]:
    """(AUC of the hardness predictor's score, AUC of hesitancy) for telling the images the
    classifier gets wrong from the rest; images_uint8: (N, 3, S, S) preprocessed, on the CPU."""
    x = normalise(torch.as_tensor(images_uint8))
    with torch.no_grad():
        probs = classifier(x).softmax(1)
        s = torch.sigmoid(predictor(x)).reshape(-1)
    wrong = (probs.argmax(1) != torch.as_tensor(labels)).numpy()
    return auc(s.numpy(), wrong), auc(1 - probs.max(1).values.numpy(), wrong)
