"""Mask IoU at every coverage on hand-made masks, the nearest mapping of a non-square annotation,
and the mask reducer of the explanation loop."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from delex.datasets.geometry import ResizeCrop, reshape_mask
from delex.evaluation import iou_curves_frame
from delex.metrics.iou import iou_curves, shift_expected_iou


def test_iou_on_a_hand_made_mask():
    # 4 pixels; ranks: pixel 2 first, then 0, 3, 1; mask = {0, 1}
    ranks = torch.tensor([[1, 3, 0, 2]])
    mask = torch.tensor([[True, True, False, False]])
    iou = iou_curves(ranks, mask, [1, 2, 3, 4]).numpy()[0]
    # regions {2}, {2,0}, {2,0,3}, all: I = 0,1,1,2; U = 3,3,4,4
    np.testing.assert_allclose(iou, [0, 1 / 3, 1 / 4, 2 / 4])


def test_support_caps_the_region_and_empty_gives_nan():
    ranks = torch.tensor([[0, 1, 2, 3], [0, 1, 2, 3]])
    mask = torch.tensor([[True, False, False, False], [False, False, False, False]])
    iou = iou_curves(ranks, mask, [1, 2, 4], support=torch.tensor([[1], [0]])).numpy()
    np.testing.assert_allclose(iou[0], [1, 1, 1])  # region stays {0}
    assert np.isnan(iou[1]).all()  # empty region and empty mask


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30), st.integers(0, 2**31 - 1))
def test_iou_matches_brute_force(n, seed):
    rng = np.random.default_rng(seed)
    ranks = np.stack([rng.permutation(n) for _ in range(3)])
    mask = rng.random((3, n)) < 0.4
    sizes = np.unique(rng.integers(0, n + 1, 4))
    support = rng.integers(0, n + 1, (3, 1))
    got = iou_curves(
        torch.from_numpy(ranks), torch.from_numpy(mask), sizes, torch.from_numpy(support)
    ).numpy()
    for q in range(3):
        for c, s in enumerate(sizes):
            region = ranks[q] < min(s, support[q, 0])
            union = (region | mask[q]).sum()
            want = (region & mask[q]).sum() / union if union else np.nan
            np.testing.assert_allclose(got[q, c], want)


def test_shift_expected_iou_known_answer():
    # 2x2 grid, region = one pixel, mask = one pixel: the moved region hits the mask in 1 of 4 shifts
    ranks = torch.tensor([[0, 1, 2, 3]])
    mask = torch.tensor([[False, False, False, True]])
    got = shift_expected_iou(ranks, mask, [1, 2, 4], size=2).numpy()[0]
    # size 1: IoU 1 in one shift, 0 in three; size 2 (top row): I = 1 in two shifts, U = 2 -> 1/2;
    # size 4: the whole image, I = 1, U = 4 in every shift
    np.testing.assert_allclose(got, [1 / 4, (2 * 0.5) / 4, 1 / 4])
    empty = shift_expected_iou(ranks, torch.zeros((1, 4), dtype=torch.bool), [1], 2, support=[0])
    assert torch.isnan(empty).all()  # empty region and empty mask, as iou_curves


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 7), st.integers(0, 2**31 - 1))
def test_shift_expected_iou_is_the_mean_over_every_roll(s, seed):
    """Brute force through `iou_curves`: roll each rank image by every (dy, dx), as the random
    baseline (`shifted_ranks`) does for one drawn shift, and average."""
    rng = np.random.default_rng(seed)
    n = s * s
    ranks = np.stack([rng.permutation(n) for _ in range(3)])
    mask = rng.random((3, n)) < 0.4
    sizes = np.unique(rng.integers(0, n + 1, 4))
    support = rng.integers(0, n + 1, (3, 1))
    got = shift_expected_iou(torch.from_numpy(ranks), torch.from_numpy(mask), sizes, s, support).numpy()
    rolled = [
        iou_curves(
            torch.from_numpy(np.roll(ranks.reshape(3, s, s), (dy, dx), axis=(1, 2)).reshape(3, n)),
            torch.from_numpy(mask),
            sizes,
            torch.from_numpy(support),
        ).numpy()
        for dy in range(s)
        for dx in range(s)
    ]
    np.testing.assert_allclose(got, np.mean(rolled, axis=0), atol=1e-12)


def test_shift_expected_iou_is_what_the_drawn_baseline_averages_to():
    from delex.insecurity import shifted_ranks

    rng = np.random.default_rng(3)
    s = 8
    ranks = torch.from_numpy(np.stack([rng.permutation(s * s) for _ in range(2)]))
    mask = torch.from_numpy(rng.random((2, s * s)) < 0.3)
    exact = shift_expected_iou(ranks, mask, [6, 20], s).numpy()
    gen = torch.Generator().manual_seed(0)
    draws = np.mean([iou_curves(shifted_ranks(ranks, s, gen), mask, [6, 20]).numpy() for _ in range(4000)], 0)
    np.testing.assert_allclose(draws, exact, atol=0.01)  # 4000 draws: standard error below 0.003


def test_nearest_mapping_of_a_non_square_annotation():
    # 6 wide x 4 high, one column per label 1..6; resize shorter side 4 -> 2 (3x2), crop 2
    ann = np.tile(np.arange(1, 7, dtype=np.uint8), (4, 1))
    out = ResizeCrop(2, 2).apply_mask(ann)
    # resized width 3 (scale 0.5), left = 0; output pixel centres 0.5, 1.5 pull back to x 1, 3
    np.testing.assert_array_equal(out, [[2, 4], [2, 4]])
    # upscaling a 3 wide x 2 high annotation to shorter side 4 (6x4), crop 4 at left 1
    small = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.uint8)
    up = ResizeCrop(4, 4).apply_mask(small)
    np.testing.assert_array_equal(up, [[1, 2, 2, 3], [1, 2, 2, 3], [4, 5, 5, 6], [4, 5, 5, 6]])
    # the released reshape is not geometric: raster order wraps the rows
    np.testing.assert_array_equal(reshape_mask(small, 2), [[1, 2], [3, 4]])


def test_mask_reducer_on_a_tiny_network():
    from delex.deliberative import ExplainSettings, explain_masks
    from delex.models.backbones import build_classifier, build_predictor

    torch.manual_seed(0)
    clf = build_classifier("vgg16", 5, 0.0625, True, dropout=0.0).eval()
    pred = build_predictor(clf, 8).eval()
    imgs = torch.randint(0, 255, (4, 3, 64, 64), dtype=torch.uint8)
    ann = torch.zeros((4, 64, 64), dtype=torch.uint8)
    ann[:, :32] = 1  # object 1 covers the top half
    lookup = torch.zeros((5, 5, 151), dtype=torch.bool)
    lookup[..., 1] = True  # object 1 is common to every pair
    cov = np.arange(1, 91) / 100
    st = ExplainSettings(score="hesitancy", batch_size=3)
    out = explain_masks(clf, pred, imgs, ann, lookup, st, cov, torch.Generator().manual_seed(0))
    q = len(out["ins_image"])
    assert q > 0 and out["ins_iou"].shape == (q, 90) and out["ins_random_iou"].shape == (q, 90)
    np.testing.assert_allclose(out["ins_mask_fraction"], 0.5)
    ok = ~np.isnan(out["ins_iou"])
    assert ((out["ins_iou"][ok] >= 0) & (out["ins_iou"][ok] <= 1)).all()
    # never above the best possible IoU of a region of that size with a half-image mask
    best = np.minimum(out["region_sizes"], 2048) / np.maximum(out["region_sizes"], 2048)
    assert (out["ins_iou"][ok] <= np.broadcast_to(best, out["ins_iou"].shape)[ok] + 1e-12).all()


def test_iou_curves_frame_averages_images_then_pairs_them():
    expl = {
        "ins_image": np.array([0, 0, 1, 2]),
        "ins_iou": np.array([[0.2, 0.4], [0.4, 0.4], [0.5, 0.6], [0.3, np.nan]]),
        "ins_random_iou": np.array([[0.1, 0.1], [0.1, 0.1], [0.2, 0.7], [0.1, np.nan]]),
        "coverages": np.array([0.1, 0.2]),
    }
    f = iou_curves_frame(expl, 4)  # image 3 has no insecurity: it is in no mean and no pair
    # per image at 10 %: ins 0.3, 0.5, 0.3 / random 0.1, 0.2, 0.1 -> three positive differences
    assert f["iou"].tolist() == pytest.approx([(0.3 + 0.5 + 0.3) / 3, (0.4 + 0.6) / 2])
    assert f["random_iou"].tolist() == pytest.approx([(0.1 + 0.2 + 0.1) / 3, (0.1 + 0.7) / 2])
    assert f["wilcoxon_p"][0] == pytest.approx(1 / 8) and f["n_paired"].tolist() == [3, 2]
    # at 20 %: differences +0.3, -0.1: W+ = 2 of 3, P(W+ >= 2) = 2/4
    assert f["wilcoxon_p"][1] == pytest.approx(0.5)
    assert f["n_images"].tolist() == [3, 3] and f["n_insecurities"].tolist() == [4, 4]
