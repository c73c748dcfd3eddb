"""Rebuttal Figure 2: robustness of insecurities to 1-5 pixel shifts (IoU vs coverage threshold)."""

from __future__ import annotations

import pandas as pd

from delex.plots.style import subplots


def shift_figure(summary: pd.DataFrame):
    """One line per shift distance: mean IoU over runs against the insecurity coverage."""
    fig, ax = subplots(figsize=(4.2, 3.4))
    for shift, g in summary.groupby("shift", sort=True):
        (line,) = ax.plot(g["coverage"] * 100, g["iou_mean"] * 100, label=f"{shift} px", lw=1.5)
        if g["iou_std"].notna().any():
            ax.fill_between(
                g["coverage"] * 100,
                (g["iou_mean"] - g["iou_std"]) * 100,
                (g["iou_mean"] + g["iou_std"]) * 100,
                color=line.get_color(),
                alpha=0.15,
                lw=0,
            )
    ax.axhline(80, color="0.5", ls=":", lw=1)
    ax.set_xlabel("insecurity coverage (% of image)")
    ax.set_ylabel("IoU of caught part points (%)")
    ax.set_ylim(0, 100)
    ax.set_title("Robustness to shifts")
    ax.legend(title="shift", fontsize=8)
    fig.tight_layout()
    return fig
