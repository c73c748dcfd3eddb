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
