# Sanity checks of explanation metrics (SANITY.md): one job per (arch, run, method) makes the maps and
# scores every metric on them (and on their blurred copy), then tables and figures. Only the
# classifiers of the main chain are read; nothing here feeds back.
include: "sanity_common.smk"


# Seconds-long aggregation: in the main Snakemake process on a cluster (see rules/figures.smk).
localrules:
    sanity_all,
    sanity_tables,
    sanity_figures,


rule sanity_all:
    """Only the sanity branch (e.g. with configs/imagenet_val.yaml, which trains nothing)."""
    input:
        sanity_outputs(),


rule sanity_imagenet_data:
    output:
        f"{SAN_DIR}/imagenet_val.npz",
    log:
        f"{LOG}/sanity/imagenet_val.log",
    benchmark:
        f"{BENCH}/sanity/imagenet_val.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        root=(SAN.get("imagenet") or {}).get("root"),
        resize=(SAN.get("imagenet") or {}).get("resize", 256),
        crop=(SAN.get("imagenet") or {}).get("crop", 224),
        n_images=SAN.get("n_images"),
        seed=SAN.get("seed"),
        code=source_hash("sanity/imagenet.py", "datasets/geometry.py"),
    script:
        "../scripts/sanity_imagenet_data.py"


rule sanity_method:
    input:
        unpack(sanity_model),
        data=SAN_DATA,
    output:
        maps=f"{SAN_DIR}/{{arch}}/run{{run}}/maps/{{method}}.npz",
        scores=f"{SAN_DIR}/{{arch}}/run{{run}}/scores/{{method}}.csv",
        curves=f"{SAN_DIR}/{{arch}}/run{{run}}/curves/{{method}}.npz",
    log:
        f"{LOG}/sanity/{{arch}}_run{{run}}_{{method}}.log",
    benchmark:
        f"{BENCH}/sanity/{{arch}}_run{{run}}_{{method}}.tsv"
    wildcard_constraints:
        method="|".join(METHODS + DELIBERATIVE),
    conda:
        "../envs/delex.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        n_images=SAN.get("n_images"),
        seed=SAN.get("seed"),
        batch=SAN.get("batch"),
        source=SAN_SOURCE,
        blurred=lambda wc: wc.method in (SAN.get("blurred") or []),
        settings=sorted((SAN.get("method_settings") or {}).items()),
        metrics=sorted((SAN.get("metrics") or {}).items()),
        device=config.get("device", "auto"),
        code=source_hash(
            "sanity",
            "deliberative.py",
            "insecurity.py",
            "attribution",
            "models",
        ),
    script:
        "../scripts/sanity_method.py"


rule sanity_tables:
    input:
        scores=sanity_files("scores/{method}.csv"),
    output:
        [f"{R}/tables/{t}.{e}" for t in SAN_TABLES for e in ("csv", "md", "tex")],
    log:
        f"{LOG}/sanity/tables.log",
    benchmark:
        f"{BENCH}/sanity/tables.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        methods=SAN.get("methods"),
        blurred=SAN.get("blurred"),
        percentiles=(SAN.get("metrics") or {}).get("percentiles"),
        code=source_hash("sanity"),
    script:
        "../scripts/sanity_tables.py"


rule sanity_figures:
    input:
        scores=sanity_files("scores/{method}.csv"),
        curves=sanity_files("curves/{method}.npz"),
        maps=sanity_files("maps/{method}.npz"),
    output:
        [f for n in (2, 3, 4) for f in figure_files(f"sanity_figure{n}")],
    log:
        f"{LOG}/sanity/figures.log",
    benchmark:
        f"{BENCH}/sanity/figures.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        methods=SAN.get("methods"),
        blurred=SAN.get("blurred"),
        code=source_hash("sanity", "plots"),
    script:
        "../scripts/sanity_figures.py"


rule sanity_randomization:
    input:
        unpack(sanity_model),
        data=SAN_DATA,
        maps=lambda wc: [
            f"{SAN_DIR}/{wc.arch}/run{wc.run}/maps/{m}.npz" for m in SAN["methods"]
        ],
    output:
        multiext(f"{SAN_DIR}/{{arch}}/run{{run}}/randomization", ".csv", ".md", ".tex"),
    log:
        f"{LOG}/sanity/randomization_{{arch}}_run{{run}}.log",
    benchmark:
        f"{BENCH}/sanity/randomization_{{arch}}_run{{run}}.tsv"
    conda:
        "../envs/delex.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        source=SAN_SOURCE,
        seed=SAN.get("seed"),
        batch=SAN.get("batch"),
        layers=(SAN.get("randomization") or {}).get("layers", 3),
        modes=(SAN.get("randomization") or {}).get(
            "modes", ["cascading", "independent"]
        ),
        settings=sorted((SAN.get("method_settings") or {}).items()),
        device=config.get("device", "auto"),
        code=source_hash(
            "sanity",
            "deliberative.py",
            "insecurity.py",
            "attribution",
            "models",
        ),
    script:
        "../scripts/sanity_randomization.py"
