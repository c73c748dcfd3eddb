"""Copies of the registered tables' LaTeX under figures/<name>/, named by registry key."""

from pathlib import Path

from delex import io
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    for src, dst in zip(smk.input, smk.output, strict=True):
        io.write_text(dst, Path(src).read_text())
