# One script per figure (showyourwork style); each writes PDF and PNG, the CSV behind it is in tables/.


# Seconds-long aggregation steps run in the main Snakemake process on a cluster (a scheduler job
# costs a queue wait and a nested Snakemake start for each); everything else is submitted.
localrules:
    figure2,
    rebuttal_figure2_shift,
    groundtruth_similarity,
    training_curves,
    figure3_qualitative,


rule figure2:
    input:
        f"{R}/tables/precision_recall.csv",
    output:
        figure_files("figure2_{panel}"),
    log:
        f"{LOG}/figures/figure2_{{panel}}.log",
    wildcard_constraints:
        panel="scores|attributions|architectures",
    conda:
        "../envs/delex.yaml"
    params:
        default=[DEFAULT["arch"], DEFAULT["score"], DEFAULT["attribution"]],
        code=source_hash("plots"),
    script:
        "../scripts/figure2.py"


rule rebuttal_figure2_shift:
    input:
        f"{R}/tables/robustness.csv",
    output:
        figure_files("rebuttal_figure2_shift"),
    log:
        f"{LOG}/figures/rebuttal_figure2_shift.log",
    conda:
        "../envs/delex.yaml"
    params:
        code=source_hash("plots"),
    script:
        "../scripts/rebuttal_figure2_shift.py"


rule groundtruth_similarity:
    input:
        gt=f"{R}/groundtruth/groundtruth.npz",
        dataset=f"{R}/dataset.json",
    output:
        figure_files("groundtruth_similarity"),
    log:
        f"{LOG}/figures/groundtruth_similarity.log",
    conda:
        "../envs/delex.yaml"
    params:
        code=source_hash("plots"),
    script:
        "../scripts/groundtruth_similarity.py"


rule training_curves:
    input:
        expand(f"{R}/models/{{arch}}/run{{run}}/curves.csv", arch=ARCHS, run=RUNS),
    output:
        figure_files("training_curves"),
    log:
        f"{LOG}/figures/training_curves.log",
    conda:
        "../envs/delex.yaml"
    params:
        archs=ARCHS,
        runs=RUNS,
        code=source_hash("plots"),
    script:
        "../scripts/training_curves.py"


rule figure3_qualitative:
    input:
        expl=f"{R}/explain/{DEFAULT_DIR}/run{RUNS[0]}.npz",
        ins=f"{R}/evaluate/{DEFAULT_DIR}/run{RUNS[0]}_insecurities.csv",
        data=f"{R}/prepared.npz",
        dataset=f"{R}/dataset.json",
        gt=f"{R}/groundtruth/groundtruth.npz",
    output:
        figure_files("figure3_qualitative"),
    log:
        f"{LOG}/figures/figure3_qualitative.log",
    conda:
        "../envs/delex.yaml"
    params:
        n_examples=config.get("figures", {}).get("qualitative_examples", 2),
        code=source_hash("plots"),
    script:
        "../scripts/figure3_qualitative.py"
