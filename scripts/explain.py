"""Explain the hardest test images of one experiment (arch x score x attribution) and run."""

import torch
from tqdm.auto import tqdm

from delex import io
from delex.deliberative import ExplainSettings, coverages, explain, hardest_test_images
from delex.models.checkpoint import load_models
from delex.models.training import exact_float32, resolve_device
from delex.parts import part_points
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    ex = smk.params.explain
    device = resolve_device(smk.params.device)
    exact_float32()  # CUDA maps equal CPU maps to float32 rounding (no TF32)
    clf, pred, _ = load_models(smk.input.model, device)
    data = io.load_npz(smk.input.data)
    st = ExplainSettings.from_config(ex, smk.wildcards.score, smk.wildcards.attribution, smk.params.variant)
    chosen, score = hardest_test_images(clf, pred, data, st.score, ex["n_images"])
    log.info("%s: explaining %d of %d images", st, len(chosen), len(score))
    out = explain(
        clf,
        pred,
        torch.from_numpy(data["images"][chosen]),
        torch.from_numpy(part_points(data, st.variant)[chosen]).float(),
        st,
        coverages(ex),
        torch.Generator().manual_seed(int(smk.wildcards.run)),
        progress=lambda it: tqdm(list(it), desc="explain"),
    )
    out.update(image_index=chosen, difficulty=score[chosen], labels=data["labels"][chosen])
    io.write_npz(smk.output[0], **out)
    log.info("%d insecurities", len(out["ins_image"]))
