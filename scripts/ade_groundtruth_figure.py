"""ADE ground truth: object frequencies per scene and the ground-truth triplets per object."""

import json

from delex import io
from delex.plots.ade_groundtruth import frequency_figure
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    gt = io.load_npz(smk.input.gt)
    summary = json.loads(open(smk.input.dataset).read())
    fig = frequency_figure(gt["phi"], gt["selected"], summary["display_names"], summary["object_names"])
    io.save_figure(fig, smk.output)
