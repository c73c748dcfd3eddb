"""Every metric of SANITY.md on one method's maps: per-image scores (one row per image) and curves."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from delex.sanity import average_drop, localisation, perturbation, pointing_game, road
from delex.sanity.settings import config_name


@dataclass(frozen=True)
class MetricSettings:
    steps: int = 100
    noise_draws: int = 5
    blur_kernel: int = 11
    blur_sigma: float = 5.0
    region: int = 9
    percentiles: tuple = (50, 70, 75, 80, 85, 90)
    tolerances: tuple = (0, 15)
    road_levels: tuple = road.LEVELS
    road_noise: float = 0.01
    road_max_iter: int = 2000
    road_tol: float = 1e-6
    iou_thresholds: tuple = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
    wsl_threshold: float = 0.5
    batch: int = 64

    @classmethod
    def from_config(cls, cfg: dict) -> MetricSettings:
        kw = {k: cfg[k] for k in cls.__dataclass_fields__ if k in cfg}
        for k in ("percentiles", "tolerances", "road_levels", "iou_thresholds"):
            if k in kw:
                kw[k] = tuple(kw[k])
        return cls(**kw)


def select_images(data: dict, n: int, seed: int) -> np.ndarray:
    """n test images (sorted indices), drawn without replacement by a seeded generator."""
    test = np.flatnonzero(~data["is_train"].astype(bool))
    if n > test.size:
        raise ValueError(f"sanity.n_images: {n} requested, only {test.size} test images")
    return np.sort(np.random.default_rng(seed).choice(test, n, replace=False))


def score_maps(model, x, target, maps, boxes, st: MetricSettings, generator: torch.Generator, progress=None):
    """(per-image DataFrame, {name: (B, n) curve array}) for maps (B, S, S) of images x (B, 3, S, S)."""
    cols: dict[str, np.ndarray] = {}
    curves: dict[str, np.ndarray] = {}
    ins_del = perturbation.all_curves(
        model,
        x,
        target,
        maps,
        generator,
        st.steps,
        st.region,
        st.noise_draws,
        (st.blur_kernel, st.blur_sigma),
        st.batch,
        progress,
    )
    for (kind, base, mode), c in ins_del.items():
        name = f"{kind}:{config_name(base, mode)}"
        cols[name] = perturbation.auc(c).numpy()
        curves[name] = c.numpy()
    for level, (d, inc) in average_drop.average_drop_scores(
        model, x, target, maps, st.percentiles, st.batch
    ).items():
        cols[f"avg_drop:{level}"] = d.numpy()
        cols[f"increase:{level}"] = inc.numpy()
    for tol in st.tolerances:
        cols[f"pointing:{tol:g}px"] = (
            pointing_game.hits(maps, torch.as_tensor(boxes), float(tol)).cpu().numpy()
        )
    m_np, b_np = maps.detach().cpu().numpy(), np.asarray(boxes, dtype=np.float64)
    for t, v in zip(st.iou_thresholds, localisation.iou_sweep(m_np, b_np, st.iou_thresholds).T, strict=True):
        cols[f"iou:{t:g}"] = v
    cols["wsl"] = localisation.wsl(m_np, b_np, st.wsl_threshold)
    rc = road.road_curves(
        model,
        x,
        target,
        maps,
        generator,
        st.road_levels,
        st.road_noise,
        st.batch,
        st.road_tol,
        st.road_max_iter,
    )
    for order, c in rc.items():
        cols[f"road_{order}"] = road.road_score(c).numpy()
        curves[f"road_{order}"] = c.numpy()
    return pd.DataFrame(cols), curves
