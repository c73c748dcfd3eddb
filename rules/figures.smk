# One script per figure (showyourwork style); each writes PDF and PNG, the CSV behind it is in tables/.


rule figure2:
    input:
        f"{R}/tables/precision_recall.csv",
    output:
        figure_files(FIG + "/figure2_{panel}"),
    params:
        default=[DEFAULT["arch"], DEFAULT["score"], DEFAULT["attribution"]],
        code=source_hash("plots"),
    wildcard_constraints:
        panel="scores|attributions|architectures",
    log:
        f"{LOG}/figures/figure2_{{panel}}.log",
    script:
        "../scripts/figure2.py"


rule rebuttal_figure2_shift:
    input:
        f"{R}/tables/robustness.csv",
    output:
        figure_files(FIG + "/rebuttal_figure2_shift"),
    params:
        code=source_hash("plots"),
    log:
        f"{LOG}/figures/rebuttal_figure2_shift.log",
    script:
        "../scripts/rebuttal_figure2_shift.py"


rule groundtruth_similarity:
    input:
        gt=f"{R}/groundtruth/groundtruth.npz",
        dataset=f"{R}/dataset.json",
    output:
        figure_files(FIG + "/groundtruth_similarity"),
    params:
        code=source_hash("plots"),
    log:
        f"{LOG}/figures/groundtruth_similarity.log",
    script:
        "../scripts/groundtruth_similarity.py"


rule training_curves:
    input:
        expand(f"{R}/models/{{arch}}/run{{run}}/curves.csv", arch=ARCHS, run=RUNS),
    output:
        figure_files(FIG + "/training_curves"),
    params:
        archs=ARCHS,
        runs=RUNS,
        code=source_hash("plots"),
    log:
        f"{LOG}/figures/training_curves.log",
    script:
        "../scripts/training_curves.py"


rule figure3_qualitative:
    input:
        expl=expand(
            R + "/explain/{a}/{s}/{t}/run{r}.npz",
            a=DEFAULT["arch"],
            s=DEFAULT["score"],
            t=DEFAULT["attribution"],
            r=RUNS[0],
        ),
        ins=expand(
            R + "/evaluate/{a}/{s}/{t}/run{r}_insecurities.csv",
            a=DEFAULT["arch"],
            s=DEFAULT["score"],
            t=DEFAULT["attribution"],
            r=RUNS[0],
        ),
        data=f"{R}/prepared.npz",
        dataset=f"{R}/dataset.json",
        gt=f"{R}/groundtruth/groundtruth.npz",
    output:
        figure_files(FIG + "/figure3_qualitative"),
    params:
        n_examples=config.get("figures", {}).get("qualitative_examples", 2),
        code=source_hash("plots"),
    log:
        f"{LOG}/figures/figure3_qualitative.log",
    script:
        "../scripts/figure3_qualitative.py"
