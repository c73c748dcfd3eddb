"""Load an ADEChallengeData2016-layout dataset; store resized/cropped images, annotations mapped with
the same geometry (and the released reshape), and per-image object presence."""

from delex import io
from delex.datasets.ade_layout import load_ade
from delex.datasets.ade_prepare import prepare_scenes, scenes_summary
from delex.datasets.geometry import ResizeCrop
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    ds = load_ade(smk.input[0], scenes=smk.params.scenes)
    log.info("loaded %d images of %d scenes from %s", len(ds), ds.n_classes, ds.root)
    io.write_npz(smk.output[0], **prepare_scenes(ds, ResizeCrop(smk.params.resize, smk.params.crop)))
    io.write_json(smk.output[1], scenes_summary(ds))
