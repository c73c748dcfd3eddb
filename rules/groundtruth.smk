# Ground truth: per-part attribute distributions, class-pair similarity, top triplets.


rule groundtruth:
    input:
        f"{R}/dataset.json",
    output:
        triplets=f"{R}/groundtruth/triplets.csv",
        shares=f"{R}/groundtruth/share_of_pairs_per_part.csv",
        arrays=f"{R}/groundtruth/groundtruth.npz",
    log:
        f"{LOG}/groundtruth.log",
    benchmark:
        f"{BENCH}/groundtruth.tsv"
    conda:
        "../envs/delex.yaml"
    params:
        cfg=config["groundtruth"],
        variant=config.get("variant", "paper"),
        code=source_hash("groundtruth", "parts.py"),
    script:
        "../scripts/groundtruth.py"
