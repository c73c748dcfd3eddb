"""A JSON-able summary of a loaded dataset: what later rules need besides the images."""

from __future__ import annotations

import numpy as np

from delex.parts import PART_NAMES


def dataset_summary(ds) -> dict:
    """Class names/ids, attribute names and class-level attribute percentages, split sizes."""
    return {
        "root": str(ds.root),
        "n_images": int(len(ds.labels)),
        "n_train": int(np.sum(ds.is_train)),
        "n_test": int(np.sum(~np.asarray(ds.is_train))),
        "n_classes": int(ds.n_classes),
        "class_ids": [int(c) for c in ds.class_ids],
        "class_names": list(ds.class_names),
        "display_names": [ds.display_name(k) for k in range(ds.n_classes)],
        "part_names": list(PART_NAMES),
        "attribute_names": list(ds.attribute_names),
        "attribute_source": ds.attribute_source,
        "class_attributes": np.round(np.asarray(ds.class_attributes, dtype=float), 6).tolist(),
    }
