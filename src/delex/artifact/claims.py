"""The papers' quantitative claims, each with its published value, the value reproduced here, a stated
tolerance and a verdict (holds / fails / not run / undetermined).

A claim names the generated files it reads (paths relative to results/<name>/). When one of them is not
produced by the config that ran (the ADE20K side, the sanity-check branch), the claim is "not run";
when a file exists but lacks what the claim reads, or the value is undefined (no insecurity found, NaN
over every run), it is "undetermined" with the reason. Nothing here raises on a missing output.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

HOLDS, FAILS, NOT_RUN, UNDETERMINED = "holds", "fails", "not run", "undetermined"
VERDICTS = (HOLDS, FAILS, NOT_RUN, UNDETERMINED)

COLUMNS = ["id", "dataset", "source", "claim", "published", "reproduced", "tolerance", "verdict", "note"]


class Undetermined(Exception):
    """The inputs exist but the claim's value cannot be computed from them (reason in the message)."""


@dataclass(frozen=True)
class Outcome:
    reproduced: str
    verdict: str
    note: str = ""


@dataclass(frozen=True)
class Claim:
    id: str
    dataset: str
    source: str
    statement: str
    published: str
    tolerance: str
    inputs: tuple[str, ...] = ()  # relative to results/<name>/
    check: Callable[[dict[str, pd.DataFrame]], Outcome] | None = None
    not_run_reason: str = ""  # for claims no workflow output can reproduce (human studies)


# ----------------------------------------------------------------------------- verdict helpers
def fmt(mean: float, std: float = math.nan, digits: int = 2) -> str:
    """'m (s)' as in the papers' tables; the std is left out when undefined (one run)."""
    if mean is None or not np.isfinite(mean):
        return "n/a"
    if std is None or not np.isfinite(std):
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ({std:.{digits}f})"


def runs_summary(values: Sequence[float]) -> tuple[float, float, int]:
    """(mean, sample std, number of finite runs); NaN runs (no insecurity found) are left out."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return math.nan, math.nan, 0
    return float(v.mean()), float(v.std(ddof=1)) if v.size > 1 else math.nan, int(v.size)


def within(value: float, target: float, tol: float) -> str:
    """holds iff |value - target| <= tol; undetermined when the value is undefined (NaN)."""
    if not np.isfinite(value):
        return UNDETERMINED
    return HOLDS if abs(value - target) <= tol + 1e-12 else FAILS


def in_range(value: float, lo: float, hi: float) -> str:
    """holds iff lo <= value <= hi; undetermined when the value is undefined (NaN)."""
    if not np.isfinite(value):
        return UNDETERMINED
    return HOLDS if lo - 1e-12 <= value <= hi + 1e-12 else FAILS


def ordered(means: Sequence[float], strict: Sequence[bool]) -> str:
    """holds iff means[0] (<|<=) means[1] (<|<=) ...; strict[k] says whether step k must be strict."""
    m = np.asarray(means, dtype=float)
    if not np.isfinite(m).all():
        return UNDETERMINED  # a compared value is undefined (e.g. no insecurity in any run)
    ok = all((b > a) if s else (b >= a) for a, b, s in zip(m[:-1], m[1:], strict, strict=True))
    return HOLDS if ok else FAILS


# ----------------------------------------------------------------------------- CUB readers
PR = "tables/precision_recall.csv"
REB = "tables/rebuttal_table1.csv"
ROB = "tables/robustness.csv"
ACC = "tables/accuracy.csv"
TABLE_COVERAGES = (10, 20, 30, 40, 50)  # percent: the coverages of the paper's Table 1


def precision_per_run(pr: pd.DataFrame, arch: str, score: str, attribution: str, column: str = "precision"):
    """Per run: mean of `column` (x100, percent) over the coverages 10-50 %; NaN if any is undefined."""
    sel = pr[(pr["arch"] == arch) & (pr["score"] == score) & (pr["attribution"] == attribution)]
    if sel.empty:
        raise Undetermined(f"no rows for {arch}/{score}/{attribution} in {PR}")
    pct = (sel["coverage"] * 100).round().astype(int)
    sel = sel[pct.isin(TABLE_COVERAGES)]
    return sel.groupby("run")[column].apply(lambda s: s.mean(skipna=False) * 100).to_numpy()


def _default(pr: pd.DataFrame) -> tuple[str, str, str]:
    """The default experiment: the (arch, score, attribution) shared by the most experiments."""
    exps = pr[["arch", "score", "attribution"]].drop_duplicates()
    if exps.empty:
        raise Undetermined(f"{PR} is empty")
    return tuple(exps[c].mode().iloc[0] for c in ("arch", "score", "attribution"))


def _compare(pr: pd.DataFrame, rows: Sequence[tuple[str, str, str]], labels: Sequence[str], strict):
    """Ordering claim over experiments: means ascending in the order given."""
    stats = [runs_summary(precision_per_run(pr, *r)) for r in rows]
    text = "; ".join(f"{lab} {fmt(m, s)}" for lab, (m, s, _) in zip(labels, stats, strict=True))
    n = min(s[2] for s in stats)
    verdict = ordered([s[0] for s in stats], strict)
    note = f"precision %, mean (std) over {n} runs"
    if verdict == UNDETERMINED:
        note = "undefined: " + ", ".join(lab for lab, s in zip(labels, stats, strict=True) if s[2] == 0)
        note += " found no insecurity in any run"
    return Outcome(text, verdict, note)


def cub_random_precision(d):
    a, s, t = _default(d[PR])
    m, sd, n = runs_summary(precision_per_run(d[PR], a, s, t, "random_precision"))
    return Outcome(fmt(m, sd), within(m, 20.0, 10.0), f"{a}/{s}/{t}, {n} runs")


def cub_beats_random(d):
    pr = d[PR]
    margins = {}
    for (a, s, t), _ in pr.groupby(["arch", "score", "attribution"]):
        ins = precision_per_run(pr, a, s, t)
        rnd = precision_per_run(pr, a, s, t, "random_precision")
        m, sd, n = runs_summary(ins - rnd)
        margins[f"{a}/{s}/{t}"] = (m, sd) if n else None
    return beats_random(margins, "margin = insecurity - random precision, %, mean over 10-50 % coverage")


def beats_random(margins: dict[str, tuple[float, float] | None], note: str) -> Outcome:
    """'Every experiment above random' from {experiment: (mean, std) margin, or None when it found no
    insecurity}: the undefined ones are left out and named; shared by the CUB and ADE claims."""
    defined = {k: v for k, v in margins.items() if v is not None}
    if not defined:
        raise Undetermined("no experiment found any insecurity")
    low = min(defined, key=lambda k: defined[k][0])
    above = sum(m > 0 for m, _ in defined.values())
    text = f"{above}/{len(defined)} above random; smallest margin {fmt(*defined[low])} points ({low})"
    undefined = [k for k, v in margins.items() if v is None]
    if undefined:
        note += "; no insecurity in any run: " + ", ".join(undefined)
    return Outcome(text, HOLDS if above == len(defined) else FAILS, note)


def worst(verdicts) -> str:
    """One verdict for a claim made of several checks: any failure fails, else any undetermined."""
    return FAILS if FAILS in verdicts else UNDETERMINED if UNDETERMINED in verdicts else HOLDS


def cub_scores(d):
    a, _, t = _default(d[PR])
    rows = [(a, "entropy", t), (a, "hardness", t)], [(a, "hesitancy", t), (a, "hardness", t)]
    o1 = _compare(d[PR], rows[0], ["entropy", "hardness"], [True])
    o2 = _compare(d[PR], rows[1], ["hesitancy", "hardness"], [True])
    verdicts = {o1.verdict, o2.verdict}
    verdict = worst(verdicts)
    h = o1.reproduced.split("; ")[1]
    return Outcome(f"{h}; {o2.reproduced.split('; ')[0]}; {o1.reproduced.split('; ')[0]}", verdict, o1.note)


def cub_attributions(d):
    a, s, _ = _default(d[PR])
    rows = [(a, s, "gradient_no_ms"), (a, s, "gradient"), (a, s, "gradient_hessian")]
    return _compare(d[PR], rows, ["gradient w/o m^s", "gradient", "gradient-Hessian"], [True, False])


def cub_architectures(d):
    _, s, t = _default(d[PR])
    rows = [("alexnet", s, t), ("vgg16", s, t), ("resnet50", s, t)]
    return _compare(d[PR], rows, ["AlexNet", "VGG16", "ResNet-50"], [True, True])


def cub_similar_accuracy(d):
    acc = d[ACC].set_index("arch")["test_accuracy_mean"]
    if not {"vgg16", "resnet50"} <= set(acc.index):
        raise Undetermined(f"{ACC} lacks vgg16 or resnet50")
    diff = float(acc["resnet50"] - acc["vgg16"])
    return Outcome(
        f"ResNet-50 {acc['resnet50']:.2f}, VGG16 {acc['vgg16']:.2f} (diff {diff:+.2f})",
        within(diff, 0.0, 3.0),
        "test accuracy %, mean over runs",
    )


REBUTTAL_ROWS = {
    "hesitancy": "hesitancy score (gradient)",
    "entropy": "entropy score (gradient)",
    "hardness": "hardness score (gradient)",
    "hardness_ig": "hardness score (integrated gradient)",
    "hardness_gh": "hardness score (gradient-Hessian)",
}


def _rho(d, key):
    t = d[REB].set_index("score (attribution)")
    row = REBUTTAL_ROWS[key]
    if row not in t.index:
        raise Undetermined(f"{REB} has no row {row!r}")
    n = t.loc[row, "n_runs_defined"] if "n_runs_defined" in t.columns else t.loc[row, "n_runs"]
    return float(t.loc[row, "rho_mean"]), float(t.loc[row, "rho_std"]), int(n)


def cub_rho(key: str, published: float, tol: float = 0.15):
    def check(d):
        m, s, n = _rho(d, key)
        return Outcome(fmt(m, s), within(m, published, tol), f"Pearson r, mean (std) over {n} runs")

    return check


def cub_rho_nonself(d):
    h, e, hs = (_rho(d, k) for k in ("hardness", "entropy", "hesitancy"))
    text = f"hardness {fmt(h[0], h[1])}; hesitancy {fmt(hs[0], hs[1])}; entropy {fmt(e[0], e[1])}"
    verdicts = {ordered([e[0], h[0]], [True]), ordered([hs[0], h[0]], [True])}
    verdict = worst(verdicts)
    return Outcome(text, verdict, "Pearson r, mean (std) over runs")


def cub_shift_iou(d):
    rob = d[ROB]
    if rob.empty:
        raise Undetermined(f"{ROB} is empty")
    share = float((rob["iou_mean"] >= 0.8).mean())
    iou = fmt(rob["iou_mean"].mean() * 100, rob["iou_std"].mean() * 100, 1)
    text = f"mean IoU {iou} %; {share:.0%} of points >= 80 %"
    shifts = sorted(int(x) for x in rob["shift"].unique())
    note = f"{len(rob)} (shift, coverage) points, shifts {shifts} px; std = mean std over runs"
    return Outcome(text, HOLDS if share >= 0.9 else FAILS, note)


# ----------------------------------------------------------------------------- ADE20K (issue 3) readers
ADE_T1 = "tables/table1.csv"
# '23.80(0.19)', '23.8 %', or '8.27(0.94) [2/3]' (over 2 of 3 runs, delex.tables.mean_std partial)
_NUM = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:\(\s*(\d+(?:\.\d+)?)\s*\))?\s*%?\s*(?:\[\d+/\d+\])?\s*$")


def parse_mean_std(cell) -> tuple[float, float]:
    """'23.80(0.19)' -> (23.8, 0.19); 23.8 -> (23.8, nan); a '[k/n]' runs note is dropped; anything
    else raises Undetermined."""
    if isinstance(cell, int | float | np.number):
        return float(cell), math.nan
    m = _NUM.match(str(cell))
    if not m:
        raise Undetermined(f"cannot read a number from {cell!r}")
    return float(m.group(1)), float(m.group(2)) if m.group(2) else math.nan


def table_value(df: pd.DataFrame, row: str, columns: Sequence[str]) -> tuple[float, float]:
    """(mean, std) of the row whose label (any text column) contains `row` (case-insensitive), read
    from the first existing column of `columns` ('<col>_mean'/'<col>_std' pairs are used when present)."""
    text_cols = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    labels = [
        df[c].astype(str).str.lower().str.replace(r"\s*\[\d+\]", "", regex=True).str.strip()
        for c in text_cols
    ]
    hit = pd.Series(False, index=df.index)
    for lab in labels:  # an exact label first ("gradient"), else a unique substring ("resnet")
        hit |= lab == row.lower()
    if not hit.any():
        for lab in labels:
            hit |= lab.str.contains(row.lower(), regex=False)
    if hit.sum() != 1:
        raise Undetermined(f"{hit.sum()} rows match {row!r} (need exactly 1)")
    r = df[hit].iloc[0]
    for c in columns:
        if f"{c}_mean" in df.columns:
            return float(r[f"{c}_mean"]), float(r.get(f"{c}_std", math.nan))
        if c in df.columns:
            return parse_mean_std(r[c])
    raise Undetermined(f"none of the columns {list(columns)} in the table")


ADE_AVG = ("avg", "Avg.", "average", "iou_avg", "iou_mean")


def ade_value(df: pd.DataFrame, label: str) -> tuple[float, float]:
    """(mean, std) of the insecurity row `label` of Table 1 as the ADE side writes it (columns
    experiment, regions, iou_mean_mean, iou_mean_std; a row may repeat across sections), else any
    layout `table_value` reads."""
    if {"experiment", "regions"} <= set(df.columns):
        rows = df[(df["regions"] == "insecurities") & (df["experiment"].str.lower() == label.lower())]
        if rows.empty:
            raise Undetermined(f"no insecurity row {label!r} in Table 1")
        return table_value(rows.iloc[[0]].drop(columns=["section"], errors="ignore"), label, ADE_AVG)
    return table_value(df, label.split(" score")[0], ADE_AVG)


def _ade(d, score: str = "hardness", attribution: str = "gradient", arch: str = "vgg16"):
    return ade_value(d[ADE_T1], f"{score} score ({attribution}), {arch}")


def ade_scores(d):
    h, hs, e = (_ade(d, k) for k in ("hardness", "hesitancy", "entropy"))
    text = f"hardness {fmt(*h)}; hesitancy {fmt(*hs)}; entropy {fmt(*e)}"
    verdicts = {ordered([hs[0], h[0]], [True]), ordered([e[0], h[0]], [True])}
    verdict = worst(verdicts)
    return Outcome(text, verdict, "IoU %, average over 10-50 % coverage")


def ade_beats_random(d):
    """Every experiment of Table 1 above its random regions (mean IoU over 10-50 % and runs); needs the
    random-region rows the ADE side writes beside each insecurity row (the paper's table has none)."""
    df = d[ADE_T1]
    if not {"experiment", "regions", "iou_mean_mean"} <= set(df.columns):
        raise Undetermined("Table 1 has no random-region rows (experiment, regions, iou_mean_mean)")
    margins = {}
    for exp, rows in df.groupby("experiment", sort=False):
        by = pd.to_numeric(
            rows.drop_duplicates("regions").set_index("regions")["iou_mean_mean"], errors="coerce"
        )
        m = by.get("insecurities", np.nan) - by.get("random regions", np.nan)
        margins[exp] = (m, math.nan) if np.isfinite(m) else None
    note = "margin = insecurity - random-region IoU, %, mean over 10-50 % coverage and runs"
    if {"n_runs", "n_runs_defined"} <= set(df.columns):  # name the rows averaged over fewer runs
        ins = df[df["regions"] == "insecurities"].drop_duplicates("experiment")
        fewer = ins[(ins["n_runs_defined"] > 0) & (ins["n_runs_defined"] < ins["n_runs"])]
        if len(fewer):
            note += "; over the runs with insecurities only: " + ", ".join(
                f"{e} ({k}/{n})"
                for e, k, n in fewer[["experiment", "n_runs_defined", "n_runs"]].itertuples(False)
            )
    return beats_random(margins, note)


def ade_gh_vs_gradient(d):
    g, gh = _ade(d), _ade(d, attribution="gradient-Hessian")
    spread = np.nanmax([g[1], gh[1], 0.0])
    diff = gh[0] - g[0]
    return Outcome(
        f"gradient {fmt(*g)}; gradient-Hessian {fmt(*gh)}", within(diff, 0.0, 2 * spread + 0.5), ""
    )


def ade_architectures(d):
    vals = [_ade(d, arch=k) for k in ("alexnet", "vgg16", "resnet50")]
    text = "; ".join(f"{n} {fmt(*v)}" for n, v in zip(("AlexNet", "VGG16", "ResNet-50"), vals, strict=True))
    spread = max(v[0] for v in vals) - min(v[0] for v in vals)
    return Outcome(text, within(spread, 0.0, 2.0), "no clear difference = max - min of the means <= 2 points")


# ----------------------------------------------------------------------------- sanity (issue 4) readers
SAN_T1 = "tables/sanity_table1.csv"
SAN_T2 = "tables/sanity_table2.csv"
SAN_T3 = "tables/sanity_table3.csv"
SAN_BLUR = "tables/sanity_scores.csv"
_VALUE_COLS = ("rho", "r", "correlation", "spearman", "value")


_ALIGNED = ("deletion", "avg_drop", "drop", "road_morf")  # negated in sanity_table2 (higher = better)
_ID_COLS = ("arch", "run", "pair", "kind")


def pair_values(df: pd.DataFrame, a: str, b: str) -> np.ndarray:
    """Per-method correlation between metrics a and b: from the sanity branch's Table 2 (a `pair`
    column 'a & b', one column per method, every (arch, run) row), a long table (metric_a, metric_b,
    rho) or a wide one like the paper's (first column the pair label)."""
    a, b = a.lower(), b.lower()
    if {"metric_a", "metric_b"} <= set(df.columns):
        ma, mb = df["metric_a"].astype(str).str.lower(), df["metric_b"].astype(str).str.lower()
        sel = df[((ma == a) & (mb == b)) | ((ma == b) & (mb == a))]
        col = next((c for c in _VALUE_COLS if c in df.columns), None)
        if sel.empty or col is None:
            raise Undetermined(f"no {a} & {b} correlation in the table")
        return sel[col].to_numpy(dtype=float)
    label = "pair" if "pair" in df.columns else df.columns[0]
    parts = df[label].astype(str).str.lower().str.split(" & ")

    def has(p, m):
        return any(m in t for t in p)

    sel = df[[len(p) == 2 and has(p, a) and has(p, b) for p in parts]]
    if sel.empty:
        raise Undetermined(f"no rows for the pair {a} & {b}")
    values = sel.drop(columns=[c for c in (label, *_ID_COLS) if c in sel.columns])
    return pd.to_numeric(values.stack(), errors="coerce").dropna().to_numpy(dtype=float)


def san_ins_del(d):
    # Table 2 negates deletion so that higher is better for every metric: undo it to compare with the
    # paper's raw insertion-vs-deletion correlation.
    t2 = d[SAN_T2]
    aligned = {"arch", "kind"} <= set(t2.columns)  # this workflow's layout: deletion negated
    v = pair_values(t2, "insertion", "deletion") * (-1.0 if aligned else 1.0)
    m, s, n = runs_summary(v)
    return Outcome(
        fmt(m, s, 3), in_range(m, -0.87, -0.49), f"Spearman of raw AUCs, mean (std) over {n} values"
    )


def san_pointing(d):
    vals = np.concatenate(
        [pair_values(d[SAN_T2], "pointing", other) for other in ("insertion", "deletion", "drop")]
    )
    mx = float(np.nanmax(np.abs(vals)))
    return Outcome(f"max |r| {mx:.3f} over {vals.size} (method, metric) pairs", in_range(mx, 0.0, 0.35), "")


def san_internal(d):
    t = d[SAN_T1]
    cfg_cols = [c for c in t.columns if "+" in str(c)]  # the configuration columns (zero+pixel, ...)
    num = (t[cfg_cols] if cfg_cols else t.select_dtypes("number")).to_numpy(dtype=float)
    off = num[np.isfinite(num) & (np.abs(num) < 0.9999)]
    if off.size == 0:
        raise Undetermined(f"no off-diagonal correlations in {SAN_T1}")
    m, s, n = runs_summary(off)
    return Outcome(fmt(m, s, 3), in_range(m, 0.7, 1.0), f"mean (std) over {n} configuration pairs")


def san_blur(d):
    """Blurred minus original maps of IG and SmoothGrad (sanity_scores: rows <method> and <method>_blur)."""
    t = d[SAN_BLUR]
    need = {"method", "insertion", "avg_drop"}
    if not need <= set(t.columns):
        raise Undetermined(f"{SAN_BLUR} lacks columns {sorted(need - set(t.columns))}")
    parts, ok = [], True
    for meth in ("integrated_gradients", "smoothgrad"):
        orig, blur = t[t["method"] == meth], t[t["method"] == f"{meth}_blur"]
        if orig.empty or blur.empty:
            raise Undetermined(f"{SAN_BLUR}: no original/blurred rows for {meth}")
        di = float(blur["insertion"].mean() - orig["insertion"].mean())
        dd = float(blur["avg_drop"].mean() - orig["avg_drop"].mean())
        ok &= di > 0 and dd < 0
        parts.append(f"{meth}: insertion {di:+.3f}, Average Drop {dd:+.2f}")
    return Outcome("; ".join(parts), HOLDS if ok else FAILS, "blurred - original, mean over archs and runs")


def san_binarized(d):
    real = pair_values(d[SAN_T2], "insertion", "drop")
    t3 = d[SAN_T3]
    col = next((c for c in t3.columns if str(c).lower().startswith("insertion")), None)
    if col is None:
        raise Undetermined(f"{SAN_T3} has no insertion column")
    binar = pd.to_numeric(t3[col], errors="coerce").dropna().to_numpy(dtype=float)

    def agree(v):
        return max((v > 0).sum(), (v < 0).sum()) / max(v.size, 1)

    text = f"sign agreement across methods: real-valued {agree(real):.0%}, binarized {agree(binar):.0%}"
    return Outcome(text, HOLDS if agree(binar) > agree(real) or agree(binar) == 1 else FAILS, "")


# ----------------------------------------------------------------------------- the claims
DE, REBUTTAL, COH = "Deliberative explanations", "DE rebuttal", "Coherency study"

CLAIMS: tuple[Claim, ...] = (
    Claim(
        "cub_random_precision",
        "CUB",
        f"{DE}, Sec. 5.2",
        "Random insecurity extraction has a precision around 20%",
        "about 20%",
        "+-10 points",
        (PR,),
        cub_random_precision,
    ),
    Claim(
        "cub_beats_random",
        "CUB",
        f"{DE}, Sec. 5.2, Fig. 2",
        "All methods substantially outperform random insecurity extraction",
        "every curve above random",
        "margin > 0 for every experiment",
        (PR,),
        cub_beats_random,
    ),
    Claim(
        "cub_hardness_best",
        "CUB",
        f"{DE}, Sec. 5.2, Fig. 2 left",
        "The hardness score outperforms the hesitancy and entropy scores",
        "hardness > hesitancy, entropy",
        "ordering of the means",
        (PR,),
        cub_scores,
    ),
    Claim(
        "cub_attributions",
        "CUB",
        f"{DE}, Sec. 5.2, Fig. 2 centre",
        "gradient-Hessian >= gradient > gradient without m^s",
        "GH >= gradient > w/o m^s",
        "ordering of the means",
        (PR,),
        cub_attributions,
    ),
    Claim(
        "cub_architectures",
        "CUB",
        f"{DE}, Sec. 5.2, Fig. 2 right",
        "AlexNet performs worst and ResNet-50 best",
        "AlexNet < VGG16 < ResNet-50",
        "ordering of the means",
        (PR,),
        cub_architectures,
    ),
    Claim(
        "cub_similar_accuracy",
        "CUB",
        f"{DE}, Sec. 5.2",
        "ResNet-50 and VGG16 have similar classification performance",
        "similar",
        "|difference| <= 3 points",
        (ACC,),
        cub_similar_accuracy,
    ),
    *(
        Claim(
            f"cub_rho_{key}",
            "CUB",
            f"{REBUTTAL}, Table 1",
            f"Pearson r between importance and precision, {REBUTTAL_ROWS[key]}",
            pub,
            "+-0.15",
            (REB,),
            cub_rho(key, float(pub.split("(")[0])),
        )
        for key, pub in (
            ("hesitancy", "0.58(0.06)"),
            ("entropy", "0.38(0.11)"),
            ("hardness", "0.65(0.05)"),
            ("hardness_ig", "0.65(0.07)"),
            ("hardness_gh", "0.69(0.06)"),
        )
    ),
    Claim(
        "cub_rho_nonself",
        "CUB",
        f"{REBUTTAL}, R1.4",
        "Correlation is stronger for the non-self-referential (hardness) score than for the self-referential",
        "0.65 vs 0.58, 0.38",
        "ordering of the means",
        (REB,),
        cub_rho_nonself,
    ),
    Claim(
        "cub_shift_iou",
        "CUB",
        f"{REBUTTAL}, R1.5, Fig. 2",
        "Insecurities are robust to 1-5 px shifts: average IoU almost always above 80%",
        "IoU > 80% almost always",
        ">= 90% of (shift, coverage) points >= 80%",
        (ROB,),
        cub_shift_iou,
    ),
    Claim(
        "cub_mturk",
        "CUB",
        f"{REBUTTAL}, R1.3",
        "Turkers agree with the algorithm on the ambiguous pair: 51.9% of insecurities, 26.3% of random ones",
        "51.9% vs 26.3%",
        "-",
        not_run_reason="a human (MTurk) study; nothing in this workflow reproduces it",
    ),
    Claim(
        "ade_hardness_best",
        "ADE20K",
        f"{DE}, Table 1",
        "The hardness score outperforms the hesitancy and entropy scores (IoU)",
        "avg 23.80 vs 21.79, 20.73",
        "ordering of the means",
        (ADE_T1,),
        ade_scores,
    ),
    Claim(
        "ade_gh_vs_gradient",
        "ADE20K",
        f"{DE}, Table 1, Sec. 5.2",
        "No significant difference between gradient-Hessian and gradient on ADE20K",
        "avg 24.26(0.30) vs 23.80(0.19)",
        "|diff| <= 2 std + 0.5 points",
        (ADE_T1,),
        ade_gh_vs_gradient,
    ),
    Claim(
        "ade_beats_random",
        "ADE20K",
        f"{DE}, Sec. 5.2, Table 1",
        "All methods substantially outperform random insecurity extraction (IoU)",
        "every row above random",
        "margin > 0 for every experiment",
        (ADE_T1,),
        ade_beats_random,
    ),
    Claim(
        "ade_architectures",
        "ADE20K",
        f"{DE}, Table 1, Sec. 5.2",
        "No clear difference among the three architectures on ADE20K",
        "avg 22.55, 23.80, 22.60",
        "max - min <= 2 points",
        (ADE_T1,),
        ade_architectures,
    ),
    Claim(
        "coh_internal_consistency",
        "sanity",
        f"{COH}, Table 1",
        "Insertion/deletion configurations are highly rank-correlated",
        "0.775-0.966",
        "mean >= 0.7",
        (SAN_T1,),
        san_internal,
    ),
    Claim(
        "coh_insertion_deletion",
        "sanity",
        f"{COH}, Table 2",
        "Insertion and deletion are strongly negatively correlated",
        "-0.64 to -0.72",
        "mean in [-0.87, -0.49]",
        (SAN_T2,),
        san_ins_del,
    ),
    Claim(
        "coh_pointing_uncorrelated",
        "sanity",
        f"{COH}, Table 2",
        "The pointing game is nearly uncorrelated with the other metrics",
        "|r| <= 0.30",
        "max |r| <= 0.35",
        (SAN_T2,),
        san_pointing,
    ),
    Claim(
        "coh_blur",
        "sanity",
        f"{COH}, Fig. 4",
        "Blurring IG and SmoothGrad maps raises their insertion and improves (lowers) their Average Drop",
        "Drop IG 96.85->44.99%, SG 96.99->49.11%",
        "sign of both changes",
        (SAN_BLUR,),
        san_blur,
    ),
    Claim(
        "coh_binarized_drop",
        "sanity",
        f"{COH}, Table 3",
        "Binarized Average Drop is more coherent with insertion than real-valued Average Drop",
        "8/8 vs 5/8 methods positive",
        "sign agreement rises (or is total)",
        (SAN_T2, SAN_T3),
        san_binarized,
    ),
)


def evaluate(claims: Sequence[Claim], files: Mapping[str, str | Path]) -> pd.DataFrame:
    """One row per claim (COLUMNS). `files` maps a claim input (relative path) to the generated file;
    inputs absent from it, or not on disk, make the claim "not run"."""
    rows = []
    for c in claims:
        row = dict(id=c.id, dataset=c.dataset, source=c.source, claim=c.statement, published=c.published)
        row["tolerance"] = c.tolerance
        missing = [p for p in c.inputs if p not in files or not Path(files[p]).exists()]
        if c.check is None:
            out = Outcome("-", NOT_RUN, c.not_run_reason)
        elif missing:
            out = Outcome("-", NOT_RUN, "not produced by this config: " + ", ".join(missing))
        else:
            try:
                out = c.check({p: pd.read_csv(files[p]) for p in c.inputs})
            except (Undetermined, KeyError, ValueError, IndexError) as e:
                out = Outcome("-", UNDETERMINED, f"{type(e).__name__}: {e}")
        row.update(reproduced=out.reproduced, verdict=out.verdict, note=out.note)
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def verdict_counts(table: pd.DataFrame) -> dict[str, int]:
    return {v: int((table["verdict"] == v).sum()) for v in VERDICTS}
