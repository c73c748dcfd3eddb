"""The config's `ade:` section resolved: checks, model/train settings and the annotation mapping."""

from __future__ import annotations

from delex.config import check_download_source, check_folder_source
from delex.errors import ConfigError


def check_ade(config: dict) -> None:
    """Cross-key checks of `ade:` that the schema cannot express; ConfigError naming the key."""
    ade = config.get("ade") or {}
    if not ade.get("enabled", False):
        return
    for key in ("dataset", "preprocess"):
        if key not in ade:
            raise ConfigError(f"ade.{key}: required when ade.enabled is true")
    pre = ade["preprocess"]
    if pre["crop"] > pre["resize"]:
        raise ConfigError(f"ade.preprocess.crop ({pre['crop']}) must not exceed ade.preprocess.resize")
    ds = ade["dataset"]
    check_folder_source(ds, "ade.dataset")
    check_download_source(ds, "ade.dataset", "ade20k", config["dataset"].get("sources"))
    if (
        ds["source"] == "synthetic"
        and (ds.get("synthetic") or {}).get("n_scenes", 8) < config["explain"]["n_candidates"]
    ):
        raise ConfigError("ade.dataset.synthetic.n_scenes must be at least explain.n_candidates")
    unknown = sorted(set(ade.get("train") or {}) - set(config["train"]))
    if unknown:
        raise ConfigError(f"ade.train.{unknown[0]}: not a key of the train section")


def ade_model(config: dict, arch: str) -> dict:
    """Model settings of `arch` for the ADE side: ade.models.<arch>, else models.<arch>."""
    return dict((config["ade"].get("models") or {}).get(arch) or config["models"][arch])


def ade_train(config: dict) -> dict:
    """The train section with the ade.train overrides applied."""
    return {**config["train"], **(config["ade"].get("train") or {})}


def annotation_mapping(config: dict) -> str:
    """'resize' (paper) or 'reshape' (released code); null follows the top-level variant."""
    mapping = config["ade"].get("annotation_mapping")
    if mapping is None:
        return "reshape" if config.get("variant", "paper") == "released" else "resize"
    return mapping
