"""Figure 4: qualitative deliberative explanations of scenes (default experiment, first run)."""

import json

import numpy as np

from delex import io
from delex.plots.ade_qualitative import scene_figure
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    expl = io.load_npz(smk.input.expl)
    data = io.load_npz(smk.input.data)
    data["is_train"] = data["is_train"].astype(bool)
    dataset = json.loads(open(smk.input.dataset).read())
    selected = io.load_npz(smk.input.gt)["selected"]
    annotations = data["annotations" if smk.params.mapping == "resize" else "annotations_released"]
    ci = int(np.argmin(np.abs(expl["coverages"] - smk.params.coverage / 100)))
    fig = scene_figure(expl, data, dataset, selected, annotations, smk.params.n_examples, ci)
    io.save_figure(fig, smk.output)
