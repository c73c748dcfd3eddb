"""ROAD's noisy linear imputer against systems solved by hand and scipy's sparse direct solve."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from sanity_toys import RegionMean

from delex.sanity import road


def test_row_of_four_is_linear_interpolation():
    # 1 x 4 image [a, u1, u2, b]: only horizontal neighbours (weight 1/6) -> 2u1 - u2 = a, 2u2 - u1 = b
    a, b = 0.2, 0.8
    img = torch.tensor([[[[a, 0.0, 0.0, b]]]], dtype=torch.float64)
    rem = torch.tensor([[[False, True, True, False]]])
    out = road.impute(img, rem, noise=0.0)
    np.testing.assert_allclose(out[0, 0, 0].numpy(), [a, (2 * a + b) / 3, (a + 2 * b) / 3, b], atol=1e-12)


def test_centre_pixel_is_the_weighted_neighbour_mean():
    img = torch.arange(9, dtype=torch.float64).reshape(1, 1, 3, 3) / 10
    rem = torch.zeros(1, 3, 3, dtype=torch.bool)
    rem[0, 1, 1] = True
    v = img[0, 0].numpy()
    direct = v[0, 1] + v[1, 0] + v[1, 2] + v[2, 1]
    diag = v[0, 0] + v[0, 2] + v[2, 0] + v[2, 2]
    expect = (direct / 6 + diag / 12) / (4 / 6 + 4 / 12)
    assert road.impute(img, rem, noise=0.0)[0, 0, 1, 1].item() == pytest.approx(expect, abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), frac=st.floats(0.05, 0.95))
def test_conjugate_gradients_match_the_sparse_direct_solve(seed, frac):
    rng = np.random.default_rng(seed)
    img = rng.random((3, 9, 7))
    rem = rng.random((9, 7)) < frac
    rem[0, 0] = False  # keep one known pixel
    ref = road.impute_sparse(img, rem)
    out = road.impute(torch.from_numpy(img)[None], torch.from_numpy(rem)[None], noise=0.0, tol=1e-12)
    np.testing.assert_allclose(out[0].numpy(), ref, atol=1e-8)
    np.testing.assert_array_equal(out[0].numpy()[:, ~rem], img[:, ~rem])  # known pixels untouched


def test_noise_touches_imputed_pixels_only():
    img = torch.full((1, 3, 32, 32), 0.5)
    rem = torch.zeros(1, 32, 32, dtype=torch.bool)
    rem[0, 8:24, 8:24] = True
    out = road.impute(img, rem, noise=0.01, generator=torch.Generator().manual_seed(0))
    assert (out[:, :, ~rem[0]] == 0.5).all()
    dev = out[:, :, rem[0]] - 0.5  # the solution is 0.5 exactly; what remains is the noise
    assert abs(dev.std().item() - 0.01) < 0.001


def test_removal_masks_morf_and_lerf():
    maps = torch.arange(16, dtype=torch.float32).reshape(1, 4, 4)
    morf = road.removal_masks(maps, [25, 50], "morf")
    lerf = road.removal_masks(maps, [25], "lerf")
    assert morf[0, 0].reshape(-1).nonzero().flatten().tolist() == [12, 13, 14, 15]
    assert morf[0, 1].sum() == 8
    assert lerf[0, 0].reshape(-1).nonzero().flatten().tolist() == [0, 1, 2, 3]


def test_road_on_a_toy_model():
    # score = mean of rows 0-1 of channel 0 (in normalised space); image: rows 0-1 bright, rest dark.
    s = 8
    region = torch.zeros(s, s)
    region[:2] = 1
    model = RegionMean(region)
    pix = torch.zeros(1, 3, s, s)
    pix[:, :, :2] = 1.0
    x = road.to_normalised(pix)
    maps = region[None].clone()
    c = road.road_curves(model, x, torch.tensor([0]), maps, levels=(25,), noise=0.0)
    # MoRF 25%: the 16 region pixels are imputed from dark neighbours below -> the score drops;
    # LeRF 25%: 16 dark pixels at the bottom are imputed from dark pixels -> unchanged score.
    assert c["morf"][0, 0] < c["lerf"][0, 0]
    full = model(x).softmax(1)[0, 0]
    torch.testing.assert_close(c["lerf"][0, 0], full)


def test_neighbour_sum_equals_the_weighted_conv():
    v = torch.rand(3, 1, 6, 5, dtype=torch.float64)
    conv = torch.nn.functional.conv2d(v, road._W.to(v).view(1, 1, 3, 3), padding=1)
    torch.testing.assert_close(road._neigh(v), conv)
