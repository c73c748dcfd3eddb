"""Figure 2 (one panel per run of this script): precision-recall of insecurities on CUB."""

import pandas as pd

from delex.io import save_figure
from delex.plots.precision_recall import figure2_panel
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    fig = figure2_panel(pd.read_csv(smk.input[0]), smk.wildcards.panel, tuple(smk.params.default))
    save_figure(fig, smk.output)
