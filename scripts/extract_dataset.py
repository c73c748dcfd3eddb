"""Verify an archive (downloaded or placed by hand) and its extra files, then extract it atomically."""

from pathlib import Path

from delex.datasets.download import extract, file_digest, load_sources, verify
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    sources = load_sources(smk.params.sources)
    src = sources[smk.params.source]
    alg = verify(smk.input.archive, src.digests)
    log.info("%s: %s checksum ok (sha256 %s)", smk.input.archive, alg, file_digest(smk.input.archive))
    for name, path in zip(src.extras, smk.input.extras, strict=True):
        verify(path, sources[name].digests)
    out = Path(smk.output[0])
    extract(smk.input.archive, out.parent, out.name, tuple(smk.input.extras))
    log.info("extracted to %s", out)
