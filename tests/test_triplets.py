"""Known answers for the ground-truth triplet selection and its tables."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from delex.groundtruth.triplets import (
    common_parts,
    gt_part_mask,
    round_half_up,
    select_triplets,
    share_of_pairs_per_part,
    triplet_table,
)
from delex.parts import PART_NAMES


def _cube(upper: dict[tuple[int, int, int], float], n_parts: int, k: int) -> np.ndarray:
    """Symmetric score cube from {(part, a, b): score} with a < b; diagonal is huge (must be ignored)."""
    s = np.full((n_parts, k, k), 1e9)
    for (p, a, b), v in upper.items():
        s[p, a, b] = s[p, b, a] = v
    return s


# two parts, three classes: candidates (0,1), (0,2), (1,2) per part -> 6 in all
TIED = _cube(
    {(0, 0, 1): 0.9, (0, 0, 2): 0.5, (0, 1, 2): 0.7, (1, 0, 1): 0.7, (1, 0, 2): 0.1, (1, 1, 2): 0.7},
    n_parts=2,
    k=3,
)


def _upper(sel: np.ndarray) -> set[tuple[int, int, int]]:
    return {(int(p), int(a), int(b)) for p, a, b in zip(*np.nonzero(sel), strict=True) if a < b}


def test_rank_rule_exact_count_and_flat_index_ties():
    sel = select_triplets(TIED, top_fraction=0.5, rule="rank")
    # 0.9, then three 0.7 ties of which the two with smallest flat index (part, a, b) win
    assert _upper(sel) == {(0, 0, 1), (0, 1, 2), (1, 0, 1)}
    assert sel.sum() == 2 * 3  # symmetric
    np.testing.assert_array_equal(sel, np.swapaxes(sel, 1, 2))
    assert not np.diagonal(sel, axis1=1, axis2=2).any()


def test_rank_rule_rounds_half_up():
    assert _upper(select_triplets(TIED, 0.25, "rank")) == {(0, 0, 1), (0, 1, 2)}  # 1.5 -> 2
    assert select_triplets(TIED, 0.0, "rank").sum() == 0
    assert select_triplets(TIED, 1.0, "rank").sum() == 12
    np.testing.assert_array_equal(round_half_up([0.5, 1.5, 2.5, 2.49]), [1, 2, 3, 2])


def test_rank_rule_nan_scores_last():
    s = TIED.copy()
    s[0, 0, 1] = s[0, 1, 0] = np.nan
    assert _upper(select_triplets(s, 0.5, "rank")) == {(0, 1, 2), (1, 0, 1), (1, 1, 2)}


def test_quantile_rule_known_answer():
    k = 5
    div = np.arange(1.0, 11.0)  # 10 candidates of one part, divergence 1..10
    iu = np.triu_indices(k, 1)
    s = np.zeros((1, k, k))
    s[0][iu] = -div
    s[0] = s[0] + s[0].T
    sel = select_triplets(s, 0.2, "quantile")
    # 20% quantile of 1..10 (linear) = 2.8: divergences 1 and 2 are selected
    assert _upper(sel) == {(0, 0, 1), (0, 0, 2)}
    # ties at the threshold are all kept under the quantile rule
    s2 = s.copy()
    s2[0][iu] = -np.array([1.0, 1.0, 1.0, 1.0, 5, 6, 7, 8, 9, 10])
    s2[0] = np.triu(s2[0], 1) + np.triu(s2[0], 1).T
    assert select_triplets(s2, 0.2, "quantile").sum() == 2 * 4
    assert select_triplets(s2, 0.2, "rank").sum() == 2 * 2


def test_bad_arguments():
    with pytest.raises(ValueError):
        select_triplets(TIED, 0.2, "top")
    with pytest.raises(ValueError):
        select_triplets(TIED, 1.5)
    with pytest.raises(ValueError):
        select_triplets(TIED[0])


@settings(max_examples=50, deadline=None)
@given(
    arrays(np.float64, (3, 5, 5), elements=st.integers(-3, 3).map(float)),
    st.floats(0.0, 1.0),
    st.sampled_from(["rank", "quantile"]),
)
def test_selection_properties(raw, frac, rule):
    scores = raw + np.swapaxes(raw, 1, 2)
    sel = select_triplets(scores, frac, rule)
    np.testing.assert_array_equal(sel, np.swapaxes(sel, 1, 2))
    assert not np.diagonal(sel, axis1=1, axis2=2).any()
    iu = np.triu_indices(5, 1)
    vals, chosen = scores[:, iu[0], iu[1]].ravel(), sel[:, iu[0], iu[1]].ravel()
    if rule == "rank":
        assert chosen.sum() == int(np.floor(frac * 30 + 0.5))
    if chosen.any() and (~chosen).any():
        assert vals[chosen].min() >= vals[~chosen].max()  # a top set


def test_common_parts_and_gt_part_mask():
    sel = select_triplets(TIED, 0.5, "rank")
    np.testing.assert_array_equal(common_parts(sel, 0, 1), [True, True])
    np.testing.assert_array_equal(common_parts(sel, 2, 1), [True, False])
    np.testing.assert_array_equal(common_parts(sel, 0, 2), [False, False])
    mask = gt_part_mask(sel, np.array([[0, 1], [2, 1], [0, 2], [1, 1]]))
    np.testing.assert_array_equal(mask, [[True, True], [True, False], [False, False], [False, False]])


def test_triplet_table():
    sel = select_triplets(TIED, 0.5, "rank")
    t = triplet_table(TIED, sel, part_names=["p0", "p1"], class_names=["A", "B", "C"])
    assert list(t.columns) == ["part", "class_a", "class_b", "score", "selected"]
    assert len(t) == 6
    assert t.iloc[2].tolist() == ["p0", "B", "C", 0.7, True]
    assert t.iloc[5].tolist() == ["p1", "B", "C", 0.7, False]
    assert t["selected"].sum() == 3
    assert triplet_table(TIED, sel, part_names=["p0", "p1"])["class_b"].tolist() == [1, 2, 2] * 2
    with pytest.raises(ValueError):
        triplet_table(TIED, sel)  # 15 default part names for 2 parts


def test_share_of_pairs_per_part():
    k = 4  # 6 class pairs
    sel = np.zeros((15, k, k), dtype=bool)

    def put(part, a, b):
        p = PART_NAMES.index(part)
        sel[p, a, b] = sel[p, b, a] = True

    put("left eye", 0, 1)
    put("right eye", 0, 1)
    put("right eye", 0, 2)
    put("back", 1, 2)
    put("tail", 2, 3)
    t = share_of_pairs_per_part(sel).set_index("part")
    assert list(t.index[:3]) == ["back", "beak", "belly"]
    assert "left eye" not in t.index and len(t) == 12 + 1
    assert t.loc["eye", "share"] == pytest.approx(2 / 6)
    assert t.loc["back", "share"] == pytest.approx(1 / 6)
    assert t.loc["tail", "n_pairs"] == 1
    assert t.loc["leg", "share"] == 0.0
    assert t.loc["none", "n_pairs"] == 2  # (0,3) and (1,3)
    assert t.index[-1] == "none"
