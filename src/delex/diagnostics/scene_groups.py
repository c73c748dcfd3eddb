"""Where ADE insecurities beat random regions, and which objects their maps favour (a diagnostic).

Used to tell why the ADE margin is small: the insecurities of room images and of outdoor images are
compared with their random regions separately, and each object's share of the ambiguity maps is
read off the annotations. Not a paper metric.
"""

from __future__ import annotations

import numpy as np

from delex.metrics.paired import signed_rank_greater
from delex.metrics.precision_recall import image_mean


def iou_by_group(expl: dict, groups: np.ndarray, columns) -> dict[str, dict[str, float]]:
    """Per image group: mean IoU of insecurities and of random regions over `columns` (coverage
    indices), the one-sided signed-rank p of insecurities > random regions (images paired) and the
    numbers of images and insecurities.

    Only insecurities whose pair has a common object in the image count: the others score 0 on both
    sides and would only dilute the group. expl: `deliberative.explain_masks` output with
    image_index; groups: (n_explained,) label per explained image.
    """
    has_mask = np.asarray(expl["ins_mask_fraction"]) > 0
    cols = list(columns)
    out = {}
    for g in np.unique(groups):
        keep = has_mask & (groups[expl["ins_image"]] == g)
        if not keep.any():
            continue
        image = expl["ins_image"][keep]
        per = {}
        for key in ("ins_iou", "ins_random_iou"):
            curves = image_mean(np.asarray(expl[key])[keep], image, len(groups))
            per[key] = curves[:, cols].mean(1)  # NaN for images without such an insecurity
        p, n = signed_rank_greater(per["ins_iou"], per["ins_random_iou"])
        out[str(g)] = {
            "insecurities": float(np.nanmean(per["ins_iou"])),
            "random": float(np.nanmean(per["ins_random_iou"])),
            "p_greater": p,
            "n_images": n,
            "n_insecurities": int(keep.sum()),
        }
    return out


def map_by_object(maps: np.ndarray, labels: np.ndarray) -> dict[int, float]:
    """{object: mean of the maps over its pixels}, each map divided by its own image mean first, so
    1 = the map's average; > 1 = the maps favour the object. Maps with no positive value are left
    out. maps: (Q, S, S) upsampled ambiguity maps; labels: (Q, S, S) object index per pixel."""
    maps = np.asarray(maps, dtype=np.float64).reshape(len(maps), -1)
    labels = np.asarray(labels).reshape(len(labels), -1)
    mean = maps.mean(1)
    ok = mean > 0
    norm = maps[ok] / mean[ok, None]
    lab = labels[ok]
    return {int(k): float(norm[lab == k].mean()) for k in np.unique(lab)}


def _zscored(maps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(z of the non-constant maps, (B,) bool which maps those are): each map flattened and
    z-scored over its own pixels."""
    maps = np.asarray(maps, dtype=np.float64).reshape(len(maps), -1)
    sd = maps.std(1)
    ok = sd > 0
    return (maps[ok] - maps[ok].mean(1, keepdims=True)) / sd[ok, None], ok


def zscore_by_object(maps: np.ndarray, labels: np.ndarray) -> dict[int, float]:
    """{object: mean over its pixels of the maps, each z-scored over its own image} for signed maps
    (class attributions): > 0 = the map puts more than its average on the object. maps: (B, S, S);
    labels: (B, S, S). Constant maps are left out."""
    z, ok = _zscored(maps)
    lab = np.asarray(labels).reshape(len(labels), -1)[ok]
    return {int(k): float(z[lab == k].mean()) for k in np.unique(lab)}


def zscore_inside(maps: np.ndarray, masks: np.ndarray) -> float:
    """Mean over the masked pixels of the maps, each z-scored over its own image (constant maps and
    empty masks left out): where on the image a signed map puts more than its average."""
    z, ok = _zscored(maps)
    masks = np.asarray(masks, dtype=bool).reshape(len(masks), -1)[ok]
    return float(z[masks].mean()) if masks.any() else float("nan")


def own_objects(phi: np.ndarray) -> np.ndarray:
    """(C, K+1) bool indexed by label value (0 = unlabelled, never set): the objects of class c that
    no other class holds (phi > 0 in c only), i.e. what tells c apart. phi: (C, K)."""
    present = np.asarray(phi) > 0
    own = np.zeros((present.shape[0], present.shape[1] + 1), dtype=bool)
    own[:, 1:] = present & (present.sum(0, keepdims=True) == 1)
    return own


def unselected_objects(phi: np.ndarray) -> np.ndarray:
    """(C, K+1) bool indexed by label value (0 = unlabelled, never set): the objects that scene c's
    ground truth does not hold (phi = 0, i.e. below the threshold or absent). In an image of c the
    labelled pixels of these objects are the ones no ground-truth triplet of c can name: objects
    borrowed from another scene (a sofa in a bedroom) and clutter."""
    absent = np.asarray(phi) <= 0
    out = np.zeros((absent.shape[0], absent.shape[1] + 1), dtype=bool)
    out[:, 1:] = absent
    return out


def mass_inside_minus_area(maps: np.ndarray, masks: np.ndarray) -> tuple[float, float]:
    """(mean over images of the share of the map's positive mass inside the mask less the mask's
    share of the image, mean mask share): > 0 = the map favours the masked objects over a uniform
    map. maps, masks: (B, S, S); images with no positive mass or an empty mask are left out."""
    pos = np.clip(np.asarray(maps, dtype=np.float64), 0, None).reshape(len(maps), -1)
    masks = np.asarray(masks, dtype=bool).reshape(len(masks), -1)
    total = pos.sum(1)
    ok = (total > 0) & masks.any(1)
    if not ok.any():
        return float("nan"), float("nan")
    inside = (pos * masks)[ok].sum(1) / total[ok]
    area = masks[ok].mean(1)
    return float((inside - area).mean()), float(area.mean())
