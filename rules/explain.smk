# Insecurities of the hardest test images, per experiment (arch x score x attribution) and run.


# One job per architecture and run explains all of that architecture's experiments: torch, the
# networks and the data load once (about 7 s a job on CPU) and each difficulty score is computed
# once. Rules are named explain_<arch>; their outputs stay one file per experiment.
for _arch in ARCHS:

    rule:
        name:
            f"explain_{_arch}"
        input:
            model=f"{R}/models/{_arch}/run{{run}}/model.pt",
            data=f"{R}/prepared.npz",
        output:
            arch_experiment_files(
                _arch, "explain/{arch}/{score}/{attribution}/run{run}.npz"
            ),
        log:
            f"{LOG}/explain/{_arch}_run{{run}}.log",
        benchmark:
            f"{BENCH}/explain/{_arch}_run{{run}}.tsv"
        conda:
            "../envs/delex.yaml"
        threads: 1
        resources:
            gpu=1,
        params:
            experiments=arch_experiments(_arch),
            explain=config["explain"],
            variant=config.get("variant", "paper"),
            device=config.get("device", "auto"),
            code=source_hash(
                "deliberative.py", "insecurity.py", "attribution", "models"
            ),
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
