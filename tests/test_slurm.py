"""The tiny workflow through profiles/slurm on a real SLURM (CI starts one: .ci/slurm-localhost.sh).

Skipped where no SLURM answers, unless DELEX_REQUIRE_SLURM=1 (set by .ci/run), where that fails."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import REPO

pytestmark = pytest.mark.slow
GPU_RULES = (
    "train",
    "explain_vgg16",
    "explain_resnet50",
    "explain_alexnet",
    "robustness",
    "ade_train",
    "ade_explain",
    "sanity_method",
    "sanity_randomization",
)


def _slurm_idle() -> bool:
    if not shutil.which("sinfo"):
        return False
    res = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True, timeout=20)
    return res.returncode == 0 and "idle" in res.stdout


@pytest.fixture(scope="module")
def slurm():
    if not _slurm_idle():
        if os.environ.get("DELEX_REQUIRE_SLURM") == "1":
            pytest.fail("DELEX_REQUIRE_SLURM=1 but no idle SLURM node answers sinfo")
        pytest.skip("no SLURM here (start one with .ci/slurm-localhost.sh up)")


def _node_cpus() -> int:
    """CPUs the SLURM node advertises (CI advertises more than the machine has, see .ci/run)."""
    res = subprocess.run(["sinfo", "-h", "-o", "%c"], capture_output=True, text=True, timeout=20)
    counts = [int(c) for c in re.findall(r"\d+", res.stdout)]
    return max(counts) if counts else os.cpu_count() or 1


# On top of configs/tiny.yaml: one run and three sanity methods, so that every GPU rule still runs
# but the job count (each job pays a nested Snakemake start) stays in CI's budget.
OVERLAY = """\
runs: [0]
sanity:
  archs: [vgg16]
  methods: [gradcam, integrated_gradients, ambiguity]
  blurred: [integrated_gradients]
  randomization: {enabled: true, layers: 2, modes: [cascading]}
"""


def test_tiny_workflow_through_slurm_profile(slurm, tmp_path):
    cpus = _node_cpus()
    overlay = tmp_path / "slurm_overlay.yaml"
    overlay.write_text(OVERLAY)
    # Site settings on top of profiles/slurm, as its header documents: a CPU-only node (no GPUs to ask
    # for) with `cpus` CPUs, and job sizes that fit it (single-CPU jobs, so `cpus` run at once).
    overrides = [f"{r}:gpu=0" for r in GPU_RULES] + [f"{r}:cpus_per_task=1" for r in GPU_RULES]
    overrides += [f"{r}:mem_mb=2000" for r in GPU_RULES]
    cmd = [
        "timeout", "-s", "INT", "1200",
        sys.executable, "-m", "snakemake",
        "--snakefile", str(REPO / "Snakefile"),
        "--directory", str(tmp_path),
        "--profile", str(REPO / "profiles" / "slurm"),
        "--configfile", str(REPO / "configs" / "tiny.yaml"), str(overlay),
        "--jobs", str(cpus),
        "--slurm-init-seconds-before-status-checks", "1",
        "--default-resources", "mem_mb=2000", "cpus_per_task=1", "runtime=30",
        "--set-resources", *overrides,
    ]  # fmt: skip
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    log = res.stdout + res.stderr
    assert res.returncode == 0, log[-5000:]
    submitted = re.findall(r"submitted with SLURM jobid (\d+)", log)
    n_jobs = int(re.search(r"^total\s+(\d+)$", log, re.M).group(1))
    local = re.findall(r"^localrule (\w+):", log, re.M)
    remote = set(re.findall(r"^rule (\w+):", log, re.M))
    # every job but the seconds-long aggregation steps (localrules) went to SLURM, GPU rules included
    assert len(submitted) == n_jobs - len(local) > len(local) > 0
    assert set(GPU_RULES) <= remote and not set(GPU_RULES) & set(local)
    assert {"all", "tables", "paper_sources"} <= set(local)
    tables = tmp_path / "results" / "tiny" / "tables"
    prec = pd.read_csv(tables / "precision_at_coverage.csv")
    assert set(prec["coverage_percent"]) == {10, 20, 30, 40, 50}
    values = prec["precision_mean"].dropna()
    assert len(values) > 0 and values.between(0, 100).all()
    acc = pd.read_csv(tables / "accuracy.csv")
    assert set(acc["arch"]) == {"alexnet", "vgg16", "resnet50"}
    assert (tmp_path / "figures" / "tiny" / "figure2_scores.pdf").stat().st_size > 0
