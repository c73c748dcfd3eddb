"""Generate the synthetic-bird twin of CUB-200-2011 in the official folder layout."""

from delex.datasets.synthetic_birds import SyntheticBirdsConfig, generate
from delex.smk import job

with job(snakemake) as log:  # noqa: F821 (snakemake is injected by the script directive)
    cfg = SyntheticBirdsConfig.from_mapping(snakemake.params.cfg)  # noqa: F821
    log.info("generating %s", cfg)
    generate(snakemake.output[0], cfg)  # noqa: F821
