"""Load a CUB_200_2011-layout dataset and store its resized/cropped images and mapped part points."""

import numpy as np

from delex import io
from delex.datasets.cub_layout import load_cub
from delex.datasets.geometry import ResizeCrop
from delex.datasets.prepare import prepare
from delex.datasets.summary import dataset_summary
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    ds = load_cub(smk.input[0], classes=smk.params.classes)
    log.info("loaded %d images of %d classes from %s", len(ds.labels), ds.n_classes, ds.root)
    arrays = prepare(ds, ResizeCrop(smk.params.resize, smk.params.crop))
    arrays["n_classes"] = np.asarray(ds.n_classes)
    io.write_npz(smk.output[0], **arrays)
    io.write_json(smk.output[1], dataset_summary(ds))
