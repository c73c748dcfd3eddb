"""Maps m(l) = grad_l . a_l [+ 1/2 a_l^T H_ll a_l] of scores of the logits (METHOD.md 2).

Inputs are the logit attributions q (B,C,h,w) of `products.logit_attributions` and the logits
u (B,C) at A. Because the head is piecewise linear, u(A + t a_l) = u + t q(l), so for a score g(u)
the first-order term is d/dt g(u + t q(l)) and the exact Hessian block term d^2/dt^2 g(u + t q(l)),
both at t = 0: closed forms in p = softmax(u) and q, no second backward pass.
Shorthands: qbar = sum_k p_k q_k, Var_p(q) = sum_k p_k (q_k - qbar)^2.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from delex.attribution.products import logit_attributions, weighted_attribution

SCORES = ("hesitancy", "entropy", "hardness")


def _check_order(order: int) -> None:
    """Only first (gradient) and second (gradient-Hessian) order exist."""
    if order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order!r}")


def _softmax_terms(q: torch.Tensor, logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """First and second derivative terms (B,C,h,w) of every softmax probability along q."""
    p = torch.softmax(logits, 1)[:, :, None, None]
    d = q - (p * q).sum(1, keepdim=True)
    var = (p * d * d).sum(1, keepdim=True)
    return p * d, 0.5 * p * (d * d - var)


def softmax_class_maps(q: torch.Tensor, logits: torch.Tensor, order: int = 1) -> torch.Tensor:
    """Class maps (B,C,h,w) of the softmax probabilities p_c; paper's class score (eq. 2).

    First order p_c (q_c - qbar); order 2 adds 1/2 p_c [(q_c - qbar)^2 - Var_p(q)], which equals
    METHOD.md's 1/2 p_c [(q_c - qbar)^2 - sum_k p_k q_k^2 + qbar^2].
    """
    _check_order(order)
    first, second = _softmax_terms(q, logits)
    return first if order == 1 else first + second


def logit_class_maps(q: torch.Tensor, floor: float = 1e-10) -> torch.Tensor:
    """Released class maps: gradient x activation of the logit, clamped below at a tiny positive.

    The Hessian block of a raw logit is zero, so this is both the first- and second-order map.
    """
    return q.clamp(min=floor)


def _hesitancy_terms(q: torch.Tensor, logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Terms (B,h,w) of s = 1 - p_y, y the argmax at the input (fixed along the direction)."""
    first, second = _softmax_terms(q, logits)
    y = logits.argmax(1)[:, None, None, None].expand(-1, 1, *q.shape[2:])
    return -first.gather(1, y)[:, 0], -second.gather(1, y)[:, 0]


def hesitancy_map(q: torch.Tensor, logits: torch.Tensor, order: int = 1) -> torch.Tensor:
    """Hesitancy map (B,h,w): minus the softmax class map of the predicted class."""
    _check_order(order)
    first, second = _hesitancy_terms(q, logits)
    return first if order == 1 else first + second


def _entropy_terms(q: torch.Tensor, logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Terms (B,h,w) of the normalised entropy s = -(1/log C) sum_k p_k log p_k along q.

    ds/dt = -(1/log C) sum_k p_k (q_k - qbar) log p_k;
    d2s/dt2 = -(1/log C) [sum_k p_k ((q_k - qbar)^2 - Var_p(q)) log p_k + Var_p(q)].
    """
    logp = torch.log_softmax(logits, 1)[:, :, None, None]
    p = logp.exp()
    d = q - (p * q).sum(1, keepdim=True)
    var = (p * d * d).sum(1, keepdim=True)
    scale = 1.0 / math.log(logits.shape[1])
    first = -scale * (p * d * logp).sum(1)
    second = -0.5 * scale * ((p * (d * d - var) * logp).sum(1) + var[:, 0])
    return first, second


def entropy_map(q: torch.Tensor, logits: torch.Tensor, order: int = 1) -> torch.Tensor:
    """Normalised-entropy map (B,h,w) from all-class logit attributions."""
    _check_order(order)
    first, second = _entropy_terms(q, logits)
    return first if order == 1 else first + second


def _sigmoid_terms(q_s: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Terms (B,h,w) of s = sigmoid(v): s(1-s) q and 1/2 s(1-s)(1-2s) q^2."""
    q_s = q_s[:, 0] if q_s.dim() == 4 else q_s
    s = torch.sigmoid(v.reshape(-1))[:, None, None]
    ds = s * (1 - s)
    return ds * q_s, 0.5 * ds * (1 - 2 * s) * q_s * q_s


def sigmoid_map(q_s: torch.Tensor, v: torch.Tensor, order: int = 1, released: bool = False) -> torch.Tensor:
    """Hardness map (B,h,w) of s = sigmoid(v) from the predictor's q_s ((B,1,h,w) or (B,h,w)).

    `released=True` only takes |.| of the second-order term; the released clamp of the gradient
    needs the gradient itself: use `sigmoid_map_released`.
    """
    _check_order(order)
    first, second = _sigmoid_terms(q_s, v)
    if order == 1:
        return first
    return first + (second.abs() if released else second)


def score_logit_gradient(score: str, logits: torch.Tensor) -> torch.Tensor:
    """dg/du at the logits, (B,C) for hesitancy/entropy or (B,) for hardness (u = v)."""
    if score == "hardness":
        s = torch.sigmoid(logits.reshape(-1))
        return s * (1 - s)
    logp = torch.log_softmax(logits, 1)
    p = logp.exp()
    if score == "entropy":
        return -(p * (logp - (p * logp).sum(1, keepdim=True))) / math.log(logits.shape[1])
    if score == "hesitancy":
        y = logits.argmax(1, keepdim=True)
        p_y = p.gather(1, y)
        return p_y * p - p_y * torch.zeros_like(p).scatter_(1, y, 1.0)
    raise ValueError(f"unknown difficulty score {score!r}; choose from {SCORES}")


_TERMS = {"hesitancy": _hesitancy_terms, "entropy": _entropy_terms, "hardness": _sigmoid_terms}


def difficulty_map(score: str, q: torch.Tensor, logits: torch.Tensor, order: int = 1) -> torch.Tensor:
    """Paper's difficulty map (B,h,w); q, logits: classifier's, or predictor's (hardness)."""
    _check_order(order)
    if score not in _TERMS:
        raise ValueError(f"unknown difficulty score {score!r}; choose from {SCORES}")
    first, second = _TERMS[score](q, logits)
    return first if order == 1 else first + second


def difficulty_map_released(
    score: str, head: nn.Module, A: torch.Tensor, order: int = 1, q: torch.Tensor | None = None
) -> torch.Tensor:
    """Released difficulty map (B,h,w): sum_ch A_ch max(ds/dA_ch, 0) [+ 1/2 |a^T H a|].

    One extra head VJP gives ds/dA (clamped before the product, as in the authors' code); the
    second-order block uses the unclamped products q (all classes; computed if not given).
    `head`, `A` are the classifier's for hesitancy/entropy and the predictor's for hardness.
    """
    _check_order(order)
    with torch.no_grad():
        logits = head(A)
    logits = logits.unsqueeze(1) if logits.dim() == 1 else logits
    first = weighted_attribution(head, A, score_logit_gradient(score, logits), positive_grad=True)
    if order == 1:
        return first
    if q is None:
        q = logit_attributions(head, A)[0]
    return first + _TERMS[score](q, logits)[1].abs()


def sigmoid_map_released(predictor_head: nn.Module, A_s: torch.Tensor, order: int = 1) -> torch.Tensor:
    """Released hardness map: positive part of ds/dA times A, plus 1/2 |s''| q^2 at order 2."""
    return difficulty_map_released("hardness", predictor_head, A_s, order)
