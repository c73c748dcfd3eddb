"""Resize/crop geometry: known answers, image-point consistency, squash variant, translation, masks."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from delex.datasets.geometry import ResizeCrop, squash_points, translate

T = ResizeCrop(resize=50, crop=40)  # on a 200 x 100 image: x0.5 -> 100 x 50, left 30, top 5


def test_params_known_answer():
    assert T.params(200, 100) == (0.5, 0.5, 30, 5)
    assert T.params(100, 200) == (0.5, 0.5, 5, 30)
    # non-integral: 333 x 500 -> 224 x round(336.34) = 336; scales are new/old per axis
    sx, sy, left, top = ResizeCrop(224, 224).params(333, 500)
    assert (sx, sy, left, top) == (224 / 333, 336 / 500, 0, 56)


def test_invalid_transform():
    with pytest.raises(ValueError):
        ResizeCrop(32, 40)


def test_points_known_answer_and_visibility():
    parts = np.array(
        [
            [100.0, 50.0, 1],  # centre -> (20, 20)
            [10.0, 50.0, 1],  # left of the crop -> invisible
            [139.9, 10.0, 1],  # just inside: (39.95, 0)
            [140.0, 10.0, 1],  # x' = 40 is outside [0, 40)
            [100.0, 50.0, 0],  # invisible stays invisible
            [62.0, 96.0, 1],  # (1, 43) below the crop
        ]
    )
    out = T.apply_points(parts, 200, 100)
    expect = np.array([[20, 20, 1], [0, 0, 0], [39.95, 0, 1], [0, 0, 0], [0, 0, 0], [0, 0, 0]])
    np.testing.assert_allclose(out, expect)
    batch = T.apply_points(np.stack([parts, parts]), 200, 100)  # (..., 3) shapes
    np.testing.assert_allclose(batch[1], expect)


@pytest.mark.parametrize(
    "size, transform", [((200, 100), T), ((157, 93), ResizeCrop(64, 56)), ((30, 45), ResizeCrop(90, 80))]
)
def test_image_and_points_stay_consistent(size, transform):
    w, h = size
    rng = np.random.default_rng(0)
    checked = 0
    for _ in range(30):
        x0, y0 = int(rng.integers(w)), int(rng.integers(h))
        arr = np.zeros((h, w, 3), np.uint8)
        arr[y0, x0] = 255
        out = np.asarray(transform.apply_image(Image.fromarray(arr)))[..., 0].astype(float)
        p = transform.apply_points(np.array([[x0 + 0.5, y0 + 0.5, 1.0]]), w, h)[0]
        if p[2] == 0 or out.max() == 0:
            continue
        yy, xx = np.unravel_index(np.argmax(out), out.shape)
        assert abs(xx + 0.5 - p[0]) <= 1.0 and abs(yy + 0.5 - p[1]) <= 1.0
        checked += 1
    assert checked >= 5


def test_apply_image_size_and_mode():
    img = Image.new("RGB", (200, 100), (10, 20, 30))
    out = T.apply_image(img)
    assert out.size == (40, 40) and out.mode == "RGB"


def test_boxes_mapped_and_clipped():
    boxes = np.array([[80.0, 20.0, 40.0, 40.0], [0.0, 0.0, 200.0, 100.0], [np.nan] * 4])
    out = T.apply_boxes(boxes, 200, 100)
    np.testing.assert_allclose(out[0], [10, 5, 20, 20])
    np.testing.assert_allclose(out[1], [0, 0, 40, 40])
    assert np.isnan(out[2]).all()


def test_mask_nearest_through_same_geometry():
    cols = np.tile(np.arange(200), (100, 1))
    rows = np.tile(np.arange(100)[:, None], (1, 200))
    mc, mr = T.apply_mask(cols), T.apply_mask(rows)
    assert mc.shape == (40, 40) and mc.dtype == cols.dtype
    # output pixel j pulls back to source floor((j + 0.5 + left) / 0.5)
    np.testing.assert_array_equal(mc[0], 2 * np.arange(40) + 61)
    np.testing.assert_array_equal(mr[:, 0], 2 * np.arange(40) + 11)
    # identical to PIL's NEAREST resize followed by the crop
    lab = np.random.default_rng(1).integers(0, 150, (93, 157)).astype(np.int32)
    t = ResizeCrop(64, 56)
    new_w, new_h = t.resized_size(157, 93)
    _, _, left, top = t.params(157, 93)
    ref = np.asarray(Image.fromarray(lab).resize((new_w, new_h), Image.Resampling.NEAREST))
    np.testing.assert_array_equal(t.apply_mask(lab), ref[top : top + 56, left : left + 56])


def test_mask_labels_agree_with_mapped_points():
    """A point inside a labelled region lands in the same label after mapping (DESIGN rule)."""
    lab = np.zeros((100, 200), np.int64)
    lab[40:60, 90:120] = 7
    m = T.apply_mask(lab)
    x, y, v = T.apply_points(np.array([105.0, 50.0, 1.0]), 200, 100)
    assert v == 1 and m[int(np.floor(y)), int(np.floor(x))] == 7


def test_squash_points():
    parts = np.array([[100.0, 50.0, 1], [199.0, 99.0, 1], [200.0, 10.0, 1], [5.0, 5.0, 0]])
    out = squash_points(parts, 200, 100, 50)
    np.testing.assert_allclose(out, [[25, 25, 1], [49.75, 49.5, 1], [0, 0, 0], [0, 0, 0]])


def test_translate_images_and_points():
    rng = np.random.default_rng(2)
    imgs = rng.integers(0, 256, (2, 3, 8, 8), dtype=np.uint8)
    parts = np.array([[[3.5, 0.5, 1], [1.0, 4.0, 1], [7.0, 7.0, 1], [2.0, 2.0, 0]]] * 2)
    out, pts = translate(imgs, parts, dx=2, dy=-1)
    assert out.shape == imgs.shape and out.dtype == np.uint8
    np.testing.assert_array_equal(out[..., 0:7, 2:8], imgs[..., 1:8, 0:6])  # content moved
    np.testing.assert_array_equal(out[..., :7, 0], imgs[..., 1:, 0])  # left edge replicated
    np.testing.assert_array_equal(out[..., :7, 1], imgs[..., 1:, 0])
    np.testing.assert_array_equal(out[..., 7, 2:], imgs[..., 7, :6])  # bottom edge replicated
    np.testing.assert_allclose(pts[0], [[0, 0, 0], [3, 3, 1], [0, 0, 0], [0, 0, 0]])
    same, same_pts = translate(imgs, parts, 0, 0)
    np.testing.assert_array_equal(same, imgs)
    np.testing.assert_allclose(same_pts[0, :3], parts[0, :3])


def test_translate_keeps_pixel_and_point_together():
    img = np.zeros((1, 3, 16, 16), np.uint8)
    img[0, :, 5, 9] = 255
    pts = np.array([[[9.5, 5.5, 1.0]]])
    for dx, dy in [(3, 2), (-4, 1), (0, -5)]:
        out, p = translate(img, pts, dx, dy)
        yy, xx = np.unravel_index(np.argmax(out[0, 0]), (16, 16))
        assert (xx + 0.5, yy + 0.5) == tuple(p[0, 0, :2]) and p[0, 0, 2] == 1
