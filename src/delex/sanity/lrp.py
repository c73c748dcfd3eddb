"""Layer-wise relevance propagation, hand-written.

Why by hand: zennit 1.0 needs Python >= 3.11.11 (this environment has 3.11.7, pip resolves the old
0.5.1) and Captum's LRP has no residual-connection support (unusable on ResNet-50) nor BatchNorm
rules. Rules (Montavon et al. 2019, "LRP: an overview"): BatchNorm folded into the preceding conv
(canonization), gamma rule on conv layers, epsilon rule on linear layers, z^B (box) rule on the first
layer with the bounds of [0, 1] pixels, pooling/ReLU/flatten/dropout passing relevance through their
gradient. Residual additions split the relevance in proportion to each branch's contribution.
Each layer uses the autograd trick R_in = a * grad(z(a) . stopgrad(R / z)).
"""

from __future__ import annotations

import copy

import torch
from torch import nn
from torchvision.models.resnet import Bottleneck

from delex.models.training import IMAGENET_MEAN, IMAGENET_STD


def _fold(conv: nn.Conv2d, bn: nn.BatchNorm2d) -> nn.Conv2d:
    """conv followed by eval-mode bn as one conv."""
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    out = copy.deepcopy(conv)
    out.weight = nn.Parameter(conv.weight * scale.view(-1, 1, 1, 1))
    bias = conv.bias if conv.bias is not None else torch.zeros_like(bn.running_mean)
    out.bias = nn.Parameter((bias - bn.running_mean) * scale + bn.bias)
    return out


def canonize(module: nn.Module) -> nn.Module:
    """A copy of the network with every (Conv2d, BatchNorm2d) pair folded into one Conv2d."""
    module = copy.deepcopy(module).eval()

    def visit(m: nn.Module):
        if isinstance(m, nn.Sequential):
            kids = list(m)
            for i in range(len(kids) - 1):
                if isinstance(kids[i], nn.Conv2d) and isinstance(kids[i + 1], nn.BatchNorm2d):
                    m[i] = _fold(kids[i], kids[i + 1])
                    m[i + 1] = nn.Identity()
        if isinstance(m, Bottleneck):
            for c, b in (("conv1", "bn1"), ("conv2", "bn2"), ("conv3", "bn3")):
                setattr(m, c, _fold(getattr(m, c), getattr(m, b)))
                setattr(m, b, nn.Identity())
        for child in m.children():
            visit(child)

    visit(module)
    return module


def _stab(z: torch.Tensor, eps: float) -> torch.Tensor:
    return z + eps * torch.where(z >= 0, torch.ones_like(z), -torch.ones_like(z))


def _leaf(layer: nn.Module, a: torch.Tensor, rel: torch.Tensor, gamma: float, eps: float, first: bool):
    """Relevance at the input of one layer given the relevance at its output."""
    a = a.detach().requires_grad_(True)
    if first and isinstance(layer, nn.Conv2d):  # z^B rule: bounds of [0, 1] pixels in normalised space
        mean = torch.tensor(IMAGENET_MEAN, device=a.device).view(1, 3, 1, 1)
        std = torch.tensor(IMAGENET_STD, device=a.device).view(1, 3, 1, 1)
        lo = ((0 - mean) / std).expand_as(a).detach().requires_grad_(True)
        hi = ((1 - mean) / std).expand_as(a).detach().requires_grad_(True)
        wp, wn = layer.weight.clamp(min=0), layer.weight.clamp(max=0)
        conv = lambda v, wt: nn.functional.conv2d(v, wt, None, layer.stride, layer.padding)  # noqa: E731
        z = _stab(conv(a, layer.weight) - conv(lo, wp) - conv(hi, wn), eps)
        s = (rel / z).detach()
        (z * s).sum().backward()
        return (a * a.grad + lo * lo.grad + hi * hi.grad).detach()  # the grads carry the minus signs
    if isinstance(layer, nn.Conv2d | nn.Linear):
        w = layer.weight + gamma * layer.weight.clamp(min=0) if isinstance(layer, nn.Conv2d) else layer.weight
        b = layer.bias
        if b is not None and isinstance(layer, nn.Conv2d):
            b = b + gamma * b.clamp(min=0)
        fn = nn.functional.conv2d if isinstance(layer, nn.Conv2d) else nn.functional.linear
        kw = {"stride": layer.stride, "padding": layer.padding} if isinstance(layer, nn.Conv2d) else {}
        z = _stab(fn(a, w, b, **kw), eps)
    elif isinstance(layer, nn.ReLU | nn.Dropout | nn.Identity | nn.Flatten):
        return rel.reshape(a.shape) if isinstance(layer, nn.Flatten) else rel
    else:  # pooling and other piecewise-linear layers: relevance follows the gradient
        z = _stab(layer(a), eps)
    s = (rel / z).detach()
    (z * s).sum().backward()
    return (a * a.grad).detach()


class _State:
    first_done = False


def _propagate(m: nn.Module, a: torch.Tensor, rel_fn, gamma: float, eps: float, state: _State):
    """Forward through m from input a; returns (output, backward) where backward(R_out) -> R_in."""
    if isinstance(m, nn.Sequential):
        steps = []
        h = a
        for child in m:
            h, back = _propagate(child, h, rel_fn, gamma, eps, state)
            steps.append(back)

        def back_seq(r):
            for back in reversed(steps):
                r = back(r)
            return r

        return h, back_seq
    if isinstance(m, Bottleneck):
        h, b1 = _propagate(
            nn.Sequential(m.conv1, m.relu, m.conv2, m.relu, m.conv3), a, rel_fn, gamma, eps, state
        )
        if m.downsample is not None:
            skip, b2 = _propagate(m.downsample, a, rel_fn, gamma, eps, state)
        else:
            skip, b2 = a, (lambda r: r)
        total = _stab(h + skip, eps)

        def back_res(r):
            return b1(r * h / total) + b2(r * skip / total)

        return torch.relu(h + skip), back_res
    first = not state.first_done and isinstance(m, nn.Conv2d)
    if first:
        state.first_done = True
    with torch.no_grad():
        out = m(a)
    return out, lambda r, m=m, a=a, first=first: _leaf(m, a, r, gamma, eps, first)


def lrp(model: nn.Module, x: torch.Tensor, target: torch.Tensor, gamma: float = 0.25, eps: float = 1e-6):
    """(B, 3, H, W) relevance of each input entry for the target logits of a SplitClassifier."""
    net = canonize(model)
    state = _State()
    feats = net.features
    if hasattr(feats, "conv1") and not isinstance(feats, nn.Sequential):  # plain torchvision ResNet
        raise TypeError("lrp expects a SplitClassifier (features and head as nn.Sequential)")
    with torch.enable_grad():
        seq = (
            nn.Sequential(*feats, *net.head)
            if isinstance(feats, nn.Sequential)
            else nn.Sequential(feats, net.head)
        )
        logits, back = _propagate(seq, x, None, gamma, eps, state)
        rel = torch.zeros_like(logits)
        rel.scatter_(1, target[:, None], logits.gather(1, target[:, None]))
        return back(rel)
