"""Training throughput in NCHW (PyTorch's default) against NHWC (channels_last) memory layout.

`delex.models.training.train` runs in channels_last because oneDNN's CPU convolutions are faster
there. This prints, per architecture at the config's width, image-steps per second of one
classifier training step (forward, backward, AdamW) in both layouts, measured alternately in one
run on the same random batch, and their ratio. No assertion: a measurement to read.

    python benchmarks/training_layout.py [--archs vgg16 resnet50 alexnet] [--threads 1] [--steps 6]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F
import yaml

from delex.models.backbones import build_classifier


def steps_per_second(arch: str, spec: dict, layout: torch.memory_format, args) -> float:
    """Image-steps per second of `args.steps` timed training steps after two warm-up steps."""
    torch.manual_seed(0)
    bn, dropout = spec.get("batch_norm", True), spec.get("dropout", 0.0)
    model = build_classifier(arch, 12, spec["width"], bn, False, dropout)
    model = model.to(memory_format=layout)
    x = torch.randn(args.batch, 3, args.size, args.size).contiguous(memory_format=layout)
    y = torch.randint(0, 12, (args.batch,))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for i in range(args.steps + 2):
        if i == 2:
            t0 = time.perf_counter()
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return args.batch * args.steps / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="config.yaml")
    ap.add_argument("--archs", nargs="+", default=["vgg16", "resnet50", "alexnet"])
    ap.add_argument("--threads", type=int, default=1, help="1 = as the workflow's training jobs")
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--repeats", type=int, default=3, help="alternating NCHW / NHWC measurements")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--size", type=int, default=112)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    with open(args.config) as fh:
        models = yaml.safe_load(fh)["models"]
    head = f"{'arch':10s} {'NCHW img/s':>11s} {'NHWC img/s':>11s} {'NHWC / NCHW':>12s}"
    print(f"{head}  (median of {args.repeats})")
    for arch in args.archs:
        runs = {torch.contiguous_format: [], torch.channels_last: []}
        for _ in range(args.repeats):
            for layout in runs:
                runs[layout].append(steps_per_second(arch, models[arch], layout, args))
        nchw, nhwc = (statistics.median(v) for v in runs.values())
        print(f"{arch:10s} {nchw:11.1f} {nhwc:11.1f} {nhwc / nchw:12.2f}")


if __name__ == "__main__":
    main()
