"""Table 1 of the paper (ADE20K): insecurity IoU at 10..50% coverage and their mean, mean (std) over
runs, for the difficulty scores, attribution functions and architectures, beside random regions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from delex.metrics.paired import combine_greater
from delex.summaries import experiment_label
from delex.tables import defined_runs, mean_std

COVERAGES = (10, 20, 30, 40, 50)


def sections(default: dict, scores, attributions, architectures) -> list[tuple[str, tuple[str, str, str]]]:
    """(section, (arch, score, attribution)) rows of Table 1, each varying one default component."""
    d = default
    rows = [("difficulty score", (d["arch"], s, d["attribution"])) for s in scores]
    rows += [("attribution", (d["arch"], d["score"], a)) for a in attributions]
    rows += [("architecture", (a, d["score"], d["attribution"])) for a in architectures]
    return rows


def table1(curves: pd.DataFrame, rows, coverages=COVERAGES) -> pd.DataFrame:
    """One row per (section, experiment, regions in {insecurities, random}): IoU (%) mean(std) over
    runs at each coverage and of the per-run mean over the coverages, plus the numbers behind them;
    insecurity rows get p_greater_<cov>: the runs' paired tests combined (delex.metrics.paired).

    A run without any insecurity (a hardness predictor whose map is nowhere positive) has no IoU: the
    numbers are over the other runs, and the cells say so ('8.27(0.94) [2/3]'), as the combined p
    does; `n_runs_defined` counts them. Without any such run the row reads n/a.

    curves: long frame with arch, score, attribution, run, coverage (fraction), iou, random_iou.
    """
    out = []
    for section, (arch, score, attribution) in rows:
        g = curves[
            (curves["arch"] == arch) & (curves["score"] == score) & (curves["attribution"] == attribution)
        ]
        runs = np.sort(g["run"].unique())
        for regions, col in (("insecurities", "iou"), ("random regions", "random_iou")):
            row = {
                "section": section,
                "experiment": experiment_label(arch, score, attribution),
                "regions": regions,
            }
            per_run, p_greater = [], {}
            for cov in coverages:
                at = g[np.isclose(g["coverage"] * 100, cov)]
                v = at.set_index("run")[col].reindex(runs).to_numpy(dtype=np.float64) * 100  # missing: NaN
                row[f"{cov}%"] = mean_std(v, partial=True)
                row[f"iou_{cov}_mean"], row[f"iou_{cov}_std"], _ = defined_runs(v)
                per_run.append(v)
                if col == "iou" and "wilcoxon_p" in g:  # paired test of insecurities > random regions
                    p_greater[f"p_greater_{cov}"] = combine_greater(at["wilcoxon_p"], at["n_paired"])
            run_means = np.stack(per_run).mean(0) if per_run else np.array([])  # NaN for a run without
            row["mean"] = mean_std(run_means, partial=True)
            row["iou_mean_mean"], row["iou_mean_std"], n_defined = defined_runs(run_means)
            row.update(p_greater)
            row["n_runs"] = len(runs)
            row["n_runs_defined"] = n_defined
            out.append(row)
    return pd.DataFrame(out)


def display_columns(table: pd.DataFrame) -> pd.DataFrame:
    """The paper-style columns only (for Markdown and LaTeX)."""
    return table[["section", "experiment", "regions", *[f"{c}%" for c in COVERAGES], "mean"]]
