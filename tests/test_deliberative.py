"""The deliberative pipeline glue: explanations of a batch and their evaluation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from delex import insecurity as ins
from delex.deliberative import ATTRIBUTIONS, ExplainSettings, difficulty_scores, explain, hardest
from delex.evaluation import (
    importance_precision_correlation,
    insecurity_table,
    precision_recall_curves,
    region_area,
    shift_robustness,
)
from delex.models.backbones import build_classifier, build_predictor


@pytest.fixture(scope="module")
def nets():
    torch.manual_seed(0)
    clf = build_classifier("alexnet", 6, width=0.0625).eval()
    return clf, build_predictor(clf, 8).eval()


@pytest.fixture(scope="module")
def batch():
    rng = np.random.default_rng(0)
    images = torch.from_numpy(rng.integers(0, 255, (3, 3, 64, 64), dtype=np.uint8))
    pts = np.concatenate([rng.uniform(0, 64, (3, 15, 2)), rng.integers(0, 2, (3, 15, 1))], -1)
    return images, torch.from_numpy(pts).float()


COV = np.arange(1, 91) / 100


@pytest.mark.parametrize("attribution", ATTRIBUTIONS)
@pytest.mark.parametrize("variant", ["paper", "released"])
def test_explain_outputs_are_consistent(nets, batch, attribution, variant):
    st = ExplainSettings(score="hardness", attribution=attribution, variant=variant, ig_steps=3)
    out = explain(*nets, *batch, st, COV, torch.Generator().manual_seed(0))
    q = len(out["ins_image"])
    assert out["ins_point_rank"].shape == (q, 15)
    assert (out["ins_pair"][:, 0] < out["ins_pair"][:, 1]).all()
    # each pair is made of two of its image's candidates
    for i, (a, b) in zip(out["ins_image"], out["ins_pair"], strict=True):
        assert {a, b} <= set(out["candidates"][i])
    assert (out["n_insecurities"] == np.bincount(out["ins_image"], minlength=3)).all()
    # importance (mean of the top-n map values) can only fall as the region grows
    assert (np.diff(out["ins_importance"], axis=1) <= 1e-6).all()
    # point ranks agree with ranking the stored low-resolution maps again
    if q:
        up = ins.upsample(torch.from_numpy(out["ins_map"]), 64)
        ranks = ins.pixel_ranks(up)
        pts = batch[1][out["ins_image"]]
        again = ins.point_ranks(ranks, pts[..., :2], pts[..., 2] > 0, 64).numpy()
        support = (up.reshape(q, -1) > 0).sum(1, keepdim=True).numpy()
        again = np.where(again < support, again, 64 * 64)  # regions stop at the map's support
        assert (again == out["ins_point_rank"]).all()


def test_without_difficulty_map_every_location_counts(nets, batch):
    kw = {"score": "hardness", "ig_steps": 3}
    with_ms = explain(
        *nets, *batch, ExplainSettings(attribution="gradient", **kw), COV, torch.Generator().manual_seed(0)
    )
    without = explain(
        *nets,
        *batch,
        ExplainSettings(attribution="gradient_no_ms", **kw),
        COV,
        torch.Generator().manual_seed(0),
    )
    assert (without["n_insecurities"] >= with_ms["n_insecurities"]).all()


def test_difficulty_scores_and_hardest(nets, batch):
    for score in ("hesitancy", "entropy", "hardness"):
        s = difficulty_scores(*nets, batch[0], score)
        assert s.shape == (3,) and ((s >= 0) & (s <= 1)).all()
    assert list(hardest(np.array([0.1, 0.9, 0.5, 0.9]), np.array([0, 1, 2, 3]), 3)) == [1, 3, 2]


def _expl():
    """One image, two insecurities over 4 visible points; parts 0 and 1 shared by classes (0, 1)."""
    return {
        "ins_image": np.array([0, 0]),
        "ins_pair": np.array([[0, 1], [1, 2]]),
        "ins_point_rank": np.array([[0, 5, 20, 100] + [999] * 11, [100, 0, 1, 2] + [999] * 11]),
        "ins_random_point_rank": np.full((2, 15), 999),
        "ins_importance": np.array([[3.0, 2.0], [1.0, 0.5]]),
        "coverages": np.array([0.1, 0.5]),
        "region_sizes": np.array([10, 50]),
        "image_index": np.array([0]),
    }


def test_precision_recall_known_answer():
    points = np.zeros((1, 15, 3))
    points[0, :4, 2] = 1
    selected = np.zeros((15, 3, 3), dtype=bool)
    selected[[0, 1], 0, 1] = selected[[0, 1], 1, 0] = True  # K(0,1) = parts 0, 1
    selected[2, 1, 2] = selected[2, 2, 1] = True  # K(1,2) = part 2
    curves = precision_recall_curves(_expl(), points, selected)
    # coverage 10 (size 10): ins 1 holds points 0,1 -> P 2/2, R 2/2; ins 2 holds 1,2,3 -> P 1/3, R 1/1
    assert curves["precision"].iloc[0] == pytest.approx((1 + 1 / 3) / 2)
    assert curves["recall"].iloc[0] == pytest.approx(1.0)
    # coverage 50: ins 1 holds 0,1,2 -> P 2/3; ins 2 the same three -> P 1/3
    assert curves["precision"].iloc[1] == pytest.approx(0.5)
    assert np.isnan(curves["random_precision"]).all()  # no random point inside any region
    assert curves["n_paired"].tolist() == [0, 0] and curves["wilcoxon_p"].isna().all()  # nothing to pair
    table = insecurity_table(_expl(), points, selected, 0.1)
    assert table["precision"].tolist() == pytest.approx([1.0, 1 / 3])
    assert table["importance"].tolist() == [3.0, 1.0]
    r, p, n = importance_precision_correlation(pd.concat([table, table.assign(importance=[2.0, 0.0])]))
    assert n == 4 and r == pytest.approx(2 / np.sqrt(5))  # by hand: cov 4/3, sd sqrt(5), 2/3


def test_shift_robustness_known_answer():
    points = np.zeros((1, 15, 3))
    points[0, :4, 2] = 1
    selected = np.zeros((15, 3, 3), dtype=bool)
    selected[[0, 1], 0, 1] = selected[[0, 1], 1, 0] = True
    orig = _expl()
    shifted = {**_expl(), "ins_point_rank": orig["ins_point_rank"].copy()}
    shifted["ins_point_rank"][0, 1] = 30  # part 1 leaves the 10% region, stays in the 50% one
    iou = shift_robustness(orig, shifted, points, points, selected)
    assert iou[0] == pytest.approx(0.5)  # {0,1} vs {0}; pair (1,2) has no gt point inside: skipped
    assert iou[1] == pytest.approx(1.0)


def test_batches_without_any_insecurity_are_kept_per_image(nets, batch, monkeypatch):
    """A batch whose difficulty map is nowhere positive yields no insecurity, not a crash."""
    import delex.deliberative as dl

    real = dl.attribution_maps

    def negative_difficulty(*args):
        class_maps, diff, probs = real(*args)
        return class_maps, -diff.abs() - 1.0, probs

    monkeypatch.setattr(dl, "attribution_maps", negative_difficulty)
    st = ExplainSettings(score="hardness", attribution="gradient", batch_size=2)
    out = explain(*nets, *batch, st, COV, torch.Generator().manual_seed(0))
    assert len(out["ins_image"]) == 0 and out["ins_point_rank"].shape == (0, 15)
    assert (out["n_insecurities"] == 0).all() and len(out["pred"]) == 3


def test_regions_never_grow_beyond_the_ambiguity_support(nets, batch):
    """r = 1[m > T], T >= 0: a point on a zero of the upsampled map is never inside, at any coverage;
    random regions are capped at the same area."""
    st = ExplainSettings(score="hardness", attribution="gradient")
    out = explain(*nets, *batch, st, COV, torch.Generator().manual_seed(0))
    if not len(out["ins_image"]):
        pytest.skip("no insecurity on this random batch")
    up = ins.upsample(torch.from_numpy(out["ins_map"]), 64).reshape(len(out["ins_image"]), -1)
    support = (up > 0).sum(1, keepdim=True).numpy()
    assert out["ins_support"].tolist() == support[:, 0].tolist()  # what region_area reads
    for key in ("ins_point_rank", "ins_random_point_rank"):
        r = out[key]
        assert ((r < support) | (r == 64 * 64)).all()
    pts = batch[1][out["ins_image"]]
    col = pts[..., 0].floor().clamp(0, 63).long()
    row = pts[..., 1].floor().clamp(0, 63).long()
    on_zero = up.gather(1, row * 64 + col).numpy() <= 0
    assert (out["ins_point_rank"][on_zero] == 64 * 64).all()


def test_region_area_stops_at_the_map_support():
    # 10x10 input, 2x2 maps. Map 0 is positive everywhere; map 1 only in its top-left cell, whose
    # bilinear support (align_corners=False: pixel i samples source 0.2 i - 0.4, clamped to [0, 1])
    # is i = 0..6 per axis, 49 px: the 50 px region of coverage 0.5 stops at 49.
    expl = _expl()
    maps = np.zeros((2, 2, 2), dtype=np.float32)
    maps[0] = 1.0
    maps[1, 0, 0] = 1.0
    support = ins.support_pixels(ins.upsample(torch.from_numpy(maps), 10)).numpy()
    assert support.tolist() == [100, 49]
    expl.update(ins_map=maps, ins_support=support, region_sizes=np.array([10, 50]))
    area = region_area(expl, 10)
    assert area.tolist() == [[0.10, 0.50], [0.10, 0.49]]
    points = np.zeros((1, 15, 3))
    curves = precision_recall_curves(expl, points, np.zeros((15, 3, 3), dtype=bool), size=10)
    # one image: the mean of its two insecurities
    assert curves["region_fraction"].tolist() == pytest.approx([0.10, 0.495])
    assert "region_fraction" not in precision_recall_curves(expl, points, np.zeros((15, 3, 3), dtype=bool))


@pytest.mark.parametrize("attribution", ["gradient", "gradient_hessian"])
def test_hesitancy_never_puts_the_predicted_class_in_a_non_empty_map(nets, batch, attribution):
    """Paper variant, exact: the hesitancy map is minus the predicted class's softmax map (at either
    order), so relu(m_pred) * relu(m_s) vanishes everywhere (README Status)."""
    st = ExplainSettings(score="hesitancy", attribution=attribution)
    out = explain(*nets, *batch, st, COV, torch.Generator().manual_seed(0))
    pred = out["pred"][out["ins_image"]]
    with_pred = (out["ins_pair"] == pred[:, None]).any(1)
    assert with_pred.any() and (~with_pred).any()  # both kinds are present in this batch
    assert (out["ins_map"][with_pred] == 0).all()
    assert (out["ins_map"][~with_pred] > 0).any()
