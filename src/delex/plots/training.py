"""Training curves of every architecture and run (loss, validation accuracy)."""

from __future__ import annotations

import pandas as pd

from delex.plots.style import subplots


def training_figure(curves: pd.DataFrame):
    """curves: long frame with arch, run, epoch, train_loss, val_acc, predictor_loss."""
    fig, axes = subplots(1, 3, figsize=(12, 3.3))
    for (arch, run), g in curves.groupby(["arch", "run"], sort=True):
        kw = {"label": f"{arch} run {run}", "lw": 1.2}
        axes[0].plot(g["epoch"], g["train_loss"], **kw)
        axes[1].plot(g["epoch"], g["val_acc"] * 100, **kw)
        axes[2].plot(g["epoch"], g["predictor_loss"], **kw)
    for ax, t in zip(
        axes, ("classifier loss", "validation accuracy (%)", "hardness predictor BCE"), strict=True
    ):
        ax.set_title(t)
        ax.set_xlabel("epoch")
    axes[2].legend(fontsize=7, ncol=1, loc="upper right")
    fig.tight_layout()
    return fig
