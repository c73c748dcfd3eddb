"""Deliberative explanations of a batch of images: difficulty scores, attribution maps, insecurities.

Glues the attribution maps (delex.attribution) to the insecurity extraction (delex.insecurity) as in
METHOD.md 3, and reduces every insecurity to what evaluation needs: the rank of each part point's
pixel (so that all coverages are evaluated at once), the importance at every coverage, and the
low-resolution ambiguity map for figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import torch

from delex import insecurity as ins
from delex.attribution.integrated import integrated_maps
from delex.attribution.maps import (
    difficulty_map,
    difficulty_map_released,
    logit_class_maps,
    softmax_class_maps,
)
from delex.attribution.products import logit_attributions
from delex.groundtruth.frequency import common_object_masks
from delex.metrics.iou import iou_curves
from delex.models.training import black_image, normalise

SCORES = ("hesitancy", "entropy", "hardness")
ATTRIBUTIONS = ("gradient", "gradient_no_ms", "integrated_gradients", "gradient_hessian")


@dataclass(frozen=True)
class ExplainSettings:
    """One experiment: difficulty score x attribution function, paper or released variant."""

    score: str = "hardness"
    attribution: str = "gradient"
    variant: str = "paper"
    n_candidates: int = 5
    k_per_location: int = 3
    ig_steps: int = 50
    batch_size: int = 25

    @classmethod
    def from_config(cls, explain: dict, score: str, attribution: str, variant: str) -> ExplainSettings:
        """Settings of one experiment from the config's `explain` section."""
        keys = ("n_candidates", "k_per_location", "ig_steps", "batch_size")
        return cls(score=score, attribution=attribution, variant=variant, **{k: explain[k] for k in keys})

    def __post_init__(self):
        if self.score not in SCORES:
            raise ValueError(f"score: unknown {self.score!r}; choose from {SCORES}")
        if self.attribution not in ATTRIBUTIONS:
            raise ValueError(f"attribution: unknown {self.attribution!r}; choose from {ATTRIBUTIONS}")
        if self.variant not in ("paper", "released"):
            raise ValueError(f"variant: unknown {self.variant!r}; choose paper or released")


@torch.no_grad()
def difficulty_scores(classifier, predictor, images_uint8: torch.Tensor, score: str, batch: int = 128):
    """Difficulty score s(x) in [0, 1] of every image (METHOD.md 1), as a numpy array."""
    out = []
    for i in range(0, len(images_uint8), batch):
        x = normalise(images_uint8[i : i + batch].to(_device(classifier)))
        if score == "hardness":
            out.append(torch.sigmoid(predictor(x)))
            continue
        logp = torch.log_softmax(classifier(x), 1)
        if score == "hesitancy":
            out.append(1.0 - logp.exp().max(1).values)
        else:
            out.append(-(logp.exp() * logp).sum(1) / math.log(logp.shape[1]))
    return torch.cat(out).cpu().numpy()


def hardest(scores: np.ndarray, candidates: np.ndarray, n: int) -> np.ndarray:
    """Indices (into `candidates`) of the n images of largest score; ties by index (stable)."""
    order = np.argsort(-scores[candidates], kind="stable")
    return candidates[order[:n]]


def coverages(explain_cfg: dict) -> np.ndarray:
    """Coverage fractions of the config's `explain.coverages` [lo, hi] percent, every integer."""
    lo, hi = explain_cfg["coverages"]
    return np.arange(lo, hi + 1) / 100.0


def hardest_test_images(classifier, predictor, data: dict, score: str, n: int):
    """Indices of the n test images of largest difficulty score, and their scores (most difficult
    first). Only the test split is scored: the training images were half of the work and unused."""
    test = np.flatnonzero(~data["is_train"].astype(bool))
    scores = difficulty_scores(classifier, predictor, torch.from_numpy(data["images"][test]), score)
    pos = hardest(scores, np.arange(len(test)), n)
    return test[pos], scores[pos]


def hardest_per_score(classifier, predictor, data: dict, n: int):
    """`hardest_test_images` as a function of the score alone, memoised: a job that explains several
    experiments of one network computes each difficulty score once."""
    return cache(lambda score: hardest_test_images(classifier, predictor, data, score, n))


def _device(module) -> torch.device:
    return next(module.parameters()).device


def attribution_maps(classifier, predictor, x: torch.Tensor, st: ExplainSettings):
    """Class maps (B,C,h,w), difficulty map (B,h,w) and softmax probabilities (B,C) for images x."""
    with torch.no_grad():
        A = classifier.features(x)
        logits = classifier.head(A)
    probs = logits.softmax(1)
    paper = st.variant == "paper"
    if st.attribution == "integrated_gradients":
        x0 = black_image(x.shape[-1], x.device).expand_as(x)
        class_maps, diff = integrated_maps(
            classifier,
            x,
            x0,
            steps=st.ig_steps,
            score=st.score,
            predictor=predictor,
            class_score="softmax" if paper else "logit",
        )
        if not paper:
            class_maps = logit_class_maps(class_maps)
        return class_maps.detach(), diff.detach(), probs
    order = 2 if st.attribution == "gradient_hessian" else 1
    q, _ = logit_attributions(classifier.head, A)
    if paper:
        class_maps = softmax_class_maps(q, logits, order)
    else:  # released code: logit maps, clamped; second order on the difficulty map only
        class_maps = logit_class_maps(q)
    if st.score == "hardness":
        with torch.no_grad():
            A_s = predictor.features(x)
        head, act = predictor.head, A_s
    else:
        head, act = classifier.head, A
    if paper:
        q_d, u_d = (q, logits) if st.score != "hardness" else logit_attributions(head, act)
        diff = difficulty_map(st.score, q_d, u_d, order)
    else:
        q_d = q if st.score != "hardness" else None  # reuse the classifier's all-class products
        diff = difficulty_map_released(st.score, head, act, order, q=q_d)
    return class_maps.detach(), diff.detach(), probs


def explain(
    classifier,
    predictor,
    images_uint8: torch.Tensor,
    points: torch.Tensor,
    st: ExplainSettings,
    coverages: np.ndarray,
    generator: torch.Generator,
    progress=None,
) -> dict[str, np.ndarray]:
    """Insecurities of every image: per insecurity its image, ambiguous pair (a, b), part-point ranks,
    random-baseline point ranks, importance at each coverage and low-resolution map.

    points: (N, P, 3) x, y, visible on the input grid. coverages: fractions in (0, 1].
    """
    size = images_uint8.shape[-1]

    def reduce(sl, b_idx, cls, ranks, rand, support):
        pts = points[sl].to(ranks.device)[b_idx]
        vis = pts[..., 2] > 0
        never = torch.tensor(size * size, device=ranks.device)
        # r = 1[m > T] with T >= 0: pixels where the ambiguity map is zero never enter a region, so
        # a region stops growing at the map's support; random regions are capped at the same area.
        point_rank = ins.point_ranks(ranks, pts[..., :2], vis, size)
        rand_rank = ins.point_ranks(rand, pts[..., :2], vis, size)
        return {
            "ins_point_rank": torch.where(point_rank < support, point_rank, never),
            "ins_random_point_rank": torch.where(rand_rank < support, rand_rank, never),
        }

    return explain_with(classifier, predictor, images_uint8, st, coverages, generator, reduce, progress)


def explain_masks(
    classifier,
    predictor,
    images_uint8: torch.Tensor,
    annotations: torch.Tensor,
    lookup: torch.Tensor,
    st: ExplainSettings,
    coverages: np.ndarray,
    generator: torch.Generator,
    progress=None,
) -> dict[str, np.ndarray]:
    """Mask counterpart of `explain` (ADE20K): per insecurity the IoU, at every coverage, of its
    region and of a random region of the same area with the union mask of the ambiguity's common
    objects present in the image.

    annotations: (N, S, S) object indices on the input grid; lookup: (C, C, K+1) bool, label v is a
    common object of classes (a, b) (delex.groundtruth.frequency.object_lookup).
    """
    sizes = torch.as_tensor(ins.region_sizes(coverages, images_uint8.shape[-1] ** 2))

    def reduce(sl, b_idx, cls, ranks, rand, support):
        labels = annotations[sl].to(ranks.device)[b_idx].long().flatten(1)
        masks = common_object_masks(lookup.to(ranks.device), cls[:, 0], cls[:, 1], labels)
        return {
            "ins_iou": iou_curves(ranks, masks, sizes, support),
            "ins_random_iou": iou_curves(rand, masks, sizes, support),
            "ins_mask_fraction": masks.double().mean(1),
        }

    return explain_with(classifier, predictor, images_uint8, st, coverages, generator, reduce, progress)


def explain_with(classifier, predictor, images_uint8, st, coverages, generator, reduce, progress=None):
    """The insecurities of every image, each reduced by `reduce(slice, b_idx, pairs, ranks,
    random_ranks, support)` -> {key: (Q, ...) tensor}; shared by the point and mask evaluations.

    ranks: pixel ranks of the upsampled ambiguity maps; random_ranks: the same regions moved to
    uniformly random places (`insecurity.shifted_ranks`); support: (Q, 1) number of pixels where
    the map is positive (largest region), also returned as `ins_support` so that the evaluation
    needs no torch to upsample the maps again.
    """
    dev = _device(classifier)
    size = images_uint8.shape[-1]
    sizes = ins.region_sizes(coverages, size * size)
    sizes_t = torch.as_tensor(np.maximum(sizes, 1), device=dev)
    keep: dict[str, list] = {k: [] for k in ("image", "pair", "imp", "maps", "support")}
    reduced: dict[str, list] = {}
    per_image: dict[str, list] = {k: [] for k in ("pred", "cand", "cand_prob", "n_ins")}
    starts = range(0, len(images_uint8), st.batch_size)
    for start in progress(starts) if progress else starts:
        sl = slice(start, start + st.batch_size)
        x = normalise(images_uint8[sl].to(dev))
        class_maps, diff, probs = attribution_maps(classifier, predictor, x, st)
        cand = ins.candidate_classes(probs, st.n_candidates)
        cand_maps = class_maps.gather(1, cand[:, :, None, None].expand(-1, -1, *class_maps.shape[-2:]))
        diff_used = None if st.attribution == "gradient_no_ms" else diff
        member = ins.ambiguity_membership(cand_maps, diff_used, st.k_per_location)
        amb = ins.ambiguity_maps(cand_maps, diff_used, member, st.variant)
        present = member.any(-1).any(-1)  # (B, n_pairs)
        b_idx, p_idx = present.nonzero(as_tuple=True)
        per_image["pred"].append(probs.argmax(1).cpu())
        per_image["cand"].append(cand.cpu())
        per_image["cand_prob"].append(probs.gather(1, cand).cpu())
        per_image["n_ins"].append(present.sum(1).cpu())
        if len(b_idx) == 0:  # no location with positive difficulty attribution in this batch
            continue
        pairs = ins.pair_index(st.n_candidates, device=dev)
        cls = torch.stack([cand[b_idx, pairs[p_idx, 0]], cand[b_idx, pairs[p_idx, 1]]], 1)
        cls = torch.sort(cls, 1).values  # (a, b) with a < b
        low = amb[b_idx, p_idx]
        up = ins.upsample(low, size)
        ranks = ins.pixel_ranks(up)
        support = ins.support_pixels(up)[:, None]
        rand = ins.shifted_ranks(ranks, size, generator)
        for k, v in reduce(sl, b_idx, cls, ranks, rand, support).items():
            reduced.setdefault(k, []).append(v.cpu())
        keep["imp"].append(ins.importance_curve(up, sizes_t).cpu())
        keep["image"].append((b_idx + start).cpu())
        keep["pair"].append(cls.cpu())
        keep["maps"].append(low.cpu())
        keep["support"].append(support[:, 0].cpu())
    if not keep["image"]:  # not a single insecurity: keep the shapes well defined
        h, w = class_maps.shape[-2:]
        none = torch.zeros(0, dtype=torch.long, device=dev)
        empty = torch.zeros((0, size * size), dtype=torch.int32, device=dev)
        cls0 = torch.zeros((0, 2), dtype=torch.long, device=dev)
        out0 = reduce(slice(0, st.batch_size), none, cls0, empty, empty, none[:, None])
        reduced = {k: [v.cpu()] for k, v in out0.items()}
        keep = {
            "image": [torch.zeros(0, dtype=torch.long)],
            "pair": [torch.zeros(0, 2, dtype=torch.long)],
            "imp": [torch.zeros(0, len(sizes))],
            "maps": [torch.zeros(0, h, w)],
            "support": [torch.zeros(0, dtype=torch.long)],
        }
    out = {
        "ins_image": torch.cat(keep["image"]).numpy().astype(np.int64),
        "ins_pair": torch.cat(keep["pair"]).numpy().astype(np.int64),
        **{k: _numpy(torch.cat(v)) for k, v in reduced.items()},
        "ins_importance": torch.cat(keep["imp"]).numpy().astype(np.float64),
        "ins_map": torch.cat(keep["maps"]).numpy().astype(np.float32),
        "ins_support": torch.cat(keep["support"]).numpy().astype(np.int64),
        "pred": torch.cat(per_image["pred"]).numpy(),
        "candidates": torch.cat(per_image["cand"]).numpy(),
        "candidate_probs": torch.cat(per_image["cand_prob"]).numpy(),
        "n_insecurities": torch.cat(per_image["n_ins"]).numpy(),
        "coverages": np.asarray(coverages, dtype=np.float64),
        "region_sizes": sizes,
    }
    return out


def _numpy(t: torch.Tensor) -> np.ndarray:
    """int64 for integer tensors, float64 otherwise (the stored dtypes)."""
    return t.numpy().astype(np.float64 if t.is_floating_point() else np.int64)
