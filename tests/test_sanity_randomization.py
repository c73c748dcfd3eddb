"""Model-parameter randomization: layer order, schedules, and the similarity measures."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from delex.models.backbones import build_classifier
from delex.sanity.randomization import layers_top_down, randomized, schedule, similarity


def test_layers_top_down_and_schedules():
    net = build_classifier("vgg16", 3, width=0.0625)
    names = layers_top_down(net)
    assert names[0] == "head.9" and names[-1] == "features.0"  # output layer first
    casc = schedule(names, "cascading", 3)
    assert [len(ls) for _, ls in casc] == [1, 2, 3] and casc[2][1] == names[:3]
    assert [ls for _, ls in schedule(names, "independent", 2)] == [[names[0]], [names[1]]]
    assert len(schedule(names, "independent", 0)) == len(names)


def test_randomized_changes_only_the_named_layers():
    torch.manual_seed(0)
    net = build_classifier("vgg16", 3, width=0.0625).eval()
    new = randomized(net, ["head.9"], seed=1)
    a, b = dict(net.named_parameters()), dict(new.named_parameters())
    assert not torch.equal(a["head.9.weight"], b["head.9.weight"])
    assert all(torch.equal(a[k], b[k]) for k in a if not k.startswith("head.9."))
    again = randomized(net, ["head.9"], seed=1)
    assert torch.equal(dict(again.named_parameters())["head.9.weight"], b["head.9.weight"])  # seeded


def test_similarity_known_answers():
    rng = np.random.default_rng(0)
    a = rng.random((2, 16, 16))
    rho, ssim = similarity(a, a.copy())
    np.testing.assert_allclose(rho, 1.0)
    np.testing.assert_allclose(ssim, 1.0)
    rho, _ = similarity(a, 1 - a)
    np.testing.assert_allclose(rho, -1.0)
    rho, _ = similarity(np.zeros((1, 8, 8)), a[:1, :8, :8])
    assert np.isnan(rho[0])
    with pytest.raises(ValueError):
        schedule(["x"], "sideways", 1)
