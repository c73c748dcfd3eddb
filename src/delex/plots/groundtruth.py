"""Ground-truth figure: class-pair similarity gamma per part (one heatmap per part family)."""

from __future__ import annotations

import numpy as np

from delex.parts import PART_NAMES, part_family
from delex.plots.style import subplots


def similarity_figure(scores: np.ndarray, selected: np.ndarray, class_labels: list[str]):
    """Heatmaps of gamma(a, b, k) for each distinct part family, ground-truth triplets outlined."""
    families, first = [], []
    for i, name in enumerate(PART_NAMES):
        fam = part_family(name)
        if fam not in families:
            families.append(fam)
            first.append(i)
    cols = 4
    rows = int(np.ceil(len(families) / cols))
    fig, axes = subplots(rows, cols, figsize=(3.0 * cols, 2.9 * rows), squeeze=False)
    vmin, vmax = np.nanmin(scores), np.nanmax(scores)
    k = scores.shape[1]
    for ax, fam, i in zip(axes.flat, families, first, strict=False):
        im = ax.imshow(scores[i], vmin=vmin, vmax=vmax, cmap="viridis")
        ys, xs = np.nonzero(np.triu(selected[i], 1))
        ax.scatter(xs, ys, s=max(2, 300 / k), marker="s", facecolors="none", edgecolors="red", lw=0.6)
        share = selected[i][np.triu_indices(k, 1)].mean()
        ax.set_title(f"{fam} ({share:.0%} of pairs in G)", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    for ax in list(axes.flat)[len(families) :]:
        ax.axis("off")
    fig.colorbar(im, ax=axes.ravel().tolist(), shrink=0.6, label="similarity score")
    fig.suptitle(f"Per-part class-pair similarity ({k} classes); red: ground-truth triplets")
    return fig
