"""Aggregate every run's evaluation into the CUB tables (CSV + Markdown + LaTeX)."""

import json

import pandas as pd

from delex import io
from delex.evaluation import importance_precision_correlation
from delex.smk import job
from delex.summaries import accuracy_table, precision_at_coverage, rebuttal_table, robustness_summary
from delex.tables import write_table


def stem(path):
    return path.removesuffix(".csv")


smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    keys = [(a, s, t, r) for a, s, t in smk.params.experiments for r in smk.params.runs]
    curves, corr = [], []
    for key, c, i in zip(keys, smk.input.curves, smk.input.insecurities, strict=True):
        ids = dict(zip(("arch", "score", "attribution", "run"), key, strict=True))
        curves.append(pd.read_csv(c).assign(**ids))
        r, p, n = importance_precision_correlation(pd.read_csv(i))
        corr.append({**ids, "r": r, "p": p, "n": n})
    curves = pd.concat(curves, ignore_index=True)
    io.write_csv(smk.output.pr, curves)
    write_table(
        precision_at_coverage(curves),
        stem(smk.output.at),
        caption="Insecurity vs random-region precision (%) at fixed coverages",
        label="tab:precision",
    )
    write_table(
        rebuttal_table(pd.DataFrame(corr), smk.params.default[0]),
        stem(smk.output.rebuttal),
        caption="Pearson correlation between insecurity importance and precision",
        label="tab:rebuttal1",
    )
    metrics = [json.loads(open(m).read()) for m in smk.input.metrics]
    write_table(
        accuracy_table(metrics),
        stem(smk.output.accuracy),
        caption="Classifier test accuracy (%)",
        label="tab:accuracy",
    )
    robust = pd.concat([pd.read_csv(f) for f in smk.input.robustness], ignore_index=True)
    write_table(
        robustness_summary(robust),
        stem(smk.output.robustness),
        caption="Shift robustness (IoU)",
        label="tab:robustness",
    )
