"""Insertion/deletion, Average Drop, pointing game against closed forms on a toy model."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sanity_toys import EPS, RegionMean

from delex.sanity import average_drop as AD
from delex.sanity import perturbation as P
from delex.sanity import pointing_game as PG
from delex.sanity.maps import binarize, counts, postprocess, ranks

S = 8


def _toy(rows=slice(0, 2)):
    region = torch.zeros(S, S)
    region[rows] = 1  # the first 2 rows: 16 pixels, ranks 0..15 under a map equal to the region
    return RegionMean(region), region


def test_deletion_and_insertion_follow_the_closed_form():
    model, region = _toy()
    x = torch.ones(1, 3, S, S)
    maps = region[None].clone()  # ties everywhere else: raster order
    steps = 10
    n = np.floor(np.arange(steps + 1) / steps * S * S + 0.5)
    r = region.sum().item()
    expect_del = np.clip((r - np.minimum(n, r)) / r, EPS, 1 - EPS)
    expect_ins = np.clip(np.minimum(n, r) / r, EPS, 1 - EPS)
    zero = torch.zeros_like(x)
    d = P.curves(model, x, torch.tensor([0]), maps, zero, "deletion", steps)[0].numpy()
    i = P.curves(model, x, torch.tensor([0]), maps, zero, "insertion", steps)[0].numpy()
    np.testing.assert_allclose(d, expect_del, atol=1e-6)
    np.testing.assert_allclose(i, expect_ins, atol=1e-6)
    assert P.auc(torch.from_numpy(d)).item() == pytest.approx(
        np.trapezoid(expect_del, dx=1 / steps), abs=1e-6
    )


def test_region_mode_removes_the_square_around_each_pixel():
    rank = torch.arange(S * S)[None].repeat(2, 1)
    m = P.step_masks(rank, torch.tensor([1, 0]), S, region=3)
    assert m[0].sum() == 4  # pixel (0, 0): its 3x3 square clipped to the image
    assert m[1].sum() == 0
    centre = torch.full((1, S * S), S * S)
    centre[0, 3 * S + 3] = 0
    assert P.step_masks(centre, torch.tensor([1]), S, region=3)[0, 0, 2:5, 2:5].all()
    assert P.step_masks(centre, torch.tensor([1]), S, region=3).sum() == 9


def test_blur_of_a_constant_image_changes_nothing():
    model, region = _toy()
    x = torch.full((1, 3, S, S), 0.7)
    bl = P.baseline_image(x, "blur")
    torch.testing.assert_close(bl, x)
    c = P.curves(model, x, torch.tensor([0]), torch.rand(1, S, S), bl, "deletion", 5)
    torch.testing.assert_close(c, torch.full((1, 6), 0.7), atol=1e-6, rtol=0)


def test_batched_curves_equal_the_one_step_loop():
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(4 * S * S, 5),
    ).eval()
    x, maps = torch.randn(3, 3, S, S), torch.rand(3, S, S)
    maps[0, :4] = 0.5  # ties
    tgt = torch.tensor([0, 3, 4])
    bl = P.baseline_image(x, "uniform", torch.Generator().manual_seed(1))
    for kind in ("insertion", "deletion"):
        for region in (1, 3):
            a = P.curves(model, x, tgt, maps, bl, kind, 7, region, batch=5)
            b = P.curves_reference(model, x, tgt, maps, bl, kind, 7, region)
            torch.testing.assert_close(a, b, atol=1e-6, rtol=0)


def test_uniform_noise_is_averaged_over_draws():
    model, region = _toy()
    x = torch.ones(2, 3, S, S)
    out = P.all_curves(
        model,
        x,
        torch.zeros(2, dtype=torch.long),
        region[None].repeat(2, 1, 1),
        torch.Generator().manual_seed(0),
        steps=4,
        region=3,
        noise_draws=3,
    )
    assert len(out) == 12 and all(v.shape == (2, 5) for v in out.values())
    # deletion to uniform noise: the end point is the region mean of noise, normalised; differs by draw
    end = out[("deletion", "uniform", "pixel")][:, -1]
    assert (end > 0).all() and (end < 1).all()


def test_average_drop_and_increase_closed_form():
    model, region = _toy()
    x = torch.ones(2, 3, S, S)
    maps = torch.stack([torch.full((S, S), 0.25), region])  # region mean of the map: 0.25 and 1
    p, q = AD.masked_probs(model, x, torch.zeros(2, dtype=torch.long), maps)
    torch.testing.assert_close(q, torch.tensor([0.25, 1 - EPS]))
    d = AD.drop(p, q)
    torch.testing.assert_close(d, torch.tensor([(1 - EPS - 0.25) / (1 - EPS) * 100, 0.0]))
    assert AD.increase(torch.tensor([0.5, 0.5]), torch.tensor([0.6, 0.4])).tolist() == [1.0, 0.0]


def test_binarization_tie_rule_on_a_map_of_equal_values():
    maps = torch.zeros(1, S, S)
    maps[0, 5:] = 1.0  # 24 pixels at 1, 40 at 0: the 75th percentile keeps 16 of the 24 ones
    b = binarize(maps, 75)
    assert b.sum() == 16
    assert b[0, 5:7].all() and b[0, 7].sum() == 0  # raster order among equals
    half = binarize(maps, 50)  # 32 pixels: all 24 ones, then the first 8 zeros in raster order
    assert half.sum() == 32 and half[0, 0].all() and half[0, 1].sum() == 0
    flat = binarize(torch.full((1, S, S), 0.3), 90)  # a constant map: the first round(6.4) = 6 pixels
    assert flat.reshape(-1)[:6].all() and flat.sum() == 6
    assert counts([0.5, 0.1, 0.0], 5).tolist() == [3, 1, 0]  # halves round up


def test_ranks_are_stable_and_descending():
    m = torch.tensor([[[0.5, 1.0], [0.5, 0.0]]])
    assert ranks(m).tolist() == [[1, 0, 2, 3]]


def test_pointing_game_tolerance_and_ties():
    maps = torch.zeros(2, S, S)
    maps[0, 6, 1] = 1.0  # centre (1.5, 6.5)
    maps[1, 2, 2] = maps[1, 0, 7] = 1.0  # tie: the first in raster order is (7.5, 0.5)
    box = torch.tensor([[4.0, 4.0, 4.0, 4.0], [4.0, 4.0, 4.0, 4.0]])  # x 4..8, y 4..8
    assert PG.hits(maps, box, 0).tolist() == [0.0, 0.0]
    assert PG.hits(maps, box, 2.5).tolist() == [1.0, 0.0]  # 2.5 px left of the box
    assert PG.hits(maps, box, 3.5).tolist() == [1.0, 1.0]  # (7.5, 0.5) is 3.5 px above it
    assert np.isnan(PG.hits(maps[:1], torch.full((1, 4), float("nan")), 15)[0].item())


def test_postprocess_known_answer():
    a = torch.tensor([[[[-1.0, 2.0], [4.0, 0.0]], [[1.0, 0.0], [2.0, -3.0]]]])  # (1, 2, 2, 2)
    # negatives to 0 -> channel mean [[0.5, 1], [3, 0]] -> min-max
    torch.testing.assert_close(postprocess(a), torch.tensor([[[0.5 / 3, 1 / 3], [1.0, 0.0]]]))
    assert postprocess(torch.full((2, 4, 4), -2.0)).abs().sum() == 0  # constant: zeros, no NaN
