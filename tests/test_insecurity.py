"""Known answers for candidates, ambiguity membership and maps, pixel ranks, point ranks, importance."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from delex.insecurity import (
    ambiguity_maps,
    ambiguity_membership,
    candidate_classes,
    importance,
    importance_curve,
    pair_index,
    pixel_ranks,
    point_ranks,
    region_sizes,
    shifted_ranks,
    upsample,
)


def _brute_ranks(values: np.ndarray) -> np.ndarray:
    """Reference: sort by (-value, flat index) one pixel at a time."""
    out = np.empty(values.shape, dtype=np.int64)
    for q, row in enumerate(values):
        order = sorted(range(row.size), key=lambda i, row=row: (-row[i], i))
        out[q, order] = np.arange(row.size)
    return out


def test_candidate_classes_and_pairs():
    probs = torch.tensor([[0.1, 0.4, 0.05, 0.3, 0.15], [0.5, 0.1, 0.2, 0.15, 0.05]])
    np.testing.assert_array_equal(candidate_classes(probs, n=3), [[1, 3, 4], [0, 2, 3]])
    assert candidate_classes(probs).dtype == torch.long
    pairs = pair_index(4)
    assert pairs.tolist() == [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]
    assert pair_index(5).shape == (10, 2)


def test_pixel_ranks_known_answer_with_ties():
    m = torch.tensor([[[1.0, 3.0], [3.0, 0.0]]])
    np.testing.assert_array_equal(pixel_ranks(m), [[2, 0, 1, 3]])
    assert pixel_ranks(m).dtype == torch.int32
    nan = torch.tensor([[[float("nan"), -1.0], [float("-inf"), 2.0]]])
    np.testing.assert_array_equal(pixel_ranks(nan), [[2, 1, 3, 0]])  # NaN after -inf (raster order)


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float32,
        st.tuples(st.integers(1, 3), st.integers(1, 6), st.integers(1, 6)),
        elements=st.integers(-2, 2).map(float),
    )
)
def test_pixel_ranks_match_brute_force(values):
    ranks = pixel_ranks(torch.from_numpy(values)).numpy()
    np.testing.assert_array_equal(ranks, _brute_ranks(values.reshape(len(values), -1)))
    assert (np.sort(ranks, axis=1) == np.arange(ranks.shape[1])).all()  # a permutation


def test_pixel_ranks_stable_on_large_ties():
    m = torch.zeros(2, 64, 64)
    m[1, 10:20, 5:9] = 1.0
    ranks = pixel_ranks(m).numpy()
    np.testing.assert_array_equal(ranks[0], np.arange(64 * 64))
    np.testing.assert_array_equal(ranks[1], _brute_ranks(m[1:].reshape(1, -1).numpy())[0])


def _two_by_two():
    # 4 candidates at the 4 locations of a 2x2 grid, k = 2
    c = torch.zeros(1, 4, 2, 2)
    c[0, :, 0, 0] = torch.tensor([4.0, 3.0, 2.0, 1.0])  # C = {0, 1}
    c[0, :, 0, 1] = torch.tensor([1.0, 2.0, 3.0, 4.0])  # C = {2, 3}
    c[0, :, 1, 0] = torch.tensor([0.0, 9.0, -1.0, 8.0])  # C = {1, 3}
    c[0, :, 1, 1] = torch.tensor([1.0, -5.0, 3.0, 2.0])  # C = {2, 3}, but m_s < 0 there
    s = torch.tensor([[[1.0, 0.5], [2.0, -1.0]]])
    return c, s


def test_membership_known_top_k():
    c, s = _two_by_two()
    mem = ambiguity_membership(c, s, k=2)
    assert mem.shape == (1, 6, 2, 2) and mem.dtype == torch.bool
    expected = torch.zeros(1, 6, 2, 2, dtype=torch.bool)
    expected[0, 0, 0, 0] = True  # (0, 1)
    expected[0, 5, 0, 1] = True  # (2, 3)
    expected[0, 4, 1, 0] = True  # (1, 3)
    assert torch.equal(mem, expected)
    np.testing.assert_array_equal(mem.any((-1, -2))[0], [1, 0, 0, 0, 1, 1])
    no_s = ambiguity_membership(c, None, k=2)
    expected[0, 5, 1, 1] = True
    assert torch.equal(no_s, expected)
    # k = 3 of 5 at one location: pairs (0,1), (0,2), (1,2) -> indices 0, 1, 4 of pair_index(5)
    five = torch.tensor([5.0, 4.0, 3.0, 2.0, 1.0]).reshape(1, 5, 1, 1)
    np.testing.assert_array_equal(
        np.nonzero(ambiguity_membership(five, None, k=3)[0, :, 0, 0].numpy())[0], [0, 1, 4]
    )
    with pytest.raises(ValueError):
        ambiguity_membership(five, None, k=6)


def test_ambiguity_maps_paper_vs_released():
    c, s = _two_by_two()
    mem = ambiguity_membership(c, s, k=2)
    paper = ambiguity_maps(c, s, mem, variant="paper")
    rel = ambiguity_maps(c, s, mem, variant="released")
    no_s = ambiguity_maps(c, None, variant="paper")
    assert paper.shape == (1, 6, 2, 2)
    # pair (1, 3) = index 4: paper keeps every location, relu everywhere
    np.testing.assert_allclose(paper[0, 4], [[3 * 1 * 1.0, 2 * 4 * 0.5], [9 * 8 * 2.0, 0.0]])
    np.testing.assert_allclose(rel[0, 4], [[0.0, 0.0], [144.0, 0.0]])
    # pair (0, 2) = index 1 is never a member: released map is all zero, paper map is not
    np.testing.assert_allclose(paper[0, 1], [[8.0, 1.5], [0.0, 0.0]])
    assert rel[0, 1].abs().sum() == 0
    np.testing.assert_allclose(no_s[0, 5], [[2.0, 12.0], [0.0, 6.0]])  # without m_s
    assert torch.equal(rel, paper * mem)
    with pytest.raises(ValueError):
        ambiguity_maps(c, s, None, variant="released")
    with pytest.raises(ValueError):
        ambiguity_maps(c, s, mem, variant="code")


def test_upsample_known_answer():
    m = torch.tensor([[0.0, 1.0], [0.0, 1.0]]).expand(2, 3, 2, 2)
    up = upsample(m, 4)
    assert up.shape == (2, 3, 4, 4)
    np.testing.assert_allclose(up[1, 2], np.tile([0.0, 0.25, 0.75, 1.0], (4, 1)))
    assert upsample(torch.ones(1, 1, 1, 3, 3, dtype=torch.bool), 5).dtype == torch.float32


def test_region_sizes():
    np.testing.assert_array_equal(region_sizes([0.01, 0.5, 0.9, 1.0], 224 * 224), [502, 25088, 45158, 50176])
    np.testing.assert_array_equal(region_sizes([0.5, 0.25], 3), [2, 1])  # 1.5 -> 2, 0.75 -> 1
    with pytest.raises(ValueError):
        region_sizes([0.0, 0.5], 10)
    with pytest.raises(ValueError):
        region_sizes([1.01], 10)


def test_point_ranks_floor_clip_invisible():
    size = 4
    ranks = pixel_ranks(-torch.arange(16.0).reshape(1, 4, 4))  # rank = flat index
    pts = torch.tensor(
        [[[0.0, 0.0], [3.99, 0.2], [1.5, 2.7], [4.0, 4.0], [-1.0, 5.0], [2.0, 2.0], [float("nan"), 1.0]]]
    )
    vis = torch.tensor([[True, True, True, True, True, False, True]])
    np.testing.assert_array_equal(point_ranks(ranks, pts, vis, size), [[0, 3, 9, 15, 12, 16, 16]])


def test_importance():
    m = torch.tensor([[[1.0, 4.0], [2.0, 3.0]], [[5.0, 5.0], [0.0, 5.0]]])
    ranks = pixel_ranks(m)
    np.testing.assert_allclose(importance(m, ranks, 1), [4.0, 5.0])
    np.testing.assert_allclose(importance(m, ranks, 2), [3.5, 5.0])
    np.testing.assert_allclose(importance(m, ranks, 4), [2.5, 3.75])
    assert torch.isnan(importance(m, ranks, 0)).all()


def test_shifted_ranks_move_each_region_whole():
    """Known answer: every coverage's random region is the insecurity's region rolled by one
    (dy, dx) per row: same area, same shape; reproducible from the generator."""
    size = 12
    maps = upsample(torch.rand((4, 3, 3), generator=torch.Generator().manual_seed(1)), size)
    ranks = pixel_ranks(maps)
    r = shifted_ranks(ranks, size, torch.Generator().manual_seed(3))
    assert r.shape == ranks.shape
    assert (torch.sort(r, dim=1).values == torch.arange(size * size, dtype=r.dtype)).all()
    assert torch.equal(r, shifted_ranks(ranks, size, torch.Generator().manual_seed(3)))
    img, moved = ranks.reshape(4, size, size), r.reshape(4, size, size)
    for q in range(4):
        # exactly one cyclic shift maps the rank image onto the moved one
        hits = [
            (dy, dx)
            for dy in range(size)
            for dx in range(size)
            if torch.equal(torch.roll(img[q], (dy, dx), (0, 1)), moved[q])
        ]
        assert len(hits) == 1
        for k in (5, 30, 70):  # same area and shape at every coverage
            assert torch.equal(torch.roll(img[q] < k, hits[0], (0, 1)), moved[q] < k)


def test_shifted_ranks_place_regions_uniformly():
    """Property: a pixel is as likely to fall in a random region at the image border as in the
    centre (ranks of upsampled grid noise put border pixels in 4 % regions 2.7x more often)."""
    size, n = 32, 6000
    corner = torch.zeros((n, 2, 2))
    corner[:, 0, 0] = 1.0  # every region sits in the top-left corner before it is moved
    ranks = pixel_ranks(upsample(corner, size))
    r = shifted_ranks(ranks, size, torch.Generator().manual_seed(0))
    inside = (r < round(0.04 * size * size)).reshape(n, size, size).double().mean(0)
    border = torch.zeros((size, size), dtype=torch.bool)
    border[:3] = border[-3:] = True
    border[:, :3] = border[:, -3:] = True
    centre = torch.zeros((size, size), dtype=torch.bool)
    centre[10:22, 10:22] = True
    assert abs(inside[border].mean() / inside[centre].mean() - 1) < 0.1
    assert abs(inside.mean() - round(0.04 * size * size) / size**2) < 1e-9
    # the earlier baseline, ranks of upsampled 7x7 noise, fails the same check
    noise = pixel_ranks(upsample(torch.rand((n, 7, 7), generator=torch.Generator().manual_seed(0)), size))
    biased = (noise < round(0.04 * size * size)).reshape(n, size, size).double().mean(0)
    assert biased[border].mean() / biased[centre].mean() > 1.5


def test_importance_curve_equals_importance_at_every_size():
    torch.manual_seed(0)
    m = torch.rand(3, 5, 5).round(decimals=1)  # many ties
    ranks = pixel_ranks(m)
    sizes = torch.tensor([1, 3, 7, 25])
    curve = importance_curve(m, sizes)
    for j, n in enumerate(sizes.tolist()):
        torch.testing.assert_close(curve[:, j], importance(m, ranks, n))
