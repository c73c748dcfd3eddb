"""Pointing Game (Zhang et al. 2018): is the map's maximum on the object (its bounding box)?

Quantus's PointingGame has no tolerance (TRAPS.md); this one measures the distance from the maximum
pixel's centre to the box, so tolerance 15 px counts points up to 15 px outside the box as hits.
"""

from __future__ import annotations

import torch


def argmax_points(maps: torch.Tensor) -> torch.Tensor:
    """(B, 2) x, y centre of each map's maximum pixel; ties go to the first pixel in raster order."""
    b, _, w = maps.shape
    flat = maps.reshape(b, -1)
    top = flat.max(1, keepdim=True).values
    idx = (flat == top).to(torch.int8).argmax(1)  # first maximal pixel, explicitly
    return torch.stack([(idx % w).float() + 0.5, (idx // w).float() + 0.5], 1)


def hits(maps: torch.Tensor, boxes: torch.Tensor, tolerance: float = 0.0) -> torch.Tensor:
    """(B,) 1.0 if the maximum lies within `tolerance` pixels of the (x, y, w, h) box, else 0.0;
    NaN where the box is missing (NaN)."""
    pt = argmax_points(maps)
    b = boxes.to(pt)
    dx = (b[:, 0] - pt[:, 0]).clamp(min=0) + (pt[:, 0] - (b[:, 0] + b[:, 2])).clamp(min=0)
    dy = (b[:, 1] - pt[:, 1]).clamp(min=0) + (pt[:, 1] - (b[:, 1] + b[:, 3])).clamp(min=0)
    hit = ((dx**2 + dy**2).sqrt() <= tolerance).to(pt.dtype)
    return torch.where(torch.isnan(b).any(1), torch.full_like(hit, float("nan")), hit)
