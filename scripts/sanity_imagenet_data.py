"""The ImageNet-validation images of the sanity checks, preprocessed like prepared.npz."""

from delex import io
from delex.datasets.geometry import ResizeCrop
from delex.sanity.imagenet import load_imagenet_val
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    p = smk.params
    data = load_imagenet_val(p.root, ResizeCrop(p.resize, p.crop), p.n_images, p.seed)
    io.write_npz(smk.output[0], **data)
    log.info("%d ImageNet validation images from %s", len(data["labels"]), p.root)
