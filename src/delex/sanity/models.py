"""The classifier (and hardness predictor) a sanity job explains: a checkpoint of the main chain, or
torchvision's ImageNet weights (source imagenet: no predictor, so no deliberative maps)."""

from __future__ import annotations

from delex.models.backbones import build_classifier
from delex.models.checkpoint import load_models
from delex.models.training import channels_last_on


def load_explained(source: str, arch: str, model_path: str | None, device):
    """(classifier, predictor or None) in eval mode on device."""
    if source == "chain":
        clf, pred, _ = load_models(model_path, device)
        return clf, pred
    # torchvision weights: VGG16 without BatchNorm (as in the paper), ResNet-50
    clf = build_classifier(arch, 1000, width=1.0, batch_norm=arch == "resnet50", pretrained=True)
    return channels_last_on(clf, device).eval(), None
