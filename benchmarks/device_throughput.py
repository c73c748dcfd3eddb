"""Throughput of the paper-scale path (224 px, full-width torchvision topologies) on CUDA and CPU.

Loads a CUB_200_2011 layout (the real 12-class subset by default), prepares it exactly as the
workflow does (shorter side 256, centre crop 224), then per device measures
  * training: images/s of `delex.models.training.train` (warm-up + joint epochs, augmentation on),
  * attribution: images/s of `delex.deliberative.attribution_maps` for each attribution function,
    and of the whole `explain` (maps + insecurities + ranks at every coverage),
and checks that CUDA and CPU maps of the same weights agree (max |diff| / max |map|).
Throughputs are printed side by side with their CUDA/CPU ratio; nothing is asserted.

    python benchmarks/device_throughput.py --data ../shared/data/cub_mini --arch vgg16 \
        --epochs 2 --cpu-train-images 64 --json results/device_throughput.json
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch

from delex.datasets.cub_layout import load_cub
from delex.datasets.geometry import ResizeCrop
from delex.datasets.prepare import prepare
from delex.deliberative import ATTRIBUTIONS, ExplainSettings, attribution_maps, explain
from delex.models.training import TrainConfig, exact_float32, normalise, train


def _sync(dev: torch.device) -> None:
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)


def train_throughput(arch, images, labels, n_classes, epochs, dev, width, seed=0):
    """Images/s of training on `dev`, first epoch (warm-up, cuDNN autotune) left out when possible."""
    cfg = TrainConfig(
        epochs_warmup=max(1, epochs // 2),
        epochs_joint=max(1, epochs - epochs // 2),
        batch_size=32,
        width=width,
        dropout=0.5,
        val_fraction=0.15,
    )
    t0 = time.perf_counter()
    clf, pred, curve = train(arch, images, labels, n_classes, cfg, seed, device=dev.type, progress=False)
    wall = time.perf_counter() - t0
    n_fit = round(len(images) * (1 - cfg.val_fraction))
    secs = [r["seconds"] for r in curve]
    timed = secs[1:] if len(secs) > 1 else secs
    return (
        clf,
        pred,
        {
            "images": len(images),
            "epochs": len(secs),
            "wall_s": wall,
            "images_per_s": n_fit * len(timed) / sum(timed),
            "joint_images_per_s": n_fit
            / float(np.mean([r["seconds"] for r in curve if r["phase"] == "joint"])),
        },
    )


def attribution_throughput(clf, pred, x_uint8, dev, repeats=3, ig_steps=50, batch=16):
    """Images/s of attribution_maps per attribution function (hardness score, paper variant)."""
    clf, pred = clf.to(dev).eval(), pred.to(dev).eval()
    out = {}
    for attribution in ATTRIBUTIONS:
        st = ExplainSettings(score="hardness", attribution=attribution, ig_steps=ig_steps, batch_size=batch)
        x = normalise(x_uint8[:batch].to(dev))
        attribution_maps(clf, pred, x, st)  # warm-up
        _sync(dev)
        t0 = time.perf_counter()
        for _ in range(repeats):
            for i in range(0, len(x_uint8), batch):
                attribution_maps(clf, pred, normalise(x_uint8[i : i + batch].to(dev)), st)
        _sync(dev)
        out[attribution] = repeats * len(x_uint8) / (time.perf_counter() - t0)
    return out


def explain_throughput(clf, pred, x_uint8, points, dev, n_classes, batch=16):
    """Images/s of the whole explain() (gradient, hardness): maps, insecurities, ranks, baseline."""
    clf, pred = clf.to(dev).eval(), pred.to(dev).eval()
    st = ExplainSettings(
        score="hardness", attribution="gradient", batch_size=batch, n_candidates=min(5, n_classes)
    )
    cov = np.arange(1, 91) / 100.0
    gen = torch.Generator().manual_seed(0)
    explain(clf, pred, x_uint8[:batch], points[:batch], st, cov, gen)  # warm-up
    _sync(dev)
    t0 = time.perf_counter()
    explain(clf, pred, x_uint8, points, st, cov, gen)
    _sync(dev)
    return len(x_uint8) / (time.perf_counter() - t0)


def agreement(clf, pred, x_uint8, devices, ig_steps=50):
    """Max |map_cuda - map_cpu| / max |map_cpu| of class and difficulty maps, per attribution."""
    res = {}
    for attribution in ATTRIBUTIONS:
        st = ExplainSettings(score="hardness", attribution=attribution, ig_steps=ig_steps)
        maps = []
        for dev in devices:
            c, p = clf.to(dev).eval(), pred.to(dev).eval()
            cm, dm, _ = attribution_maps(c, p, normalise(x_uint8.to(dev)), st)
            maps.append((cm.double().cpu(), dm.double().cpu()))
        (c0, d0), (c1, d1) = maps
        res[attribution] = {
            "class_maps": float((c1 - c0).abs().max() / c0.abs().max().clamp_min(1e-30)),
            "difficulty_map": float((d1 - d0).abs().max() / d0.abs().max().clamp_min(1e-30)),
        }
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data/cub_mini")
    ap.add_argument("--arch", nargs="+", default=["vgg16"])
    ap.add_argument("--width", type=float, default=1.0)
    ap.add_argument("--resize", type=int, default=256)
    ap.add_argument("--crop", type=int, default=224)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--cpu-train-images", type=int, default=64, help="training subset timed on the CPU")
    ap.add_argument("--explain-images", type=int, default=64)
    ap.add_argument("--cpu-explain-images", type=int, default=16, help="0: no CPU timing")
    ap.add_argument("--ig-steps", type=int, default=50)
    ap.add_argument("--tf32", action="store_true", help="keep TF32 on for attribution (off in the workflow)")
    ap.add_argument("--deterministic", action="store_true", help="cudnn.deterministic for attribution")
    ap.add_argument("--skip-train-cpu", action="store_true")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    ds = load_cub(args.data)
    data = prepare(ds, ResizeCrop(args.resize, args.crop), progress=False)
    print(
        f"prepared {len(ds.labels)} images of {ds.n_classes} classes at {args.crop} px "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    tr = data["is_train"].astype(bool)
    x_all = torch.from_numpy(data["images"])
    test = np.flatnonzero(~tr)
    devices = [torch.device("cuda")] if torch.cuda.is_available() else []
    devices.append(torch.device("cpu"))
    report = {
        "torch": torch.__version__,
        "cuda": torch.cuda.get_device_name(0) if devices[0].type == "cuda" else None,
        "threads": torch.get_num_threads(),
        "crop": args.crop,
        "archs": {},
    }
    for arch in args.arch:
        rows = {}
        models = None
        for dev in devices:
            n_tr = int(tr.sum()) if dev.type == "cuda" else min(int(tr.sum()), args.cpu_train_images)
            idx = np.flatnonzero(tr)[:n_tr]
            epochs = args.epochs if dev.type == "cuda" else 2
            exact_float32(False)  # training keeps TF32, as in the workflow
            if dev.type == "cpu" and args.skip_train_cpu and models is not None:
                tstats = {"images_per_s": float("nan")}
            else:
                clf, pred, tstats = train_throughput(
                    arch, data["images"][idx], data["labels"][idx], ds.n_classes, epochs, dev, args.width
                )
            exact_float32(not args.tf32)  # as the workflow's explain jobs; training above ran with TF32
            torch.backends.cudnn.deterministic = args.deterministic
            if models is None:
                models = (clf, pred)
                clf.eval()
                with torch.no_grad():
                    logits = clf.to(dev)(normalise(x_all[test].to(dev)))
                tstats["test_accuracy"] = float(
                    (logits.argmax(1).cpu().numpy() == data["labels"][test]).mean()
                )
            n_ex = args.explain_images if dev.type == "cuda" else args.cpu_explain_images
            if n_ex == 0:  # no CPU timing: only the CUDA/CPU agreement below
                continue
            sel = test[:n_ex]
            xs = x_all[sel]
            pts = torch.from_numpy(data["parts"][sel]).float()
            rows[dev.type] = {
                "train": tstats,
                "attribution_images_per_s": attribution_throughput(
                    *models, xs, dev, ig_steps=args.ig_steps, repeats=2 if dev.type == "cpu" else 3
                ),
                "explain_images_per_s": explain_throughput(*models, xs, pts, dev, ds.n_classes),
            }
            print(f"{arch} {dev.type}: {json.dumps(rows[dev.type], indent=1)}", flush=True)
        if len(devices) == 2:
            rows["agreement_cuda_vs_cpu"] = agreement(*models, x_all[test[:4]], devices, args.ig_steps)
            print(f"  {arch} max relative |CUDA - CPU| of maps: {json.dumps(rows['agreement_cuda_vs_cpu'])}")
            if "cpu" not in rows:
                continue
            g, c = rows["cuda"], rows["cpu"]
            print(f"\n{arch}: CUDA/CPU throughput ratios (CPU: {torch.get_num_threads()} threads)")
            gt, ct = g["train"]["images_per_s"], c["train"]["images_per_s"]
            print(f"  train          {gt:9.1f} / {ct:7.2f} img/s = {gt / ct:6.1f}x")
            for k, v in g["attribution_images_per_s"].items():
                cv = c["attribution_images_per_s"][k]
                print(f"  {k:22s} {v:9.1f} / {cv:7.2f} img/s = {v / cv:6.1f}x")
            print(
                f"  explain (all)  {g['explain_images_per_s']:9.1f} / {c['explain_images_per_s']:7.2f} img/s"
                f" = {g['explain_images_per_s'] / c['explain_images_per_s']:6.1f}x"
            )
        report["archs"][arch] = rows
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
