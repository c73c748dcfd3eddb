"""Insertion and deletion (Petsiuk et al. 2018) in the 6 configurations of SANITY.md, batched in torch.

Every (image, step) pair of a chunk is built at once from the pixel ranks, so one forward pass scores
many steps of many images (CPU or GPU); `curves_reference` is the plain one-step-at-a-time loop the
benchmark and the tests compare against.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torchvision.transforms.functional import gaussian_blur

from delex.models.training import IMAGENET_MEAN, IMAGENET_STD
from delex.sanity.maps import counts, ranks
from delex.sanity.settings import BASELINES, CONFIGS


def baseline_image(x: torch.Tensor, kind: str, generator: torch.Generator | None = None, blur=(11, 5.0)):
    """The image every removed pixel takes, in normalised space: zero (= the dataset mean), uniform
    noise in [0, 1] pixel space then normalised, or the Gaussian-blurred image (reflect border)."""
    if kind == "zero":
        return torch.zeros_like(x)
    if kind == "uniform":
        u = torch.rand(x.shape, generator=generator, device=x.device, dtype=x.dtype)
        mean = torch.tensor(IMAGENET_MEAN, device=x.device, dtype=x.dtype).view(1, 3, 1, 1)
        std = torch.tensor(IMAGENET_STD, device=x.device, dtype=x.dtype).view(1, 3, 1, 1)
        return (u - mean) / std
    if kind == "blur":
        k, s = blur
        return gaussian_blur(x, [int(k), int(k)], [float(s), float(s)])
    raise ValueError(f"baseline: unknown {kind!r}; choose from {BASELINES}")


def step_counts(n_pixels: int, steps: int) -> torch.Tensor:
    """(steps + 1,) pixels switched after step k: round(k / steps * n), 0 and n included."""
    return torch.from_numpy(counts(np.arange(steps + 1) / steps, n_pixels))


def step_masks(rank: torch.Tensor, n: torch.Tensor, size: int, region: int = 1) -> torch.Tensor:
    """(Q, 1, S, S) float: pixel of rank < n (per row), dilated to the region x region square around
    each such pixel when region > 1 (the "region" mode)."""
    m = (rank < n[:, None]).to(torch.float32).reshape(-1, 1, size, size)
    if region > 1:
        m = F.max_pool2d(m, region, stride=1, padding=region // 2)
    return m


def target_prob(model, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Softmax probability of each row's target class."""
    return model(x).softmax(1).gather(1, target[:, None])[:, 0]


@torch.no_grad()
def curves(
    model,
    x: torch.Tensor,
    target: torch.Tensor,
    maps: torch.Tensor,
    baseline: torch.Tensor,
    kind: str,
    steps: int = 100,
    region: int = 1,
    batch: int = 64,
) -> torch.Tensor:
    """(B, steps + 1) target probabilities along insertion (baseline -> image) or deletion
    (image -> baseline), most salient pixels first. x, baseline: (B, 3, S, S); maps: (B, S, S)."""
    if kind not in ("insertion", "deletion"):
        raise ValueError(f"kind: {kind!r}; choose insertion or deletion")
    b, _, s, _ = x.shape
    r = ranks(maps).to(x.device)
    n = step_counts(s * s, steps).to(x.device)
    pairs = b * (steps + 1)
    out = torch.empty(pairs, device=x.device)
    for lo in range(0, pairs, batch):
        q = torch.arange(lo, min(lo + batch, pairs), device=x.device)
        img, k = q // (steps + 1), q % (steps + 1)
        m = step_masks(r[img], n[k], s, region)
        if kind == "insertion":
            xs = m * x[img] + (1 - m) * baseline[img]
        else:
            xs = m * baseline[img] + (1 - m) * x[img]
        out[q] = target_prob(model, xs, target[img])
    return out.reshape(b, steps + 1)


@torch.no_grad()
def curves_reference(model, x, target, maps, baseline, kind, steps=100, region=1) -> torch.Tensor:
    """The same curves by a plain loop: one image, one step, one forward pass at a time."""
    b, _, s, _ = x.shape
    out = torch.empty(b, steps + 1)
    for i in range(b):
        flat = maps[i].reshape(-1)
        order = torch.sort(flat, descending=True, stable=True).indices
        for k in range(steps + 1):
            n = int(np.floor(k / steps * s * s + 0.5))
            m = torch.zeros(s * s, device=x.device)
            m[order[:n]] = 1.0
            m = m.reshape(1, 1, s, s)
            if region > 1:
                m = F.max_pool2d(m, region, stride=1, padding=region // 2)
            if kind == "insertion":
                xs = m * x[i : i + 1] + (1 - m) * baseline[i : i + 1]
            else:
                xs = m * baseline[i : i + 1] + (1 - m) * x[i : i + 1]
            out[i, k] = model(xs).softmax(1)[0, target[i]]
    return out


def auc(curve: torch.Tensor) -> torch.Tensor:
    """Trapezoid area under (..., steps + 1) curves on x in [0, 1]."""
    steps = curve.shape[-1] - 1
    return (curve[..., 1:] + curve[..., :-1]).sum(-1) / (2 * steps)


def all_curves(
    model,
    x: torch.Tensor,
    target: torch.Tensor,
    maps: torch.Tensor,
    generator: torch.Generator,
    steps: int = 100,
    region: int = 9,
    noise_draws: int = 5,
    blur=(11, 5.0),
    batch: int = 64,
    progress: Callable | None = None,
) -> dict[tuple[str, str, str], torch.Tensor]:
    """{(kind, baseline, mode): (B, steps + 1) curve} for insertion/deletion x 6 configurations; the
    uniform baseline's curve is the mean over `noise_draws` independent draws."""
    out = {}
    jobs = [(kind, b, m) for kind in ("insertion", "deletion") for b, m in CONFIGS]
    for kind, base, mode in progress(jobs) if progress else jobs:
        draws = noise_draws if base == "uniform" else 1
        acc = 0
        for _ in range(draws):
            bl = baseline_image(x, base, generator, blur)
            acc = acc + curves(
                model, x, target, maps, bl, kind, steps, region if mode == "region" else 1, batch
            )
        out[(kind, base, mode)] = (acc / draws).cpu()
    return out
