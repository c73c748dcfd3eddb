"""Summaries over runs behind the CUB tables: precision at fixed coverages, rebuttal Table 1,
classifier accuracy and shift robustness. Pure functions of long-format DataFrames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from delex.metrics.paired import combine_greater
from delex.tables import defined_runs, mean_std

EXPERIMENT = ["arch", "score", "attribution"]
ROW_LABELS = {
    "gradient": "gradient",
    "gradient_no_ms": "gradient w/o m^s",
    "integrated_gradients": "integrated gradient",
    "gradient_hessian": "gradient-Hessian",
}


def experiment_label(arch: str, score: str, attribution: str) -> str:
    """'hardness score (gradient), vgg16' style row label."""
    return f"{score} score ({ROW_LABELS.get(attribution, attribution)}), {arch}"


def precision_at_coverage(curves: pd.DataFrame, coverages=(0.1, 0.2, 0.3, 0.4, 0.5)) -> pd.DataFrame:
    """Per experiment and coverage: insecurity and random-region precision and recall, mean and std
    over runs, the margin of insecurities over random regions (percentage points) and the mean area
    of the regions (% of the image; below the coverage where the maps are positive on less), and
    `p_greater`: the runs' paired one-sided tests of insecurities > random regions, combined
    (delex.metrics.paired), over `n_paired` (image, run) pairs. A run without any insecurity has no
    precision: means are over the other runs and the cells say so ('31.4(6.2) [2/3]', `n_runs_defined`)."""
    rows = []
    for key, g in curves.groupby(EXPERIMENT, sort=True):
        for cov in coverages:
            at = g[np.isclose(g["coverage"], cov)]
            if at.empty:
                continue
            row = dict(zip(EXPERIMENT, key, strict=True), coverage_percent=round(cov * 100))
            for col in ("precision", "random_precision", "recall", "random_recall"):
                v = at[col].to_numpy(dtype=np.float64) * 100  # NaN: a run without any insecurity
                row[f"{col}_mean"], row[f"{col}_std"], _ = defined_runs(v)
                row[col] = mean_std(v, partial=True)
            row["margin_points"] = row["precision_mean"] - row["random_precision_mean"]
            if "region_fraction" in at:  # regions stop at the map's support: say how large they are
                row["region_percent_mean"] = defined_runs(at["region_fraction"].to_numpy() * 100)[0]
            if "wilcoxon_p" in at:  # is the margin more than noise? images paired, runs combined
                row["p_greater"] = combine_greater(at["wilcoxon_p"], at["n_paired"])
                row["n_paired"] = int(at["n_paired"].sum())
            row["n_runs"] = len(at)
            row["n_runs_defined"] = int(np.isfinite(at["precision"].to_numpy(dtype=np.float64)).sum())
            rows.append(row)
    return pd.DataFrame(rows)


def rebuttal_table(corr: pd.DataFrame, arch: str) -> pd.DataFrame:
    """Rebuttal Table 1: Pearson r and p-value (mean(std) over runs) per score (attribution) on arch.
    A run without insecurities has no r: the numbers are over the other runs, and the cells say so."""
    rows = []
    for (score, attribution), g in corr[corr["arch"] == arch].groupby(["score", "attribution"], sort=True):
        r = g["r"].to_numpy(dtype=np.float64)
        rho_mean, rho_std, n_defined = defined_runs(r)
        rows.append(
            {
                "score (attribution)": f"{score} score ({ROW_LABELS.get(attribution, attribution)})",
                "rho": mean_std(r, partial=True),
                "p-value": mean_std(g["p"].to_numpy(dtype=np.float64), partial=True, spec=".0e"),
                "rho_mean": rho_mean,
                "rho_std": rho_std,
                "n_insecurities": int(g["n"].sum()),
                "n_runs": len(g),
                "n_runs_defined": n_defined,
            }
        )
    return pd.DataFrame(rows)


def accuracy_table(metrics: list[dict]) -> pd.DataFrame:
    """Test accuracy and training time per architecture, mean(std) over runs."""
    df = pd.DataFrame(metrics)
    rows = []
    for arch, g in df.groupby("arch", sort=True):
        rows.append(
            {
                "arch": arch,
                "test_accuracy": mean_std(g["test_accuracy"].to_numpy() * 100),
                "test_accuracy_mean": float(g["test_accuracy"].mean() * 100),
                "train_seconds_mean": float(g["train_seconds"].mean()),
                "train_images_per_second_mean": float(g["train_images_per_second"].mean()),
                "device": ",".join(sorted(set(g["device"]))),
                "n_runs": len(g),
            }
        )
    return pd.DataFrame(rows)


def robustness_summary(robust: pd.DataFrame) -> pd.DataFrame:
    """Mean and std over runs of the shift IoU, per shift and coverage."""
    g = robust.groupby(["shift", "coverage"], sort=True)["iou"]
    out = g.agg(iou_mean="mean", iou_std=lambda v: v.std(ddof=1) if len(v) > 1 else np.nan)
    return out.reset_index()
