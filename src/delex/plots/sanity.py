"""Figures 2-4 of the sanity checks: insertion/deletion curves, density of map values, blur check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns

from delex.plots.style import subplots
from delex.sanity.settings import CONFIGS, LABELS, config_name


def _label(m: str) -> str:
    return LABELS.get(m, m)


def _mean_curve(ax, curve: np.ndarray, label: str, **kw) -> None:
    x = np.linspace(0, 1, curve.shape[1])
    ax.plot(x, curve.mean(0), label=label, lw=1.2, **kw)


def figure2(curves: dict[str, dict[str, np.ndarray]]):
    """Mean insertion (top) and deletion (bottom) curves per method, one column per configuration."""
    fig, axes = subplots(2, len(CONFIGS), figsize=(2.6 * len(CONFIGS), 5.2), sharex=True, sharey=True)
    for row, kind in enumerate(("insertion", "deletion")):
        for col, (b, m) in enumerate(CONFIGS):
            ax = axes[row, col]
            for method, c in curves.items():
                _mean_curve(ax, c[f"{kind}:{config_name(b, m)}"], _label(method))
            ax.set_title(f"{kind}, {config_name(b, m)}", fontsize=8)
            ax.set_xlabel("fraction of pixels" if row else "")
            ax.set_ylabel("target probability" if col == 0 else "")
    axes[0, -1].legend(fontsize=6, loc="best")
    return fig


def figure3(maps: dict[str, np.ndarray], n_sample: int = 20000, seed: int = 0):
    """Kernel density of map values per method, on a seeded subsample of n_sample pixels per method
    (all pixels of all explained images pooled)."""
    rng = np.random.default_rng(seed)
    rows = []
    for method, m in maps.items():
        v = m.reshape(-1)
        v = v[rng.choice(v.size, min(n_sample, v.size), replace=False)]
        rows.append(pd.DataFrame({"value": v, "method": _label(method)}))
    df = pd.concat(rows, ignore_index=True)
    fig, ax = subplots(figsize=(6, 3.6))
    sns.kdeplot(data=df, x="value", hue="method", clip=(0, 1), common_norm=False, ax=ax, warn_singular=False)
    ax.set_yscale("log")  # sparse maps pile up at 0; a log axis keeps the tails of all methods visible
    ax.set_ylim(bottom=1e-2)
    ax.set_xlabel("map value (post-processed, [0, 1])")
    ax.set_title(f"Density of map values ({n_sample} pixels per method)", fontsize=9)
    return fig


def figure4(
    curves: dict[str, dict[str, np.ndarray]],
    table: pd.DataFrame,
    blurred: list[str],
    insertion: str,
    deletion: str,
):
    """Insertion and deletion curves of every method with the blurred IG / SmoothGrad (dashed), and the
    mean scores table (original values of blurred methods in brackets)."""
    fig, axes = subplots(2, 2, figsize=(10, 7.5), gridspec_kw={"height_ratios": [1.2, 1]})
    for ax, name in ((axes[0, 0], insertion), (axes[0, 1], deletion)):
        for method, c in curves.items():
            _mean_curve(ax, c[name], _label(method), ls="--" if method.endswith("_blur") else "-")
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("fraction of pixels")
        ax.set_ylabel("target probability")
    axes[0, 1].legend(fontsize=6)
    gs = axes[1, 0].get_gridspec()
    for ax in axes[1]:
        ax.remove()
    tab = fig.add_subplot(gs[1, :])
    tab.axis("off")
    cols = ["pointing", "avg_drop", "increase", "road_morf", "insertion", "deletion"]
    t = table.set_index("method")
    shown = [m for m in t.index if not m.endswith("_blur")]
    cells = []
    for m in shown:
        src = f"{m}_blur" if m in blurred and f"{m}_blur" in t.index else m
        row = []
        for c in cols:
            v = t.loc[src, c]
            row.append(f"{v:.3g}" + (f" ({t.loc[m, c]:.3g})" if src != m else ""))
        cells.append(row)
    labels = [_label(m) + (" (*)" if m in blurred else "") for m in shown]
    header = ["Pointing % (↑)", "Drop % (↓)", "IiC % (↑)", "ROAD MoRF (↓)", "Insertion (↑)", "Deletion (↓)"]
    tb = tab.table(cellText=cells, rowLabels=labels, colLabels=header, loc="center", cellLoc="center")
    tb.auto_set_font_size(False)
    tb.set_fontsize(7)
    tb.scale(1, 1.3)
    fig.suptitle("(*) blurred, kernel 11, sigma 5; original in brackets", fontsize=9)
    return fig
