"""Figures 2-4 of the sanity checks, for the first explained classifier (arch, run)."""

from pathlib import Path

from delex import io
from delex.plots import sanity as P
from delex.plots.style import close
from delex.sanity import tables as T
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    first = "/".join(str(smk.input.curves[0]).split("/")[-4:-2])  # <arch>/run<r> of the first pair

    def name(path):
        return str(path).split("/")[-1].rsplit(".", 1)[0]

    curves = {}
    for p in smk.input.curves:
        if f"/{first}/" in str(p):
            for key, v in io.load_npz(p).items():
                variant, metric = key.split("/", 1)
                curves.setdefault(variant, {})[metric] = v
    maps = {name(p): io.load_npz(p)["maps"] for p in smk.input.maps if f"/{first}/" in str(p)}
    scores = T.load_scores(smk.input.scores)
    arch, run = first.split("/")
    table = T.summary_scores(scores[(scores["arch"] == arch) & (scores["run"] == int(run[3:]))])
    methods = list(smk.params.methods)
    out = str(Path(smk.output[0]).parent)
    fig = P.figure2({m: curves[m] for m in methods})
    io.save_figure(fig, [f"{out}/sanity_figure2.pdf", f"{out}/sanity_figure2.png"])
    close(fig)
    fig = P.figure3(maps)
    io.save_figure(fig, [f"{out}/sanity_figure3.pdf", f"{out}/sanity_figure3.png"])
    close(fig)
    fig = P.figure4(curves, table, list(smk.params.blurred), T.PRIMARY["insertion"], T.PRIMARY["deletion"])
    io.save_figure(fig, [f"{out}/sanity_figure4.pdf", f"{out}/sanity_figure4.png"])
    close(fig)
    log.info("figures for %s", first)
