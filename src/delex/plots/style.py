"""Shared matplotlib/seaborn style: headless backend, one palette, paper-sized panels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402


def setup() -> None:
    """Apply the project style (call once per figure script)."""
    sns.set_theme(context="paper", style="whitegrid", font_scale=1.1)
    plt.rcParams.update({"figure.dpi": 150, "savefig.dpi": 150, "pdf.fonttype": 42})


def subplots(*args, **kwargs):
    setup()
    return plt.subplots(*args, **kwargs)


def close(fig) -> None:
    plt.close(fig)
