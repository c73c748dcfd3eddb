"""Figure 2 panels: precision-recall curves of insecurities, mean over runs with the spread shaded."""

from __future__ import annotations

import pandas as pd

from delex.plots.style import subplots
from delex.summaries import ROW_LABELS

PANELS = {"scores": "score", "attributions": "attribution", "architectures": "arch"}
TITLES = {
    "scores": "Difficulty scores",
    "attributions": "Attribution functions",
    "architectures": "Architectures",
}


def panel_rows(curves: pd.DataFrame, panel: str, default: tuple[str, str, str]) -> pd.DataFrame:
    """Rows of one panel: vary one component, keep the other two at the default."""
    arch, score, attribution = default
    fixed = {"arch": arch, "score": score, "attribution": attribution}
    vary = PANELS[panel]
    mask = pd.Series(True, index=curves.index)
    for col, val in fixed.items():
        if col != vary:
            mask &= curves[col] == val
    return curves[mask]


def _label(panel: str, value: str) -> str:
    return ROW_LABELS.get(value, value) if panel == "attributions" else value


def figure2_panel(curves: pd.DataFrame, panel: str, default: tuple[str, str, str]):
    """Precision vs recall per method (mean over runs at each coverage; band = min..max over runs),
    plus the random-region baseline of the default method."""
    rows = panel_rows(curves, panel, default)
    vary = PANELS[panel]
    fig, ax = subplots(figsize=(4.2, 3.4))
    for value, g in rows.groupby(vary, sort=True):
        by_cov = g.groupby("coverage")
        rec, prec = by_cov["recall"].mean(), by_cov["precision"].mean()
        (line,) = ax.plot(rec * 100, prec * 100, label=_label(panel, value), lw=1.6)
        ax.fill_between(
            rec * 100,
            by_cov["precision"].min() * 100,
            by_cov["precision"].max() * 100,
            color=line.get_color(),
            alpha=0.18,
            lw=0,
        )
    # Random regions take each method's insecurity areas; pool them over the panel's methods.
    base = rows.dropna(subset=["random_precision"]).groupby("coverage")
    if len(base):
        ax.plot(
            base["random_recall"].mean() * 100,
            base["random_precision"].mean() * 100,
            color="0.4",
            ls="--",
            lw=1.2,
            label="random regions",
        )
    empty = sorted(str(v) for v, g in rows.groupby(vary) if g["precision"].isna().all())
    ax.set_xlabel("recall (%)")
    ax.set_ylabel("precision (%)")
    title = TITLES[panel]
    if empty:
        labels = ", ".join(_label(panel, v) for v in empty)
        title += f"\n(no insecurity found: {labels})"
    ax.set_title(title, fontsize=10)
    ax.set_xlim(0, 100)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=True)
    fig.tight_layout()
    return fig
