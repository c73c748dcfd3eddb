"""Post-processing shared by every explanation method, and the stable pixel ranking every metric uses."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torchvision.transforms.functional import gaussian_blur

from delex.insecurity import pixel_ranks


def postprocess(attr: torch.Tensor) -> torch.Tensor:
    """(B, C, H, W) or (B, H, W) attribution -> (B, H, W) map in [0, 1] (SANITY.md): negatives to 0,
    mean over channels, min-max per image; a constant map becomes all zeros (no division by 0)."""
    a = attr.detach().float().clamp(min=0)
    if a.dim() == 4:
        a = a.mean(1)
    lo = a.amin((1, 2), keepdim=True)
    span = a.amax((1, 2), keepdim=True) - lo
    return torch.where(span > 0, (a - lo) / span.clamp(min=torch.finfo(a.dtype).tiny), torch.zeros_like(a))


def upsample_to(maps: torch.Tensor, size: int) -> torch.Tensor:
    """(B, h, w) -> (B, size, size), bilinear, align_corners=False (DESIGN.md)."""
    if maps.shape[-1] == size and maps.shape[-2] == size:
        return maps
    return F.interpolate(maps[:, None].float(), size=(size, size), mode="bilinear", align_corners=False)[:, 0]


def blur_maps(maps: torch.Tensor, kernel: int = 11, sigma: float = 5.0) -> torch.Tensor:
    """Figure 4's coarsened maps: Gaussian blur (reflect border) then post-process again (re-min-max)."""
    return postprocess(gaussian_blur(maps[:, None], [kernel, kernel], [sigma, sigma])[:, 0])


def ranks(maps: torch.Tensor) -> torch.Tensor:
    """(B, H*W) long rank of every pixel, 0 = most salient. Tie rule (explicit and stable): equal
    values are ordered by raster index, smaller first; NaN ranks last (delex.insecurity.pixel_ranks)."""
    return pixel_ranks(maps).long()


def counts(fractions, n_pixels: int) -> np.ndarray:
    """Pixel counts round(f * n) for fractions f in [0, 1], halves rounded up (never to even)."""
    f = np.asarray(fractions, dtype=np.float64)
    if np.any((f < 0) | (f > 1)):
        raise ValueError("fractions must lie in [0, 1]")
    return np.floor(f * n_pixels + 0.5).astype(np.int64)


def binarize(maps: torch.Tensor, percentile: float) -> torch.Tensor:
    """(B, H, W) float {0, 1}: keep the top (100 - q)% pixels by rank (ties by raster order), so the
    kept area is exactly round((100 - q)% of H*W) however many values are equal."""
    b, h, w = maps.shape
    keep = int(counts([(100.0 - percentile) / 100.0], h * w)[0])
    return (ranks(maps) < keep).reshape(b, h, w).to(maps.dtype)
