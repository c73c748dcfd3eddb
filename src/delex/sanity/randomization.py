"""Model-parameter randomization test (Adebayo et al. 2018): re-initialise the classifier's layers
from the top (output) down, cascading (layers 1..k) or independently (layer k alone), and compare
each method's maps before and after by Spearman rank correlation and SSIM. A method whose maps
barely change does not depend on what the model learned."""

from __future__ import annotations

import copy

import numpy as np
import torch
from scipy import stats
from skimage.metrics import structural_similarity
from torch import nn

MODES = ("cascading", "independent")


def layers_top_down(model: nn.Module) -> list[str]:
    """Names of the Conv2d and Linear layers, the output layer first."""
    names = [n for n, m in model.named_modules() if isinstance(m, nn.Conv2d | nn.Linear)]
    return names[::-1]


def randomized(model: nn.Module, names: list[str], seed: int) -> nn.Module:
    """A copy of model with the named layers re-initialised (PyTorch's default init, seeded)."""
    out = copy.deepcopy(model)
    mods = dict(out.named_modules())
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for n in names:
            mods[n].reset_parameters()
    return out.eval()


def schedule(names: list[str], mode: str, n_layers: int) -> list[tuple[str, list[str]]]:
    """(label, layers to randomise) for the top n_layers: cascading 1..k or layer k alone."""
    top = names[: n_layers if n_layers > 0 else len(names)]
    if mode == "cascading":
        return [(top[k], top[: k + 1]) for k in range(len(top))]
    if mode == "independent":
        return [(n, [n]) for n in top]
    raise ValueError(f"mode: {mode!r}; choose from {MODES}")


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per image (Spearman rho, SSIM) between maps a and b (N, H, W) in [0, 1]; NaN rho where a map is
    constant."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    rho = np.full(len(a), np.nan)
    ssim = np.empty(len(a))
    for i in range(len(a)):
        x, y = a[i].reshape(-1), b[i].reshape(-1)
        if np.ptp(x) > 0 and np.ptp(y) > 0:
            rho[i] = stats.spearmanr(x, y).statistic
        ssim[i] = structural_similarity(a[i], b[i], data_range=1.0)
    return rho, ssim
