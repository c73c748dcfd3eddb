"""Integrated gradients w.r.t. the activations A, for all classes and a difficulty score at once.

Path x_alpha = x0 + alpha (x - x0), alpha = i/steps, i = 1..steps (right Riemann sum), x0 the
normalised all-black image; map_g(l) = sum_ch (A(x) - A(x0))_ch(l) mean_alpha dg/dA_ch(l)|x_alpha.
This is Captum's `InternalInfluence(method="riemann_right")` times (A(x) - A(x0)) summed over
channels. Since dg/dA = sum_k dg/du_k du_k/dA, with r_k(l, alpha) the logit attributions along
the direction A(x) - A(x0) at A(x_alpha), map_g = mean_alpha sum_k dg/du_k(alpha) r_k(l, alpha): one
backbone forward (no grad) per alpha plus head-only VJPs, instead of one backbone pass per class.
"""

from __future__ import annotations

import torch
from torch import nn

from delex.attribution.maps import difficulty_map, softmax_class_maps
from delex.attribution.products import logit_attributions


def _path_activations(
    features: nn.Module,
    x: torch.Tensor,
    x0: torch.Tensor,
    ends: tuple[torch.Tensor, torch.Tensor],
    alphas: torch.Tensor,
    path: str,
) -> torch.Tensor:
    """Activations along the path, alpha-major (len(alphas)*B, D, h, w); ends = (A(x0), A(x))."""
    with torch.no_grad():
        if path == "activation":
            a = ends[0] + alphas[:, None, None, None, None] * (ends[1] - ends[0])
            return a.flatten(0, 1)
        xs = x0 + alphas[:, None, None, None, None] * (x - x0)
        return features(xs.flatten(0, 1))


def _ends(features: nn.Module, x: torch.Tensor, x0: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Activations at the baseline and at the input."""
    with torch.no_grad():
        return features(x0.expand_as(x)), features(x)


def integrated_maps(
    model: nn.Module,
    x: torch.Tensor,
    x0: torch.Tensor,
    steps: int = 50,
    score: str | None = "hesitancy",
    predictor: nn.Module | None = None,
    class_score: str = "softmax",
    path: str = "pixel",
    alpha_chunk: int = 8,
    max_elements: int = 2**26,
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Integrated-gradient class maps (B,C,h,w) and difficulty map (B,h,w) (None if no score).

    `class_score` "softmax" (paper) or "logit"; `score` "hesitancy"/"entropy" use the classifier's
    logits (the argmax of hesitancy is taken at each alpha, i.e. the gradient of 1 - max_y p_y),
    "hardness" the sigmoid of `predictor`. `path="activation"` integrates along the straight line
    A(x0) -> A(x) instead (then the maps sum exactly to g(x) - g(x0) in the fine-path limit).
    Alphas are batched `alpha_chunk` at a time; class VJPs keep chunk*batch*D*h*w <= max_elements.
    """
    if class_score not in ("softmax", "logit"):
        raise ValueError(f"class_score must be 'softmax' or 'logit', got {class_score!r}")
    if path not in ("pixel", "activation"):
        raise ValueError(f"path must be 'pixel' or 'activation', got {path!r}")
    if score not in (None, "hesitancy", "entropy", "hardness"):
        raise ValueError(f"unknown difficulty score {score!r}")
    if score == "hardness" and predictor is None:
        raise ValueError("score 'hardness' needs the hardness predictor")
    alphas = torch.arange(1, steps + 1, dtype=x.dtype, device=x.device) / steps
    ends = _ends(model.features, x, x0)
    ends_s = _ends(predictor.features, x, x0) if score == "hardness" else None
    class_sum, diff_sum = 0.0, 0.0
    for start in range(0, steps, alpha_chunk):
        al = alphas[start : start + alpha_chunk]
        k, n_b = len(al), x.shape[0]
        a = _path_activations(model.features, x, x0, ends, al, path)
        chunk = max(1, min(64, max_elements // a.numel()))
        r, u = logit_attributions(model.head, a, (ends[1] - ends[0]).repeat(k, 1, 1, 1), chunk)
        cls = softmax_class_maps(r, u, 1) if class_score == "softmax" else r
        class_sum = class_sum + cls.unflatten(0, (k, n_b)).sum(0)
        if score in ("hesitancy", "entropy"):
            diff_sum = diff_sum + difficulty_map(score, r, u, 1).unflatten(0, (k, n_b)).sum(0)
        elif score == "hardness":
            a_s = _path_activations(predictor.features, x, x0, ends_s, al, path)
            d_s = (ends_s[1] - ends_s[0]).repeat(k, 1, 1, 1)
            r_s, v = logit_attributions(predictor.head, a_s, d_s)
            diff_sum = diff_sum + difficulty_map(score, r_s, v, 1).unflatten(0, (k, n_b)).sum(0)
    return class_sum / steps, (None if score is None else diff_sum / steps)
