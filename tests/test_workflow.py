"""End to end: the whole workflow on the tiny synthetic config and on a reduced real CUB subset."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
import yaml
from conftest import REPO

pytestmark = pytest.mark.slow


def snakemake_cmd(workdir, configfile, *args):
    return [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(REPO / "Snakefile"),
        "--directory",
        str(workdir),
        "--configfile",
        str(configfile),
        "--cores",
        "2",
        *args,
    ]


def snakemake(workdir, configfile, *args):
    cmd = snakemake_cmd(workdir, configfile, *args)
    return subprocess.run(cmd, capture_output=True, text=True, cwd=workdir)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """Run the tiny config, kill it mid-way with SIGTERM (as a closed terminal or a preempting
    scheduler does; after SIGKILL or a power loss Snakemake asks for one `--unlock` first), then
    resume with a plain re-run: the workflow must complete as if nothing had happened."""
    work = tmp_path_factory.mktemp("tiny")
    cmd = snakemake_cmd(work, REPO / "configs" / "tiny.yaml")
    proc = subprocess.Popen(
        cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    first_model = work / "results" / "tiny" / "models"
    deadline = time.monotonic() + 600
    while not list(first_model.glob("*/run*/model.pt")) and proc.poll() is None:
        assert time.monotonic() < deadline, "no model after 10 minutes"
        time.sleep(0.5)
    killed = proc.poll() is None
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait()
    res = snakemake(work, REPO / "configs" / "tiny.yaml")
    assert res.returncode == 0, res.stderr[-4000:]
    assert killed, "the run finished before it could be killed; the resume path was not exercised"
    return work


def test_every_output_is_produced(tiny_run):
    figs = tiny_run / "figures" / "tiny"
    for stem in (
        "figure2_scores",
        "figure2_attributions",
        "figure2_architectures",
        "rebuttal_figure2_shift",
        "figure3_qualitative",
        "groundtruth_similarity",
        "training_curves",
    ):
        for ext in ("pdf", "png"):
            assert (figs / f"{stem}.{ext}").stat().st_size > 1000, stem
    tables = tiny_run / "results" / "tiny" / "tables"
    for stem in ("precision_at_coverage", "rebuttal_table1", "accuracy", "robustness"):
        for ext in ("csv", "md", "tex"):
            assert (tables / f"{stem}.{ext}").exists(), stem


def test_tables_hold_every_experiment_and_run(tiny_run):
    tables = tiny_run / "results" / "tiny" / "tables"
    pr = pd.read_csv(tables / "precision_recall.csv")
    # 3 scores + 3 more attributions + 2 more architectures = 8 experiments, 2 runs, 90 coverages
    assert len(pr.groupby(["arch", "score", "attribution", "run"])) == 8 * 2
    assert pr.groupby(["arch", "score", "attribution", "run"]).size().eq(90).all()
    assert pr["precision"].dropna().between(0, 1).all()
    # recall can only grow with coverage, for every experiment and run
    for _, g in pr.groupby(["arch", "score", "attribution", "run"]):
        r = g.sort_values("coverage")["recall"].dropna().to_numpy()
        assert (r[1:] >= r[:-1] - 1e-12).all()
    at = pd.read_csv(tables / "precision_at_coverage.csv")
    assert set(at["coverage_percent"]) == {10, 20, 30, 40, 50}
    assert {"precision", "random_precision", "margin_points"} <= set(at.columns)
    reb = pd.read_csv(tables / "rebuttal_table1.csv")
    assert len(reb) == 6  # 3 scores with gradient + 3 more attributions with hardness, on vgg16
    rob = pd.read_csv(tables / "robustness.csv")
    assert set(rob["shift"]) == {1, 3}


def test_rerun_is_a_no_op(tiny_run):
    res = snakemake(tiny_run, REPO / "configs" / "tiny.yaml", "-n")
    assert "Nothing to be done" in res.stdout + res.stderr


def test_lost_final_output_is_rebuilt_alone(tiny_run):
    (tiny_run / "figures" / "tiny" / "training_curves.png").unlink()
    res = snakemake(tiny_run, REPO / "configs" / "tiny.yaml", "-n")
    stats = (res.stdout + res.stderr).split("Job stats")[-1]
    assert "training_curves" in stats and "train " not in stats and "explain" not in stats


def test_reduced_real_cub_subset(tmp_path, cub_mini):
    cfg = yaml.safe_load((REPO / "configs" / "cub_mini.yaml").read_text())
    cfg["dataset"]["path"] = str(cub_mini)
    cfg["dataset"]["classes"] = [1, 2, 3, 4, 5, 6]
    cfg["runs"] = [0]
    cfg["preprocess"] = {"resize": 72, "crop": 64}
    cfg["train"].update(epochs_warmup=1, epochs_joint=1)
    cfg["explain"].update(
        n_images=6, ig_steps=2, architectures=["vgg16"], attributions=["gradient"], scores=["hardness"]
    )
    cfg["robustness"]["shifts"] = [1]
    cfg["figures"]["qualitative_examples"] = 1
    path = tmp_path / "cub.yaml"
    path.write_text(yaml.safe_dump(cfg))
    res = snakemake(tmp_path, path)
    assert res.returncode == 0, res.stderr[-4000:]
    ds = tmp_path / "results" / "cub_mini" / "dataset.json"
    import json

    summary = json.loads(ds.read_text())
    assert summary["n_classes"] == 6
    assert summary["attribute_source"].endswith("class_attribute_labels_continuous.txt")
    at = pd.read_csv(tmp_path / "results" / "cub_mini" / "tables" / "precision_at_coverage.csv")
    assert len(at) == 5


def test_ade_table1_and_figure4(tiny_run):
    """The tiny config also runs the ADE side: Table 1 holds every row, IoU within [0, 1]."""
    res = tiny_run / "results" / "tiny"
    for ext in ("csv", "md", "tex"):
        assert (res / "tables" / f"table1.{ext}").stat().st_size > 200
    for stem in ("figure4_qualitative", "ade_groundtruth"):
        for ext in ("pdf", "png"):
            assert (tiny_run / "figures" / "tiny" / f"{stem}.{ext}").stat().st_size > 1000, stem
    t1 = pd.read_csv(res / "tables" / "table1.csv")
    # 3 scores + 4 attributions + 3 architectures, each beside its random regions
    assert len(t1) == 2 * 10
    sizes = t1.groupby("section").size().to_dict()
    assert sizes == {"difficulty score": 6, "attribution": 8, "architecture": 6}
    assert set(t1["regions"]) == {"insecurities", "random regions"}
    assert (t1["n_runs"] == 2).all()
    curves = pd.read_csv(res / "ade" / "iou_curves.csv")
    assert len(curves.groupby(["arch", "score", "attribution", "run"])) == 8 * 2
    for col in ("iou", "random_iou"):
        assert curves[col].dropna().between(0, 1).all()
    tex = (res / "tables" / "table1.tex").read_text()
    assert r"\toprule" in tex and "random regions" in tex
    gt = pd.read_csv(res / "ade" / "groundtruth" / "triplets.csv")
    assert gt["selected"].any() and (gt["gamma"] > 0).all()
