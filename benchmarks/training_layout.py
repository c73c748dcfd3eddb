"""Throughput in NCHW (PyTorch's default) against NHWC (channels_last) memory layout.

Training (`delex.models.training.train`) and every job that loads a checkpoint
(`delex.models.checkpoint.load_models`) run in channels_last because oneDNN's CPU convolutions are
faster there. This prints, per architecture at the config's width, images per second in both
layouts, measured alternately in one run on the same random batch, and their ratio: one classifier
training step (forward, backward, AdamW), and with `--explain` the explanation maps of the
hardness score (gradient, and integrated gradients at the config's steps; random weights, which
do not change the cost). No assertion: a measurement to read.

    python benchmarks/training_layout.py [--archs vgg16 resnet50 alexnet] [--threads 1] [--explain]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F
import yaml

from delex.deliberative import ExplainSettings, attribution_maps
from delex.models.backbones import build_classifier, build_predictor


def _model(arch: str, spec: dict, layout: torch.memory_format):
    torch.manual_seed(0)
    bn, dropout = spec.get("batch_norm", True), spec.get("dropout", 0.0)
    return build_classifier(arch, 12, spec["width"], bn, False, dropout).to(memory_format=layout)


def explained_per_second(arch: str, spec: dict, layout: torch.memory_format, args, attribution: str) -> float:
    """Images per second of the hardness score's explanation maps (one warm-up call, one timed)."""
    clf = _model(arch, spec, layout).eval()
    pred = build_predictor(clf, 64).to(memory_format=layout).eval()
    st = ExplainSettings(score="hardness", attribution=attribution, ig_steps=args.ig_steps)
    x = torch.randn(args.batch, 3, args.size, args.size)
    attribution_maps(clf, pred, x[:2], st)
    t0 = time.perf_counter()
    attribution_maps(clf, pred, x, st)
    return args.batch / (time.perf_counter() - t0)


def steps_per_second(arch: str, spec: dict, layout: torch.memory_format, args) -> float:
    """Image-steps per second of `args.steps` timed training steps after two warm-up steps."""
    model = _model(arch, spec, layout)
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
    ap.add_argument("--explain", action="store_true", help="also time the explanation maps")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    with open(args.config) as fh:
        config = yaml.safe_load(fh)
    args.ig_steps = config["explain"]["ig_steps"]
    tasks = [("training step", steps_per_second)]
    if args.explain:
        for attribution in ("gradient", "integrated_gradients"):
            tasks.append((f"maps, {attribution}", lambda *a, at=attribution: explained_per_second(*a, at)))
    head = f"{'arch':10s} {'task':30s} {'NCHW img/s':>11s} {'NHWC img/s':>11s} {'NHWC / NCHW':>12s}"
    print(f"{head}  (median of {args.repeats})")
    for arch in args.archs:
        for task, measure in tasks:
            runs = {torch.contiguous_format: [], torch.channels_last: []}
            for _ in range(args.repeats):
                for layout in runs:
                    runs[layout].append(measure(arch, config["models"][arch], layout, args))
            nchw, nhwc = (statistics.median(v) for v in runs.values())
            print(f"{arch:10s} {task:30s} {nchw:11.1f} {nhwc:11.1f} {nhwc / nchw:12.2f}")


if __name__ == "__main__":
    main()
