"""IoU sweep and WSL localisation proxies on hand-made maps and boxes."""

from __future__ import annotations

import numpy as np
import pytest

from delex.sanity.localisation import box_iou, box_mask, iou_sweep, largest_component_box, wsl


def test_box_mask_and_iou_sweep():
    s = 8
    box = np.array([2.0, 2.0, 4.0, 4.0])  # pixel centres 2.5..5.5 -> a 4x4 block
    assert box_mask(box, s).sum() == 16
    m = np.zeros((1, s, s))
    m[0, 2:6, 2:6] = 1.0
    m[0, 0, 0:4] = 0.4  # 4 extra pixels only above threshold 0.4
    iou = iou_sweep(m, box[None], [0.3, 0.5])
    np.testing.assert_allclose(iou, [[16 / 20, 1.0]])
    assert np.isnan(iou_sweep(m, np.full((1, 4), np.nan), [0.5])).all()


def test_box_iou_known_answers():
    assert box_iou([0, 0, 2, 2], [1, 1, 2, 2]) == pytest.approx(1 / 7)
    assert box_iou([0, 0, 2, 2], [5, 5, 1, 1]) == 0.0


def test_wsl_uses_the_largest_component():
    s = 16
    m = np.zeros((2, s, s))
    m[:, 1:3, 1:3] = 1.0  # small blob: 4 pixels
    m[0, 8:14, 8:14] = 1.0  # big blob on the object
    m[1, 8:10, 8:10] = 1.0  # second blob too small (4 pixels): ties -> first label (raster order)
    box = np.array([[8.0, 8.0, 6.0, 6.0]] * 2)
    np.testing.assert_array_equal(largest_component_box(m[0] >= 0.5), [8, 8, 6, 6])
    np.testing.assert_array_equal(largest_component_box(m[1] >= 0.5), [1, 1, 2, 2])
    assert wsl(m, box).tolist() == [1.0, 0.0]
    assert largest_component_box(np.zeros((4, 4), bool)) is None
