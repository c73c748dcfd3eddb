"""Model-parameter randomization of one classifier (arch, run): every method's maps after
re-initialising its top layers (cascading and independent), compared with the original maps."""

import numpy as np
import pandas as pd
import torch

from delex import io
from delex.models.training import exact_float32, normalise, resolve_device
from delex.sanity.methods import MethodSettings, explain_batch
from delex.sanity.models import load_explained
from delex.sanity.randomization import layers_top_down, randomized, schedule, similarity
from delex.smk import job
from delex.tables import write_table

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    p = smk.params
    device = resolve_device(p.device)
    exact_float32()  # CUDA maps equal CPU maps to float32 rounding (no TF32)
    clf, pred = load_explained(p.source, smk.wildcards.arch, smk.input.get("model"), device)
    data = io.load_npz(smk.input.data)
    st = MethodSettings.from_config({**dict(p.settings), "batch": p.batch})
    names = layers_top_down(clf)
    rows = []
    for path in smk.input.maps:
        method = str(path).split("/")[-1].removesuffix(".npz")
        m = io.load_npz(path)
        x = normalise(torch.from_numpy(data["images"][m["image_index"]]).to(device))
        target = torch.from_numpy(m["labels"]).long().to(device)
        for mode in p.modes:
            for step, (label, layers) in enumerate(schedule(names, mode, p.layers), 1):
                net = randomized(clf, layers, p.seed + step)
                gen = torch.Generator().manual_seed(p.seed)  # the original maps' noise and masks
                new = torch.cat(
                    [
                        explain_batch(method, net, x[i : i + 8], target[i : i + 8], st, gen, pred)
                        for i in range(0, len(x), 8)
                    ]
                )
                rho, ssim = similarity(m["maps"], new.cpu().numpy())
                rows.append(
                    {
                        "arch": smk.wildcards.arch,
                        "run": int(smk.wildcards.run),
                        "method": method,
                        "mode": mode,
                        "step": step,
                        "layer": label,
                        "spearman": float(np.nanmean(rho)) if np.isfinite(rho).any() else np.nan,
                        "ssim": float(ssim.mean()),
                    }
                )
        log.info("%s: randomized %d layers x %d modes", method, min(len(names), p.layers), len(p.modes))
    df = pd.DataFrame(rows)
    write_table(
        df,
        str(smk.output[0]).removesuffix(".csv"),
        caption="Model-parameter randomization: mean Spearman and SSIM between original and randomized maps",
        label="tab:sanity_randomization",
    )
