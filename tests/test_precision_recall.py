"""Known answers for point precision/recall at every coverage and their NaN-aware aggregation."""

import warnings

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from delex.metrics.precision_recall import (
    curve_mean,
    image_mean,
    inside_points,
    precision_recall,
    safe_ratio,
)

NAN = np.nan


def test_precision_recall_known_answer():
    # 4 points at pixel ranks 0, 5, 10, 20; points 0 and 2 are ground truth
    rank = np.array([[0, 5, 10, 20], [0, 5, 10, 20], [0, 5, 10, 20]])
    visible = np.array([[1, 1, 1, 1], [1, 1, 0, 1], [0, 0, 0, 0]], dtype=bool)
    gt = np.array([[1, 0, 1, 0], [0, 0, 1, 0], [1, 1, 1, 1]], dtype=bool)
    sizes = np.array([0, 1, 6, 11, 21])
    p, r = precision_recall(rank, visible, gt, sizes)
    np.testing.assert_allclose(p[0], [NAN, 1.0, 0.5, 2 / 3, 0.5])
    np.testing.assert_allclose(r[0], [0.0, 0.5, 0.5, 1.0, 1.0])
    # second: the only gt point is invisible -> recall undefined, precision 0 once a point is inside
    np.testing.assert_allclose(p[1], [NAN, 0.0, 0.0, 0.0, 0.0])
    assert np.isnan(r[1]).all()
    # third: nothing visible -> both undefined
    assert np.isnan(p[2]).all() and np.isnan(r[2]).all()


def test_precision_recall_accepts_torch_and_invisible_rank():
    rank = torch.tensor([[3, 16]])  # the second point carries the "invisible" rank S*S = 16
    p, r = precision_recall(
        rank, torch.tensor([[True, True]]), torch.tensor([[True, True]]), np.array([4, 16])
    )
    np.testing.assert_allclose(p, [[1.0, 1.0]])
    np.testing.assert_allclose(r, [[0.5, 0.5]])
    assert inside_points(rank, torch.tensor([[True, False]]), [4]).tolist() == [[[True, False]]]


def test_image_and_curve_mean_skip_nan_without_warnings():
    values = np.array([[1.0, NAN], [0.0, NAN], [NAN, NAN], [0.5, 0.25]])
    image = np.array([0, 0, 2, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        per_image = image_mean(values, image)
        curve = curve_mean(per_image)
        all_nan = curve_mean(np.full((3, 2), NAN))
    np.testing.assert_allclose(per_image, [[0.5, NAN], [NAN, NAN], [0.5, 0.25]])
    np.testing.assert_allclose(curve, [0.5, 0.25])
    assert np.isnan(all_nan).all()
    assert image_mean(values, image, n_images=4).shape == (4, 2)
    np.testing.assert_allclose(safe_ratio(np.array([1, 2]), np.array([0, 4])), [NAN, 0.5])


@settings(max_examples=80, deadline=None)
@given(
    arrays(np.int64, (5, 6), elements=st.integers(0, 100)),
    arrays(np.bool_, (5, 6)),
    arrays(np.bool_, (5, 6)),
    st.lists(st.integers(0, 101), min_size=1, max_size=8).map(sorted),
)
def test_precision_recall_properties(rank, visible, gt, sizes):
    p, r = precision_recall(rank, visible, gt, np.array(sizes))
    ok = ~np.isnan(p)
    assert ((p[ok] >= 0) & (p[ok] <= 1)).all()
    assert ((r[~np.isnan(r)] >= 0) & (r[~np.isnan(r)] <= 1)).all()
    # recall is defined for all coverages or none, and never decreases as coverage grows
    assert (np.isnan(r).all(1) | ~np.isnan(r).any(1)).all()
    assert (np.diff(np.nan_to_num(r), axis=1) >= 0).all()
    # once a point is inside, precision stays defined
    assert (np.diff(ok.astype(int), axis=1) >= 0).all()
    # precision of the full image is the share of gt among visible points
    n_vis = visible.sum(1)
    full = precision_recall(rank, visible, gt, np.array([101]))[0][:, 0]
    share = np.where(n_vis > 0, (gt & visible).sum(1) / np.maximum(n_vis, 1), np.nan)
    np.testing.assert_allclose(full, share)
