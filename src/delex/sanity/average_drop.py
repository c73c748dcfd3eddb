"""Average Drop % and Increase in Confidence (Chattopadhyay et al. 2018), real-valued and binarized.

p is the target's softmax probability on the image, p' on the image times the map. The product is
taken in normalised input space, so a zero map value gives the dataset mean (the "zero" baseline of
insertion/deletion). pytorch-grad-cam's DropInConfidence is not divided by p (TRAPS.md): hand-written.
"""

from __future__ import annotations

import torch

from delex.sanity.maps import binarize
from delex.sanity.perturbation import target_prob


@torch.no_grad()
def masked_probs(model, x: torch.Tensor, target: torch.Tensor, maps: torch.Tensor, batch: int = 64):
    """(p, p') per image for maps (B, S, S) in [0, 1]."""
    p, q = [], []
    for i in range(0, len(x), batch):
        sl = slice(i, i + batch)
        p.append(target_prob(model, x[sl], target[sl]))
        q.append(target_prob(model, x[sl] * maps[sl, None].to(x), target[sl]))
    return torch.cat(p), torch.cat(q)


def drop(p: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    """Per-image drop in percent, max(0, p - p') / p * 100 (the mean over images is Average Drop %)."""
    return (p - q).clamp(min=0) / p.clamp(min=torch.finfo(p.dtype).tiny) * 100.0


def increase(p: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    """Per-image 1[p' > p] (the mean over images is Increase in Confidence)."""
    return (q > p).to(p.dtype)


def average_drop_scores(model, x, target, maps, percentiles=(50, 70, 75, 80, 85, 90), batch: int = 64):
    """{level: (drop (B,), increase (B,))} for level 'real' (the map itself) and each binarization
    percentile q (top (100 - q)% pixels kept, ties by raster order)."""
    out = {}
    p, q = masked_probs(model, x, target, maps, batch)
    out["real"] = (drop(p, q).cpu(), increase(p, q).cpu())
    for pct in percentiles:
        _, qb = masked_probs(model, x, target, binarize(maps, pct), batch)
        out[f"bin{int(pct)}"] = (drop(p, qb).cpu(), increase(p, qb).cpu())
    return out
