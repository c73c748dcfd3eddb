# Official archives into resources/: resumable, verified against pinned checksums, then extracted.
# A pre-placed archive (resources/<file>) is verified and used without any download.


# Compute nodes often have no internet: the transfer runs in the main Snakemake process on a cluster;
# extraction (large, disk-bound) is submitted.
localrules:
    download,


rule download:
    output:
        "resources/{filename}",
    log:
        "logs/download/{filename}.log",
    benchmark:
        "resources/benchmarks/download_{filename}.tsv"
    wildcard_constraints:
        filename="|".join(re.escape(s.filename) for s in SOURCES.values()),
    conda:
        "../envs/delex.yaml"
    params:
        source=lambda w: SOURCE_BY_FILE[w.filename].name,
        sources=config["dataset"].get("sources"),
    script:
        "../scripts/download.py"


rule extract_dataset:
    input:
        archive=lambda w: f"resources/{SOURCE_BY_FOLDER[w.folder].filename}",
        extras=lambda w: [
            f"resources/{SOURCES[e].filename}"
            for e in SOURCE_BY_FOLDER[w.folder].extras
        ],
    output:
        directory("resources/{folder}"),
    log:
        "logs/download/extract_{folder}.log",
    benchmark:
        "resources/benchmarks/extract_{folder}.tsv"
    wildcard_constraints:
        folder="|".join(s.extracts_to for s in SOURCES.values() if s.extracts_to),
    conda:
        "../envs/delex.yaml"
    params:
        source=lambda w: SOURCE_BY_FOLDER[w.folder].name,
        sources=config["dataset"].get("sources"),
    script:
        "../scripts/extract_dataset.py"
