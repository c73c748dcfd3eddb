"""Wall time of gradient-Hessian vs gradient deliberative maps (all classes + hardness).

Both routes run the classifier and predictor backbones once (no grad) and head-only batched VJPs
(`delex.attribution.products.logit_attributions`); the second-order term is a closed form in the
same products, so the ratio should be close to 1 (goal <= 1.5). For comparison, Captum's per-class
route (LayerGradientXActivation, one backbone forward + backward per class) is timed on a few
classes and extrapolated to C + 1 maps.

    python benchmarks/gradient_hessian_ratio.py [--device cuda] [--repeats 5] [--captum-classes 2]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from delex.attribution.maps import sigmoid_map, softmax_class_maps
from delex.attribution.products import logit_attributions
from delex.models.backbones import build_classifier, build_predictor

# arch, width, images, input size: reduced width at 112 px, full width at 224 px
DEFAULT_CONFIGS = (
    ("vgg16", 0.25, 8, 112),
    ("resnet50", 0.25, 8, 112),
    ("vgg16", 1.0, 4, 224),
    ("resnet50", 1.0, 4, 224),
)


def deliberative_maps(clf, pred, x: torch.Tensor, order: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Softmax class maps for every class and the hardness map, at the given order."""
    with torch.no_grad():
        a, a_s = clf.features(x), pred.features(x)
    q, u = logit_attributions(clf.head, a)
    q_s, v = logit_attributions(pred.head, a_s)
    return softmax_class_maps(q, u, order), sigmoid_map(q_s, v, order)


def captum_per_class(clf, pred, x: torch.Tensor, classes: list[int]) -> None:
    """Captum's route: a LayerGradientXActivation call (backbone fwd+bwd) per class + hardness."""
    from captum.attr import LayerGradientXActivation

    lga = LayerGradientXActivation(lambda z: clf(z).softmax(1), clf.features)
    for c in classes:
        lga.attribute(x, target=c).sum(1)
    LayerGradientXActivation(lambda z: torch.sigmoid(pred(z)), pred.features).attribute(x).sum(1)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _median_times(calls: list[tuple], repeats: int, device: torch.device) -> list[float]:
    """Median wall time of each (fn, args) call; calls are interleaved so drift hits all alike."""
    for fn, fn_args in calls:  # warm-up
        fn(*fn_args)
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(repeats):
        for i, (fn, fn_args) in enumerate(calls):
            _sync(device)
            t0 = time.perf_counter()
            fn(*fn_args)
            _sync(device)
            times[i].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def main() -> None:
    """Parse options, time each configuration and print one line per configuration."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--classes", type=int, default=200)
    ap.add_argument("--hidden", type=int, default=128, help="hardness predictor MLP width")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--captum-classes", type=int, default=2, help="0 skips Captum")
    ap.add_argument(
        "--config",
        action="append",
        help="arch:width:images:size (repeatable); default: reduced and full VGG16 / ResNet-50",
    )
    args = ap.parse_args()
    device = torch.device(args.device)
    configs = DEFAULT_CONFIGS
    if args.config:
        configs = [(a, float(w), int(n), int(s)) for a, w, n, s in (c.split(":") for c in args.config)]
    torch.manual_seed(0)
    print(f"device {device}, threads {torch.get_num_threads()}, C = {args.classes}, median of {args.repeats}")
    header = (
        f"{'arch':9s} {'width':>5s} {'B':>2s} {'S':>4s} {'A (DxHxW)':>12s} "
        f"{'gradient s':>10s} {'grad-Hess s':>11s} {'ratio':>6s} {'captum s (extrap.)':>18s}"
    )
    print(header)
    for arch, width, n_img, size in configs:
        clf = build_classifier(arch, args.classes, width).to(device).eval()
        pred = build_predictor(clf, args.hidden).to(device).eval()
        x = torch.randn(n_img, 3, size, size, device=device)
        with torch.no_grad():
            shape = "x".join(map(str, clf.features(x[:1]).shape[1:]))
        calls = [(deliberative_maps, (clf, pred, x, order)) for order in (1, 2)]
        t1, t2 = _median_times(calls, args.repeats, device)
        captum = "-"
        if args.captum_classes > 0:
            k = min(args.captum_classes, args.classes)
            (tc,) = _median_times([(captum_per_class, (clf, pred, x, list(range(k))))], 3, device)
            captum = f"{tc * (args.classes + 1) / (k + 1):.1f}"
        print(
            f"{arch:9s} {width:5.2f} {n_img:2d} {size:4d} {shape:>12s} "
            f"{t1:10.3f} {t2:11.3f} {t2 / t1:6.3f} {captum:>18s}",
            flush=True,
        )


if __name__ == "__main__":
    main()
