"""Bad configuration is rejected before any job starts, with the key named."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from conftest import REPO

SNAKEMAKE = [sys.executable, "-m", "snakemake"]


def _dry_run(tmp_path, mutate):
    cfg = yaml.safe_load((REPO / "configs" / "tiny.yaml").read_text())
    mutate(cfg)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(cfg))
    return subprocess.run(
        [*SNAKEMAKE, "-n", "--cores", "1", "--configfile", str(path), "--directory", str(REPO)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )


def test_valid_tiny_config_builds_dag(tmp_path):
    res = _dry_run(tmp_path, lambda c: None)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "explain" in res.stdout


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda c: c["train"].update(epochs_joint="many"), "many"),
        (lambda c: c["train"].update(learning_rate=0.1), "learning_rate"),
        (lambda c: c.update(colour="blue"), "colour"),
        (lambda c: c["explain"]["default"].update(score="confidence"), "confidence"),
        (lambda c: c["preprocess"].update(crop=200), "preprocess.crop"),
        (lambda c: c["explain"].update(scores=["hesitancy"]), "explain.default.score"),
    ],
)
def test_bad_config_rejected_naming_key(tmp_path, mutate, needle):
    assert_rejected(tmp_path, mutate, needle)


def assert_rejected(tmp_path, mutate, needle):
    """The mutated tiny config fails before any job, naming `needle`."""
    res = _dry_run(tmp_path, mutate)
    assert res.returncode != 0
    out = res.stdout + res.stderr
    assert needle in out, out[-3000:]
    assert "Job stats" not in out
