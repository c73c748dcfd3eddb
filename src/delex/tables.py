"""Result tables: mean (std) over runs, and CSV / Markdown / LaTeX (booktabs) writers."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from delex.io import write_csv, write_text

NA = "n/a"


def mean_std(
    values, digits: int = 2, scale: float = 1.0, partial: bool = False, spec: str | None = None
) -> str:
    """'mean(std)' of scale * values as in the paper's tables, e.g. '8.63(0.12)'; `spec` replaces the
    fixed-point format (".0e" gives the rebuttal's '5e-08(7e-08)').

    std is the sample std (ddof=1) over runs; a single run prints the mean alone. Any NaN (a failed or
    undefined run) or no value at all gives 'n/a' rather than silently averaging fewer runs. With
    `partial`, the defined runs are summarised and the cell says how many of all they are, e.g.
    '8.27(0.94) [2/3]' (a run whose hardness predictor found no insecurity); none defined: 'n/a'.
    """
    v = np.asarray(values, dtype=np.float64).reshape(-1) * scale
    ok = v[~np.isnan(v)]
    if v.size == 0 or ok.size == 0 or (ok.size < v.size and not partial):
        return NA
    m, spec = ok.mean(), spec or f".{digits}f"
    core = f"{m:{spec}}" if ok.size == 1 else f"{m:{spec}}({ok.std(ddof=1):{spec}})"
    return core if ok.size == v.size else f"{core} [{ok.size}/{v.size}]"


def defined_runs(values) -> tuple[float, float, int]:
    """(mean, sample std, count) over the defined (non-NaN) runs; NaN where too few are defined."""
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    v = v[~np.isnan(v)]
    return (
        float(v.mean()) if v.size else math.nan,
        float(v.std(ddof=1)) if v.size > 1 else math.nan,
        int(v.size),
    )


def summarise_runs(df: pd.DataFrame, by, value_cols: Sequence[str]) -> pd.DataFrame:
    """Per group of `by`: n_runs and <col>_mean, <col>_std (ddof=1, NaN for one run) of each value."""
    by = [by] if isinstance(by, str) else list(by)
    grouped = df.groupby(by, sort=False, dropna=False)
    out = grouped.size().rename("n_runs").to_frame()
    for col in value_cols:
        out[f"{col}_mean"] = grouped[col].mean()
        out[f"{col}_std"] = grouped[col].std(ddof=1)
    return out.reset_index()


def _cell(v, float_format: str) -> str:
    """Text of one table cell: NaN -> 'n/a', floats through float_format, anything else str()."""
    if v is None or v is pd.NA or v is pd.NaT:
        return NA
    if isinstance(v, float | np.floating):
        return NA if math.isnan(v) else float_format.format(v)
    return str(v)


def _is_numeric(s: pd.Series) -> bool:
    """Numeric (not bool) column: right-aligned in both writers."""
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def to_markdown(df: pd.DataFrame, float_format: str = "{:.4g}") -> str:
    """Plain pipe table (no tabulate dependency); '|' in cells is escaped, numbers right-aligned."""

    def esc(s: str) -> str:
        return s.replace("|", r"\|").replace("\n", " ")

    cols = list(df.columns)
    lines = ["| " + " | ".join(esc(str(c)) for c in cols) + " |"]
    lines.append("|" + "|".join("---:" if _is_numeric(df[c]) else "---" for c in cols) + "|")
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(esc(_cell(v, float_format)) for v in row) + " |")
    return "\n".join(lines) + "\n"


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIALS))


def latex_escape(text: str) -> str:
    """Escape LaTeX special characters in one pass (so inserted backslashes are not re-escaped)."""
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group()], str(text))


def to_latex_booktabs(
    df: pd.DataFrame,
    caption: str | None = None,
    label: str | None = None,
    float_format: str = "{:.4g}",
) -> str:
    """booktabs tabular of df (cells and caption escaped); wrapped in a table when captioned/labelled."""
    cols = list(df.columns)
    spec = "".join("r" if _is_numeric(df[c]) else "l" for c in cols)
    body = [
        rf"\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        " & ".join(latex_escape(c) for c in cols) + r" \\",
        r"\midrule",
    ]
    for row in df.itertuples(index=False):
        body.append(" & ".join(latex_escape(_cell(v, float_format)) for v in row) + r" \\")
    body += [r"\bottomrule", r"\end{tabular}"]
    if caption is None and label is None:
        return "\n".join(body) + "\n"
    head = [r"\begin{table}[t]", r"\centering"]
    if caption is not None:
        head.append(rf"\caption{{{latex_escape(caption)}}}")
    if label is not None:
        head.append(rf"\label{{{label}}}")
    return "\n".join(head + body + [r"\end{table}"]) + "\n"


def write_table(
    df: pd.DataFrame,
    stem: str | os.PathLike,
    caption: str | None = None,
    label: str | None = None,
) -> None:
    """Write stem.csv, stem.md and stem.tex atomically (delex.io)."""
    stem = os.fspath(stem)
    write_csv(stem + ".csv", df)
    write_text(stem + ".md", to_markdown(df))
    write_text(stem + ".tex", to_latex_booktabs(df, caption=caption, label=label))
