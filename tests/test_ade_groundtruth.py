"""Frequency ground truth (METHOD.md 5, ADE20K) on hand-made annotations."""

from __future__ import annotations

import numpy as np

from delex.datasets.ade_layout import object_presence
from delex.groundtruth.frequency import (
    frequency_similarity,
    object_frequencies,
    object_lookup,
    select_frequency_triplets,
)


def _ann(*objects):
    a = np.zeros((4, 6), dtype=np.uint8)
    for j, k in enumerate(objects):
        a[j % 4, j // 4] = k
    return a


# scene 0: wall in 4/4, bed in 3/4, lamp in 1/4 (0.25 < 0.3 -> 0); scene 1: wall 2/2, sofa 2/2,
# lamp 1/2; scene 2: sky 3/3, wall 1/3 (0.333 kept)
ANNOTATIONS = [
    (0, _ann(1, 8)),
    (0, _ann(1, 8, 37)),
    (0, _ann(1, 8)),
    (0, _ann(1)),
    (1, _ann(1, 24)),
    (1, _ann(1, 24, 37)),
    (2, _ann(3)),
    (2, _ann(3, 1)),
    (2, _ann(3)),
]


def _phi():
    presence = np.stack([object_presence(a) for _, a in ANNOTATIONS])
    labels = np.array([c for c, _ in ANNOTATIONS])
    return object_frequencies(presence, labels, 3, threshold=0.3)


def test_phi_is_the_share_of_scene_images_holding_the_object():
    phi = _phi()
    assert phi.shape == (3, 150)
    assert phi[0, 0] == 1.0 and phi[0, 7] == 0.75 and phi[0, 36] == 0.0  # lamp 0.25 cut
    assert phi[1, 0] == 1.0 and phi[1, 23] == 1.0 and phi[1, 36] == 0.5
    assert phi[2, 2] == 1.0 and np.isclose(phi[2, 0], 1 / 3)
    assert np.count_nonzero(phi) == 7


def test_gamma_is_the_mean_of_two_non_zero_frequencies():
    gamma = frequency_similarity(_phi())
    assert gamma.shape == (150, 3, 3)
    assert gamma[0, 0, 1] == gamma[0, 1, 0] == 1.0  # wall: bedroom-living room
    assert np.isclose(gamma[0, 0, 2], (1 + 1 / 3) / 2)
    assert gamma[36, 0, 1] == 0.0  # lamp: 0 in scene 0 after the threshold
    assert gamma[7, 0, 1] == 0.0  # bed only in scene 0
    assert np.count_nonzero(gamma) == 2 * 3  # wall is the only object of two scenes
    assert (gamma[:, [0, 1, 2], [0, 1, 2]] == 0).all()


def test_top_fraction_never_selects_zero_gamma():
    gamma = frequency_similarity(_phi())
    # 150 objects x 3 pairs = 450 candidates; 1% -> 5 (round half up of 4.5), only 3 non-zero
    sel = select_frequency_triplets(gamma, 0.01)
    assert sel.sum() == 2 * 3 and sel[0].sum() == 6
    # a smaller fraction keeps the strongest: 0.3% of 450 -> 1 triplet: wall, (0, 1)
    sel = select_frequency_triplets(gamma, 0.003)
    assert np.argwhere(sel).tolist() == [[0, 0, 1], [0, 1, 0]]
    lut = object_lookup(sel)
    assert lut.shape == (3, 3, 151) and not lut[..., 0].any()
    assert lut[0, 1, 1] and lut[1, 0, 1] and lut.sum() == 2
