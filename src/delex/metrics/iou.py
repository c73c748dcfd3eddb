"""Mask IoU of insecurities at every coverage at once (METHOD.md 5, ADE20K).

The region of coverage index c is the set of pixels with rank < min(sizes[c], support) (DESIGN.md:
ranks by descending map value; a region stops at the map's support), so one cumulative sum of the
mask over pixels taken in rank order gives the intersection at every size.
"""

from __future__ import annotations

import torch


def iou_curves(ranks, masks, sizes, support=None) -> torch.Tensor:
    """(Q, n_cov) float64 IoU between each region and its mask; NaN where both are empty.

    ranks: (Q, n) pixel ranks (a permutation of 0..n-1 per row); masks: (Q, n) bool ground truth;
    sizes: (n_cov,) region sizes in pixels; support: (Q,) or (Q, 1) largest region size per row.
    """
    ranks = torch.as_tensor(ranks).long()
    masks = torch.as_tensor(masks, device=ranks.device).reshape(ranks.shape).to(torch.float64)
    q, n = ranks.shape
    size = torch.as_tensor(sizes, device=ranks.device).long().reshape(1, -1).expand(q, -1)
    if support is not None:
        size = torch.minimum(size, torch.as_tensor(support, device=ranks.device).long().reshape(q, 1))
    size = size.clamp(0, n)
    by_rank = torch.zeros((q, n + 1), dtype=torch.float64, device=ranks.device)
    by_rank[:, 1:].scatter_(1, ranks, masks)  # by_rank[:, r + 1] = mask of the pixel of rank r
    inter = by_rank.cumsum(1).gather(1, size)
    union = size + masks.sum(1, keepdim=True) - inter
    return torch.where(union > 0, inter / union.clamp(min=1), torch.full_like(inter, torch.nan))
