"""Fetch one official archive into resources/ (resuming a partial download) and verify it."""

from delex.datasets.download import fetch, file_digest, load_sources
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    src = load_sources(smk.params.sources)[smk.params.source]
    log.info("fetching %s from %s", src.filename, src.url)
    path = fetch(src, smk.output[0], progress=True)
    log.info("verified %s; sha256 %s", path, file_digest(path))
