# Classifier + hardness predictor, trained jointly; GPU when present (resources: gpu=1).


rule train:
    input:
        f"{R}/prepared.npz",
        f"{R}/dataset.json",
    output:
        model=f"{R}/models/{{arch}}/run{{run}}/model.pt",
        curves=f"{R}/models/{{arch}}/run{{run}}/curves.csv",
        metrics=f"{R}/models/{{arch}}/run{{run}}/metrics.json",
    log:
        f"{LOG}/train/{{arch}}_run{{run}}.log",
    benchmark:
        f"{BENCH}/train/{{arch}}_run{{run}}.tsv"
    # Trainings, the longest jobs, start before all others, so none is left running alone at the end
    # while the rest waits on it (measured before: 44 s with one of two cores busy).
    priority: 10
    conda:
        "../envs/delex.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        model=lambda w: config["models"][w.arch],
        train=config["train"],
        device=config.get("device", "auto"),
        code=source_hash("models"),
    script:
        "../scripts/train.py"
