"""The list of registered items shown in the report (its files are flagged report() in the input)."""

from delex import io
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk):
    io.write_json(smk.output[0], {"items": list(smk.params.registered)})
