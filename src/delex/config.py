"""Config checks that a JSON schema cannot express, the experiment list, and code hashes for reruns."""

from __future__ import annotations

import hashlib
from pathlib import Path

from delex.errors import ConfigError

_PKG = Path(__file__).resolve().parent


def check_config(config: dict) -> None:
    """Cross-key checks; raises ConfigError naming the key. Run after schema validation."""
    pre = config["preprocess"]
    if pre["crop"] > pre["resize"]:
        raise ConfigError(
            f"preprocess.crop ({pre['crop']}) must not exceed preprocess.resize ({pre['resize']})"
        )
    ds = config["dataset"]
    check_folder_source(ds, "dataset")
    check_download_source(ds, "dataset", "cub200", ds.get("sources"))
    ex = config["explain"]
    for key, options in (("arch", "architectures"), ("score", "scores"), ("attribution", "attributions")):
        if ex["default"][key] not in ex[options]:
            raise ConfigError(
                f"explain.default.{key}: {ex['default'][key]!r} must be listed in explain.{options}"
            )
    for arch in ex["architectures"]:
        if arch not in config["models"]:
            raise ConfigError(f"models.{arch}: missing, but explain.architectures lists {arch!r}")
    lo, hi = ex["coverages"]
    if not lo <= ex["importance_coverage"] <= hi or lo > hi:
        raise ConfigError("explain.coverages / explain.importance_coverage: need lo <= importance <= hi")
    if ex["n_candidates"] < ex["k_per_location"]:
        raise ConfigError("explain.k_per_location must not exceed explain.n_candidates")
    from delex.ade_config import check_ade

    check_ade(config)


def check_download_source(ds: dict, key: str, default: str, registry: str | None) -> None:
    """A `source: download` dataset section must name an archive of the registry (sources.yaml)."""
    if ds["source"] != "download":
        return
    from delex.datasets.download import load_sources

    sources = load_sources(registry)
    archive = ds.get("archive", default)
    if archive not in sources or not sources[archive].extracts_to:
        options = sorted(k for k, v in sources.items() if v.extracts_to)
        raise ConfigError(f"{key}.archive: unknown archive {archive!r}; choose from {options}")


def check_folder_source(ds: dict, key: str) -> None:
    """A `source: folder` dataset section (at config key `key`) must name an existing path."""
    if ds["source"] == "folder":
        if not ds.get("path"):
            raise ConfigError(f"{key}.path: required when {key}.source is 'folder'")
        if not Path(ds["path"]).exists():
            raise ConfigError(f"{key}.path: folder {ds['path']!r} does not exist")


def experiments(config: dict) -> list[tuple[str, str, str]]:
    """(arch, score, attribution) triples of Figure 2's three comparisons, each varying one component
    of the default; sorted and without duplicates."""
    ex = config["explain"]
    d = ex["default"]
    triples = {(d["arch"], s, d["attribution"]) for s in ex["scores"]}
    triples |= {(d["arch"], d["score"], a) for a in ex["attributions"]}
    triples |= {(a, d["score"], d["attribution"]) for a in ex["architectures"]}
    return sorted(triples)


def source_hash(*parts: str) -> str:
    """Short hash of package sources (files or subpackages): as a rule param it makes Snakemake rerun
    the rule when the science it imports changes (imported modules are not tracked otherwise)."""
    h = hashlib.sha256()
    for part in parts:
        p = _PKG / part
        files = sorted(p.rglob("*.py")) if p.is_dir() else [p]
        for f in files:
            h.update(f.relative_to(_PKG).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]
