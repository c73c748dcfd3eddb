"""One explanation method on the sanity images of one classifier (arch, run): its maps, then every
metric on them and, when listed in `sanity.blurred`, on their blurred copy (Figure 4). One job does
both so the default run pays the start-up of torch and Captum once per method."""

import time

import numpy as np
import pandas as pd
import torch
from tqdm.auto import tqdm

from delex import io
from delex.models.training import exact_float32, normalise, resolve_device
from delex.sanity.evaluate import MetricSettings, score_maps, select_images
from delex.sanity.maps import blur_maps
from delex.sanity.methods import MethodSettings, explain_batch
from delex.sanity.models import load_explained
from delex.sanity.settings import BLUR_SUFFIX
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    device = resolve_device(smk.params.device)
    exact_float32()  # CUDA maps equal CPU maps to float32 rounding (no TF32)
    clf, pred = load_explained(smk.params.source, smk.wildcards.arch, smk.input.get("model"), device)
    data = io.load_npz(smk.input.data)
    idx = select_images(data, smk.params.n_images, smk.params.seed)
    st = MethodSettings.from_config({**dict(smk.params.settings), "batch": smk.params.batch})
    mst = MetricSettings.from_config({**dict(smk.params.metrics), "batch": smk.params.batch})
    method = smk.wildcards.method
    gen = torch.Generator().manual_seed(smk.params.seed)  # same masks / noise for every classifier
    x = normalise(torch.from_numpy(data["images"][idx]).to(device))
    target = torch.from_numpy(data["labels"][idx]).long().to(device)
    boxes = data["boxes"][idx]
    t0 = time.perf_counter()
    chunk = 8  # images per call: bounds the memory of IG / SmoothGrad / occlusion expansions
    maps = torch.cat(
        [
            explain_batch(method, clf, x[i : i + chunk], target[i : i + chunk], st, gen, pred)
            for i in range(0, len(x), chunk)
        ]
    )
    seconds = time.perf_counter() - t0
    log.info("%s: %d maps in %.1f s", method, len(maps), seconds)
    io.write_npz(
        smk.output.maps,
        maps=maps.cpu().numpy().astype(np.float32),
        image_index=idx,
        labels=data["labels"][idx],
        boxes=boxes,
        seconds=np.float64(seconds),
    )
    variants = {method: maps}
    if smk.params.blurred:
        variants[method + BLUR_SUFFIX] = blur_maps(maps, mst.blur_kernel, mst.blur_sigma)
    frames, curves = [], {}
    for variant, m in variants.items():
        mgen = torch.Generator(device=device).manual_seed(smk.params.seed)  # same noise for every variant
        scores, cur = score_maps(
            clf, x, target, m, boxes, mst, mgen, progress=lambda it, v=variant: tqdm(list(it), desc=v)
        )
        scores.insert(0, "image_index", idx)
        scores.insert(0, "variant", variant)
        frames.append(scores)
        curves.update({f"{variant}/{k}": v for k, v in cur.items()})
        log.info("%s: mean insertion(blur+pixel) %.3f", variant, scores["insertion:blur+pixel"].mean())
    io.write_csv(smk.output.scores, pd.concat(frames, ignore_index=True))
    io.write_npz(smk.output.curves, **curves)
