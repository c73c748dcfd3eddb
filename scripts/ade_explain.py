"""Explain the hardest validation images of every ADE experiment of one architecture and run, and
evaluate them at once: IoU with the common objects' union mask, insecurities and random regions."""

import pandas as pd
import torch

from delex import io
from delex.deliberative import ExplainSettings, coverages, explain_masks, hardest_per_score
from delex.evaluation import iou_curves_frame
from delex.groundtruth.frequency import object_lookup
from delex.models.checkpoint import load_models
from delex.models.training import exact_float32, resolve_device
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    ex, arch, run = smk.params.explain, smk.wildcards.arch, int(smk.wildcards.run)
    device = resolve_device(smk.params.device)
    exact_float32()  # CUDA maps equal CPU maps to float32 rounding (no TF32)
    clf, pred, _ = load_models(smk.input.model, device)
    data = io.load_npz(smk.input.data)
    key = "annotations" if smk.params.mapping == "resize" else "annotations_released"
    lookup = torch.from_numpy(object_lookup(io.load_npz(smk.input.gt)["selected"]))
    hardest = hardest_per_score(clf, pred, data, smk.params.n_images)
    curves = []
    for score, attribution in smk.params.experiments:
        st = ExplainSettings.from_config(ex, score, attribution, smk.params.variant)
        chosen, diff = hardest(score)
        out = explain_masks(
            clf,
            pred,
            torch.from_numpy(data["images"][chosen]),
            torch.from_numpy(data[key][chosen]),
            lookup,
            st,
            coverages(ex),
            torch.Generator().manual_seed(run),  # CPU shifts: the same baseline on every device
        )
        n = len(chosen)
        frame = iou_curves_frame(out, n)
        curves.append(frame.assign(arch=arch, score=score, attribution=attribution, run=run))
        log.info("%s: %d images, %d insecurities", st, n, len(out["ins_image"]))
        if (score, attribution) == tuple(smk.params.figure_experiment):
            out.update(image_index=chosen, difficulty=diff, labels=data["labels"][chosen])
            io.write_npz(smk.output.expl, **out)
    io.write_csv(smk.output.curves, pd.concat(curves, ignore_index=True))
