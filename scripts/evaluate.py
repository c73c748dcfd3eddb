"""Precision/recall curves (insecurities and random regions) and the per-insecurity table of every
experiment of one architecture and run."""

from delex import io
from delex.evaluation import insecurity_table, precision_recall_curves
from delex.parts import part_points
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    data = io.load_npz(smk.input.data)
    selected = io.load_npz(smk.input.gt)["selected"]
    all_points = part_points(data, smk.params.variant)
    size = data["images"].shape[-1]
    coverage = smk.params.importance_coverage / 100.0
    outputs = zip(smk.input.expl, smk.output.curves, smk.output.insecurities, strict=True)
    for expl_path, curves_path, table_path in outputs:
        expl = io.load_npz(expl_path)
        points = all_points[expl["image_index"]]
        io.write_csv(curves_path, precision_recall_curves(expl, points, selected, size))
        io.write_csv(table_path, insecurity_table(expl, points, selected, coverage))
