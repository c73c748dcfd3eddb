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


def shift_expected_iou(ranks, masks, sizes, size: int, support=None) -> torch.Tensor:
    """(Q, n_cov) float64 exact mean of `iou_curves` over all size x size cyclic shifts of each
    region: the expectation of the random-region baseline (`insecurity.shifted_ranks` draws one
    shift per region), so a comparison need not carry that draw's noise. NaN where both are empty.

    Same arguments as `iou_curves`, the rows being size x size images. One FFT cross-correlation per
    (region, coverage) gives the intersection at every shift (written here: no library offers the
    mean IoU over cyclic shifts).
    """
    ranks = torch.as_tensor(ranks).long().reshape(-1, size, size)
    q = ranks.shape[0]
    masks = torch.as_tensor(masks, device=ranks.device).reshape(q, size, size).to(torch.float64)
    n_mask = masks.sum((1, 2)).reshape(q, 1, 1)
    fm = torch.fft.rfft2(masks)
    size_ = torch.as_tensor(sizes, device=ranks.device).long().reshape(1, -1).expand(q, -1)
    if support is not None:
        size_ = torch.minimum(size_, torch.as_tensor(support, device=ranks.device).long().reshape(q, 1))
    size_ = size_.clamp(0, size * size)
    out = torch.empty(size_.shape, dtype=torch.float64, device=ranks.device)
    for c in range(size_.shape[1]):
        n = size_[:, c].reshape(q, 1, 1)
        region = (ranks < n).to(torch.float64)
        # inter[d] = sum_x region[x] mask[x + d]: the region moved by d against the mask
        inter = torch.fft.irfft2(torch.conj(torch.fft.rfft2(region)) * fm, s=(size, size)).round()
        union = n + n_mask - inter
        iou = torch.where(union > 0, inter / union.clamp(min=1), torch.zeros_like(inter))
        both_empty = (n == 0) & (n_mask == 0)
        out[:, c] = torch.where(both_empty.reshape(q), torch.nan, iou.mean((1, 2)))
    return out
