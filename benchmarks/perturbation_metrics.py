"""Speed-up of the batched insertion/deletion (delex.sanity.perturbation.curves) over a plain
one-image, one-step-at-a-time loop on the same images, maps and baselines, and the largest AUC
difference between the two (goal: >= 10x, AUCs equal to 1e-6).

    python benchmarks/perturbation_metrics.py [--device cuda] [--images 4] [--steps 100] [--size 112]

Runs on the trained default classifier when results/<name>/models/vgg16/run0/model.pt exists
(--model), else on a freshly initialised VGG16 of the default width.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch

from delex.models.backbones import build_classifier
from delex.models.checkpoint import load_models
from delex.models.training import exact_float32
from delex.sanity import perturbation as P


def _time(fn):
    t0 = time.perf_counter()
    out = fn()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--images", type=int, default=4)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--size", type=int, default=112)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--model", default="results/synthetic_birds/models/vgg16/run0/model.pt")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    if Path(a.model).exists():
        model, _, _ = load_models(a.model, dev)
        src = a.model
    else:
        torch.manual_seed(0)
        model = build_classifier("vgg16", 12, width=0.0625, dropout=0.0).to(dev).eval()
        src = "random VGG16 (width 0.0625)"
    g = torch.Generator(device=dev).manual_seed(0)
    x = torch.randn(a.images, 3, a.size, a.size, generator=g, device=dev)
    maps = torch.rand(a.images, a.size, a.size, generator=g, device=dev)
    maps[:, : a.size // 2] = 0.0  # half the map tied at zero, as sparse maps are
    tgt = torch.zeros(a.images, dtype=torch.long, device=dev)
    print(f"model: {src}; {a.images} images, {a.size} px, {a.steps} steps, {dev}, {a.threads} threads")
    exact_float32()  # as the workflow's jobs: TF32 off, so batched and loop agree to float32 rounding
    bl0 = P.baseline_image(x, "zero", g)
    P.curves(model, x[:1], tgt[:1], maps[:1], bl0[:1], "insertion", 2, 1, a.batch)  # warm-up (CUDA init)
    print(f"{'configuration':<28}{'batched s':>10}{'loop s':>10}{'speed-up':>10}{'max |dAUC|':>12}")
    worst, total_b, total_l = 0.0, 0.0, 0.0
    for kind in ("insertion", "deletion"):
        for base, mode in (("zero", "pixel"), ("blur", "region")):
            bl = P.baseline_image(x, base, g)
            region = 9 if mode == "region" else 1
            args = (model, x, tgt, maps, bl, kind, a.steps, region)
            fast, tb = _time(lambda args=args: P.curves(*args, a.batch))
            slow, tl = _time(lambda args=args: P.curves_reference(*args))
            d = (P.auc(fast.cpu()) - P.auc(slow.cpu())).abs().max().item()
            worst, total_b, total_l = max(worst, d), total_b + tb, total_l + tl
            print(f"{kind + ' ' + base + '+' + mode:<28}{tb:>10.2f}{tl:>10.2f}{tl / tb:>9.1f}x{d:>12.1e}")
    print(f"{'all':<28}{total_b:>10.2f}{total_l:>10.2f}{total_l / total_b:>9.1f}x{worst:>12.1e}")
    print(f"AUCs agree to 1e-6: {worst <= 1e-6}")


if __name__ == "__main__":
    main()
