"""Every explanation method: output shape, post-processing, and known answers where they exist."""

from __future__ import annotations

import pytest
import torch
from sanity_toys import RegionMean
from torch import nn

from delex.models.backbones import build_classifier, build_predictor
from delex.sanity.lrp import canonize, lrp
from delex.sanity.methods import MethodSettings, explain_batch
from delex.sanity.rise import rise, rise_masks
from delex.sanity.settings import DELIBERATIVE, METHODS

ST = MethodSettings(ig_steps=4, smoothgrad_samples=2, occlusion_window=16, occlusion_stride=16, rise_masks=16)


@pytest.fixture(scope="module", params=["vgg16", "resnet50"])
def nets(request):
    torch.manual_seed(0)
    clf = build_classifier(request.param, 4, width=0.0625, batch_norm=True, dropout=0.0)
    for m in clf.modules():  # non-trivial BatchNorm statistics, so folding is exercised
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    clf.eval()
    return clf, build_predictor(clf, 8).eval()


@pytest.mark.parametrize("method", METHODS + DELIBERATIVE)
def test_every_method_gives_one_post_processed_map_per_image(nets, method):
    clf, pred = nets
    x = torch.randn(3, 3, 64, 64)
    m = explain_batch(method, clf, x, torch.tensor([0, 1, 3]), ST, torch.Generator().manual_seed(0), pred)
    assert m.shape == (3, 64, 64)
    assert torch.isfinite(m).all() and m.min() >= 0 and m.max() <= 1
    for i in range(3):  # min-max: every non-constant map spans [0, 1]
        assert m[i].max() == 0 or (m[i].min() == 0 and m[i].max() == pytest.approx(1.0))


def test_canonize_keeps_the_function(nets):
    clf, _ = nets
    x = torch.randn(2, 3, 64, 64)
    torch.testing.assert_close(canonize(clf)(x), clf(x), atol=1e-4, rtol=1e-4)


class _Split(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1, bias=False), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(4 * 6 * 6, 3, bias=False))

    def forward(self, x):
        return self.head(self.features(x))


def test_lrp_conserves_relevance_without_biases():
    torch.manual_seed(1)
    net = _Split().eval()
    x = torch.rand(2, 3, 6, 6)  # inside the z^B bounds of [0, 1] pixels (normalised space is wider)
    t = torch.tensor([0, 2])
    r = lrp(net, x, t, gamma=0.25, eps=1e-9)
    logit = net(x).gather(1, t[:, None])[:, 0]
    torch.testing.assert_close(r.sum((1, 2, 3)), logit, atol=1e-4, rtol=1e-4)


def test_rise_finds_the_region_the_score_reads():
    region = torch.zeros(16, 16)
    region[:4, :4] = 1
    model = RegionMean(region)
    x = torch.ones(1, 3, 16, 16) * 0.9
    masks = rise_masks(400, 16, grid=4, p=0.5, generator=torch.Generator().manual_seed(0))
    assert masks.shape == (400, 16, 16) and 0 <= masks.min() and masks.max() <= 1
    sal = rise(model, x, torch.tensor([0]), masks, 0.5)[0]
    assert sal[:4, :4].mean() > sal[8:, 8:].mean() + 0.1


def test_lrp_conserves_relevance_through_residual_blocks():
    torch.manual_seed(2)
    net = build_classifier("resnet50", 3, width=0.0625, batch_norm=True).eval()  # fresh BN: no bias
    nn.init.zeros_(net.head[-1].bias)
    x = torch.rand(2, 3, 64, 64)
    t = torch.tensor([1, 2])
    r = lrp(net, x, t, gamma=0.25, eps=1e-9)
    logit = net(x).gather(1, t[:, None])[:, 0]
    torch.testing.assert_close(r.sum((1, 2, 3)), logit, atol=1e-3, rtol=1e-3)
