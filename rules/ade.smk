# ADE20K side: scene twin (or an ADEChallengeData2016 folder), frequency ground truth, training,
# insecurities evaluated by IoU with the common objects' masks, Table 1 and Figure 4.
include: "ade_common.smk"


# Seconds-long aggregation: in the main Snakemake process on a cluster (see rules/figures.smk).
localrules:
    ade_all,
    ade_tables,
    ade_figure4,
    ade_groundtruth_figure,


rule ade_all:
    """Only the ADE20K side (snakemake ade_all --configfile configs/ade20k.yaml: the target before --configfile)."""
    input:
        ade_outputs(),


rule ade_synthetic:
    output:
        directory(f"{A}/data"),
    log:
        f"{LOG}/ade/synthetic.log",
    benchmark:
        f"{BENCH}/ade/synthetic.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        cfg=ADE.get("dataset", {}).get("synthetic", {}),
        code=source_hash("datasets"),
    script:
        "../scripts/ade_synthetic.py"


rule ade_prepare:
    input:
        ade_root() if ADE_ON else [],
    output:
        f"{A}/prepared.npz",
        f"{A}/dataset.json",
    log:
        f"{LOG}/ade/prepare.log",
    benchmark:
        f"{BENCH}/ade/prepare.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        scenes=ADE.get("dataset", {}).get("scenes"),
        resize=ADE.get("preprocess", {}).get("resize"),
        crop=ADE.get("preprocess", {}).get("crop"),
        code=source_hash("datasets"),
    script:
        "../scripts/ade_prepare.py"


rule ade_groundtruth:
    input:
        data=f"{A}/prepared.npz",
        dataset=f"{A}/dataset.json",
    output:
        triplets=f"{A}/groundtruth/triplets.csv",
        phi=f"{A}/groundtruth/phi.csv",
        arrays=f"{A}/groundtruth/groundtruth.npz",
    log:
        f"{LOG}/ade/groundtruth.log",
    benchmark:
        f"{BENCH}/ade/groundtruth.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        threshold=ADE.get("threshold", 0.3),
        top_fraction=ADE.get("top_fraction", 0.01),
        code=source_hash("groundtruth"),
    script:
        "../scripts/ade_groundtruth.py"


rule ade_train:
    input:
        f"{A}/prepared.npz",
    output:
        model=f"{A}/models/{{arch}}/run{{run}}/model.pt",
        curves=f"{A}/models/{{arch}}/run{{run}}/curves.csv",
        metrics=f"{A}/models/{{arch}}/run{{run}}/metrics.json",
    log:
        f"{LOG}/ade/train/{{arch}}_run{{run}}.log",
    benchmark:
        f"{BENCH}/ade/train/{{arch}}_run{{run}}.tsv"
    conda:
        "../envs/delex.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        model=lambda w: ade_model(config, w.arch),
        train=ade_train(config) if ADE_ON else {},
        device=config.get("device", "auto"),
        code=source_hash("models"),
    script:
        "../scripts/train.py"


rule ade_explain:
    input:
        model=f"{A}/models/{{arch}}/run{{run}}/model.pt",
        data=f"{A}/prepared.npz",
        gt=f"{A}/groundtruth/groundtruth.npz",
    output:
        curves=f"{A}/evaluate/{{arch}}/run{{run}}_iou.csv",
        expl=f"{A}/explain/{{arch}}/run{{run}}.npz",
    log:
        f"{LOG}/ade/explain/{{arch}}_run{{run}}.log",
    benchmark:
        f"{BENCH}/ade/explain/{{arch}}_run{{run}}.tsv"
    conda:
        "../envs/delex.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        experiments=lambda w: arch_experiments(w.arch),
        figure_experiment=[DEFAULT["score"], DEFAULT["attribution"]],
        explain=config["explain"],
        n_images=ADE.get("n_images", 60),
        mapping=annotation_mapping(config) if ADE_ON else "resize",
        variant=config.get("variant", "paper"),
        device=config.get("device", "auto"),
        code=source_hash(
            "deliberative.py",
            "insecurity.py",
            "evaluation.py",
            "attribution",
            "metrics",
            "groundtruth",
            "models",
        ),
    script:
        "../scripts/ade_explain.py"


rule ade_tables:
    input:
        curves=expand(f"{A}/evaluate/{{arch}}/run{{run}}_iou.csv", arch=ARCHS, run=RUNS),
        metrics=expand(
            f"{A}/models/{{arch}}/run{{run}}/metrics.json", arch=ARCHS, run=RUNS
        ),
    output:
        curves=f"{A}/iou_curves.csv",
        table1=f"{R}/tables/table1.csv",
        table1_md=f"{R}/tables/table1.md",
        table1_tex=f"{R}/tables/table1.tex",
        accuracy=f"{A}/tables/accuracy.csv",
        accuracy_md=f"{A}/tables/accuracy.md",
        accuracy_tex=f"{A}/tables/accuracy.tex",
    log:
        f"{LOG}/ade/tables.log",
    conda:
        "../envs/delex.yaml"
    params:
        explain=config["explain"],
        code=source_hash("table1.py", "tables.py", "summaries.py"),
    script:
        "../scripts/ade_tables.py"


rule ade_figure4:
    input:
        expl=f"{A}/explain/{FIG4_ARCH}/run{RUNS[0]}.npz",
        data=f"{A}/prepared.npz",
        dataset=f"{A}/dataset.json",
        gt=f"{A}/groundtruth/groundtruth.npz",
    output:
        figure_files("figure4_qualitative"),
    log:
        f"{LOG}/figures/figure4_qualitative.log",
    conda:
        "../envs/delex.yaml"
    params:
        n_examples=4,
        coverage=30,
        mapping=annotation_mapping(config) if ADE_ON else "resize",
        code=source_hash("plots"),
    script:
        "../scripts/ade_figure4.py"


rule ade_groundtruth_figure:
    input:
        gt=f"{A}/groundtruth/groundtruth.npz",
        dataset=f"{A}/dataset.json",
    output:
        figure_files("ade_groundtruth"),
    log:
        f"{LOG}/figures/ade_groundtruth.log",
    conda:
        "../envs/delex.yaml"
    params:
        code=source_hash("plots"),
    script:
        "../scripts/ade_groundtruth_figure.py"
