"""Toy models with closed-form metric curves, shared by the sanity-check tests."""

from __future__ import annotations

import torch
from torch import nn

EPS = 1e-6


class RegionMean(nn.Module):
    """Two classes; softmax probability of class 0 = mean of channel 0 over a fixed pixel region R
    (clipped to [EPS, 1 - EPS]): logits (log s, log(1 - s))."""

    def __init__(self, region: torch.Tensor):
        super().__init__()
        self.register_buffer("region", region.float())

    def forward(self, x):
        s = (x[:, 0] * self.region).sum((1, 2)) / self.region.sum()
        s = s.clamp(EPS, 1 - EPS)
        return torch.stack([s.log(), (1 - s).log()], 1)
