"""The claims table: published vs reproduced value, tolerance and verdict (CSV, Markdown, LaTeX)."""

from delex import io
from delex.artifact.claims import CLAIMS, evaluate, verdict_counts
from delex.artifact.document import claims_latex, claims_markdown
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    table = evaluate(CLAIMS, dict(smk.params.inputs))
    io.write_csv(smk.output.csv, table)
    io.write_text(smk.output.md, claims_markdown(table))
    io.write_text(smk.output.tex, claims_latex(table))
    log.info("claims: %s", verdict_counts(table))
