"""Rebuttal Figure 2: robustness of insecurities to small shifts."""

import pandas as pd

from delex.io import save_figure
from delex.plots.robustness import shift_figure
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    save_figure(shift_figure(pd.read_csv(smk.input[0])), smk.output)
