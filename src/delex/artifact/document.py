"""Generated parts of the LaTeX document: the figure/table list (items.tex), the numbers its text
quotes (numbers.tex, one \\newcommand each) and the claims table in LaTeX/Markdown.

The hand-written text is paper/main.tex; it types no result by hand, only these macros.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from delex.artifact.claims import VERDICTS, verdict_counts
from delex.artifact.registry import Item, section_title, sections
from delex.tables import latex_escape, to_markdown

_MACRO = re.compile(r"^[A-Za-z]+$")


def tex(text: str) -> str:
    """latex_escape plus the characters OT1 fonts lack in text mode (<, >, |) and arrows/+-."""
    s = latex_escape(str(text))
    for a, b in (("->", r"$\to$"), ("+-", r"$\pm$"), (">=", r"$\geq$"), ("<=", r"$\leq$")):
        s = s.replace(a, b)
    return s.replace("<", r"$<$").replace(">", r"$>$").replace("|", r"$|$")


def caption_text(rst: str) -> str:
    """A caption .rst (plain prose, ``literal`` and *emphasis* only) as one line of plain text."""
    return " ".join(line.strip() for line in rst.strip().splitlines() if line.strip())


def rst_to_latex(rst: str) -> str:
    """Caption .rst -> LaTeX: ``x`` -> \\texttt{x}, *x* -> \\emph{x}, everything else escaped."""
    out, pos = [], 0
    text = caption_text(rst)
    for m in re.finditer(r"``(.+?)``|\*(.+?)\*", text):
        out.append(tex(text[pos : m.start()]))
        out.append(rf"\texttt{{{tex(m.group(1))}}}" if m.group(1) else rf"\emph{{{tex(m.group(2))}}}")
        pos = m.end()
    out.append(tex(text[pos:]))
    return "".join(out)


def items_tex(items: Iterable[Item], name: str, captions: Mapping[str, str]) -> str:
    """Every registered item of the config, grouped by section/subsection: figures by
    \\includegraphics of their PDF, tables by \\input of their copy under figures/<name>/ (long
    tables as longtables), data files by name. captions: key -> caption .rst text."""
    lines = []
    current = None
    for section, subsection, group in sections(items):
        if section != current:
            # \clearpage flushes the floats of the previous section: items stay in their section
            lines += [r"\clearpage", rf"\section{{{latex_escape(section_title(section))}}}", ""]
            current = section
        lines += [rf"\subsection{{{latex_escape(subsection)}}}", ""]
        # long tables (pages of rows) after the subsection's floats, so those stay near their text
        group = [i for i in group if not i.long] + [i for i in group if i.long]
        for it in group:
            if it.long:
                lines += [r"\clearpage"]
            cap = rst_to_latex(captions[it.key])
            num = f"Reproduces {latex_escape(it.number)}. " if it.number else ""
            path = it.paper_file(name)
            if it.kind == "figure":
                lines += [
                    r"\begin{figure}[htbp]",
                    r"\centering",
                    rf"\includegraphics[width=\linewidth,height=0.42\textheight,keepaspectratio]{{{path}}}",
                    rf"\caption{{{num}{cap}}}",
                    rf"\label{{fig:{it.key}}}",
                    r"\end{figure}",
                    "",
                ]
            elif it.kind == "table":
                macro = r"\delexlongtable" if it.long else r"\delextable"
                lines += [rf"\paragraph{{{num or 'Table. '}}}{cap}", "", rf"{macro}{{{path}}}", ""]
            else:
                lines += [
                    rf"\paragraph{{Data. }}{cap} File: \texttt{{{latex_escape(it.path(name))}}}.",
                    "",
                ]
    return "\n".join(lines) + "\n"


def numbers_tex(values: Mapping[str, str]) -> str:
    """\\newcommand{\\Name}{value} for each entry (names: letters only; values LaTeX-escaped)."""
    lines = ["% Generated from the result CSVs by scripts/paper_sources.py; do not edit."]
    for k, v in values.items():
        if not _MACRO.match(k):
            raise ValueError(f"macro name {k!r}: letters only")
        lines.append(rf"\newcommand{{\{k}}}{{{tex(v)}}}")
    return "\n".join(lines) + "\n"


def _num(x: float, digits: int = 2) -> str:
    return "n/a" if x is None or not math.isfinite(x) else f"{x:.{digits}f}"


def numbers(tables: Mapping[str, Path], claims: pd.DataFrame, name: str, items: list[Item]) -> dict[str, str]:
    """The values the document's text quotes, each read from a generated file; absent inputs give
    'n/a' (the document still compiles)."""
    v = {"ConfigName": name}
    counts = verdict_counts(claims)
    v["ClaimsTotal"] = str(len(claims))
    for verdict in VERDICTS:
        v["Claims" + verdict.title().replace(" ", "")] = str(counts[verdict])
    v["NumFigures"] = str(sum(i.kind == "figure" for i in items))
    v["NumTables"] = str(sum(i.kind == "table" for i in items))
    acc = tables.get("accuracy")
    for arch, macro in (("vgg16", "AccVGG"), ("resnet50", "AccResNet"), ("alexnet", "AccAlexNet")):
        val = math.nan
        if acc is not None and Path(acc).exists():
            a = pd.read_csv(acc).set_index("arch")
            val = float(a.loc[arch, "test_accuracy_mean"]) if arch in a.index else math.nan
        v[macro] = _num(val, 1)
    pr = tables.get("precision_recall")
    if pr is not None and Path(pr).exists():
        p = pd.read_csv(pr)
        v["NumRuns"] = str(p["run"].nunique())
        v["NumExperiments"] = str(len(p.groupby(["arch", "score", "attribution"])))
    else:
        v["NumRuns"] = v["NumExperiments"] = "n/a"
    rob = tables.get("robustness")
    v["ShiftIoU"] = (
        _num(float(pd.read_csv(rob)["iou_mean"].mean()) * 100, 1) if rob and Path(rob).exists() else "n/a"
    )
    reb = tables.get("rebuttal_table1")
    rho = math.nan
    if reb is not None and Path(reb).exists():
        t = pd.read_csv(reb).set_index("score (attribution)")
        rho = (
            float(t.loc["hardness score (gradient)", "rho_mean"])
            if "hardness score (gradient)" in t.index
            else rho
        )
    v["RhoHardness"] = _num(rho)
    by_id = claims.set_index("id")
    for cid, macro in (("cub_random_precision", "RandomPrecision"), ("cub_hardness_best", "ScoresCompared")):
        v[macro] = str(by_id.loc[cid, "reproduced"]) if cid in by_id.index else "n/a"
    return v


def claims_latex(table: pd.DataFrame) -> str:
    """The claims table as a booktabs table float with wrapping columns (the PDF sets it long)."""
    cols = [("claim", "p{4.6cm}"), ("dataset", "l"), ("published", "p{2.3cm}"), ("reproduced", "p{3.4cm}")]
    cols += [("tolerance", "p{2.1cm}"), ("verdict", "l")]
    head = " & ".join(c.capitalize() for c, _ in cols) + r" \\"
    body = []
    for _, r in table.iterrows():
        cells = [tex(f"{r['claim']} ({r['source']})")] + [tex(r[c]) for c, _ in cols[1:]]
        body.append(" & ".join(cells) + r" \\")
    spec = "".join(s for _, s in cols)
    return (
        "\n".join(
            [
                r"\begin{table}[t]",
                r"\centering",
                r"\caption{The papers' quantitative claims: published vs reproduced on this config}",
                r"\label{tab:claims}",
                rf"\begin{{tabular}}{{{spec}}}",
                r"\toprule",
                head,
                r"\midrule",
                *body,
                r"\bottomrule",
                r"\end{tabular}",
                r"\end{table}",
            ]
        )
        + "\n"
    )


def claims_markdown(table: pd.DataFrame) -> str:
    counts = verdict_counts(table)
    summary = ", ".join(f"{n} {v}" for v, n in counts.items())
    return f"# Claims: published vs reproduced\n\n{len(table)} claims: {summary}.\n\n" + to_markdown(table)


def included_files(fls_text: str, root: Path) -> set[str]:
    """Files (relative to root) that a LaTeX run read, from latexmk's -recorder .fls listing."""
    out = set()
    root = Path(root).resolve()
    for line in fls_text.splitlines():
        if line.startswith("INPUT "):
            p = Path(line[6:].strip())
            p = (root / p).resolve() if not p.is_absolute() else p.resolve()
            try:
                out.add(p.relative_to(root).as_posix())
            except ValueError:
                continue  # TeX Live's own files
    return out


__all__ = [
    "caption_text",
    "claims_latex",
    "claims_markdown",
    "included_files",
    "items_tex",
    "numbers",
    "numbers_tex",
    "rst_to_latex",
    "tex",
]
