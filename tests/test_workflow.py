"""End to end: the whole workflow on the tiny synthetic config and on a reduced real CUB subset."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
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
    assert {"precision", "random_precision", "margin_points", "region_percent_mean"} <= set(at.columns)
    # regions never exceed their coverage, and stop earlier only where maps are positive on less
    area = at.dropna(subset=["region_percent_mean"])
    assert len(area) and (area["region_percent_mean"] <= area["coverage_percent"] + 1e-9).all()
    area_pr = pr.dropna(subset=["region_fraction"])
    for _, g in area_pr.groupby(["arch", "score", "attribution", "run"]):
        a = g.sort_values("coverage")["region_fraction"].to_numpy()
        assert (a[1:] >= a[:-1] - 1e-12).all()  # and grow with coverage
    # the paired test: p-values in [0, 1], pairs never more than the images with insecurities
    assert pr["wilcoxon_p"].dropna().between(0, 1).all() and (pr["n_paired"] <= pr["n_images"]).all()
    assert at["p_greater"].dropna().between(0, 1).all()
    pairs = pr.assign(coverage_percent=(pr["coverage"] * 100).round().astype(int))
    keys = ["arch", "score", "attribution", "coverage_percent"]
    pairs = pairs.groupby(keys, as_index=False)["n_paired"].sum()
    both = at.merge(pairs, on=keys, suffixes=("", "_runs"))
    assert len(both) == len(at) and (both["n_paired"] == both["n_paired_runs"]).all()
    reb = pd.read_csv(tables / "rebuttal_table1.csv")
    assert len(reb) == 6  # 3 scores with gradient + 3 more attributions with hardness, on vgg16
    rob = pd.read_csv(tables / "robustness.csv")
    assert set(rob["shift"]) == {1, 3}


@pytest.mark.parametrize(
    "arch,score,attribution",
    [
        ("vgg16", "hesitancy", "gradient"),
        ("vgg16", "hardness", "integrated_gradients"),
        ("resnet50", "hardness", "gradient"),
    ],
)
def test_one_explain_job_per_arch_writes_each_experiment_as_alone(tiny_run, arch, score, attribution):
    """explain_<arch> explains all of an architecture's experiments in one job: each file must
    hold exactly what that experiment alone gives (its own score's images, its own attribution)."""
    import torch

    from delex import io
    from delex.deliberative import ExplainSettings, coverages, explain, hardest_test_images
    from delex.models.checkpoint import load_models
    from delex.parts import part_points

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as in the job, so that every sum is taken in the same order
    cfg = yaml.safe_load((REPO / "configs" / "tiny.yaml").read_text())
    res = tiny_run / "results" / "tiny"
    clf, pred, _ = load_models(res / "models" / arch / "run1" / "model.pt", "cpu")
    data = io.load_npz(res / "prepared.npz")
    ex = cfg["explain"]
    st = ExplainSettings.from_config(ex, score, attribution, "paper")
    chosen, difficulty = hardest_test_images(clf, pred, data, score, ex["n_images"])
    imgs, pts = torch.from_numpy(data["images"][chosen]), torch.from_numpy(part_points(data, "paper")[chosen])
    want = explain(clf, pred, imgs, pts.float(), st, coverages(ex), torch.Generator().manual_seed(1))
    torch.set_num_threads(threads)
    want.update(image_index=chosen, difficulty=difficulty, labels=data["labels"][chosen])
    got = io.load_npz(res / "explain" / arch / score / attribution / "run1.npz")
    assert set(got) == set(want)
    for key, value in want.items():
        np.testing.assert_allclose(got[key], np.asarray(value), rtol=1e-5, atol=1e-7, err_msg=key)


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
    cfg["sanity"].update(n_images=3, methods=["gradcam", "difficulty"], blurred=[])
    cfg["sanity"]["metrics"].update(steps=4, noise_draws=1, road_max_iter=10)
    cfg["sanity"]["method_settings"].update(ig_steps=2, rise_masks=8)
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
    sanity = pd.read_csv(
        tmp_path / "results" / "cub_mini" / "sanity" / "vgg16" / "run0" / "scores" / "gradcam.csv"
    )
    assert len(sanity) == 3 and sanity["pointing:15px"].isin([0, 1]).all()  # real CUB boxes: defined


def test_sanity_branch_outputs(tiny_run):
    tables = tiny_run / "results" / "tiny" / "tables"
    for stem in ("table1", "table_a1", "table2", "table3", "table_a2", "table_a3", "scores"):
        for ext in ("csv", "md", "tex"):
            assert (tables / f"sanity_{stem}.{ext}").exists(), stem
    for n in (2, 3, 4):
        for ext in ("pdf", "png"):
            assert (tiny_run / "figures" / "tiny" / f"sanity_figure{n}.{ext}").stat().st_size > 1000
    scores = pd.read_csv(tables / "sanity_scores.csv")
    # 2 archs x (8 methods + 2 blurred copies), 4 images each
    assert len(scores) == 2 * 10 and (scores["n_images"] == 4).all()
    assert scores[["insertion", "deletion", "road_morf", "road_lerf"]].stack().between(0, 1).all()
    assert scores[["pointing", "avg_drop", "increase"]].stack().between(0, 100).all()
    t2 = pd.read_csv(tables / "sanity_table2.csv")
    assert len(t2) == 2 * 10  # 10 pairs of 5 metrics per arch
    r = t2.drop(columns=["arch", "run", "pair", "kind"]).to_numpy(dtype=float)
    assert np.isfinite(r).any() and (np.abs(r[np.isfinite(r)]) <= 1 + 1e-9).all()  # NaN: undefined
    t1 = pd.read_csv(tables / "sanity_table1.csv")
    assert len(t1) == 2 * 2 * 6  # arch x (insertion, deletion) x 6 configurations
    rnd = pd.read_csv(tiny_run / "results" / "tiny" / "sanity" / "vgg16" / "run0" / "randomization.csv")
    assert len(rnd) == 8 * 2 * 2  # methods x modes x top 2 layers
    assert rnd["ssim"].between(-1 - 1e-6, 1 + 1e-6).all()  # float rounding of identical maps


def test_report_and_pdf_hold_every_figure_and_table(tiny_run, tmp_path):
    """The paper artifact: every figure/table the tiny run wrote is registered, is a file of the
    Snakemake report, and (when latexmk is installed) was read by the LaTeX run of paper.pdf."""
    import json
    import shutil
    import zipfile

    from delex.artifact.registry import ITEMS, is_artifact_file, unregistered

    res = snakemake(tiny_run, REPO / "configs" / "tiny.yaml")  # rebuild what earlier tests removed
    assert res.returncode == 0, res.stderr[-4000:]
    written = [
        p.relative_to(tiny_run).as_posix()
        for d in ("figures/tiny", "results/tiny/tables")
        for p in (tiny_run / d).iterdir()
    ]
    assert unregistered([p for p in written if is_artifact_file(p)], "tiny", ITEMS) == []
    manifest = json.loads((tiny_run / "results/tiny/artifact/manifest.json").read_text())["items"]
    assert {m["key"] for m in manifest} == {i.key for i in ITEMS}
    res = snakemake(tiny_run, REPO / "configs" / "tiny.yaml", "--report", str(tmp_path / "report.zip"))
    assert res.returncode == 0, res.stderr[-4000:]
    in_report = {n.rsplit("/", 1)[-1] for n in zipfile.ZipFile(tmp_path / "report.zip").namelist()}
    for m in manifest:
        assert m["report_file"].rsplit("/", 1)[-1] in in_report, m["key"]
    if shutil.which("latexmk") is None:
        pytest.skip("latexmk not installed: paper.pdf not built")
    from delex.artifact.document import included_files

    assert (tiny_run / "results/tiny/paper.pdf").read_bytes()[:5] == b"%PDF-"
    read = included_files((tiny_run / "results/tiny/paper/build/paper.fls").read_text(), tiny_run)
    for m in manifest:
        if m["paper_file"]:
            assert m["paper_file"] in read, m["key"]


def test_claims_table_on_the_tiny_run(tiny_run):
    from delex.artifact.claims import CLAIMS, NOT_RUN, VERDICTS

    claims = pd.read_csv(tiny_run / "results/tiny/claims/claims.csv")
    assert list(claims["id"]) == [c.id for c in CLAIMS]
    assert set(claims["verdict"]) <= set(VERDICTS)
    by_id = claims.set_index("id")["verdict"]
    assert by_id["cub_mturk"] == NOT_RUN  # a human study: never run here
    # the tiny run produces the CUB, ADE and sanity tables: their claims are read, not "not run"
    for cid in ("cub_hardness_best", "ade_architectures", "coh_insertion_deletion", "coh_blur"):
        assert by_id[cid] != NOT_RUN, cid
    notes = claims.set_index("id")["note"].fillna("")
    assert not notes.str.contains("rows match|no rows for|lacks columns").any()  # readers fit the tables
    assert (tiny_run / "figures/tiny/claims.tex").read_text().count("\\\\") >= len(CLAIMS)


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
    assert t1["n_runs_defined"].between(0, 2).all()  # runs with any insecurity
    curves = pd.read_csv(res / "ade" / "iou_curves.csv")
    assert len(curves.groupby(["arch", "score", "attribution", "run"])) == 8 * 2
    for col in ("iou", "random_iou"):
        assert curves[col].dropna().between(0, 1).all()
    # the paired test: only insecurity rows carry it, as p-values
    assert curves["wilcoxon_p"].dropna().between(0, 1).all()
    p_cols = [f"p_greater_{c}" for c in (10, 20, 30, 40, 50)]
    assert t1.loc[t1["regions"] == "random regions", p_cols].isna().all().all()
    p_ins = t1.loc[t1["regions"] == "insecurities", p_cols].to_numpy(dtype=float).ravel()
    assert np.isfinite(p_ins).any() and ((p_ins >= 0) & (p_ins <= 1))[np.isfinite(p_ins)].all()
    tex = (res / "tables" / "table1.tex").read_text()
    assert r"\toprule" in tex and "random regions" in tex
    gt = pd.read_csv(res / "ade" / "groundtruth" / "triplets.csv")
    assert gt["selected"].any() and (gt["gamma"] > 0).all()
