"""ADE ground truth: object frequencies phi per scene, gamma per (object, scene pair), top triplets."""

import json

import pandas as pd

from delex import io
from delex.datasets.ade_layout import short_name
from delex.groundtruth.frequency import frequency_similarity, object_frequencies, select_frequency_triplets
from delex.groundtruth.triplets import triplet_table
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    data = io.load_npz(smk.input.data)
    summary = json.loads(open(smk.input.dataset).read())
    train = data["is_train"].astype(bool)
    phi = object_frequencies(
        data["presence"][train], data["labels"][train], int(data["n_classes"]), smk.params.threshold
    )
    gamma = frequency_similarity(phi)
    selected = select_frequency_triplets(gamma, smk.params.top_fraction)
    objects = [short_name(n) for n in summary["object_names"]]
    table = triplet_table(gamma, selected, objects, summary["class_names"])
    table = table[table["score"] > 0].sort_values("score", ascending=False, kind="stable")
    io.write_csv(smk.output.triplets, table.rename(columns={"part": "object", "score": "gamma"}))
    io.write_csv(
        smk.output.phi,
        pd.DataFrame(phi, index=summary["class_names"], columns=objects).reset_index(names="scene"),
    )
    io.write_npz(smk.output.arrays, phi=phi, gamma=gamma, selected=selected)
    log.info("%d ground-truth triplets of %d with gamma > 0", selected[:, :, :].sum() // 2, len(table))
