"""Explain the hardest test images of every experiment (score x attribution) of one architecture and
run: one job loads torch, the networks and the data once, and scores each difficulty once."""

import torch
from tqdm.auto import tqdm

from delex import io
from delex.deliberative import ExplainSettings, coverages, explain, hardest_per_score
from delex.models.checkpoint import load_models
from delex.models.training import exact_float32, resolve_device
from delex.parts import part_points
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    ex, run = smk.params.explain, int(smk.wildcards.run)
    device = resolve_device(smk.params.device)
    exact_float32()  # CUDA maps equal CPU maps to float32 rounding (no TF32)
    clf, pred, _ = load_models(smk.input.model, device)
    data = io.load_npz(smk.input.data)
    points = part_points(data, smk.params.variant)
    hardest = hardest_per_score(clf, pred, data, ex["n_images"])
    for (score, attribution), path in zip(smk.params.experiments, smk.output, strict=True):
        st = ExplainSettings.from_config(ex, score, attribution, smk.params.variant)
        chosen, difficulty = hardest(score)
        log.info("%s: explaining %d of the test images", st, len(chosen))
        desc = f"explain {score} {attribution}"
        out = explain(
            clf,
            pred,
            torch.from_numpy(data["images"][chosen]),
            torch.from_numpy(points[chosen]).float(),
            st,
            coverages(ex),
            torch.Generator().manual_seed(run),  # the same seed in every experiment, as when each was a job
            progress=lambda it, desc=desc: tqdm(list(it), desc=desc),
        )
        out.update(image_index=chosen, difficulty=difficulty, labels=data["labels"][chosen])
        io.write_npz(path, **out)
        log.info("%d insecurities -> %s", len(out["ins_image"]), path)
