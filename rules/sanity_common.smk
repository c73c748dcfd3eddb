# Helpers of the sanity branch (rules/sanity.smk): its config block, file lists and outputs.
from delex.sanity.settings import DELIBERATIVE, METHODS, check_sanity

SAN = config.get("sanity") or {"enabled": False}
check_sanity(config)
SAN_DIR = f"{R}/sanity"
SAN_SOURCE = SAN.get("source", "chain")
SAN_DATA = (
    f"{R}/prepared.npz" if SAN_SOURCE == "chain" else f"{SAN_DIR}/imagenet_val.npz"
)
SAN_TABLES = [
    "sanity_table1",
    "sanity_table_a1",
    "sanity_table2",
    "sanity_table3",
    "sanity_table_a2",
    "sanity_table_a3",
    "sanity_scores",
]


def sanity_files(pattern):
    """Expand a results/<name>/sanity/ pattern over the explained (arch, run) pairs and methods."""
    if not SAN.get(
        "enabled", False
    ):  # `sanity: {enabled: false}` need not list archs or methods
        return []
    return [
        f"{SAN_DIR}/{a}/run{r}/{pattern.format(method=m)}"
        for a in SAN["archs"]
        for r in SAN["runs"]
        for m in SAN["methods"]
    ]


def sanity_outputs():
    """Tables and figures of the sanity branch; nothing when `sanity.enabled` is false."""
    if not SAN.get("enabled", False):
        return []
    tables = [f"{R}/tables/{t}.{e}" for t in SAN_TABLES for e in ("csv", "md", "tex")]
    figs = [f for n in (2, 3, 4) for f in figure_files(f"sanity_figure{n}")]
    if (SAN.get("randomization") or {}).get("enabled", False):
        tables += [
            f"{SAN_DIR}/{a}/run{r}/randomization.{e}"
            for a in SAN["archs"]
            for r in SAN["runs"]
            for e in ("csv", "md", "tex")
        ]
    return tables + figs


def sanity_model(wc):
    """The checkpoint of the main chain; nothing for torchvision weights (source imagenet)."""
    if SAN_SOURCE == "chain":
        return {"model": f"{R}/models/{wc.arch}/run{wc.run}/model.pt"}
    return {}
