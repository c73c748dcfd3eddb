"""Table 1 (ADE), the CUB precision table and rebuttal Table 1 on hand-made values: known means, and
runs without any insecurity reported as such instead of blanking the row."""

import math

import numpy as np
import pandas as pd
import pytest

from delex.artifact import claims as C
from delex.summaries import precision_at_coverage, rebuttal_table
from delex.table1 import COVERAGES, table1

ROWS = [("difficulty score", ("vgg16", "hardness", "gradient"))]


def curves(iou_by_run: dict[int, float | None], p: float = 0.01) -> pd.DataFrame:
    """ADE curves: per run one IoU at every coverage (random regions 1 point lower); None: a run
    whose predictor found no insecurity (the explain job writes empty values, read back as NaN)."""
    rows = []
    for run, iou in iou_by_run.items():
        for cov in COVERAGES:
            defined = iou is not None
            rows.append(
                dict(arch="vgg16", score="hardness", attribution="gradient", run=run, coverage=cov / 100,
                     iou=iou + cov / 1000 if defined else math.nan,
                     random_iou=iou - 0.01 + cov / 1000 if defined else math.nan,
                     wilcoxon_p=p if defined else math.nan, n_paired=40 if defined else 0)
            )  # fmt: skip
    return pd.DataFrame(rows)


def test_every_run_defined_gives_plain_mean_std():
    t = table1(curves({0: 0.08, 1: 0.10, 2: 0.12}), ROWS).set_index("regions")
    ins = t.loc["insecurities"]
    # at 10 %: IoU 8.0 + 1.0, 10 + 1, 12 + 1 -> 11.00(2.00); mean over 10-50 % adds 3 points
    assert ins["10%"] == "11.00(2.00)"
    assert ins["mean"] == "13.00(2.00)"
    assert ins["iou_mean_mean"] == pytest.approx(13.0)
    assert t.loc["random regions", "iou_mean_mean"] == pytest.approx(12.0)
    assert (ins["n_runs"], ins["n_runs_defined"]) == (3, 3)
    assert ins["p_greater_10"] < 0.01  # three runs at p 0.01, combined


def test_a_run_without_insecurity_is_named_not_blanked():
    t = table1(curves({0: 0.08, 1: 0.10, 2: None}), ROWS).set_index("regions")
    ins, rnd = t.loc["insecurities"], t.loc["random regions"]
    assert ins["10%"] == "10.00(1.41) [2/3]"  # 9 and 11 over runs 0 and 1
    assert ins["mean"] == "12.00(1.41) [2/3]"
    assert rnd["mean"] == "11.00(1.41) [2/3]"
    assert ins["iou_mean_mean"] == pytest.approx(12.0)
    assert ins["iou_mean_std"] == pytest.approx(math.sqrt(2))
    assert (ins["n_runs"], ins["n_runs_defined"]) == (3, 2)
    # the combined p is over the same two runs
    assert ins["p_greater_10"] == pytest.approx(table1(curves({0: 0.08, 1: 0.10}), ROWS)["p_greater_10"][0])
    # the claims read the cell back, the note dropped
    assert C.parse_mean_std(ins["mean"]) == (12.0, 1.41)


def test_no_run_with_insecurity_reads_na():
    t = table1(curves({0: None, 1: None}), ROWS).set_index("regions")
    assert t.loc["insecurities", "mean"] == "n/a"
    assert t.loc["insecurities", "n_runs_defined"] == 0
    assert np.isnan(t.loc["insecurities", "iou_mean_mean"])


def test_ade_claim_names_rows_over_fewer_runs(tmp_path):
    t = table1(curves({0: 0.08, 1: 0.10, 2: None}), ROWS)
    path = tmp_path / "t1.csv"
    t.to_csv(path, index=False)
    frame = C.evaluate(C.CLAIMS, {C.ADE_T1: path}).set_index("id")
    assert frame.loc["ade_beats_random", "verdict"] == C.HOLDS  # +1 point over the two runs
    assert "hardness score (gradient), vgg16 (2/3)" in frame.loc["ade_beats_random", "note"]


def test_cub_precision_table_over_the_defined_runs():
    rows = []
    for run, prec in enumerate([0.30, 0.40, math.nan]):
        rows.append(
            dict(arch="vgg16", score="hardness", attribution="gradient", coverage=0.1, run=run,
                 precision=prec, random_precision=prec - 0.1, recall=prec / 2, random_recall=prec / 4,
                 region_fraction=0.1 if run < 2 else math.nan)
        )  # fmt: skip
    t = precision_at_coverage(pd.DataFrame(rows)).iloc[0]
    assert t["precision"] == "35.00(7.07) [2/3]"
    assert t["precision_mean"] == pytest.approx(35.0)
    assert t["margin_points"] == pytest.approx(10.0)
    assert t["region_percent_mean"] == pytest.approx(10.0)
    assert (t["n_runs"], t["n_runs_defined"]) == (3, 2)


def test_rebuttal_table_over_the_defined_runs():
    corr = pd.DataFrame(
        dict(arch="vgg16", score="hardness", attribution="gradient", run=[0, 1, 2], r=[0.2, 0.4, math.nan],
             p=[1e-3, 3e-3, math.nan], n=[90, 80, 0])
    )  # fmt: skip
    t = rebuttal_table(corr, "vgg16").iloc[0]
    assert t["rho"] == "0.30(0.14) [2/3]"
    assert t["p-value"] == "2e-03(1e-03) [2/3]"
    assert (t["rho_mean"], t["n_runs"], t["n_runs_defined"]) == (pytest.approx(0.3), 3, 2)
    assert t["rho_std"] == pytest.approx(math.sqrt(0.02))
