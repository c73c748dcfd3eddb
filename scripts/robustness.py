"""Shift robustness of the default experiment: IoU of caught part points before/after 1-5 px shifts."""

import numpy as np
import pandas as pd
import torch

from delex import io
from delex.deliberative import ExplainSettings, coverages, explain, hardest_test_images
from delex.evaluation import shift_robustness
from delex.models.checkpoint import load_models
from delex.models.training import exact_float32, resolve_device
from delex.parts import part_points
from delex.robustness import random_shifts, shift_images
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    ex = smk.params.explain
    d = ex["default"]
    run = int(smk.wildcards.run)
    device = resolve_device(smk.params.device)
    exact_float32()  # CUDA maps equal CPU maps to float32 rounding (no TF32)
    clf, pred, _ = load_models(smk.input.model, device)
    data = io.load_npz(smk.input.data)
    selected = io.load_npz(smk.input.gt)["selected"]
    st = ExplainSettings.from_config(ex, d["score"], d["attribution"], smk.params.variant)
    images = data["images"]
    chosen, _ = hardest_test_images(clf, pred, data, st.score, ex["n_images"])
    parts = part_points(data, st.variant)[chosen]
    cov = coverages(ex)

    def run_explain(imgs, pts):
        gen = torch.Generator().manual_seed(run)
        return explain(clf, pred, torch.from_numpy(imgs), torch.from_numpy(pts).float(), st, cov, gen)

    base = run_explain(images[chosen], parts)
    rng = np.random.default_rng(run)
    rows = []
    for distance in smk.params.shifts:
        shifts = random_shifts(len(chosen), distance, rng)
        imgs, pts = shift_images(images[chosen], parts, shifts)
        iou = shift_robustness(base, run_explain(imgs, pts), parts, pts, selected)
        rows.append(pd.DataFrame({"run": run, "shift": distance, "coverage": cov, "iou": iou}))
        log.info("shift %d px: mean IoU %.3f", distance, np.nanmean(iou))
    io.write_csv(smk.output[0], pd.concat(rows, ignore_index=True))
