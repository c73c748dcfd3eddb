"""Dataset -> preprocessed uint8 image tensors and part points mapped with the same geometry."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from tqdm.auto import tqdm

from delex.datasets.cub_layout import CubDataset, load_image
from delex.datasets.geometry import ResizeCrop, squash_points


def prepare(
    ds: CubDataset,
    transform: ResizeCrop,
    indices: Sequence[int] | np.ndarray | None = None,
    progress: bool = True,
) -> dict[str, np.ndarray]:
    """Resize/crop the images (rows `indices`, default all) and map parts and boxes alike.

    Returns images (N, 3, S, S) uint8, labels, is_train, image_ids, parts (N, 15, 3) mapped through
    the crop, parts_released (N, 15, 3) squashed to S (the authors' code), boxes (N, 4) mapped and
    orig_size (N, 2) width, height of the source images.
    """
    idx = np.arange(len(ds.image_ids)) if indices is None else np.asarray(indices, dtype=np.int64)
    s = transform.crop
    images = np.empty((len(idx), 3, s, s), dtype=np.uint8)
    parts = np.empty((len(idx), *ds.parts.shape[1:]))
    released = np.empty_like(parts)
    boxes = np.empty((len(idx), 4))
    sizes = np.empty((len(idx), 2), dtype=np.int64)
    for n, i in enumerate(tqdm(idx, desc="prepare", disable=not progress)):
        img = load_image(ds, int(i))
        w, h = img.size
        images[n] = np.asarray(transform.apply_image(img), dtype=np.uint8).transpose(2, 0, 1)
        parts[n] = transform.apply_points(ds.parts[i], w, h)
        released[n] = squash_points(ds.parts[i], w, h, s)
        boxes[n] = transform.apply_boxes(ds.boxes[i], w, h)
        sizes[n] = (w, h)
    return {
        "images": images,
        "labels": ds.labels[idx].copy(),
        "is_train": ds.is_train[idx].copy(),
        "image_ids": ds.image_ids[idx].copy(),
        "parts": parts,
        "parts_released": released,
        "boxes": boxes,
        "orig_size": sizes,
    }
