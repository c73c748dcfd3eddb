"""Generated LaTeX sources of results/<name>/paper.pdf: root, main text copy, numbers, item list."""

from pathlib import Path

import pandas as pd

from delex import io
from delex.artifact.document import items_tex, numbers, numbers_tex
from delex.artifact.registry import ITEMS
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    name = smk.params.name
    items = [i for i in ITEMS if i.key in set(smk.params.item_keys)]
    captions = {k: Path(p).read_text() for k, p in zip(smk.params.item_keys, smk.input.captions, strict=True)}
    claims = pd.read_csv(smk.input.claims)
    io.write_text(smk.output.numbers, numbers_tex(numbers(dict(smk.params.tables), claims, name, items)))
    io.write_text(smk.output.item_list, items_tex(items, name, captions))
    io.write_text(smk.output.main, Path(smk.input.main).read_text())
    gen = Path(smk.output.root).parent.as_posix()
    io.write_text(smk.output.root, f"\\newcommand{{\\delexdir}}{{{gen}}}\n\\input{{{gen}/main.tex}}\n")
