"""ADE ground-truth figure: object frequencies phi per scene, and how many ground-truth scene pairs
each object makes ambiguous."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns

from delex.datasets.ade_layout import short_name
from delex.plots.style import subplots


def frequency_figure(
    phi: np.ndarray, selected: np.ndarray, scenes: list[str], objects: list[str], top: int = 30
):
    """Heatmap of phi (scenes x the `top` objects of largest total phi) beside the number of
    ground-truth (a, b) pairs per object."""
    keep = np.argsort(-phi.sum(0), kind="stable")[: min(top, int((phi.sum(0) > 0).sum()) or 1)]
    names = [short_name(objects[k]) for k in keep]
    fig, (ax0, ax1) = subplots(
        1, 2, figsize=(4 + 0.3 * len(keep), 0.35 * len(scenes) + 2.5), gridspec_kw={"width_ratios": [3, 1]}
    )
    sns.heatmap(pd.DataFrame(phi[:, keep], index=scenes, columns=names), ax=ax0, cmap="viridis",
                vmin=0, vmax=1, cbar_kws={"label": "phi (share of training images)"})  # fmt: skip
    ax0.set_title("Object frequency per scene (below threshold: 0)")
    pairs = np.triu(np.asarray(selected, dtype=bool), 1).sum((1, 2))[keep]
    ax1.barh(np.arange(len(keep)), pairs, color="tab:red")
    ax1.set_yticks(np.arange(len(keep)), names, fontsize=7)
    ax1.invert_yaxis()
    ax1.set_xlabel("ground-truth scene pairs")
    ax1.set_title(f"{int(pairs.sum())} triplets in G")
    fig.tight_layout()
    return fig
