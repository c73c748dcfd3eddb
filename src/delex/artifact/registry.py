"""Every figure and table the workflow produces, with its paper section and number, in ONE list.

The Snakemake report (captions report/<key>.rst), the LaTeX document (results/<name>/paper.pdf), the
copies of tables under figures/<name>/ and the completeness tests all read ITEMS. Adding an output to
the workflow = one Item here + one caption file report/<key>.rst; a figure or table produced by the
workflow but missing here makes the workflow refuse to start (`unregistered`) and the tests fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

KINDS = ("figure", "table", "data")


def always(config: Mapping) -> bool:
    return True


def _ade_on(config: Mapping) -> bool:
    return bool((config.get("ade") or {}).get("enabled", False))


def _sanity_on(config: Mapping) -> bool:
    return bool((config.get("sanity") or {}).get("enabled", False))


@dataclass(frozen=True)
class Item:
    """One figure/table of the artifact.

    source: path template with {R} = results/<name> and {FIG} = figures/<name>; a figure or table is
    given by its stem (figure: .pdf for the paper, .png for the report; table: .tex for the paper and
    figures/<name>/<key>.tex, .csv for the report), a data file by its full path (report only; the
    paper lists it by name).
    """

    key: str
    kind: str
    source: str
    section: str
    subsection: str
    number: str = ""  # the papers' numbering ("Figure 2 (left)"); "" for items the papers lack
    long: bool = False  # table set as a longtable (breaks across pages) in the PDF
    enabled: Callable[[Mapping], bool] = field(default=always, compare=False, repr=False)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"registry item {self.key}: kind {self.kind!r} not in {KINDS}")
        if not re.fullmatch(r"[a-z0-9_]+", self.key):
            raise ValueError(f"registry item {self.key!r}: key must be lower-case letters, digits, _")

    def path(self, name: str) -> str:
        return self.source.format(R=f"results/{name}", FIG=f"figures/{name}")

    def produced(self, name: str) -> list[str]:
        """Files of this item the workflow produces (what all_outputs() lists)."""
        p = self.path(name)
        return {"figure": [p + ".pdf", p + ".png"], "table": [p + ".csv", p + ".md", p + ".tex"]}.get(
            self.kind, [p]
        )

    def report_file(self, name: str) -> str:
        """The file shown in the Snakemake report."""
        p = self.path(name)
        return {"figure": p + ".png", "table": p + ".csv"}.get(self.kind, p)

    def paper_file(self, name: str) -> str | None:
        """The file the LaTeX document includes: the figure's PDF or the table's copy in figures/."""
        if self.kind == "figure":
            return self.path(name) + ".pdf"
        if self.kind == "table":
            return f"figures/{name}/{self.key}.tex"
        return None

    def caption_file(self) -> str:
        return f"report/{self.key}.rst"


CUB = "1 CUB-200-2011 (deliberative explanations)"
ADE = "2 ADE20K (deliberative explanations)"
SANITY = "3 Sanity checks of explanation metrics (coherency study)"
CLAIMS = "4 Claims checked"

ITEMS: tuple[Item, ...] = (
    # CUB-200-2011: Section 5.2 ablations (Figure 2) and the tables behind them
    Item("figure2_scores", "figure", "{FIG}/figure2_scores", CUB, "Ablations (Figure 2)", "Figure 2 (left)"),
    Item(
        "figure2_attributions",
        "figure",
        "{FIG}/figure2_attributions",
        CUB,
        "Ablations (Figure 2)",
        "Figure 2 (centre)",
    ),
    Item(
        "figure2_architectures",
        "figure",
        "{FIG}/figure2_architectures",
        CUB,
        "Ablations (Figure 2)",
        "Figure 2 (right)",
    ),
    Item("precision_at_coverage", "table", "{R}/tables/precision_at_coverage", CUB, "Ablations (Figure 2)"),
    Item("precision_recall", "data", "{R}/tables/precision_recall.csv", CUB, "Ablations (Figure 2)"),
    # Section 5.3 qualitative examples
    Item(
        "figure3_qualitative", "figure", "{FIG}/figure3_qualitative", CUB, "Examples (Figure 3)", "Figure 3"
    ),
    # the rebuttal's experiments
    Item("rebuttal_table1", "table", "{R}/tables/rebuttal_table1", CUB, "Rebuttal", "Rebuttal Table 1"),
    Item(
        "rebuttal_figure2_shift",
        "figure",
        "{FIG}/rebuttal_figure2_shift",
        CUB,
        "Rebuttal",
        "Rebuttal Figure 2",
    ),
    Item("robustness", "table", "{R}/tables/robustness", CUB, "Rebuttal", long=True),
    # set-up: ground truth and classifiers (Section 5.1)
    Item("groundtruth_similarity", "figure", "{FIG}/groundtruth_similarity", CUB, "Set-up (Section 5.1)"),
    Item("triplets", "data", "{R}/groundtruth/triplets.csv", CUB, "Set-up (Section 5.1)"),
    Item("accuracy", "table", "{R}/tables/accuracy", CUB, "Set-up (Section 5.1)"),
    Item("training_curves", "figure", "{FIG}/training_curves", CUB, "Set-up (Section 5.1)"),
    # ADE20K side (rules/ade.smk): Table 1 and Figure 4 of the paper, and its ground truth
    Item(
        "table1",
        "table",
        "{R}/tables/table1",
        ADE,
        "Insecurities vs common objects (Table 1)",
        "Table 1",
        enabled=_ade_on,
    ),
    Item(
        "figure4_qualitative",
        "figure",
        "{FIG}/figure4_qualitative",
        ADE,
        "Examples (Figure 4)",
        "Figure 4",
        enabled=_ade_on,
    ),
    Item("ade_groundtruth", "figure", "{FIG}/ade_groundtruth", ADE, "Set-up (ground truth)", enabled=_ade_on),
    # the coherency study's sanity checks (rules/sanity.smk), on the main chain's classifiers
    *(
        Item(key, kind, src, SANITY, sub, number, enabled=_sanity_on)
        for key, kind, src, sub, number in (
            ("sanity_table1", "table", "{R}/tables/sanity_table1", "Internal consistency", "Table 1"),
            ("sanity_table_a1", "table", "{R}/tables/sanity_table_a1", "Internal consistency", "Table A1/A4"),
            ("sanity_table2", "table", "{R}/tables/sanity_table2", "Inter-method reliability", "Table 2"),
            ("sanity_figure2", "figure", "{FIG}/sanity_figure2", "Metric curves and map values", "Figure 2"),
            ("sanity_figure3", "figure", "{FIG}/sanity_figure3", "Metric curves and map values", "Figure 3"),
            ("sanity_figure4", "figure", "{FIG}/sanity_figure4", "Blurred maps", "Figure 4"),
            ("sanity_table3", "table", "{R}/tables/sanity_table3", "Binarized Average Drop", "Table 3"),
            ("sanity_table_a2", "table", "{R}/tables/sanity_table_a2", "Binarized Average Drop", "Table A2"),
            ("sanity_table_a3", "table", "{R}/tables/sanity_table_a3", "Binarized Average Drop", "Table A3"),
            ("sanity_scores", "table", "{R}/tables/sanity_scores", "Scores per method", ""),
        )
    ),
    # the claims table of this artifact (rules/artifact.smk)
    Item("claims", "table", "{R}/claims/claims", CLAIMS, "Published vs reproduced", long=True),
)


def items_for(config: Mapping, items: Iterable[Item] = ITEMS) -> list[Item]:
    """The registered items this config produces, in registry order; keys must be unique."""
    out = [i for i in items if i.enabled(config)]
    keys = [i.key for i in out]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise ValueError(f"registry keys used twice: {dup}")
    return out


_ARTIFACT_FILE = re.compile(
    r"^(figures/[^/]+/[^/]+\.(pdf|png)|results/[^/]+/(tables|claims)/[^/]+\.(csv|md|tex))$"
)


def is_artifact_file(path: str) -> bool:
    """A figure (figures/<name>/*.pdf|png) or a table (results/<name>/tables/*.csv|md|tex)."""
    return bool(_ARTIFACT_FILE.match(str(path)))


def unregistered(paths: Iterable[str], name: str, items: Iterable[Item]) -> list[str]:
    """Figures and tables among `paths` (e.g. all_outputs()) that no registry item covers."""
    covered = {f for i in items for f in i.produced(name)}
    return sorted({str(p) for p in paths if is_artifact_file(p) and str(p) not in covered})


def sections(items: Iterable[Item]) -> list[tuple[str, str, list[Item]]]:
    """(section, subsection, items) in first-appearance order: the report's and the PDF's outline."""
    order: dict[tuple[str, str], list[Item]] = {}
    for i in items:
        order.setdefault((i.section, i.subsection), []).append(i)
    return sorted(((s, ss, v) for (s, ss), v in order.items()), key=lambda t: t[0])


def section_title(section: str) -> str:
    """'1 CUB-200-2011 (...)' -> 'CUB-200-2011 (...)': the leading number only orders the report."""
    return re.sub(r"^\d+\s+", "", section)
