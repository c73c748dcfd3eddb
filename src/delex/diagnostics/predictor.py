"""Does a difficulty score rank the images the classifier gets wrong first? (a diagnostic)."""

from __future__ import annotations

import numpy as np
import torch
from scipy import stats

from delex.attribution.maps import difficulty_map, difficulty_map_released
from delex.attribution.products import logit_attributions
from delex.diagnostics.localisation import positive_support
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


def hardness_map_support(predictor, images_uint8: np.ndarray, n: int) -> tuple[float, float]:
    """Mean positive share of the image under the hardness map of the n images the predictor scores
    hardest: the paper's signed gradient x activation (METHOD.md 2), and the authors' code's form
    with positive gradients only. The signed map sums to the predictor's logit less a bias part, so
    a predictor that scores even its hardest images below 0.5 gives maps that are mostly negative;
    where one is positive nowhere, m_a m_b m_s is zero and the image has no insecurity."""
    x = normalise(torch.as_tensor(images_uint8))
    with torch.no_grad():
        A = predictor.features(x)
        hard = torch.topk(predictor.head(A), min(n, len(x))).indices
    A = A[hard]
    q, u = logit_attributions(predictor.head, A)
    signed = difficulty_map("hardness", q, u)
    positive = difficulty_map_released("hardness", predictor.head, A)
    size = x.shape[-1]
    return positive_support(signed.numpy(), size)[1], positive_support(positive.numpy(), size)[1]
