"""Point-based precision and recall of insecurities at every coverage at once (METHOD.md 5, CUB).

A point is inside the region of coverage index c iff its pixel rank < sizes[c] (see delex.insecurity);
invisible points carry a rank of S*S and are also masked by `visible`.
"""

from __future__ import annotations

import numpy as np


def as_numpy(x) -> np.ndarray:
    """numpy view of an array-like or a (possibly CUDA, grad-tracking) torch tensor."""
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    return np.asarray(x)


def safe_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den as float, NaN where den == 0, without RuntimeWarnings."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def inside_points(point_rank, visible, sizes) -> np.ndarray:
    """(Q, n_cov, P) bool: visible point inside the region of each coverage."""
    rank = as_numpy(point_rank).astype(np.int64)
    vis = as_numpy(visible).astype(bool)
    sizes = as_numpy(sizes).astype(np.int64).reshape(-1)
    return (rank[:, None, :] < sizes[None, :, None]) & vis[:, None, :]


def precision_recall(point_rank, visible, gt, sizes) -> tuple[np.ndarray, np.ndarray]:
    """(Q, n_cov) precision and recall of ground-truth points; NaN where undefined (METHOD.md 5).

    precision = #visible gt points inside / #visible points inside (NaN when none inside);
    recall = #visible gt points inside / #visible gt points (NaN when the image has none).
    """
    inside = inside_points(point_rank, visible, sizes)
    gt_vis = as_numpy(gt).astype(bool) & as_numpy(visible).astype(bool)
    n_in = inside.sum(-1)
    n_gt_in = (inside & gt_vis[:, None, :]).sum(-1)
    n_gt = gt_vis.sum(-1)[:, None]
    return safe_ratio(n_gt_in, n_in), safe_ratio(n_gt_in, n_gt)


def image_mean(values, image_index, n_images: int | None = None) -> np.ndarray:
    """(n_images, n_cov) NaN-skipping mean over the insecurities of each image (row = image index).

    n_images defaults to max(image_index) + 1; images without a defined value get NaN.
    """
    v = as_numpy(values).astype(np.float64)
    idx = as_numpy(image_index).astype(np.int64).reshape(-1)
    if v.ndim != 2 or v.shape[0] != idx.size:
        raise ValueError(f"values {v.shape} and image_index {idx.shape} disagree")
    if n_images is None:
        n_images = int(idx.max()) + 1 if idx.size else 0
    ok = ~np.isnan(v)
    sums = np.zeros((n_images, v.shape[1]))
    counts = np.zeros((n_images, v.shape[1]))
    np.add.at(sums, idx, np.where(ok, v, 0.0))
    np.add.at(counts, idx, ok)
    return safe_ratio(sums, counts)


def curve_mean(per_image) -> np.ndarray:
    """(n_cov,) NaN-skipping mean over images (rows) of per-image curves."""
    v = as_numpy(per_image).astype(np.float64)
    ok = ~np.isnan(v)
    return safe_ratio(np.where(ok, v, 0.0).sum(0), ok.sum(0))
