"""Print the ADE diagnostics quoted in README "ADE20K side": insecurities against random regions for
room images and outdoor images separately, and the objects the ambiguity maps favour.

    .venv/bin/python tools/ade_localisation.py results/synthetic_birds [--arch vgg16] [--top 8]
        [--class-maps] [--predictor] [--pair-maps] [--hardness-map] [--exact-random]
        [--n-hardest 40]

Mean IoU (%) over the 10-50 % columns; p is the one-sided signed-rank test of insecurities > random
regions (images paired), runs combined by Stouffer's method as in the tables. With --class-maps,
also whether each classifier's class map of the true class (logit attribution, z-scored per
validation image) favours the objects only that scene holds (bed in a bedroom); with --predictor,
how well the hardness predictor's score, and hesitancy beside it, tell the test images the
classifier gets wrong (ROC AUC), and on how much of its hardest test images the hardness map is
positive (signed, as in the paper's text; with positive gradients only, as in the authors' code);
with --pair-maps, whether the product of the two most probable scenes' class maps (softmax, as in
the paper; logit, as in the authors' code) puts more of its positive mass on the pair's common
objects than their share of the image, on the images the predictor scores hardest; with
--hardness-map, the same measure for the hardness map itself, on the pair's common objects, on
objects the image's scene does not hold by the ground truth (borrowed, clutter) and on the rest;
with --exact-random, the random regions' exact expected IoU over every placement beside the one
drawn placement per region that Table 1 uses.
Reads a finished run (prepared data, ground truth, models and the stored explanations of the
default experiment); writes nothing.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch

from delex import insecurity as ins
from delex import io
from delex.attribution.maps import difficulty_map, softmax_class_maps
from delex.attribution.products import logit_attributions
from delex.datasets.synthetic_scenes import SCENES
from delex.diagnostics.predictor import difficulty_aucs, hardness_map_support
from delex.diagnostics.scene_groups import (
    iou_by_group,
    map_by_object,
    mass_inside_minus_area,
    own_objects,
    unselected_objects,
    zscore_by_object,
    zscore_inside,
)
from delex.evaluation import iou_curves_frame
from delex.groundtruth.frequency import common_object_masks, object_lookup
from delex.metrics.iou import iou_curves, shift_expected_iou
from delex.metrics.paired import combine_greater
from delex.models.checkpoint import load_models
from delex.models.training import normalise

COLUMNS = [9, 19, 29, 39, 49]  # coverages 10..50 % in the 1..90 % grid


def _run_number(path: Path) -> int:
    """Run number of .../run<k>/model.pt or .../run<k>.npz, so run 10 sorts after run 9."""
    name = path.parent.name if path.name == "model.pt" else path.stem
    return int(name.removeprefix("run"))


def scene_groups(class_names) -> np.ndarray:
    """'room' / 'outdoor' per class for the synthetic scenes, 'all' for scenes it does not define."""
    return np.array([("room" if SCENES[c][0] else "outdoor") if c in SCENES else "all" for c in class_names])


def class_map_localisation(clf, data: dict, own: np.ndarray):
    """(validation accuracy, z on the image's own objects, {object: z}): the true class's logit
    attribution, z-scored per validation image, averaged over the pixels of the objects only its
    scene holds (`own_objects`), and per object."""
    val = np.flatnonzero(~data["is_train"].astype(bool))
    x = normalise(torch.from_numpy(data["images"][val]))
    y = torch.as_tensor(data["labels"][val]).long()
    with torch.no_grad():
        q, logits = logit_attributions(clf.head, clf.features(x))
    maps = ins.upsample(q[torch.arange(len(y)), y], x.shape[-1]).numpy()
    ann = data["annotations"][val].astype(np.int64)
    yy = y.numpy()[:, None, None]
    accuracy = float((logits.argmax(1) == y).float().mean())
    return (
        accuracy,
        zscore_inside(maps, own[yy, ann]),
        zscore_by_object(maps, ann),
    )


class HardestImages(NamedTuple):
    """The validation images the hardness predictor scores hardest, with what the diagnostics need."""

    x: torch.Tensor  # normalised images (n, 3, S, S)
    index: np.ndarray  # their indices into the prepared data
    labels: torch.Tensor  # annotations (n, S, S), long
    common: np.ndarray  # (n, S, S) bool: common objects of the two most probable scenes
    A: torch.Tensor  # classifier activations
    A_s: torch.Tensor  # predictor activations
    top2: torch.Tensor  # (n, 2) the two most probable scenes, most probable first


def _hardest_with_pairs(clf, pred, data: dict, lookup: np.ndarray, n: int) -> HardestImages:
    """The n validation images the hardness predictor scores hardest (`HardestImages`)."""
    val = np.flatnonzero(~data["is_train"].astype(bool))
    x = normalise(torch.from_numpy(data["images"][val]))
    with torch.no_grad():
        hard = torch.topk(pred(x).reshape(-1), min(n, len(x))).indices
        x = x[hard]
        A, A_s = clf.features(x), pred.features(x)
        top2 = ins.candidate_classes(clf.head(A), 2)
    idx = val[hard.numpy()]
    ann = torch.from_numpy(data["annotations"][idx]).long()
    masks = common_object_masks(torch.from_numpy(lookup), top2[:, 0], top2[:, 1], ann.flatten(1))
    return HardestImages(x, idx, ann, masks.reshape(ann.shape).numpy(), A, A_s, top2)


def pair_product_share(clf, pred, data: dict, lookup: np.ndarray, n: int) -> tuple[float, float, float]:
    """On the n validation images the hardness predictor scores hardest: (softmax, logit) product of
    the two most probable scenes' class maps, each rectified, its positive mass on the pair's common
    objects less their area (`mass_inside_minus_area`), and that area."""
    h = _hardest_with_pairs(clf, pred, data, lookup, n)
    q, logits = logit_attributions(clf.head, h.A)
    idx = h.top2[:, :, None, None].expand(-1, -1, *q.shape[2:])
    out = []
    for m in (softmax_class_maps(q, logits), q):
        prod = ins.ambiguity_maps(m.gather(1, idx), None)[:, 0]  # relu(m_a) relu(m_b), the only pair
        out.append(mass_inside_minus_area(ins.upsample(prod, h.x.shape[-1]).numpy(), h.common))
    return out[0][0], out[1][0], out[0][1]


def hardness_map_shares(clf, pred, data: dict, lookup: np.ndarray, unselected: np.ndarray, n: int):
    """On the n validation images the predictor scores hardest, where the paper's (signed) hardness
    map puts its positive mass: share less area (`mass_inside_minus_area`) on the common objects of
    the two most probable scenes, on the objects the true scene's ground truth does not hold
    (`unselected_objects`: borrowed objects and clutter), and on the remaining labelled objects.
    Returns three (share less area, area) pairs."""
    h = _hardest_with_pairs(clf, pred, data, lookup, n)
    q_s, u = logit_attributions(pred.head, h.A_s)
    ms = ins.upsample(difficulty_map("hardness", q_s, u), h.x.shape[-1]).numpy()
    y = torch.as_tensor(data["labels"][h.index]).long()
    ann = h.labels
    other = torch.from_numpy(unselected)[y[:, None, None].expand_as(ann), ann].numpy() & ~h.common
    rest = (ann.numpy() > 0) & ~h.common & ~other
    return tuple(mass_inside_minus_area(ms, m) for m in (h.common, other, rest))


def exact_random_lines(root: Path, arch: str, data: dict, lookup: np.ndarray) -> list[str]:
    """Per run of `arch`'s stored default explanations: mean IoU (10-50 %) of the insecurities, of the
    drawn random regions (one shift per region, as in Table 1) and of the exact expectation over every
    shift (`shift_expected_iou`), images paired as in Table 1; then the runs combined. The paper's
    mask mapping (resize) is assumed."""
    size = data["annotations"].shape[-1]
    lines, stats = [], []
    for path in sorted((root / "explain" / arch).glob("run*.npz"), key=_run_number):
        e = io.load_npz(path)
        n = len(e["image_index"])
        up = ins.upsample(torch.as_tensor(e["ins_map"]), size)
        ranks = ins.pixel_ranks(up)
        support = torch.as_tensor(e["ins_support"])[:, None]
        labels = torch.from_numpy(data["annotations"][e["image_index"][e["ins_image"]]]).long().flatten(1)
        pair = torch.as_tensor(e["ins_pair"])
        masks = common_object_masks(torch.from_numpy(lookup), pair[:, 0], pair[:, 1], labels)
        sizes = e["region_sizes"][COLUMNS]
        again = iou_curves(ranks, masks, sizes, support).numpy()
        stored = e["ins_iou"][:, COLUMNS]
        if not np.allclose(again, stored, equal_nan=True):
            raise SystemExit(
                f"{path}: the insecurity IoU recomputed from the stored maps differs from the stored one"
            )
        exact = shift_expected_iou(ranks, masks, sizes, size, support).numpy()
        # Table 1's per-run frame (images paired), with the drawn and then the exact random regions
        base = {"ins_iou": stored, "ins_image": e["ins_image"], "coverages": e["coverages"][COLUMNS]}
        drawn = iou_curves_frame({**base, "ins_random_iou": e["ins_random_iou"][:, COLUMNS]}, n)
        frame = iou_curves_frame({**base, "ins_random_iou": exact}, n)
        p, n_pairs = frame["wilcoxon_p"].to_numpy(), frame["n_paired"].to_numpy()
        stats.append((p, n_pairs))
        lines.append(
            f"{arch} {path.stem}: insecurities {100 * frame['iou'].mean():.2f}, random regions drawn "
            f"{100 * drawn['random_iou'].mean():.2f}, exact over every shift "
            f"{100 * frame['random_iou'].mean():.2f}; p against the exact one at 10 / 30 / 50 % "
            + " / ".join(f"{x:.2g}" for x in p[[0, 2, 4]])
        )
    if stats:
        p_all = [combine_greater([p[c] for p, _ in stats], [n[c] for _, n in stats]) for c in (0, 2, 4)]
        lines.append(
            f"{arch} runs combined, against the exact random regions: p at 10 / 30 / 50 % "
            + " / ".join(f"{x:.2g}" for x in p_all)
        )
    return lines


def model_lines(root: Path, arch: str, data: dict, names: list[str], gt: dict, args) -> list[str]:
    """The --class-maps, --predictor, --pair-maps, then --hardness-map lines of every run of `arch`
    (each model loaded once for all); gt: the run's ground truth (phi, selected)."""
    test = ~data["is_train"].astype(bool)
    maps_lines, auc_lines, pair_lines, hard_lines = [], [], [], []
    lookup = object_lookup(gt["selected"])
    own = own_objects(gt["phi"])
    for model in sorted((root / "models" / arch).glob("run*/model.pt"), key=_run_number):
        clf, pred, _ = load_models(model, "cpu")
        run = model.parent.name
        if args.class_maps:
            acc, z_own, z = class_map_localisation(clf, data, own)
            ranked = sorted(((v, names[k - 1]) for k, v in z.items() if k > 0), reverse=True)
            top = ", ".join(f"{n} {v:+.2f}" for v, n in ranked[: args.top])
            maps_lines.append(
                f"{arch} {run} class map (accuracy {acc:.2f}): on the scene's own objects {z_own:+.2f}; "
                f"favours {top}"
            )
        if args.predictor:
            a_s, a_h = difficulty_aucs(clf, pred, data["images"][test], data["labels"][test])
            h = hardness_map_support(pred, data["images"][test], args.n_hardest)
            auc_lines.append(
                f"{arch} {run} wrong test images, AUC: hardness {a_s:.2f}, hesitancy {a_h:.2f}; "
                f"on the {args.n_hardest} hardest, mean predictor logit {h.logit:+.2f} (bias part "
                f"{h.bias:+.2f}), hardness map positive on {h.signed:.2f} of the image (positive "
                f"gradients only: {h.positive:.2f})"
            )
        if args.pair_maps:
            soft, logit, area = pair_product_share(clf, pred, data, lookup, args.n_hardest)
            pair_lines.append(
                f"{arch} {run} pair product on the pair's common objects (area {area:.2f}), mass share "
                f"less area: softmax maps {soft:+.2f}, logit maps {logit:+.2f}"
            )
        if args.hardness_map:
            (c, ca), (o, oa), (r, ra) = hardness_map_shares(
                clf, pred, data, lookup, unselected_objects(gt["phi"]), args.n_hardest
            )
            hard_lines.append(
                f"{arch} {run} hardness map, positive mass share less area: on the pair's common objects "
                f"{c:+.3f} (area {ca:.2f}), on objects the scene's ground truth does not hold {o:+.3f} "
                f"(area {oa:.2f}), on its other objects {r:+.3f} (area {ra:.2f})"
            )
    return maps_lines + auc_lines + pair_lines + hard_lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path, help="results/<name> of a finished run with the ADE side")
    ap.add_argument("--arch", nargs="*", default=["vgg16", "alexnet", "resnet50"])
    ap.add_argument("--top", type=int, default=8, help="objects listed, most and least favoured")
    ap.add_argument("--class-maps", action="store_true", help="also the classifiers' own class maps")
    ap.add_argument(
        "--predictor", action="store_true", help="also the hardness predictors' AUC and map support"
    )
    ap.add_argument(
        "--pair-maps",
        action="store_true",
        help="also where the top-2 scenes' class-map product puts its mass, against the common objects",
    )
    ap.add_argument(
        "--hardness-map",
        action="store_true",
        help="also where the hardness map puts its mass: common, borrowed/clutter and other objects",
    )
    ap.add_argument(
        "--exact-random",
        action="store_true",
        help="also the random regions' exact expectation over every shift, beside the drawn ones",
    )
    ap.add_argument(
        "--n-hardest",
        type=int,
        default=40,
        help="hardest test images (--predictor, --pair-maps, --hardness-map)",
    )
    args = ap.parse_args()
    root = args.results / "ade"
    meta = json.loads((root / "dataset.json").read_text())
    names = [n.split(";")[0] for n in meta["object_names"]]
    data = io.load_npz(root / "prepared.npz")
    group_of_class = scene_groups(meta["class_names"])
    size = data["annotations"].shape[-1]
    gt = io.load_npz(root / "groundtruth" / "groundtruth.npz")
    for arch in args.arch:
        pooled: dict[str, list] = {}
        maps, labels = [], []
        for path in sorted((root / "explain" / arch).glob("run*.npz"), key=_run_number):
            expl = io.load_npz(path)
            groups = group_of_class[data["labels"][expl["image_index"]]]
            res = iou_by_group(expl, groups, COLUMNS)
            line = " | ".join(
                f"{g}: {r['n_images']} images, {100 * r['insecurities']:.1f} vs {100 * r['random']:.1f}, "
                f"p {r['p_greater']:.2g}"
                for g, r in res.items()
            )
            print(f"{arch} {path.stem}: {line}")
            for g, r in res.items():
                gap = r["insecurities"] - r["random"]
                pooled.setdefault(g, []).append((r["p_greater"], r["n_images"], gap))
            keep = expl["ins_mask_fraction"] > 0
            maps.append(ins.upsample(torch.as_tensor(expl["ins_map"][keep]), size).numpy())
            labels.append(data["annotations"][expl["image_index"][expl["ins_image"][keep]]])
        for g, rows in pooled.items():
            p, n, d = zip(*rows, strict=True)
            above = sum(x > 0 for x in d)
            p_all = combine_greater(p, n)
            print(f"{arch} {g}, runs combined: p {p_all:.2g}, above random in {above} of {len(d)} runs")
        if maps:
            by_obj = map_by_object(np.concatenate(maps), np.concatenate(labels))
            ranked = sorted(((v, names[k - 1]) for k, v in by_obj.items() if k > 0), reverse=True)
            fmt = ", ".join
            print(f"{arch} maps favour: {fmt(f'{n} {v:.2f}' for v, n in ranked[: args.top])}")
            print(f"{arch} maps avoid:  {fmt(f'{n} {v:.2f}' for v, n in ranked[-args.top :])}")
        if args.exact_random:
            print("\n".join(exact_random_lines(root, arch, data, object_lookup(gt["selected"]))))
        if args.class_maps or args.predictor or args.pair_maps or args.hardness_map:
            print("\n".join(model_lines(root, arch, data, names, gt, args)))


if __name__ == "__main__":
    main()
