# Dataset: the synthetic twin (generated here) or a CUB_200_2011 folder, preprocessed once.


rule synthetic_birds:
    output:
        directory(f"{R}/data"),
    log:
        f"{LOG}/synthetic_birds.log",
    benchmark:
        f"{BENCH}/synthetic_birds.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        cfg=config["dataset"].get("synthetic", {}),
        code=source_hash("datasets"),
    script:
        "../scripts/synthetic_birds.py"


rule prepare:
    input:
        dataset_root(),
    output:
        f"{R}/prepared.npz",
        f"{R}/dataset.json",
    log:
        f"{LOG}/prepare.log",
    benchmark:
        f"{BENCH}/prepare.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        classes=config["dataset"]["classes"],
        resize=config["preprocess"]["resize"],
        crop=config["preprocess"]["crop"],
        code=source_hash("datasets"),
    script:
        "../scripts/prepare.py"
