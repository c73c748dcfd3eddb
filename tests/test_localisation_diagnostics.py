"""Known answers for the localisation diagnostic (delex.diagnostics.localisation)."""

import numpy as np
import torch

from delex.diagnostics.localisation import (
    point_rank_percentiles,
    positive_support,
    shared_mask,
    shared_vs_own,
)


def test_peak_on_a_point_ranks_it_first_and_invisible_points_are_nan():
    maps = torch.zeros(1, 4, 4)
    maps[0, 1, 2] = 1.0  # cell (row 1, col 2) of a 4x4 grid on a 16 px image: pixels x 8..11, y 4..7
    points = np.array([[[9.5, 5.5, 1], [1.0, 14.0, 1], [9.5, 5.5, 0]]])
    r = point_rank_percentiles(maps, points, 16)
    assert r[0, 0] == 0.0  # the bilinear peak's centre pixel holds the largest value
    assert r[0, 1] > 0.5  # far corner: among the zero pixels, ranked late
    assert np.isnan(r[0, 2])


def test_shared_vs_own_means_and_mask():
    parts = ("back", "beak", "left wing", "right wing")
    shared = {(0, 2): ["wing"], (1, 3): ["back"]}
    mask = shared_mask(np.array([0, 3]), np.array([2, 1]), shared, parts)
    assert mask.tolist() == [[False, False, True, True], [True, False, False, False]]
    pct = np.array([[0.9, np.nan, 0.1, 0.3], [0.2, 0.8, 0.6, np.nan]])
    shared, own = shared_vs_own(pct, mask)
    assert np.isclose(shared, (0.1 + 0.3 + 0.2) / 3) and np.isclose(own, (0.9 + 0.8 + 0.6) / 3)


def test_positive_support_counts_cells_and_upsampled_share():
    maps = np.zeros((2, 2, 2), dtype=np.float32)
    maps[0] = 1.0  # all positive
    maps[1, 0, 0] = 1.0  # one cell of four
    cells, share = positive_support(maps, 8)
    assert cells == 2.5
    # map 0 covers the image. Map 1, upsampled 2 -> 8 with align_corners=False: output pixel i samples
    # source i/4 - 3/8, clamped to [0, 1]; cell 0 keeps a positive weight for i = 0..5, so 6x6 of 8x8.
    assert np.isclose(share, (1.0 + 36 / 64) / 2)


def test_iou_by_group_averages_images_and_skips_pairs_without_common_objects():
    from delex.diagnostics.scene_groups import iou_by_group

    # 3 explained images: 0 and 1 indoor, 2 outdoor; 2 coverage columns
    expl = {
        "ins_image": np.array([0, 0, 1, 2, 2]),
        "ins_iou": np.array([[0.2, 0.4], [0.0, 0.0], [0.6, 0.8], [0.1, 0.1], [0.3, 0.5]]),
        "ins_random_iou": np.array([[0.1, 0.1], [0.0, 0.0], [0.2, 0.2], [0.2, 0.2], [0.5, 0.5]]),
        "ins_mask_fraction": np.array([0.5, 0.0, 0.7, 0.4, 0.6]),  # insecurity 1: no common object
    }
    groups = np.array(["indoor", "indoor", "outdoor"])
    out = iou_by_group(expl, groups, [0, 1])
    # indoor: image 0 -> (0.2 + 0.4)/2 = 0.3 (insecurity 1 left out), image 1 -> 0.7; random 0.1, 0.2
    assert out["indoor"]["insecurities"] == 0.5 and np.isclose(out["indoor"]["random"], 0.15)
    assert out["indoor"]["n_images"] == 2 and out["indoor"]["n_insecurities"] == 2
    # outdoor: one image, insecurities (0.1 + 0.3 + 0.1 + 0.5)/4 = 0.25 against (0.2 + 0.5)/2 = 0.35
    assert np.isclose(out["outdoor"]["insecurities"], 0.25) and np.isclose(out["outdoor"]["random"], 0.35)
    assert out["indoor"]["p_greater"] == 0.25  # both images above: exact one-sided p = 1/4
    assert out["outdoor"]["p_greater"] == 1.0  # the one image is below


def test_map_by_object_normalises_each_map_by_its_mean():
    from delex.diagnostics.scene_groups import map_by_object

    maps = np.array([[[3.0, 1.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]])  # the second: no support
    labels = np.array([[[1, 2], [2, 2]], [[1, 1], [1, 1]]])
    out = map_by_object(maps, labels)
    # map mean 1: object 1 holds 3 (3x the mean), object 2 holds (1 + 0 + 0)/3
    assert out == {1: 3.0, 2: 1 / 3}


def test_zscore_by_object_standardises_each_signed_map():
    from delex.diagnostics.scene_groups import zscore_by_object

    maps = np.array([[[2.0, -2.0], [2.0, -2.0]], [[5.0, 5.0], [5.0, 5.0]]])  # the second is constant
    labels = np.array([[[1, 2], [1, 3]], [[4, 4], [4, 4]]])
    # map 1: mean 0, sd 2 -> z = +1 on object 1, -1 on objects 2 and 3; object 4 only in the constant map
    assert zscore_by_object(maps, labels) == {1: 1.0, 2: -1.0, 3: -1.0}


def test_zscore_inside_and_own_objects():
    from delex.diagnostics.scene_groups import own_objects, zscore_inside

    maps = np.array([[[2.0, -2.0], [2.0, -2.0]], [[1.0, 1.0], [1.0, 1.0]]])
    masks = np.array([[[True, True], [True, False]], [[True, True], [True, True]]])
    assert np.isclose(zscore_inside(maps, masks), 1 / 3)  # z = +1, -1, +1; the constant map left out
    phi = np.array([[0.9, 0.5, 0.0], [0.8, 0.0, 0.4]])  # 2 classes, 3 objects (labels 1-3)
    assert own_objects(phi).tolist() == [[False, False, True, False], [False, False, False, True]]


def test_auc_known_answers():
    from delex.diagnostics.predictor import auc

    assert auc([0.9, 0.8, 0.1, 0.2], [True, True, False, False]) == 1.0
    assert auc([0.1, 0.2, 0.9, 0.8], [True, True, False, False]) == 0.0
    assert auc([0.5, 0.5, 0.5], [True, False, False]) == 0.5  # ties count half
    # 2 positives x 2 negatives: pairs (0.9 > 0.3, 0.9 > 0.1, 0.2 < 0.3, 0.2 > 0.1) -> 3 of 4
    assert auc([0.9, 0.2, 0.3, 0.1], [True, True, False, False]) == 0.75
    assert np.isnan(auc([0.1, 0.2], [False, False]))


def test_difficulty_aucs_on_fixed_outputs():
    from delex.diagnostics.predictor import difficulty_aucs

    class Fixed(torch.nn.Module):
        def __init__(self, out):
            super().__init__()
            self.out = torch.as_tensor(out, dtype=torch.float32)

        def forward(self, x):
            return self.out[: len(x)]

    labels = np.array([0, 1, 0, 1])
    # images 0 and 1 right, 2 and 3 wrong; image 2 is a confident mistake, image 1 an unsure success
    logits = [[3.0, 0.0], [0.0, 0.2], [0.0, 3.0], [0.5, 0.0]]
    hardness = [[-2.0], [-1.0], [1.0], [2.0]]  # ranks both mistakes above both successes
    images = np.zeros((4, 3, 8, 8), dtype=np.uint8)
    a_s, a_h = difficulty_aucs(Fixed(logits), Fixed(hardness), images, labels)
    assert a_s == 1.0
    # hesitancy 1 - max p: 0.047, 0.450, 0.047, 0.378. Pairs (mistake, success): image 2 ties image 0
    # (1/2) and is below image 1; image 3 is above image 0 and below image 1 -> 1.5 of 4
    assert a_h == 0.375


def test_hardness_map_support_signed_against_positive_gradients():
    """Channel 0 pushes the score up, channel 1 (three times the weight, and larger) pushes it down:
    the signed map is negative at every location, while the positive-gradient map keeps channel 0
    and is positive everywhere."""
    from delex.diagnostics.predictor import hardness_map_support
    from delex.models.backbones import HardnessPredictor

    pred = HardnessPredictor(torch.nn.Identity(), channels=3, hidden=1)
    with torch.no_grad():
        pred.head[2].weight.copy_(torch.tensor([[1.0, -3.0, 0.0]]))
        pred.head[2].bias.fill_(10.0)  # keeps the hidden ReLU active
        pred.head[4].weight.fill_(1.0)
        pred.head[4].bias.fill_(-5.0)
    # normalised channel 0 ~ +0.2, channel 1 ~ +1.4 on a constant image: signed map ~ (0.2 - 4.2) < 0
    images = np.zeros((2, 3, 8, 8), dtype=np.uint8)
    images[:, 0] = 140
    images[:, 1] = 200
    images[:, 2] = 0
    from delex.models.training import normalise

    res = hardness_map_support(pred, images, n=1)
    assert res.signed == 0.0
    assert res.positive == 1.0
    x = normalise(torch.as_tensor(images[:1]))[0, :, 0, 0].double()
    assert np.isclose(res.logit, 10.0 + x[0] - 3 * x[1] - 5.0, atol=1e-5)  # hidden unit, then -5
    assert np.isclose(res.bias, 10.0 - 5.0, atol=1e-5)  # the two biases: gradient x input misses them
    # flip the sign of the second weight: both maps positive everywhere
    with torch.no_grad():
        pred.head[2].weight.copy_(torch.tensor([[1.0, 3.0, 0.0]]))
    assert hardness_map_support(pred, images, n=2)[:2] == (1.0, 1.0)


def test_unselected_objects_known_answer():
    from delex.diagnostics.scene_groups import unselected_objects

    phi = np.array([[0.9, 0.0, 0.4], [0.0, 0.0, 0.5]])  # (C=2, K=3); label 0 is unlabelled
    expected = [[False, False, True, False], [False, True, True, False]]
    assert unselected_objects(phi).tolist() == expected


def test_mass_inside_minus_area_known_answer():
    from delex.diagnostics.scene_groups import mass_inside_minus_area

    masks = np.zeros((4, 2, 2), dtype=bool)
    masks[:, 0] = True  # top row: half of each image
    maps = np.array(
        [
            [[3.0, 1.0], [0.0, 0.0]],  # all positive mass inside: 1 - 0.5
            [[1.0, 1.0], [1.0, 1.0]],  # uniform: 0.5 - 0.5
            [[-5.0, 0.0], [1.0, 3.0]],  # negative values do not count: 0 - 0.5
            [[-1.0, -1.0], [-1.0, -1.0]],  # no positive mass: left out
        ]
    )
    diff, area = mass_inside_minus_area(maps, masks)
    assert np.isclose(diff, 0.0) and area == 0.5  # (0.5 + 0 - 0.5) / 3
    diff, _ = mass_inside_minus_area(maps[:1], masks[:1])
    assert diff == 0.5
    masks[0] = False  # an empty mask is left out too
    assert np.isnan(mass_inside_minus_area(maps[:1], masks[:1])[0])
