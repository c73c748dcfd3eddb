"""Table 1 (ADE20K): IoU at 10-50% coverage, insecurities and random regions, mean (std) over runs."""

import json

import pandas as pd

from delex import io
from delex.smk import job
from delex.summaries import accuracy_table
from delex.table1 import display_columns, sections, table1
from delex.tables import to_latex_booktabs, to_markdown, write_table

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    curves = pd.concat([pd.read_csv(f) for f in smk.input.curves], ignore_index=True)
    io.write_csv(smk.output.curves, curves)
    ex = smk.params.explain
    rows = sections(ex["default"], ex["scores"], ex["attributions"], ex["architectures"])
    table = table1(curves, rows)
    io.write_csv(smk.output.table1, table)
    stem = smk.output.table1.removesuffix(".csv")
    caption = "Table 1 (synthetic ADE20K twin): IoU (%) of insecurities and of random regions"
    io.write_text(stem + ".md", to_markdown(display_columns(table)))
    io.write_text(
        stem + ".tex", to_latex_booktabs(display_columns(table), caption=caption, label="tab:table1")
    )
    metrics = [json.loads(open(m).read()) for m in smk.input.metrics]
    write_table(
        accuracy_table(metrics),
        smk.output.accuracy.removesuffix(".csv"),
        caption="ADE scene classifier test accuracy (%)",
        label="tab:ade_accuracy",
    )
