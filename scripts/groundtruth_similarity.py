"""Figure of the per-part class-pair similarity behind the ground truth."""

import json

from delex import io
from delex.plots.groundtruth import similarity_figure
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    gt = io.load_npz(smk.input.gt)
    ds = json.loads(open(smk.input.dataset).read())
    io.save_figure(similarity_figure(gt["scores"], gt["selected"], ds["display_names"]), smk.output)
