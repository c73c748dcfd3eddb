"""Generate the synthetic scene twin of ADEChallengeData2016 in the official folder layout."""

from delex.datasets.synthetic_scenes import SyntheticScenesConfig, generate
from delex.smk import job

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    cfg = SyntheticScenesConfig.from_mapping(smk.params.cfg)
    log.info("generating %s", cfg)
    generate(smk.output[0], cfg)
