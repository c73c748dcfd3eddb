# The regenerated paper artifact: a captioned Snakemake report of every registered figure and table,
# the claims table, copies of the tables under figures/<name>/, and results/<name>/paper.pdf (LaTeX).
# What is registered, and where it goes in the report and the PDF: src/delex/artifact/registry.py.
import os
import shutil
import sys
from pathlib import Path

from delex.artifact.claims import CLAIMS
from delex.artifact.registry import items_for, unregistered


report: "../report/workflow.rst"


ITEMS = items_for(config)
ITEM = {i.key: i for i in ITEMS}
TABLE_ITEMS = [i for i in ITEMS if i.kind == "table"]
_PAPER_MODE = config.get("artifact", {}).get("paper", "auto")
PAPER = _PAPER_MODE == "on" or (
    _PAPER_MODE == "auto" and shutil.which("latexmk") is not None
)
LATEX_HINT = (
    "apt-get install latexmk texlive-latex-base texlive-latex-recommended "
    "(Debian/Ubuntu)"
)
for _i in ITEMS:
    if not Path(workflow.basedir, _i.caption_file()).is_file():
        raise WorkflowError(
            f"registry item {_i.key}: caption {_i.caption_file()} missing"
        )
_UNREGISTERED = unregistered(all_outputs(), NAME, ITEMS)
if _UNREGISTERED:
    print(
        "WARNING: figures/tables not in src/delex/artifact/registry.py (left out of the report "
        "and the PDF; add an Item and report/<key>.rst): " + ", ".join(_UNREGISTERED),
        file=sys.stderr,
    )
if _PAPER_MODE == "auto" and not PAPER:
    print(
        f"NOTE: latexmk not found: {R}/paper.pdf is left out. To build it: {LATEX_HINT}",
        file=sys.stderr,
    )
_PRODUCED = set(all_outputs())
# the claims read only files this config produces; the others are reported "not run"
CLAIM_INPUTS = {
    p: f"{R}/{p}" for c in CLAIMS for p in c.inputs if f"{R}/{p}" in _PRODUCED
}
NUMBER_TABLES = {
    k: f"{R}/tables/{k}.csv"
    for k in ("accuracy", "precision_recall", "robustness", "rebuttal_table1")
    if f"{R}/tables/{k}.csv" in _PRODUCED
}


# the artifact's targets (rule all): report anchor, claims, table copies, and the PDF when LaTeX is here
ARTIFACT_OUTPUTS = [
    f"{R}/artifact/manifest.json",
    f"{R}/claims/claims.csv",
    *[i.paper_file(NAME) for i in TABLE_ITEMS],
    *([f"{R}/paper.pdf"] if PAPER else []),
]


# Seconds-long assembly of the artifact (LaTeX is likelier on the login node): in the main Snakemake
# process on a cluster (see rules/figures.smk).
localrules:
    claims,
    final_tables,
    artifact_report,
    paper_sources,
    paper,


rule claims:
    input:
        list(CLAIM_INPUTS.values()),
    output:
        csv=f"{R}/claims/claims.csv",
        md=f"{R}/claims/claims.md",
        tex=f"{R}/claims/claims.tex",
    log:
        f"{LOG}/artifact/claims.log",
    benchmark:
        f"{BENCH}/artifact/claims.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        inputs=CLAIM_INPUTS,
        code=source_hash("artifact"),
    script:
        "../scripts/claims.py"


rule final_tables:
    input:
        [i.path(NAME) + ".tex" for i in TABLE_ITEMS],
    output:
        [i.paper_file(NAME) for i in TABLE_ITEMS],
    log:
        f"{LOG}/artifact/final_tables.log",
    benchmark:
        f"{BENCH}/artifact/final_tables.tsv"
    conda:
        "../envs/delex.yaml"
    script:
        "../scripts/final_tables.py"


rule artifact_report:
    input:
        [
            report(
                i.report_file(NAME),
                caption=f"../{i.caption_file()}",
                category=i.section,
                subcategory=i.subsection,
                labels={"item": i.number or i.key, "type": i.kind},
            )
            for i in ITEMS
        ],
    output:
        f"{R}/artifact/manifest.json",
    log:
        f"{LOG}/artifact/manifest.log",
    benchmark:
        f"{BENCH}/artifact/manifest.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        registered=[
            {
                "key": i.key,
                "kind": i.kind,
                "number": i.number,
                "section": i.section,
                "subsection": i.subsection,
                "report_file": i.report_file(NAME),
                "paper_file": i.paper_file(NAME),
            }
            for i in ITEMS
        ],
    script:
        "../scripts/artifact_manifest.py"


rule paper_sources:
    input:
        claims=f"{R}/claims/claims.csv",
        tables=list(NUMBER_TABLES.values()),
        captions=[workflow.source_path(f"../{i.caption_file()}") for i in ITEMS],
        main=workflow.source_path("../paper/main.tex"),
    output:
        root=f"{R}/paper/paper.tex",
        main=f"{R}/paper/main.tex",
        numbers=f"{R}/paper/numbers.tex",
        item_list=f"{R}/paper/items.tex",
    log:
        f"{LOG}/artifact/paper_sources.log",
    benchmark:
        f"{BENCH}/artifact/paper_sources.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        name=NAME,
        tables=NUMBER_TABLES,
        item_keys=[i.key for i in ITEMS],
        code=source_hash("artifact"),
    script:
        "../scripts/paper_sources.py"


rule paper:
    input:
        root=rules.paper_sources.output.root,
        sources=rules.paper_sources.output,
        figures_tables=[i.paper_file(NAME) for i in ITEMS if i.paper_file(NAME)],
    output:
        pdf=f"{R}/paper.pdf",
        fls=f"{R}/paper/build/paper.fls",
    log:
        f"{LOG}/artifact/paper.log",
    benchmark:
        f"{BENCH}/artifact/paper.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        outdir=lambda w, output: os.path.dirname(output.fls),
    shell:
        "latexmk -pdf -interaction=nonstopmode -halt-on-error -file-line-error -recorder "
        "-outdir={params.outdir} {input.root} > {log} 2>&1 && cp {params.outdir}/paper.pdf {output.pdf}"
