"""Robustness of insecurities to 1-5 pixel translations (rebuttal R1.5, rebuttal Figure 2)."""

from __future__ import annotations

import numpy as np

from delex.datasets.geometry import translate

DIRECTIONS = np.array([(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if (dx, dy) != (0, 0)])


def random_shifts(n: int, distance: int, rng: np.random.Generator) -> np.ndarray:
    """(n, 2) integer (dx, dy) translations of `distance` pixels in a random compass direction."""
    return DIRECTIONS[rng.integers(0, len(DIRECTIONS), n)] * distance


def shift_images(images: np.ndarray, parts: np.ndarray, shifts: np.ndarray):
    """Translate each image (and its part points) by its own (dx, dy), edges replicated."""
    out_img, out_parts = images.copy(), parts.copy()
    for dx, dy in np.unique(shifts, axis=0):
        sel = np.flatnonzero((shifts[:, 0] == dx) & (shifts[:, 1] == dy))
        out_img[sel], out_parts[sel] = translate(images[sel], parts[sel], int(dx), int(dy))
    return out_img, out_parts
