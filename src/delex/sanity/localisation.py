"""Localisation proxies of the user-study paper: IoU of the thresholded map with the object box over
a threshold sweep, and WSL (weakly supervised localisation): the box around the largest connected
component of the thresholded map hits when its IoU with the object box exceeds 0.5."""

from __future__ import annotations

import numpy as np
from skimage.measure import label


def box_mask(box: np.ndarray, size: int) -> np.ndarray:
    """(S, S) bool: pixels whose centre lies inside the (x, y, w, h) box (all False for a NaN box)."""
    if np.isnan(box).any():
        return np.zeros((size, size), dtype=bool)
    c = np.arange(size) + 0.5
    x0, y0, w, h = box
    inx = (c >= x0) & (c <= x0 + w)
    iny = (c >= y0) & (c <= y0 + h)
    return iny[:, None] & inx[None, :]


def iou_sweep(maps: np.ndarray, boxes: np.ndarray, thresholds) -> np.ndarray:
    """(N, T) IoU between {map >= t} and the box's pixels; NaN where the box is missing."""
    n, s, _ = maps.shape
    out = np.full((n, len(thresholds)), np.nan)
    for i in range(n):
        if np.isnan(boxes[i]).any():
            continue
        b = box_mask(boxes[i], s)
        for k, t in enumerate(thresholds):
            m = maps[i] >= t
            union = (m | b).sum()
            out[i, k] = (m & b).sum() / union if union else np.nan
    return out


def box_iou(a, b) -> float:
    """IoU of two (x, y, w, h) boxes, continuous coordinates."""
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def largest_component_box(mask: np.ndarray) -> np.ndarray | None:
    """(x, y, w, h) pixel-edge box around the largest 8-connected component; None if mask is empty.
    Ties between equal-sized components go to the first label in raster order."""
    lab = label(mask, connectivity=2)
    if lab.max() == 0:
        return None
    sizes = np.bincount(lab.reshape(-1))[1:]
    ys, xs = np.nonzero(lab == int(np.argmax(sizes)) + 1)
    return np.array([xs.min(), ys.min(), xs.max() + 1 - xs.min(), ys.max() + 1 - ys.min()], dtype=np.float64)


def wsl(maps: np.ndarray, boxes: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """(N,) 1.0 if the largest component of {map >= threshold} has a box with IoU > 0.5 with the
    object box, else 0.0; NaN where the object box is missing."""
    out = np.full(len(maps), np.nan)
    for i in range(len(maps)):
        if np.isnan(boxes[i]).any():
            continue
        comp = largest_component_box(maps[i] >= threshold)
        out[i] = float(comp is not None and box_iou(comp, boxes[i]) > 0.5)
    return out
