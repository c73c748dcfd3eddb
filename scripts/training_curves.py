"""Training curves of every classifier / hardness predictor."""

import pandas as pd

from delex.io import save_figure
from delex.plots.training import training_figure
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    keys = [(a, r) for a in smk.params.archs for r in smk.params.runs]
    frames = [pd.read_csv(f).assign(arch=a, run=r) for (a, r), f in zip(keys, smk.input, strict=True)]
    save_figure(training_figure(pd.concat(frames, ignore_index=True)), smk.output)
