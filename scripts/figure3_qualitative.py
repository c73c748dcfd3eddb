"""Figure 3: qualitative deliberative explanations of the default experiment's first run."""

import json

import numpy as np
import pandas as pd

from delex import io
from delex.plots.qualitative import qualitative_figure
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    expl = io.load_npz(smk.input.expl)
    table = pd.read_csv(smk.input.ins)
    data = io.load_npz(smk.input.data)
    data["is_train"] = data["is_train"].astype(bool)
    dataset = json.loads(open(smk.input.dataset).read())
    selected = io.load_npz(smk.input.gt)["selected"]
    cov = float(table["coverage"].iloc[0]) if len(table) else 0.1
    ci = int(np.argmin(np.abs(expl["coverages"] - cov)))
    fig = qualitative_figure(expl, table, data, dataset, selected, smk.params.n_examples, ci)
    io.save_figure(fig, smk.output)
