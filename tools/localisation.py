"""Print the localisation diagnostics quoted in README "Status": how much of each ambiguity map is
positive, and whether class maps rank a family's shared parts above a class's own parts.

    .venv/bin/python tools/localisation.py results/synthetic_birds [--run 0] [--n-test 300] [--predictor]

With --predictor, also how well each hardness predictor's score, and hesitancy beside it, tell the
test images its classifier gets wrong (ROC AUC, every architecture and run). Reads a finished run
of a synthetic-birds config (models, prepared data, explanations, the generator's
synthetic_truth.json); writes nothing.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from delex import insecurity as ins
from delex import io
from delex.attribution.products import logit_attributions
from delex.datasets.synthetic_birds import pair_parts
from delex.diagnostics.localisation import (
    point_rank_percentiles,
    positive_support,
    shared_mask,
    shared_vs_own,
)
from delex.diagnostics.predictor import difficulty_aucs
from delex.groundtruth.triplets import gt_part_mask
from delex.metrics.precision_recall import precision_recall
from delex.models.checkpoint import load_models
from delex.models.training import normalise
from delex.parts import PART_NAMES


def class_map_ranks(model_path: Path, data: dict, truth: dict, selected, n_test: int) -> dict[str, float]:
    """Shared/own rank percentiles in the true class's logit attribution and in min(true, sibling);
    shared = the parts the true class and its sibling share by design (family or pair sharing)."""
    clf, _, _ = load_models(model_path, "cpu")
    test = np.flatnonzero(~data["is_train"].astype(bool))[:n_test]
    x = normalise(torch.from_numpy(data["images"][test]))
    with torch.no_grad():
        q, logits = logit_attributions(clf.head, clf.features(x))
    y = torch.as_tensor(data["labels"][test])
    fam = np.asarray(truth["class_family"])
    # the most probable other class of the same family: where the two should share evidence
    same = torch.as_tensor(fam[None, :] == fam[y.numpy(), None]) & (torch.arange(q.shape[1]) != y[:, None])
    sibling = logits.masked_fill(~same, -torch.inf).argmax(1)
    mask = shared_mask(y.numpy(), sibling.numpy(), pair_parts(truth), PART_NAMES)
    rows = torch.arange(len(y))
    size, pts, extra = x.shape[-1], data["parts"][test], {}
    true_pct = point_rank_percentiles(q[rows, y], pts, size)
    both_pct = point_rank_percentiles(torch.minimum(q[rows, y], q[rows, sibling]), pts, size)
    # precision at 10 % coverage of the (true, sibling) pair's min map against its ground-truth parts,
    # beside random regions: what an ambiguity map built from these class maps could at best reach
    gt = gt_part_mask(selected, np.sort(np.stack([y.numpy(), sibling.numpy()], 1), 1))
    pts_t = torch.as_tensor(pts, dtype=torch.float32)
    vis = pts_t[..., 2] > 0
    pair_map = torch.minimum(q[rows, y], q[rows, sibling])
    pair_ranks = ins.pixel_ranks(ins.upsample(pair_map, size))
    rand_ranks = ins.shifted_ranks(pair_ranks, size, torch.Generator().manual_seed(0))
    for key, r in (("pair_precision", pair_ranks), ("random_precision", rand_ranks)):
        ranks = ins.point_ranks(r, pts_t[..., :2], vis, size)
        prec, _ = precision_recall(ranks, vis, gt, ins.region_sizes([0.1], size * size))
        extra[key] = float(np.nanmean(prec))
    out = dict(zip(("true_shared", "true_own"), shared_vs_own(true_pct, mask), strict=True))
    out.update(extra)
    out.update(zip(("min_shared", "min_own"), shared_vs_own(both_pct, mask), strict=True))
    out["accuracy"] = float((logits.argmax(1) == y).float().mean())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path, help="results/<name> of a finished synthetic-birds run")
    ap.add_argument("--run", type=int, default=0)
    ap.add_argument("--n-test", type=int, default=None, help="test images for the class maps (default: all)")
    ap.add_argument("--predictor", action="store_true", help="also the hardness predictors' AUC, every run")
    args = ap.parse_args()
    torch.set_num_threads(1)
    res = args.results
    data = io.load_npz(res / "prepared.npz")
    truth_file = res / "data" / "CUB_200_2011" / "synthetic_truth.json"
    if not truth_file.exists():
        raise SystemExit(f"{truth_file}: not found (the diagnostic needs the synthetic twin's truth)")
    truth = json.loads(truth_file.read_text())
    selected = np.load(res / "groundtruth" / "groundtruth.npz")["selected"]
    size = data["images"].shape[-1]
    print("arch      acc   true class map: shared own | min(true, sibling): shared own | P@10 pair random")
    for model in sorted(res.glob(f"models/*/run{args.run}/model.pt")):
        arch = model.parent.parent.name
        r = class_map_ranks(model, data, truth, selected, args.n_test)
        print(
            f"{arch:9s} {r['accuracy']:.2f}  {r['true_shared']:.3f} {r['true_own']:.3f} "
            f"| {r['min_shared']:.3f} {r['min_own']:.3f} | {100 * r['pair_precision']:.1f} "
            f"{100 * r['random_precision']:.1f}"
        )
    print("(rank percentile: 0 = top of the map, 0.5 = chance; P@10: precision at 10 % coverage, %)")
    print("\nexplanation                               insecurities  positive cells  positive share")
    for expl in sorted(res.glob(f"explain/*/*/*/run{args.run}.npz")):
        maps = np.load(expl)["ins_map"]
        cells, share = positive_support(maps, size)
        name = "/".join(expl.relative_to(res / "explain").parts[:3])
        n_cells = maps.shape[1] * maps.shape[2]
        print(f"{name:41s} {len(maps):12d}  {cells:8.2f} of {n_cells:<3d} {100 * share:9.1f} %")
    if args.predictor:
        test = ~data["is_train"].astype(bool)
        print("\nwrong test images, ROC AUC   hardness  hesitancy")
        for model in sorted(res.glob("models/*/run*/model.pt")):
            clf, pred, _ = load_models(model, "cpu")
            a_s, a_h = difficulty_aucs(clf, pred, data["images"][test], data["labels"][test])
            print(f"{model.parent.parent.name:9s} {model.parent.name:17s} {a_s:8.2f}  {a_h:9.2f}")


if __name__ == "__main__":
    main()
