"""torchvision VGG16, ResNet-50 and AlexNet split at the explained layer, with a width multiplier.

Every classifier exposes `features(x) -> A` (the activation tensor explained by METHOD.md 1) and
`head(A) -> logits`. Heads are piecewise linear in A, which the closed-form second-order attributions
rely on. Width 1.0 gives the exact torchvision topologies (ImageNet weights loadable); smaller widths
keep the topology and divide every channel count, for the CPU default.
"""

from __future__ import annotations

import copy

import torch
from torch import nn
from torchvision import models as tvm
from torchvision.models import resnet as tvr

from delex.errors import ConfigError

ARCHITECTURES = ("vgg16", "resnet50", "alexnet")
_WEIGHTS = {
    ("vgg16", False): "VGG16_Weights.IMAGENET1K_V1",
    ("vgg16", True): "VGG16_BN_Weights.IMAGENET1K_V1",
    ("resnet50", False): "ResNet50_Weights.IMAGENET1K_V2",
    ("resnet50", True): "ResNet50_Weights.IMAGENET1K_V2",
    ("alexnet", False): "AlexNet_Weights.IMAGENET1K_V1",
    ("alexnet", True): "AlexNet_Weights.IMAGENET1K_V1",
}


class SplitClassifier(nn.Module):
    """A classifier seen as head(features(x)); `arch` names the torchvision topology."""

    def __init__(self, features: nn.Module, head: nn.Module, arch: str, n_classes: int):
        super().__init__()
        self.features = features
        self.head = head
        self.arch = arch
        self.n_classes = n_classes

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


class HardnessPredictor(nn.Module):
    """Hardness predictor S (Wang & Vasconcelos 2018): backbone + MLP ending in one sigmoid unit.

    `forward` returns the pre-sigmoid logit v (B,); the hardness score is sigmoid(v).
    """

    def __init__(self, features: nn.Module, channels: int, hidden: int):
        super().__init__()
        self.features = features
        self.head = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(channels, hidden),
            nn.ReLU(inplace=False),
            nn.Linear(hidden, 1),
            nn.Flatten(0),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def _w(channels: int, width: float) -> int:
    return max(4, int(round(channels * width)))


def _no_inplace(module: nn.Module) -> nn.Module:
    """In-place ReLUs break autograd through saved activations; switch them off."""
    for m in module.modules():
        if isinstance(m, nn.ReLU):
            m.inplace = False
    return module


def _vgg16(n_classes: int, width: float, batch_norm: bool, dropout: float) -> SplitClassifier:
    cfg = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512]
    cfg = [c if c == "M" else _w(c, width) for c in cfg]
    features = tvm.vgg.make_layers(cfg, batch_norm=batch_norm)  # ends at ReLU after conv5_3
    d, hidden = cfg[-1], _w(4096, width)
    # ceil_mode: at an odd grid (5x5 at 80 px, 7x7 at 112 px) floor-mode pooling would drop the last
    # row and column, so they would never reach the logits and never get attribution (the floor of
    # a room, the feet of a bird); at torchvision's even 14x14 the two modes agree.
    head = nn.Sequential(
        nn.MaxPool2d(2, 2, ceil_mode=True),
        nn.AdaptiveAvgPool2d((7, 7)),
        nn.Flatten(),
        nn.Linear(d * 49, hidden),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(hidden, n_classes),
    )
    return SplitClassifier(_no_inplace(features), head, "vgg16", n_classes)


def _alexnet(n_classes: int, width: float, dropout: float, batch_norm: bool) -> SplitClassifier:
    c1, c2, c3, c4, c5 = (_w(c, width) for c in (64, 192, 384, 256, 256))

    def conv(i, o, k, s=1, p=0):
        # torchvision's AlexNet has no BatchNorm; the optional one (scratch training) follows each conv
        return [nn.Conv2d(i, o, k, s, p), *([nn.BatchNorm2d(o)] if batch_norm else []), nn.ReLU()]

    features = nn.Sequential(
        *conv(3, c1, 11, 4, 2),
        nn.MaxPool2d(3, 2),
        *conv(c1, c2, 5, p=2),
        nn.MaxPool2d(3, 2),
        *conv(c2, c3, 3, p=1),
        *conv(c3, c4, 3, p=1),
        *conv(c4, c5, 3, p=1),  # ReLU after conv5: the explained layer
    )
    hidden = _w(4096, width)
    head = nn.Sequential(
        nn.MaxPool2d(3, 2, ceil_mode=True),
        nn.AdaptiveAvgPool2d((6, 6)),
        nn.Flatten(),
        nn.Dropout(dropout),
        nn.Linear(c5 * 36, hidden),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Linear(hidden, n_classes),
    )
    return SplitClassifier(features, head, "alexnet", n_classes)


class _ScaledResNet(tvr.ResNet):
    """torchvision's ResNet-50 (Bottleneck, [3, 4, 6, 3]) with every channel count scaled."""

    def __init__(self, width: float):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes = _w(64, width)
        self.dilation, self.groups, self.base_width = 1, 1, 64
        self.conv1 = nn.Conv2d(3, self.inplanes, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(self.inplanes)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = self._make_layer(tvr.Bottleneck, _w(64, width), 3)
        self.layer2 = self._make_layer(tvr.Bottleneck, _w(128, width), 4, stride=2)
        self.layer3 = self._make_layer(tvr.Bottleneck, _w(256, width), 6, stride=2)
        self.layer4 = self._make_layer(tvr.Bottleneck, _w(512, width), 3, stride=2)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)


def _resnet_split(net: tvr.ResNet, n_classes: int) -> SplitClassifier:
    features = nn.Sequential(
        net.conv1, net.bn1, net.relu, net.maxpool, net.layer1, net.layer2, net.layer3, net.layer4
    )
    d = net.layer4[-1].conv3.out_channels
    head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(d, n_classes))
    return SplitClassifier(_no_inplace(features), head, "resnet50", n_classes)


def _load_pretrained(arch: str, batch_norm: bool) -> nn.Module:
    name = _WEIGHTS[(arch, batch_norm)]
    builder = {"vgg16": tvm.vgg16_bn if batch_norm else tvm.vgg16, "resnet50": tvm.resnet50}
    builder["alexnet"] = tvm.alexnet
    try:
        return builder[arch](weights=name)
    except Exception as exc:  # network or cache problems: say what to do
        raise ConfigError(
            f"model.pretrained: could not load torchvision weights {name} ({exc}). Download them once "
            "on a machine with internet (they are cached under $TORCH_HOME/hub/checkpoints), or set "
            "model.pretrained: false."
        ) from exc


def build_classifier(
    arch: str,
    n_classes: int,
    width: float = 1.0,
    batch_norm: bool = True,
    pretrained: bool = False,
    dropout: float = 0.5,
) -> SplitClassifier:
    """Build a split classifier; `pretrained` loads torchvision's ImageNet weights (width 1 only)."""
    if arch not in ARCHITECTURES:
        raise ConfigError(f"model.arch: unknown architecture {arch!r}; choose from {ARCHITECTURES}")
    if pretrained and arch == "alexnet" and batch_norm:
        raise ConfigError("models.alexnet: torchvision's AlexNet weights need batch_norm: false")
    if pretrained and width != 1.0:
        raise ConfigError("model.pretrained: ImageNet weights exist only for model.width = 1.0")
    if arch == "vgg16":
        model = _vgg16(n_classes, width, batch_norm, dropout)
    elif arch == "alexnet":
        model = _alexnet(n_classes, width, dropout, batch_norm)
    else:
        model = _resnet_split(_ScaledResNet(width), n_classes)
    if pretrained:
        _copy_pretrained(model, _load_pretrained(arch, batch_norm), arch)
    return model


def _copy_pretrained(model: SplitClassifier, net: nn.Module, arch: str) -> None:
    """Copy ImageNet weights into the split model, all but the last (class) layer."""
    if arch == "resnet50":
        src = _resnet_split(net, 1000)
    else:
        layers = list(net.features.children())[:-1]  # drop the last max-pool (moved to the head)
        src = SplitClassifier(nn.Sequential(*layers), nn.Sequential(), arch, 1000)
    model.features.load_state_dict(_no_inplace(src.features).state_dict())
    if arch != "resnet50":
        ours = [m for m in model.head if isinstance(m, nn.Linear)][:-1]
        theirs = [m for m in net.classifier if isinstance(m, nn.Linear)][:-1]
        for a, b in zip(ours, theirs, strict=True):
            a.load_state_dict(b.state_dict())


def feature_channels(model: SplitClassifier) -> int:
    """Number of channels D of the explained activation tensor."""
    convs = [m for m in model.features.modules() if isinstance(m, nn.Conv2d)]
    return convs[-1].out_channels


def build_predictor(classifier: SplitClassifier, hidden: int = 128) -> HardnessPredictor:
    """A hardness predictor whose backbone starts as a copy of the classifier's (METHOD.md 4)."""
    return HardnessPredictor(copy.deepcopy(classifier.features), feature_channels(classifier), hidden)
