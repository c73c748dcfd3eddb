"""Explain the hardest test images of one experiment (arch x score x attribution) and run."""

import numpy as np
import torch
from tqdm.auto import tqdm

from delex import io
from delex.deliberative import ExplainSettings, difficulty_scores, explain, hardest
from delex.models.checkpoint import load_models
from delex.models.training import resolve_device
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    ex = smk.params.explain
    device = resolve_device(smk.params.device)
    clf, pred, meta = load_models(smk.input.model, device)
    data = io.load_npz(smk.input.data)
    st = ExplainSettings.from_config(ex, smk.wildcards.score, smk.wildcards.attribution, smk.params.variant)
    images = torch.from_numpy(data["images"])
    test = np.flatnonzero(~data["is_train"].astype(bool))
    score = difficulty_scores(clf, pred, images, st.score)
    chosen = hardest(score, test, ex["n_images"])
    log.info("%s: explaining %d of %d test images", st, len(chosen), len(test))
    points = data["parts"] if st.variant == "paper" else data["parts_released"]
    lo, hi = ex["coverages"]
    coverages = np.arange(lo, hi + 1) / 100.0
    gen = torch.Generator(device=device).manual_seed(int(smk.wildcards.run))
    out = explain(
        clf,
        pred,
        images[chosen],
        torch.from_numpy(points[chosen]).float(),
        st,
        coverages,
        gen,
        progress=lambda it: tqdm(list(it), desc="explain"),
    )
    out.update(image_index=chosen, difficulty=score[chosen], labels=data["labels"][chosen])
    io.write_npz(smk.output[0], **out)
    log.info("%d insecurities", len(out["ins_image"]))
