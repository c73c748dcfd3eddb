"""Bad configuration is rejected before any job starts, with the key named."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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


OVERLAYS = sorted(
    p.name for p in (REPO / "configs").glob("*.yaml") if p.read_text().startswith("# Overlay on config.yaml")
)


def test_overlays_found():
    """The diagnostic overlays the README quotes are the ones checked below."""
    assert {"seeds_3_5.yaml", "vgg16_224px.yaml", "pairs_sharing.yaml"} <= set(OVERLAYS)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_on_default_builds_its_own_dag(overlay):
    """Each overlay, on top of config.yaml, passes the schema and plans jobs under its own name only
    (never the default's results/synthetic_birds)."""
    name = yaml.safe_load((REPO / "configs" / overlay).read_text())["name"]
    res = subprocess.run(
        [*SNAKEMAKE, "-n", "--cores", "1", "--configfile", "config.yaml", f"configs/{overlay}"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    outputs = [ln.split()[1] for ln in res.stdout.splitlines() if ln.strip().startswith("output: ")]
    assert outputs, res.stdout[-2000:]
    assert all(name in Path(o).parts for o in outputs), outputs[:5]


# `--configfile` takes every following word as a config file, so a target written after it is read as
# a missing file ("No such file or directory: 'sanity_all'"): documented commands name it first.
_TARGET_AFTER_CONFIGFILE = re.compile(
    r"--configfile((?:\s+[\w./<>${}-]+\.ya?ml)+)\s+([A-Za-z_]\w*)(?=[\s`'\"]|$)"
)


def targets_after_configfile(text: str) -> list[str]:
    """The `--configfile a.yaml [b.yaml ...] target` commands in `text` (a target read as a file)."""
    return [m.group(0) for m in _TARGET_AFTER_CONFIGFILE.finditer(text)]


def test_the_target_check_catches_a_target_after_configfile():
    assert targets_after_configfile("`snakemake --cores all --configfile\n  configs/x.yaml sanity_all`")
    assert targets_after_configfile("snakemake --configfile config.yaml configs/a.yaml ade_all\n")
    assert not targets_after_configfile("snakemake ade_all --configfile config.yaml configs/a.yaml\n")
    assert not targets_after_configfile('SNAKEMAKE_ARGS="--configfile configs/cub_mini.yaml"')
    assert not targets_after_configfile("--configfile configs/a.yaml  # then a comment")


def test_documented_commands_name_the_target_before_configfile():
    docs = [REPO / "README.md", REPO / "Makefile", *(REPO / "configs").glob("*.yaml")]
    docs += [*(REPO / "docs").rglob("*.md"), *(REPO / "profiles").rglob("*.yaml")]
    found = {p.relative_to(REPO).as_posix(): targets_after_configfile(p.read_text()) for p in docs}
    assert {k: v for k, v in found.items() if v} == {}
