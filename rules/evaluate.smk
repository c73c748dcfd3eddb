# Precision/recall against part points, random baseline, and the aggregated tables.


# One job per architecture and run, like explain: the data load once for all of its experiments.
for _arch in ARCHS:

    rule:
        name:
            f"evaluate_{_arch}"
        input:
            expl=arch_experiment_files(
                _arch, "explain/{arch}/{score}/{attribution}/run{run}.npz"
            ),
            data=f"{R}/prepared.npz",
            gt=f"{R}/groundtruth/groundtruth.npz",
        output:
            curves=arch_experiment_files(
                _arch, "evaluate/{arch}/{score}/{attribution}/run{run}_curves.csv"
            ),
            insecurities=arch_experiment_files(
                _arch,
                "evaluate/{arch}/{score}/{attribution}/run{run}_insecurities.csv",
            ),
        log:
            f"{LOG}/evaluate/{_arch}_run{{run}}.log",
        conda:
            "../envs/delex.yaml"
        params:
            importance_coverage=config["explain"]["importance_coverage"],
            variant=config.get("variant", "paper"),
            code=source_hash("evaluation.py", "metrics", "parts.py"),
        script:
            "../scripts/evaluate.py"


# Seconds-long aggregation: in the main Snakemake process on a cluster (see rules/figures.smk).
localrules:
    tables,


rule tables:
    input:
        curves=experiment_files(
            "evaluate/{arch}/{score}/{attribution}/run{run}_curves.csv"
        ),
        insecurities=experiment_files(
            "evaluate/{arch}/{score}/{attribution}/run{run}_insecurities.csv"
        ),
        metrics=expand(
            f"{R}/models/{{arch}}/run{{run}}/metrics.json", arch=ARCHS, run=RUNS
        ),
        robustness=expand(f"{R}/robustness/run{{run}}.csv", run=RUNS),
    output:
        pr=f"{R}/tables/precision_recall.csv",
        at=f"{R}/tables/precision_at_coverage.csv",
        at_md=f"{R}/tables/precision_at_coverage.md",
        at_tex=f"{R}/tables/precision_at_coverage.tex",
        rebuttal=f"{R}/tables/rebuttal_table1.csv",
        rebuttal_md=f"{R}/tables/rebuttal_table1.md",
        rebuttal_tex=f"{R}/tables/rebuttal_table1.tex",
        accuracy=f"{R}/tables/accuracy.csv",
        accuracy_md=f"{R}/tables/accuracy.md",
        accuracy_tex=f"{R}/tables/accuracy.tex",
        robustness=f"{R}/tables/robustness.csv",
        robustness_md=f"{R}/tables/robustness.md",
        robustness_tex=f"{R}/tables/robustness.tex",
    log:
        f"{LOG}/tables.log",
    conda:
        "../envs/delex.yaml"
    params:
        experiments=[list(e) for e in EXPERIMENTS],
        runs=RUNS,
        default=[DEFAULT["arch"], DEFAULT["score"], DEFAULT["attribution"]],
        code=source_hash("tables.py", "summaries.py"),
    script:
        "../scripts/tables.py"
