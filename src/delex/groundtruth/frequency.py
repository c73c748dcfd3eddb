"""ADE20K ground truth from object frequencies (METHOD.md 5, ADE20K): phi, gamma, top triplets.

phi[c, k] = fraction of training images of scene c that contain object k, set to 0 below 0.3;
gamma(a, b, k) = (phi[a, k] + phi[b, k]) / 2 where both are non-zero (0 otherwise); the ground truth
is the top 1% of the (object, a, b) triplets, a < b, of largest gamma (never a zero-gamma triplet).
"""

from __future__ import annotations

import numpy as np

from delex.groundtruth.triplets import select_triplets


def object_frequencies(presence: np.ndarray, labels: np.ndarray, n_classes: int, threshold: float = 0.3):
    """(C, K) phi from per-image presence (N, K) bool and labels (N,); scenes without image -> 0."""
    presence = np.asarray(presence, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    counts = np.bincount(labels, minlength=n_classes).astype(np.float64)
    sums = np.zeros((n_classes, presence.shape[1]))
    np.add.at(sums, labels, presence)
    phi = np.divide(sums, counts[:, None], out=np.zeros_like(sums), where=counts[:, None] > 0)
    return np.where(phi >= threshold, phi, 0.0)


def frequency_similarity(phi: np.ndarray) -> np.ndarray:
    """(K, C, C) gamma = (phi_a + phi_b) / 2 where both are non-zero, else 0; 0 on the diagonal."""
    phi = np.asarray(phi, dtype=np.float64).T  # (K, C)
    both = (phi[:, :, None] > 0) & (phi[:, None, :] > 0)
    gamma = np.where(both, (phi[:, :, None] + phi[:, None, :]) / 2, 0.0)
    idx = np.arange(phi.shape[1])
    gamma[:, idx, idx] = 0.0
    return gamma


def select_frequency_triplets(gamma: np.ndarray, top_fraction: float = 0.01) -> np.ndarray:
    """(K, C, C) bool ground truth: the top_fraction of triplets a < b by gamma, zero gamma excluded."""
    return select_triplets(gamma, top_fraction, rule="rank") & (np.asarray(gamma) > 0)


def object_lookup(selected: np.ndarray) -> np.ndarray:
    """(C, C, K+1) bool: label value v (0 = unlabelled, v = object index) is a common object of (a, b)."""
    sel = np.moveaxis(np.asarray(selected, dtype=bool), 0, -1)  # (C, C, K)
    return np.concatenate([np.zeros((*sel.shape[:2], 1), dtype=bool), sel], axis=-1)


def common_object_masks(lookup, a, b, labels):
    """(Q, P) bool: which of P pixels hold a common object of pair (a[q], b[q]). lookup: `object_lookup`
    as a tensor (C, C, K+1); a, b: (Q,) class indices; labels: (Q, P) long label values (0 =
    unlabelled), indexed into lookup's last axis as they are (label v is object v). Torch tensors."""
    return lookup[a, b].gather(1, labels)
