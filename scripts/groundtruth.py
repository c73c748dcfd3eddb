"""Per-part class-pair similarity from attribute distributions and the top-fraction triplets."""

import json

import numpy as np

from delex import io
from delex.groundtruth.similarity import part_scores
from delex.groundtruth.triplets import select_triplets, share_of_pairs_per_part, triplet_table
from delex.parts import PART_NAMES
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    ds = json.loads(open(smk.input[0]).read())
    cfg = smk.params.cfg
    attrs = np.asarray(ds["class_attributes"], dtype=np.float64)
    scores = part_scores(attrs, cfg["similarity"], cfg["epsilon"])
    rule = "quantile" if cfg["similarity"] == "endres_schindelin" else "rank"
    selected = select_triplets(scores, cfg["top_fraction"], rule)
    log.info("selected %d of %d triplets (%s rule)", selected.sum() // 2, scores.size, rule)
    io.write_csv(smk.output.triplets, triplet_table(scores, selected, PART_NAMES, ds["class_names"]))
    io.write_csv(smk.output.shares, share_of_pairs_per_part(selected))
    io.write_npz(smk.output.arrays, scores=scores, selected=selected)
