"""Where attribution maps put their mass relative to part points (a diagnostic, not a paper metric).

Used to tell why insecurities do or do not beat random regions: whether class maps rank a family's
shared parts above a class's own parts, and how much of an ambiguity map is positive at all.
"""

from __future__ import annotations

import numpy as np
import torch

from delex import insecurity as ins
from delex.parts import part_family


def point_rank_percentiles(maps: torch.Tensor, points: np.ndarray, size: int) -> np.ndarray:
    """(B, P) rank of each part point's pixel in its upsampled map, as a fraction of the image
    (0 = the map's largest pixel, about 0.5 = chance); NaN for invisible points.

    maps: (B, h, w) on the activation grid; points: (B, P, 3) x, y, visible on the input grid.
    """
    ranks = ins.pixel_ranks(ins.upsample(maps.float(), size))
    pts = torch.as_tensor(points, dtype=torch.float32)
    visible = pts[..., 2] > 0
    r = ins.point_ranks(ranks, pts[..., :2], visible, size).double() / (size * size)
    return torch.where(visible, r, torch.full_like(r, torch.nan)).numpy()


def shared_mask(labels: np.ndarray, partners: np.ndarray, shared: dict, parts) -> np.ndarray:
    """(B, P) bool: part p of image i is alike in its class and the partner class (the generator's
    truth: `shared` maps (a, b), a < b, to part families, as synthetic_birds.pair_parts gives)."""
    keys = [(int(min(a, b)), int(max(a, b))) for a, b in zip(labels, partners, strict=True)]
    return np.array([[part_family(p) in shared.get(k, ()) for p in parts] for k in keys], dtype=bool)


def shared_vs_own(percentiles: np.ndarray, shared: np.ndarray) -> tuple[float, float]:
    """Mean rank percentile of visible shared-part points and of visible own-part points."""
    ok = ~np.isnan(percentiles)
    return float(percentiles[ok & shared].mean()), float(percentiles[ok & ~shared].mean())


def positive_support(maps: np.ndarray, size: int) -> tuple[float, float]:
    """Mean number of positive cells of (Q, h, w) maps and mean positive share of the upsampled image
    (the largest region an insecurity can reach, since r = 1[m > T] with T >= 0)."""
    m = torch.as_tensor(maps, dtype=torch.float32)
    if len(m) == 0:
        return float("nan"), float("nan")
    cells = ins.support_pixels(m).double().mean().item()
    share = ins.support_pixels(ins.upsample(m, size)).double().mean().item() / (size * size)
    return cells, share
