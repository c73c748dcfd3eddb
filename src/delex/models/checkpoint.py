"""Save and load a trained (classifier, hardness predictor) pair with what is needed to rebuild it."""

from __future__ import annotations

import os

import torch

from delex.io import atomic_path
from delex.models.backbones import build_classifier, build_predictor
from delex.models.training import channels_last_on


def save_models(path: str | os.PathLike, classifier, predictor, meta: dict) -> None:
    """meta must hold arch, n_classes, width, batch_norm, predictor_hidden (and may hold more)."""
    state = {"classifier": classifier.state_dict(), "predictor": predictor.state_dict(), "meta": meta}
    with atomic_path(path) as tmp:
        torch.save(state, tmp)


def load_models(path: str | os.PathLike, device: str | torch.device = "cpu"):
    """Rebuild both networks from a checkpoint; returns (classifier, predictor, meta), in eval mode.

    The networks come back in channels_last (NHWC) layout, so every forward and backward pass of
    the explanation, robustness and sanity jobs runs oneDNN's faster convolutions (VGG16 maps 1.3x
    faster with gradients, 1.5x with integrated gradients: `benchmarks/training_layout.py
    --explain`); inputs need no change.
    """
    state = torch.load(path, map_location=device, weights_only=True)
    meta = state["meta"]
    clf = build_classifier(
        meta["arch"], meta["n_classes"], meta["width"], meta["batch_norm"], dropout=meta.get("dropout", 0.5)
    )
    clf.load_state_dict(state["classifier"])
    pred = build_predictor(clf, meta["predictor_hidden"])
    pred.load_state_dict(state["predictor"])
    return channels_last_on(clf, device).eval(), channels_last_on(pred, device).eval(), meta
