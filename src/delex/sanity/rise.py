"""RISE (Petsiuk et al. 2018), hand-written and batched: Captum has no RISE.

Masks: a grid x grid binary grid (keep probability p) upsampled bilinearly to (grid + 1) * cell and
randomly shifted by up to one cell, cropped to the image. Saliency of class c = sum_i f_c(x * M_i) M_i
/ (N * p). The masks multiply the normalised input (masked pixels become the dataset mean, like the
"zero" baseline). All images share one mask set, as in the RISE paper.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def rise_masks(n: int, size: int, grid: int = 7, p: float = 0.1, generator: torch.Generator | None = None):
    """(n, size, size) float masks in [0, 1]."""
    cell = math.ceil(size / grid)
    up = (grid + 1) * cell
    g = (torch.rand(n, 1, grid, grid, generator=generator) < p).float()
    big = F.interpolate(g, size=(up, up), mode="bilinear", align_corners=False)[:, 0]
    sx = torch.randint(0, cell, (n,), generator=generator)
    sy = torch.randint(0, cell, (n,), generator=generator)
    idx = torch.arange(size)
    rows = (sy[:, None] + idx[None]).clamp(max=up - 1)
    cols = (sx[:, None] + idx[None]).clamp(max=up - 1)
    return big[torch.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]]


@torch.no_grad()
def rise(model, x: torch.Tensor, target: torch.Tensor, masks: torch.Tensor, p: float, batch: int = 64):
    """(B, S, S) RISE saliency of each image's target class."""
    masks = masks.to(x)
    out = torch.zeros(x.shape[0], *x.shape[-2:], device=x.device)
    for i in range(len(x)):
        for lo in range(0, len(masks), batch):
            m = masks[lo : lo + batch]
            prob = model(x[i : i + 1] * m[:, None]).softmax(1)[:, target[i]]
            out[i] += (prob[:, None, None] * m).sum(0)
    return out / (len(masks) * p)
