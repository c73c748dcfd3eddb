# Insecurities of the hardest test images, per experiment (arch x score x attribution) and run.


rule explain:
    input:
        model=f"{R}/models/{{arch}}/run{{run}}/model.pt",
        data=f"{R}/prepared.npz",
    output:
        f"{R}/explain/{{arch}}/{{score}}/{{attribution}}/run{{run}}.npz",
    log:
        f"{LOG}/explain/{{arch}}_{{score}}_{{attribution}}_run{{run}}.log",
    benchmark:
        f"{BENCH}/explain/{{arch}}_{{score}}_{{attribution}}_run{{run}}.tsv"
    conda:
        "../envs/delex.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        explain=config["explain"],
        variant=config.get("variant", "paper"),
        device=config.get("device", "auto"),
        code=source_hash("deliberative.py", "insecurity.py", "attribution", "models"),
    script:
        "../scripts/explain.py"


rule robustness:
    input:
        model=f"{R}/models/{DEFAULT['arch']}/run{{run}}/model.pt",
        data=f"{R}/prepared.npz",
        gt=f"{R}/groundtruth/groundtruth.npz",
    output:
        f"{R}/robustness/run{{run}}.csv",
    log:
        f"{LOG}/robustness/run{{run}}.log",
    benchmark:
        f"{BENCH}/robustness/run{{run}}.tsv"
    conda:
        "../envs/delex.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        explain=config["explain"],
        shifts=config.get("robustness", {}).get("shifts", [1, 2, 3, 4, 5]),
        variant=config.get("variant", "paper"),
        device=config.get("device", "auto"),
        code=source_hash(
            "deliberative.py",
            "insecurity.py",
            "attribution",
            "evaluation.py",
            "models",
        ),
    script:
        "../scripts/robustness.py"
