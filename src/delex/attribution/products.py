"""First-order logit attributions q_k(l) = sum_ch dir_ch(l) du_k/dA_ch(l), from head-only VJPs.

Every map of METHOD.md 2 (first order, the exact second-order blocks, integrated gradients) is a
closed-form function of these products, because the heads after A are piecewise linear: along a
location-masked direction the logits move exactly linearly, u(A + t a_l e_l) = u(A) + t q(l).

Why hand-written rather than Captum: Captum's layer attributions take one `target` per call and
re-run the backbone for each class; deliberative explanations need all C class maps plus the
difficulty map and a second-order term, so we run the backbone once and do batched vector-Jacobian
products through the (cheap) head only.
"""

from __future__ import annotations

import torch
from torch import nn


def logit_attributions(
    head: nn.Module,
    A: torch.Tensor,
    direction: torch.Tensor | None = None,
    chunk: int = 64,
    positive_grad: bool = False,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Products q (B,C,h,w) of du_k/dA with `direction` (default A) and the logits u (B,C).

    All classes at once by batched VJPs over chunks of `chunk` classes (memory chunk*B*D*h*w), so
    the backbone is never re-run. A head returning (B,) (hardness predictor) gives q of shape
    (B,1,h,w) and logits (B,1). `positive_grad` clamps du_k/dA at 0 before the product (the
    authors' released difficulty map keeps only positive gradients).
    """
    direction = A if direction is None else direction
    with torch.enable_grad():
        a = A.detach().requires_grad_(True)
        u = head(a)
        u2 = u.unsqueeze(1) if u.dim() == 1 else u
        n_b, n_c = u2.shape
        eye = torch.eye(n_c, dtype=u2.dtype, device=u2.device)
        parts = []
        for start in range(0, n_c, chunk):
            stop = min(start + chunk, n_c)
            grad_out = eye[start:stop, None, :].expand(stop - start, n_b, n_c)
            if u.dim() == 1:
                grad_out = grad_out[..., 0]
            (g,) = torch.autograd.grad(u, a, grad_out, retain_graph=stop < n_c, is_grads_batched=True)
            if positive_grad:
                g = g.clamp(min=0)
            parts.append((g * direction.detach()).sum(2).transpose(0, 1))
    return torch.cat(parts, 1), u2.detach()


def weighted_attribution(
    head: nn.Module,
    A: torch.Tensor,
    weights: torch.Tensor,
    direction: torch.Tensor | None = None,
    positive_grad: bool = False,
) -> torch.Tensor:
    """Map (B,h,w) sum_ch dir_ch * [sum_k w_k du_k/dA_ch], one VJP, for a score with dg/du = w.

    Needed where the gradient of a score must be clamped before the product with A (released
    variant), which cannot be recovered from the per-class products q. `weights` is (B,C) or (B,).
    """
    direction = A if direction is None else direction
    with torch.enable_grad():
        a = A.detach().requires_grad_(True)
        u = head(a)
        (g,) = torch.autograd.grad(u, a, weights.detach().reshape(u.shape))
    if positive_grad:
        g = g.clamp(min=0)
    return (g * direction.detach()).sum(1)
