"""Insecurities (METHOD.md section 3): candidates, ambiguity pairs and maps, pixel ranks, importance.

Maps live on the activation grid (B, ..., h, w); regions live on the input grid (S, S) after bilinear
upsampling. A region of coverage p is the set of pixels with rank < round(p * S * S), ranks being
taken in descending order of map value with ties broken by raster order, so every coverage is
evaluated from one ranking.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F

Variant = Literal["paper", "released"]


def candidate_classes(probs: torch.Tensor, n: int = 5) -> torch.Tensor:
    """(B, n) long indices of the top-n predicted classes, most probable first."""
    return torch.topk(probs, n, dim=1, largest=True, sorted=True).indices


def pair_index(n: int = 5, device: torch.device | str | None = None) -> torch.Tensor:
    """(n(n-1)/2, 2) long candidate positions (i, j), i < j, in lexicographic order."""
    return torch.combinations(torch.arange(n, device=device), r=2)


def ambiguity_membership(cand_maps: torch.Tensor, diff_map: torch.Tensor | None, k: int = 3) -> torch.Tensor:
    """(B, n_pairs, h, w) bool: pair (i, j) is in C(l), the top-k candidates at l with m_s(l) > 0.

    Ties among candidate maps are resolved by torch.topk (implementation-defined order), which only
    matters when two class attributions are exactly equal at a location.
    """
    b, n, h, w = cand_maps.shape
    if not 1 <= k <= n:
        raise ValueError(f"k must be in [1, {n}], got {k}")
    top = torch.topk(cand_maps, k, dim=1).indices
    in_c = torch.zeros((b, n, h, w), dtype=torch.bool, device=cand_maps.device)
    in_c.scatter_(1, top, True)
    pairs = pair_index(n, device=cand_maps.device)
    member = in_c[:, pairs[:, 0]] & in_c[:, pairs[:, 1]]
    if diff_map is not None:
        member &= (diff_map > 0).unsqueeze(1)
    return member


def ambiguity_maps(
    cand_maps: torch.Tensor,
    diff_map: torch.Tensor | None,
    membership: torch.Tensor | None = None,
    variant: Variant = "paper",
) -> torch.Tensor:
    """(B, n_pairs, h, w) relu(m_a) relu(m_b) relu(m_s); "released" also zeroes non-member locations.

    m_s is left out when diff_map is None ("gradient w/o m^s"). An ambiguity is present in an image iff
    its membership is non-empty: membership.any((-1, -2)).
    """
    pairs = pair_index(cand_maps.shape[1], device=cand_maps.device)
    pos = F.relu(cand_maps)
    maps = pos[:, pairs[:, 0]] * pos[:, pairs[:, 1]]
    if diff_map is not None:
        maps = maps * F.relu(diff_map).unsqueeze(1)
    if variant == "released":
        if membership is None:
            raise ValueError("variant 'released' needs the membership mask")
        maps = maps * membership.to(maps.dtype)
    elif variant != "paper":
        raise ValueError(f"unknown variant {variant!r}; expected 'paper' or 'released'")
    return maps


def upsample(maps: torch.Tensor, size: int) -> torch.Tensor:
    """(..., h, w) -> (..., size, size) bilinear with align_corners=False (DESIGN.md)."""
    lead, (h, w) = maps.shape[:-2], maps.shape[-2:]
    flat = maps.reshape(-1, 1, h, w)
    if not flat.is_floating_point():
        flat = flat.float()
    up = F.interpolate(flat, size=(size, size), mode="bilinear", align_corners=False)
    return up.reshape(*lead, size, size)


def support_pixels(up_maps: torch.Tensor) -> torch.Tensor:
    """(Q,) number of pixels where each upsampled map is positive: the largest region r = 1[m > T]
    with T >= 0 can take, so every region stops there."""
    return (up_maps.flatten(1) > 0).sum(1)


def pixel_ranks(maps: torch.Tensor) -> torch.Tensor:
    """(Q, S*S) int32 rank of each pixel by descending value, ties by raster order, NaN last."""
    flat = maps.reshape(maps.shape[0], -1)
    # torch sorts NaN above +inf; send it to -inf so undefined values never enter a region.
    flat = torch.where(torch.isnan(flat), torch.full_like(flat, -torch.inf), flat)
    order = torch.sort(flat, dim=1, descending=True, stable=True).indices
    n = flat.shape[1]
    ar = torch.arange(n, dtype=torch.int32, device=flat.device).expand_as(order)
    return torch.empty_like(order, dtype=torch.int32).scatter_(1, order, ar)


def region_sizes(coverages, n_pixels: int) -> np.ndarray:
    """(n_cov,) int64 pixel counts round(p * n_pixels), halves rounded up (not to even)."""
    c = np.asarray(coverages, dtype=np.float64)
    if np.any((c <= 0) | (c > 1)):
        raise ValueError("coverages must lie in (0, 1]")
    return np.floor(c * n_pixels + 0.5).astype(np.int64)


def point_ranks(ranks: torch.Tensor, points: torch.Tensor, visible: torch.Tensor, size: int) -> torch.Tensor:
    """(Q, P) long rank of the pixel holding each (x, y) point (floor, clipped); S*S if invisible.

    Points with a non-finite coordinate are treated as invisible.
    """
    pts = torch.as_tensor(points, device=ranks.device)
    vis = torch.as_tensor(visible, device=ranks.device).bool() & torch.isfinite(pts).all(-1)
    xy = torch.nan_to_num(pts, nan=0.0, posinf=0.0, neginf=0.0)
    col = torch.floor(xy[..., 0]).clamp(0, size - 1).long()
    row = torch.floor(xy[..., 1]).clamp(0, size - 1).long()
    r = ranks.gather(1, row * size + col).long()
    return torch.where(vis, r, torch.full_like(r, size * size))


def importance(up_maps: torch.Tensor, ranks: torch.Tensor, n_inside: int) -> torch.Tensor:
    """(Q,) mean map value over the region of n_inside pixels, (1/|r|) sum_r m (rebuttal R1.4)."""
    if n_inside <= 0:
        return torch.full((up_maps.shape[0],), torch.nan, dtype=up_maps.dtype, device=up_maps.device)
    flat = up_maps.reshape(up_maps.shape[0], -1)
    inside = ranks < n_inside
    return torch.where(inside, flat, torch.zeros_like(flat)).sum(1) / n_inside


def importance_curve(up_maps: torch.Tensor, sizes: torch.Tensor) -> torch.Tensor:
    """(Q, n_cov) `importance` at every region size at once: running mean of the sorted map values
    (equal to `importance` for any tie order, since tied values are equal)."""
    flat = torch.sort(up_maps.reshape(up_maps.shape[0], -1), 1, descending=True).values
    sizes = sizes.to(flat.device).clamp(min=1)
    return flat.cumsum(1).gather(1, (sizes - 1).expand(len(flat), -1)) / sizes


def shifted_ranks(ranks: torch.Tensor, size: int, generator: torch.Generator) -> torch.Tensor:
    """(Q, size*size) ranks of the random-region baseline: each row's region moved to a uniformly
    random place, i.e. its rank image rolled cyclically by a random (dy, dx) in [0, size)^2.

    Every coverage's random region then has exactly the insecurity's area and shape, and each pixel
    is equally likely to fall in it, so the baseline measures placement alone. Ranks of upsampled
    grid noise (the earlier baseline) are not uniform: bilinear upsampling keeps the outer half-cell
    band at the cell values while it averages the inside, so image borders were 2.7 times more
    likely than the centre to be in a 4 % region (README "Random regions"). Shifts are drawn from
    `generator` on its own device; pass a CPU generator to get the same baseline on every device.
    """
    q = ranks.shape[0]
    shift = torch.randint(0, size, (q, 2), generator=generator, device=generator.device).to(ranks.device)
    ar = torch.arange(size, device=ranks.device)
    rows = (ar[None, :] - shift[:, :1]) % size  # (Q, size): source row of each target row
    cols = (ar[None, :] - shift[:, 1:]) % size
    src = rows[:, :, None] * size + cols[:, None, :]  # (Q, size, size) flat source index
    return ranks.reshape(q, -1).gather(1, src.reshape(q, -1))
