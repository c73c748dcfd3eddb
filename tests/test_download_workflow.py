"""The download rules inside the workflow: an archive placed by hand in resources/ is verified and
extracted without any network access, and the paper-scale configs build their whole DAG."""

from __future__ import annotations

import hashlib
import re
import socket
import tarfile

import pytest
import yaml
from conftest import FIXTURES, REPO
from test_workflow import snakemake

pytestmark = pytest.mark.slow


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_preplaced_archive_is_verified_and_extracted_offline(tmp_path):
    res_dir = tmp_path / "resources"
    res_dir.mkdir()
    archive = res_dir / "CUB_200_2011.tgz"
    with tarfile.open(archive, "w:gz") as t:
        t.add(FIXTURES / "cub_tiny" / "CUB_200_2011", arcname="CUB_200_2011")
        t.add(FIXTURES / "cub_tiny" / "attributes.txt", arcname="attributes.txt")
    sha = hashlib.sha256(archive.read_bytes()).hexdigest()
    registry = tmp_path / "sources.yaml"
    url = f"http://127.0.0.1:{_closed_port()}/CUB_200_2011.tgz"  # nothing listens: offline
    entry = {"url": url, "filename": "CUB_200_2011.tgz", "extracts_to": "CUB_200_2011", "extras": []}
    registry.write_text(yaml.safe_dump({"tiny_cub": {**entry, "digests": {"sha256": sha}}}))
    cfg = yaml.safe_load((REPO / "configs" / "tiny.yaml").read_text())
    cfg["name"] = "dl"
    cfg["dataset"] = {"source": "download", "archive": "tiny_cub", "sources": str(registry), "classes": None}
    cfg_path = tmp_path / "dl.yaml"
    cfg_path.write_text(yaml.safe_dump(cfg))
    res = snakemake(tmp_path, cfg_path, "results/dl/prepared.npz")
    assert res.returncode == 0, res.stderr[-3000:]
    assert (res_dir / "CUB_200_2011" / "images.txt").exists()
    assert (res_dir / "CUB_200_2011" / "attributes.txt").exists()
    assert (tmp_path / "results" / "dl" / "prepared.npz").exists()
    assert "rule download" not in res.stderr  # the pre-placed archive is used, never fetched

    # a corrupted archive placed by hand: the extraction fails, naming the file, and leaves nothing
    import shutil

    shutil.rmtree(res_dir / "CUB_200_2011")
    archive.write_bytes(archive.read_bytes()[:-10])
    res = snakemake(tmp_path, cfg_path, "results/dl/prepared.npz", "--forcerun", "extract_dataset")
    assert res.returncode != 0
    assert re.search(r"CUB_200_2011\.tgz: sha256 checksum mismatch", res.stderr + res.stdout)
    assert not (res_dir / "CUB_200_2011").exists()


def _dag(tmp_path, config, *targets):
    res = snakemake(tmp_path, REPO / "configs" / config, "-n", *targets)
    assert res.returncode == 0, res.stderr[-3000:]
    return {k: int(v) for k, v in re.findall(r"^(\w+)\s+(\d+)$", res.stdout, re.M)}


def test_paper_scale_dags(tmp_path):
    cub = _dag(tmp_path, "cub200.yaml")
    assert cub["download"] == 1 and cub["extract_dataset"] == 1
    assert cub["train"] == 9
    # one explain and one evaluate job per architecture and run, each covering its experiments
    assert cub["explain_vgg16"] == cub["explain_resnet50"] == cub["explain_alexnet"] == 3
    assert cub["evaluate_vgg16"] == cub["evaluate_resnet50"] == cub["evaluate_alexnet"] == 3
    ade = _dag(tmp_path, "ade20k.yaml", "ade_all")
    assert ade["download"] == 3 and ade["extract_dataset"] == 1  # the zip + objectInfo150 + scenes
    assert ade["ade_train"] == 9 and ade["ade_explain"] == 9 and "train" not in ade
