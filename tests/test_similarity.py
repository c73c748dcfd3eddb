"""Known answers for the per-part attribute distributions and their KL / Endres-Schindelin scores."""

import math

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon

from delex.groundtruth.similarity import (
    endres_schindelin,
    group_distributions,
    kl_similarity,
    part_scores,
    softmax_distributions,
    symmetric_kl,
)
from delex.parts import N_ATTRIBUTES, PART_NAMES


def test_symmetric_kl_two_element_known_answer():
    p = np.array([[0.5, 0.5], [0.25, 0.75]])
    kl_ab = 0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75)
    kl_ba = 0.25 * math.log(0.25 / 0.5) + 0.75 * math.log(0.75 / 0.5)
    d = symmetric_kl(p)
    assert d[0, 1] == pytest.approx(kl_ab + kl_ba, abs=1e-15)
    assert d[1, 0] == d[0, 1]
    assert np.all(np.diag(d) == 0)
    assert kl_similarity(p)[0, 1] == pytest.approx(math.exp(-(kl_ab + kl_ba)))


def test_symmetric_kl_three_elements_zero_and_disjoint():
    p = np.array([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5], [1.0, 0.0, 0.0], [0.0, 0.5, 0.5]])
    s = kl_similarity(p)
    assert s[0, 1] == 1.0  # identical rows
    assert np.all(np.diag(s) == 1.0)
    assert s[2, 3] == 0.0  # disjoint support: infinite divergence
    kl = symmetric_kl(p)
    assert np.isposinf(kl[0, 2]) and np.isposinf(kl[2, 0])  # KL(p0 || p2) has q = 0 where p > 0


def test_endres_schindelin_known_answer_and_vs_scipy():
    p = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    es = endres_schindelin(p)
    assert es[0, 1] == pytest.approx(2 * math.log(2))  # disjoint: maximal, 2 ln 2
    # [1,0] vs [.5,.5]: m = [.75,.25]; 1*ln(1/.75) + .5 ln(.5/.75) + .5 ln(.5/.25)
    expected = math.log(1 / 0.75) + 0.5 * math.log(0.5 / 0.75) + 0.5 * math.log(2)
    assert es[0, 2] == pytest.approx(expected)
    rng = np.random.default_rng(0)
    q = rng.dirichlet(np.ones(4), size=6)
    es = endres_schindelin(q)
    for i in range(6):
        assert es[i, i] == 0.0
        for j in range(6):
            assert es[i, j] == pytest.approx(2 * jensenshannon(q[i], q[j]) ** 2, rel=1e-9)


def test_group_distributions_epsilon_known_answer():
    x = np.array([[0.0, 2.0, 8.0], [0.0, 0.0, 0.0]])
    (d,) = group_distributions(x, [[0, 1, 2]], epsilon=1.0)
    np.testing.assert_allclose(d, [[1 / 13, 3 / 13, 9 / 13], [1 / 3, 1 / 3, 1 / 3]])
    d1, d2 = group_distributions(x, [[0, 1], [2]], epsilon=0.5)
    np.testing.assert_allclose(d1, [[0.5 / 3, 2.5 / 3], [0.5, 0.5]])
    np.testing.assert_allclose(d2, [[1.0], [1.0]])
    with pytest.raises(ValueError):
        group_distributions(x, [[0, 1, 2]], epsilon=0.0)  # class 1 sums to zero
    with pytest.raises(ValueError):
        group_distributions(x, [[0]], epsilon=-1.0)


def test_softmax_distributions():
    x = np.array([[0.0, math.log(3.0)], [100.0, 100.0]])
    (d,) = softmax_distributions(x, [[0, 1]])
    np.testing.assert_allclose(d, [[0.25, 0.75], [0.5, 0.5]])


def _random_attributes(k: int = 6, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, 100, size=(k, N_ATTRIBUTES))


@pytest.mark.parametrize("method", ["kl", "endres_schindelin"])
def test_part_scores_shape_symmetry_left_right(method):
    s = part_scores(_random_attributes(), method=method, epsilon=1e-3)
    assert s.shape == (15, 6, 6)
    np.testing.assert_array_equal(s, np.swapaxes(s, 1, 2))
    for left, right in [("left eye", "right eye"), ("left leg", "right leg")]:
        np.testing.assert_array_equal(s[PART_NAMES.index(left)], s[PART_NAMES.index(right)])
    diag = np.diagonal(s, axis1=1, axis2=2)
    best = 1.0 if method == "kl" else 0.0  # self-similarity is maximal
    np.testing.assert_array_equal(diag, best)
    assert np.all(s <= best)


def test_part_scores_kl_is_mean_over_groups():
    x = _random_attributes(4, seed=2)
    throat, back = PART_NAMES.index("throat"), PART_NAMES.index("back")
    s = part_scores(x, method="kl", epsilon=0.1)
    (d,) = group_distributions(x, [range(120, 135)], epsilon=0.1)  # throat: ids 121-135
    np.testing.assert_allclose(s[throat], kl_similarity(d))
    d1, d2 = group_distributions(x, [range(58, 73), range(236, 240)], epsilon=0.1)
    np.testing.assert_allclose(s[back], (kl_similarity(d1) + kl_similarity(d2)) / 2)
    es = part_scores(x, method="endres_schindelin")
    e1, e2 = softmax_distributions(x, [range(58, 73), range(236, 240)])
    np.testing.assert_allclose(es[back], -(endres_schindelin(e1) + endres_schindelin(e2)) / 2)


def test_part_scores_identical_classes_and_bad_method():
    x = _random_attributes(3)
    x[2] = x[0]
    s = part_scores(x, method="kl")
    np.testing.assert_allclose(s[:, 0, 2], 1.0)
    with pytest.raises(ValueError):
        part_scores(x, method="cosine")
    with pytest.raises(ValueError):
        part_scores(x[0], method="kl")
