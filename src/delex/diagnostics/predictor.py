"""Does a difficulty score rank the images the classifier gets wrong first? (a diagnostic)."""

from __future__ import annotations

from typing import NamedTuple

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


class HardnessMapSupport(NamedTuple):
    """See `hardness_map_support`."""

    signed: float  # mean positive share of the image, signed map (paper's text)
    positive: float  # the same, positive gradients only (authors' code)
    logit: float  # mean predictor logit v (< 0: scores below 0.5)
    bias: float  # mean of v less the signed map's sum over locations (what the map does not see)


def hardness_map_support(predictor, images_uint8: np.ndarray, n: int) -> HardnessMapSupport:
    """The hardness map on the n images the predictor scores hardest: how much of the image it is
    positive on, signed (METHOD.md 2) and with positive gradients only, with the predictor's logit.

    Before the sigmoid, the signed map sums over locations to the logit less a bias part, so a
    predictor that scores even its hardest images below 0.5 gives maps that are mostly negative;
    where one is positive nowhere, m_a m_b m_s is zero and the image has no insecurity.
    """
    x = normalise(torch.as_tensor(images_uint8))
    with torch.no_grad():
        A = predictor.features(x)
        v = predictor.head(A)
        hard = torch.topk(v, min(n, len(x))).indices
    A = A[hard]
    q, u = logit_attributions(predictor.head, A)
    signed = difficulty_map("hardness", q, u)
    positive = difficulty_map_released("hardness", predictor.head, A)
    size = x.shape[-1]
    return HardnessMapSupport(
        positive_support(signed.numpy(), size)[1],
        positive_support(positive.numpy(), size)[1],
        float(v[hard].mean()),
        float((u.reshape(-1) - q.sum((1, 2, 3))).mean()),
    )
