"""Precision/recall curves (insecurities and random regions) and the per-insecurity table."""

from delex import io
from delex.evaluation import insecurity_table, precision_recall_curves
from delex.parts import part_points
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    expl = io.load_npz(smk.input.expl)
    data = io.load_npz(smk.input.data)
    selected = io.load_npz(smk.input.gt)["selected"]
    points = part_points(data, smk.params.variant)[expl["image_index"]]
    size = data["images"].shape[-1]
    io.write_csv(smk.output.curves, precision_recall_curves(expl, points, selected, size))
    table = insecurity_table(expl, points, selected, smk.params.importance_coverage / 100.0)
    io.write_csv(smk.output.insecurities, table)
