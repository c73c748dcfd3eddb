# ADE side helpers (no rules here, so `snakemake --lint` keeps rules and functions apart).
from delex.ade_config import ade_model, ade_train, annotation_mapping

ADE = config.get("ade") or {}
ADE_ON = ADE.get("enabled", False)
A = f"{R}/ade"
# Figure 4 shows ResNet-50 insecurities, as in the paper (hardness score, gradient)
FIG4_ARCH = "resnet50" if "resnet50" in ARCHS else DEFAULT["arch"]


def ade_outputs():
    """Final ADE outputs (none when ade.enabled is false)."""
    if not ADE_ON:
        return []
    return [
        f"{R}/tables/table1.csv",
        f"{A}/groundtruth/triplets.csv",
        *figure_files("figure4_qualitative"),
        *figure_files("ade_groundtruth"),
    ]


def ade_root():
    """The ADEChallengeData2016 folder this run reads: generated, downloaded into resources/ (the
    archive and its metadata files, rules/download.smk), or the user's folder."""
    if ADE["dataset"]["source"] == "synthetic":
        return f"{A}/data"
    if ADE["dataset"]["source"] == "download":
        return (
            f"resources/{SOURCES[ADE['dataset'].get('archive', 'ade20k')].extracts_to}"
        )
    return ADE["dataset"]["path"]
