"""Backbones keep their topology at any width, heads are piecewise linear, training is seeded."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from delex.models.backbones import build_classifier, build_predictor, feature_channels
from delex.models.checkpoint import load_models, save_models
from delex.models.training import TrainConfig, predictor_loss, train, validation_split


@pytest.mark.parametrize(("arch", "grid"), [("vgg16", 7), ("resnet50", 4), ("alexnet", 6)])
def test_explained_layer_shapes(arch, grid):
    model = build_classifier(arch, 7, width=0.0625).eval()
    a = model.features(torch.randn(2, 3, 112, 112))
    assert a.shape[1] == feature_channels(model)
    assert a.shape[-2:] == (grid, grid)
    assert model.head(a).shape == (2, 7)
    assert build_predictor(model, 8).eval()(torch.randn(2, 3, 112, 112)).shape == (2,)


@pytest.mark.parametrize("arch", ["vgg16", "resnet50", "alexnet"])
def test_head_is_piecewise_linear_along_a_location(arch):
    """u(A + t a_l e_l) is linear in t for small t: the premise of the closed-form Hessians."""
    torch.manual_seed(0)
    model = build_classifier(arch, 5, width=0.0625).double().eval()
    a = model.features(torch.randn(1, 3, 112, 112, dtype=torch.float64))
    d = torch.zeros_like(a)
    d[..., 1, 2] = a[..., 1, 2]
    u = [model.head(a + t * d) for t in (0.0, 1e-4, 2e-4)]
    assert torch.allclose(u[2] - u[1], u[1] - u[0], atol=1e-12)


@pytest.mark.parametrize("arch", ["vgg16", "resnet50", "alexnet"])
@pytest.mark.parametrize("size", [80, 112, 128])
def test_every_cell_of_the_explained_layer_reaches_the_logits(arch, size):
    """No row or column of A is cut off by the head's pooling (odd grids: 5x5 at 80 px, 7x7 at 112 px),
    else it could never get attribution: d(sum of logits)/dA is non-zero somewhere in every row and
    every column (single cells may lose every max-pool window of a small random net by chance)."""
    torch.manual_seed(0)
    model = build_classifier(arch, 5, width=0.0625).eval()
    a = model.features(torch.randn(16, 3, size, size)).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(model.head(a).sum(), a)
    reached = grad.abs().sum((0, 1)) > 0
    assert reached.any(1).all() and reached.any(0).all(), f"cells reaching the logits:\n{reached.int()}"


def test_full_width_vgg16_matches_torchvision_parameter_count():
    import torchvision

    ours = build_classifier("vgg16", 1000, width=1.0, batch_norm=False)
    theirs = torchvision.models.vgg16(weights=None)
    assert sum(p.numel() for p in ours.parameters()) == sum(p.numel() for p in theirs.parameters())


def test_validation_split_is_stratified_and_seeded():
    labels = np.repeat(np.arange(4), 10)
    a, b = validation_split(labels, 0.2, 3), validation_split(labels, 0.2, 3)
    assert (a == b).all()
    assert all(a[labels == c].sum() == 2 for c in range(4))
    assert not (a == validation_split(labels, 0.2, 4)).all()


def test_training_is_deterministic_and_checkpoint_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 255, (24, 3, 64, 64), dtype=np.uint8)
    labels = np.repeat(np.arange(3), 8)
    cfg = TrainConfig(epochs_warmup=1, epochs_joint=1, batch_size=8, width=0.0625, predictor_hidden=8)
    runs = [train("alexnet", images, labels, 3, cfg, seed=1, progress=False) for _ in range(2)]
    for p, q in zip(runs[0][0].parameters(), runs[1][0].parameters(), strict=True):
        assert torch.equal(p, q)
    assert [r["phase"] for r in runs[0][2]] == ["warmup", "joint"]
    # Trained in channels_last, returned in the default layout that every later job expects.
    for model in runs[0][:2]:
        for name, p in model.state_dict().items():
            assert p.is_contiguous(), name
    meta = {"arch": "alexnet", "n_classes": 3, "width": 0.0625, "batch_norm": True, "predictor_hidden": 8}
    save_models(tmp_path / "m.pt", runs[0][0], runs[0][1], meta)
    clf, pred, _ = load_models(tmp_path / "m.pt")
    # Loaded in channels_last for the faster convolutions; the outputs agree with the trained NCHW pair.
    convs = [p for m in (clf, pred) for p in m.parameters() if p.dim() == 4]
    assert convs and all(p.is_contiguous(memory_format=torch.channels_last) for p in convs)
    x = torch.randn(2, 3, 64, 64)
    assert torch.allclose(clf(x), runs[0][0](x))
    assert torch.allclose(pred(x), runs[0][1](x))


def test_predictor_losses_known_answers():
    s = torch.tensor([0.9, 0.1, 0.2])
    p = torch.tensor([0.1, 0.9, 0.8])  # one hard sample (p < 0.5), two easy ones
    # linear loss per sample: 1 - [s(1-p) + (1-s)p] = 0.18, 0.18, 0.32; groups 0.18 and 0.25
    assert predictor_loss(s, p, "balanced_linear").item() == pytest.approx((0.18 + 0.25) / 2)
    bce = -(0.9 * np.log(0.9) + 0.1 * np.log(0.1) + 0.1 * np.log(0.1) + 0.9 * np.log(0.9))
    bce += -(0.2 * np.log(0.2) + 0.8 * np.log(0.8))
    assert predictor_loss(s, p, "bce").item() == pytest.approx(bce / 3, rel=1e-5)
    # only easy samples: the balanced loss is their plain mean
    assert predictor_loss(s[1:], p[1:], "balanced_linear").item() == pytest.approx(0.25)
    with pytest.raises(ValueError, match="predictor_loss"):
        predictor_loss(s, p, "hinge")
