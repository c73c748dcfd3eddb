"""Train one classifier + hardness predictor (one architecture, one run) and record its curves."""

import time

import numpy as np
import pandas as pd
import torch

from delex import io
from delex.models.checkpoint import save_models
from delex.models.training import TrainConfig, predict, resolve_device, train
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    seed = int(smk.wildcards.run)
    data = io.load_npz(smk.input[0])
    n_classes = int(data["n_classes"])
    mcfg = smk.params.model
    cfg = TrainConfig(**smk.params.train, **mcfg)
    train_mask = data["is_train"].astype(bool)
    device = resolve_device(smk.params.device)
    log.info("training %s run %d on %s: %d train images", smk.wildcards.arch, seed, device, train_mask.sum())
    t0 = time.perf_counter()
    clf, pred, curve = train(
        smk.wildcards.arch,
        data["images"][train_mask],
        data["labels"][train_mask],
        n_classes,
        cfg,
        seed,
        device=smk.params.device,
    )
    seconds = time.perf_counter() - t0
    test = ~train_mask
    logits = predict(clf.to(device), torch.from_numpy(data["images"][test]), device).cpu()
    acc = float((logits.argmax(1).numpy() == data["labels"][test]).mean())
    meta = {
        "arch": smk.wildcards.arch,
        "n_classes": n_classes,
        "seed": seed,
        **mcfg,
        "predictor_hidden": cfg.predictor_hidden,
    }
    meta.pop("pretrained", None)
    save_models(smk.output.model, clf.cpu(), pred, meta)
    io.write_csv(smk.output.curves, pd.DataFrame(curve))
    n_steps = sum(1 for _ in curve) * int(train_mask.sum())
    io.write_json(
        smk.output.metrics,
        {
            "arch": smk.wildcards.arch,
            "run": seed,
            "test_accuracy": acc,
            "device": str(device),
            "train_seconds": seconds,
            "train_images_per_second": n_steps / seconds,
            "best_val_accuracy": float(np.nanmax([r["val_acc"] for r in curve])),
            "n_train": int(train_mask.sum()),
            "n_test": int(test.sum()),
        },
    )
    log.info("test accuracy %.3f in %.0f s", acc, seconds)
