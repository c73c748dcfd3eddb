"""Evaluation of stored explanations against the part-point ground truth (METHOD.md 5 and 6)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from delex.groundtruth.triplets import gt_part_mask
from delex.metrics.correlation import pearson
from delex.metrics.paired import signed_rank_curve
from delex.metrics.precision_recall import curve_mean, image_mean, inside_points, precision_recall
from delex.metrics.robustness import match_pairs, shift_iou


def insecurity_visibility(expl: dict, points: np.ndarray) -> np.ndarray:
    """(Q, P) visibility of each insecurity's image's part points (points: explained images' parts)."""
    return points[expl["ins_image"], :, 2] > 0


def region_area(expl: dict, size: int) -> np.ndarray:
    """(Q, n_cov) area of each insecurity's region as a fraction of the (size x size) input.

    Equal to the coverage unless the ambiguity map is positive on less of the image: r = 1[m > T]
    with T >= 0 stops at the map's support (`ins_support`, counted by `deliberative.explain` on
    the upsampled map), so the table can say how large the regions behind a coverage column
    really are.
    """
    support = np.asarray(expl["ins_support"], dtype=np.float64)
    sizes = np.asarray(expl["region_sizes"], dtype=np.float64)
    return np.minimum(sizes[None, :], support[:, None]) / (size * size)


def precision_recall_curves(
    expl: dict, points: np.ndarray, selected: np.ndarray, size: int | None = None
) -> pd.DataFrame:
    """Mean precision and recall over images (after averaging the insecurities of each image), for the
    insecurities and for random regions of the same areas, at every coverage; with the input size,
    also the mean region area (`region_fraction`, averaged like precision). `wilcoxon_p` is the
    one-sided signed-rank p-value of insecurity precision > random-region precision, images paired
    (`n_paired` images where both are defined; delex.metrics.paired)."""
    vis = insecurity_visibility(expl, points)
    gt = gt_part_mask(selected, expl["ins_pair"])
    n_img = len(points)
    cols = {"coverage": expl["coverages"]}
    if size is not None:
        area = region_area(expl, size)
        cols["region_fraction"] = curve_mean(image_mean(area, expl["ins_image"], n_img))
    per_image = {}
    for prefix, key in (("", "ins_point_rank"), ("random_", "ins_random_point_rank")):
        prec, rec = precision_recall(expl[key], vis, gt, expl["region_sizes"])
        per_image[prefix] = image_mean(prec, expl["ins_image"], n_img)
        cols[f"{prefix}precision"] = curve_mean(per_image[prefix])
        cols[f"{prefix}recall"] = curve_mean(image_mean(rec, expl["ins_image"], n_img))
    cols["wilcoxon_p"], cols["n_paired"] = signed_rank_curve(per_image[""], per_image["random_"])
    frame = pd.DataFrame(cols)
    frame["n_images"] = int(np.unique(expl["ins_image"]).size)
    frame["n_insecurities"] = len(expl["ins_image"])
    return frame


def iou_curves_frame(expl: dict, n_images: int) -> pd.DataFrame:
    """ADE counterpart of `precision_recall_curves` from `deliberative.explain_masks` output: mean IoU
    over images (insecurities of an image averaged first) of insecurities and random regions at every
    coverage, with the paired one-sided test of insecurities > random regions (images paired)."""
    ins = image_mean(expl["ins_iou"], expl["ins_image"], n_images)
    rnd = image_mean(expl["ins_random_iou"], expl["ins_image"], n_images)
    p, n_paired = signed_rank_curve(ins, rnd)
    return pd.DataFrame(
        {
            "coverage": expl["coverages"],
            "iou": curve_mean(ins),
            "random_iou": curve_mean(rnd),
            "wilcoxon_p": p,
            "n_paired": n_paired,
            "n_images": int(np.unique(expl["ins_image"]).size),
            "n_insecurities": len(expl["ins_image"]),
        }
    )


def insecurity_table(expl: dict, points: np.ndarray, selected: np.ndarray, coverage: float) -> pd.DataFrame:
    """One row per insecurity: image, pair, importance and precision/recall at `coverage`."""
    c = int(np.argmin(np.abs(expl["coverages"] - coverage)))
    vis = insecurity_visibility(expl, points)
    gt = gt_part_mask(selected, expl["ins_pair"])
    prec, rec = precision_recall(expl["ins_point_rank"], vis, gt, expl["region_sizes"][c : c + 1])
    return pd.DataFrame(
        {
            "image": expl["ins_image"],
            "class_a": expl["ins_pair"][:, 0],
            "class_b": expl["ins_pair"][:, 1],
            "coverage": expl["coverages"][c],
            "importance": expl["ins_importance"][:, c],
            "precision": prec[:, 0],
            "recall": rec[:, 0],
        }
    )


def importance_precision_correlation(table: pd.DataFrame) -> tuple[float, float, int]:
    """Pearson r and p-value between insecurity importance and precision (rebuttal Table 1)."""
    ok = table["precision"].notna() & table["importance"].notna()
    r, p = pearson(table.loc[ok, "importance"].to_numpy(), table.loc[ok, "precision"].to_numpy())
    return r, p, int(ok.sum())


def shift_robustness(
    orig: dict, shifted: dict, points: np.ndarray, points_shifted: np.ndarray, selected: np.ndarray
) -> np.ndarray:
    """(n_cov,) mean IoU of the ground-truth points caught by insecurities of the same ambiguity
    before and after a shift (rebuttal R1.5); ambiguities present in only one are skipped."""
    key_a = np.column_stack([orig["ins_image"], orig["ins_pair"]])
    key_b = np.column_stack([shifted["ins_image"], shifted["ins_pair"]])
    ia, ib = match_pairs(key_a, key_b)
    if len(ia) == 0:
        return np.full(len(orig["coverages"]), np.nan)
    gt = gt_part_mask(selected, orig["ins_pair"][ia])
    sizes = orig["region_sizes"]
    inside_a = inside_points(orig["ins_point_rank"][ia], insecurity_visibility(orig, points)[ia], sizes)
    vis_b = insecurity_visibility(shifted, points_shifted)[ib]
    inside_b = inside_points(shifted["ins_point_rank"][ib], vis_b, sizes)
    iou = shift_iou(inside_a, inside_b, gt)
    return curve_mean(image_mean(iou, orig["ins_image"][ia], len(points)))
