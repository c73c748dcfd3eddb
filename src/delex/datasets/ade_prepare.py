"""ADE-layout dataset -> preprocessed uint8 images, annotations on the input grid, object presence."""

from __future__ import annotations

import numpy as np
from tqdm.auto import tqdm

from delex.datasets.ade_layout import N_OBJECTS, AdeDataset, load_annotation, load_image, object_presence
from delex.datasets.geometry import ResizeCrop, reshape_mask


def prepare_scenes(ds: AdeDataset, transform: ResizeCrop, progress: bool = True) -> dict[str, np.ndarray]:
    """Resize/crop every image and map its annotation through the same geometry (nearest).

    Returns images (N, 3, S, S) uint8, labels, is_train, annotations (N, S, S) uint8 (paper: same
    resize/crop, nearest neighbour), annotations_released (N, S, S) (the released code's reshape),
    presence (N, 150) bool of the full annotation (ground-truth frequencies) and orig_size (N, 2).
    """
    n, s = len(ds), transform.crop
    images = np.empty((n, 3, s, s), dtype=np.uint8)
    ann = np.empty((n, s, s), dtype=np.uint8)
    released = np.empty_like(ann)
    presence = np.empty((n, N_OBJECTS), dtype=bool)
    sizes = np.empty((n, 2), dtype=np.int64)
    for i in tqdm(range(n), desc="prepare scenes", disable=not progress):
        img = load_image(ds, i)
        full = load_annotation(ds, i, img.size)
        images[i] = np.asarray(transform.apply_image(img), dtype=np.uint8).transpose(2, 0, 1)
        ann[i] = transform.apply_mask(full)
        released[i] = reshape_mask(full, s)
        presence[i] = object_presence(full)
        sizes[i] = img.size
    return {
        "images": images,
        "labels": ds.labels.copy(),
        "is_train": ds.is_train,
        "annotations": ann,
        "annotations_released": released,
        "presence": presence,
        "orig_size": sizes,
        "n_classes": np.asarray(ds.n_classes),
    }


def scenes_summary(ds: AdeDataset) -> dict:
    """JSON-able summary: scene and object names, split sizes."""
    return {
        "root": str(ds.root),
        "n_images": len(ds),
        "n_train": int(ds.is_train.sum()),
        "n_test": int((~ds.is_train).sum()),
        "n_classes": ds.n_classes,
        "class_names": list(ds.class_names),
        "display_names": [c.replace("_", " ") for c in ds.class_names],
        "object_names": list(ds.object_names),
    }
