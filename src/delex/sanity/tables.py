"""Tables of the sanity checks from the per-image scores of every (arch, run, variant).

`scores` is one long DataFrame: arch, run, variant, image_index and one column per metric
("insertion:zero+pixel", "avg_drop:bin50", "pointing:15px", "road_morf", ...).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from delex.sanity.analysis import consistency_matrix, correlation, reliability
from delex.sanity.settings import CONFIGS, config_name

CONFIG_NAMES = [config_name(b, m) for b, m in CONFIGS]
# The configurations each metric was introduced with (Petsiuk et al. 2018): blur for insertion,
# zero for deletion; pointing with the usual 15 px tolerance; ROAD most-relevant-first.
PRIMARY = {
    "insertion": "insertion:blur+pixel",
    "deletion": "deletion:zero+pixel",
    "avg_drop": "avg_drop:real",
    "pointing": "pointing:15px",
    "road_morf": "road_morf",
}
KEYS = ["arch", "run"]


def _pointing_col(scores: pd.DataFrame) -> str:
    if PRIMARY["pointing"] in scores:
        return PRIMARY["pointing"]
    return sorted(c for c in scores if c.startswith("pointing:"))[-1]


def primary(scores: pd.DataFrame) -> dict[str, str]:
    return {**PRIMARY, "pointing": _pointing_col(scores)}


def consistency_per_method(scores: pd.DataFrame, methods) -> pd.DataFrame:
    """Tables A1/A4: per arch, run, method and kind, the 6x6 Spearman matrix between configurations."""
    rows = []
    for (arch, run, variant), g in scores.groupby(KEYS + ["variant"], sort=False):
        if variant not in methods:
            continue
        for kind in ("insertion", "deletion"):
            m = consistency_matrix(g, [f"{kind}:{c}" for c in CONFIG_NAMES])
            for c, row in zip(CONFIG_NAMES, m.to_numpy(), strict=True):
                rows.append(
                    {
                        "arch": arch,
                        "run": run,
                        "method": variant,
                        "kind": kind,
                        "config": c,
                        **dict(zip(CONFIG_NAMES, row, strict=True)),
                    }
                )
    return pd.DataFrame(rows)


def consistency_mean(per_method: pd.DataFrame) -> pd.DataFrame:
    """Table 1: the per-method matrices averaged over methods (NaN-free entries)."""
    out = per_method.groupby(KEYS + ["kind", "config"], sort=False)[CONFIG_NAMES].mean().reset_index()
    out.insert(
        len(KEYS) + 2, "n_methods", per_method.groupby(KEYS + ["kind", "config"], sort=False).size().values
    )
    return out


def reliability_table(scores: pd.DataFrame, methods) -> pd.DataFrame:
    """Table 2: per pair of metrics (rows) and method (columns) the correlation, directions aligned."""
    metrics = primary(scores)
    rows = []
    for (arch, run, variant), g in scores.groupby(KEYS + ["variant"], sort=False):
        if variant in methods:
            for r in reliability(g, metrics):
                rows.append({"arch": arch, "run": run, "method": variant, **r})
    long = pd.DataFrame(rows)
    wide = long.pivot_table(index=KEYS + ["pair"], columns="method", values="r", sort=False, dropna=False)
    wide = wide.reindex(columns=[m for m in methods if m in wide.columns]).reset_index()
    kind = long.drop_duplicates("pair").set_index("pair")["kind"]
    wide.insert(len(KEYS) + 1, "kind", wide["pair"].map(kind))
    return wide


def binarized_reliability(scores: pd.DataFrame, methods, level: str = "bin50") -> pd.DataFrame:
    """Table 3: per method, the correlation of Average Drop % at `level` with the other metrics."""
    metrics = primary(scores)
    rows = []
    for (arch, run, variant), g in scores.groupby(KEYS + ["variant"], sort=False):
        if variant not in methods:
            continue
        row = {"arch": arch, "run": run, "method": variant}
        for name in ("insertion", "deletion", "pointing", "road_morf"):
            row[name] = correlation("avg_drop", g[f"avg_drop:{level}"], name, g[metrics[name]])[0]
        rows.append(row)
    return pd.DataFrame(rows)


def levels(scores: pd.DataFrame) -> list[str]:
    return ["real"] + [c.split(":")[1] for c in scores if c.startswith("avg_drop:bin")]


def average_drop_levels(scores: pd.DataFrame, methods) -> pd.DataFrame:
    """Table A2: mean Average Drop % per method at every level (real-valued and binarized)."""
    cols = [f"avg_drop:{lv}" for lv in levels(scores)]
    g = scores[scores["variant"].isin(methods)].groupby(KEYS + ["variant"], sort=False)[cols].mean()
    return g.rename(columns=lambda c: c.split(":")[1]).reset_index().rename(columns={"variant": "method"})


def average_drop_level_reliability(scores: pd.DataFrame, methods) -> pd.DataFrame:
    """Table A3: correlation of Average Drop % at every level with each other metric, per method."""
    metrics = primary(scores)
    rows = []
    for (arch, run, variant), g in scores.groupby(KEYS + ["variant"], sort=False):
        if variant not in methods:
            continue
        for name in ("insertion", "deletion", "pointing", "road_morf"):
            row = {"arch": arch, "run": run, "method": variant, "metric": name}
            for lv in levels(scores):
                row[lv] = correlation("avg_drop", g[f"avg_drop:{lv}"], name, g[metrics[name]])[0]
            rows.append(row)
    return pd.DataFrame(rows)


def summary_scores(scores: pd.DataFrame) -> pd.DataFrame:
    """Figure 4's table (and every method's means): mean per-image score of each primary metric, plus
    Increase in Confidence and ROAD-LeRF; pointing and Average Drop in percent."""
    metrics = {**primary(scores), "increase": "increase:real", "road_lerf": "road_lerf"}
    if "iou:0.5" in scores:
        metrics["iou@0.5"] = "iou:0.5"
    if "wsl" in scores:
        metrics["wsl"] = "wsl"
    g = scores.groupby(KEYS + ["variant"], sort=False)[list(metrics.values())].mean()
    g.columns = list(metrics)
    g["pointing"] *= 100.0
    g["increase"] *= 100.0
    if "wsl" in g:
        g["wsl"] *= 100.0
    g.insert(0, "n_images", scores.groupby(KEYS + ["variant"], sort=False).size())
    return g.reset_index().rename(columns={"variant": "method"})


def load_scores(paths) -> pd.DataFrame:
    """Concatenate per-method score CSVs named .../<arch>/run<r>/scores/<method>.csv (each holding a
    `variant` column: the method and its blurred copy)."""
    frames = []
    for p in map(str, paths):
        parts = p.split("/")
        df = pd.read_csv(p)
        df.insert(0, "run", int(parts[-3].removeprefix("run")))
        df.insert(0, "arch", parts[-4])
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def finite_share(df: pd.DataFrame) -> float:
    """Share of finite numeric cells (documentation of how many correlations were defined)."""
    v = df.select_dtypes("number").to_numpy(dtype=np.float64)
    return float(np.isfinite(v).mean()) if v.size else float("nan")
