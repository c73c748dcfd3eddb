# Deliberative explanations, reproduced: from raw data (or the synthetic twin) to every table and figure.
# `snakemake --cores all` runs the embedded default (config.yaml); see README.md for other configs.


configfile: "config.yaml"


include: "rules/common.smk"
include: "rules/download.smk"
include: "rules/data.smk"
include: "rules/groundtruth.smk"
include: "rules/train.smk"
include: "rules/explain.smk"
include: "rules/evaluate.smk"
include: "rules/figures.smk"
include: "rules/sanity.smk"
include: "rules/ade.smk"
include: "rules/artifact.smk"


localrules:
    all,


rule all:
    default_target: True
    input:
        all_outputs(),
        ARTIFACT_OUTPUTS,
