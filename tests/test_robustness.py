"""Known answers for the shift-robustness IoU and the matching of ambiguities across explanations."""

import numpy as np
import pytest

from delex.metrics.robustness import match_pairs, shift_iou


def test_shift_iou_known_answer():
    orig = np.array([[[1, 1, 0, 0], [1, 1, 1, 0], [0, 0, 0, 0]]], dtype=bool)
    shift = np.array([[[1, 0, 0, 0], [1, 1, 0, 1], [0, 0, 0, 0]]], dtype=bool)
    np.testing.assert_allclose(shift_iou(orig, shift), [[0.5, 0.5, np.nan]])
    gt = np.array([[True, True, False, False]])  # only gt points count
    np.testing.assert_allclose(shift_iou(orig, shift, gt=gt), [[0.5, 1.0, np.nan]])
    np.testing.assert_allclose(shift_iou(orig, orig), [[1.0, 1.0, np.nan]])
    with pytest.raises(ValueError):
        shift_iou(orig, shift[:, :2])


def test_match_pairs_unordered_and_sorted():
    a = np.array([[0, 3, 7], [1, 2, 5], [0, 1, 3], [2, 4, 6]])
    b = np.array([[1, 5, 2], [0, 7, 3], [0, 1, 4], [3, 4, 6]])
    ia, ib = match_pairs(a, b)
    np.testing.assert_array_equal(ia, [0, 1])  # (0, 3, 7) then (1, 2, 5)
    np.testing.assert_array_equal(ib, [1, 0])
    ia, ib = match_pairs(a, np.empty((0, 3), dtype=int))
    assert ia.size == 0 and ib.size == 0
    with pytest.raises(ValueError):
        match_pairs(np.array([[0, 1, 2], [0, 2, 1]]), b)
