# Shared helpers: config validation, output prefixes, the experiment list, wildcard constraints.
import re

from snakemake.utils import min_version, validate

from delex.config import check_config, experiments, source_hash
from delex.datasets.download import load_sources

min_version("9.0")


validate(config, "../schemas/config.schema.yaml")
check_config(config)

NAME = config["name"]
R = f"results/{NAME}"
FIG = f"figures/{NAME}"
LOG = f"logs/{NAME}"
BENCH = f"{R}/benchmarks"
RUNS = config["runs"]
EXPERIMENTS = experiments(config)
DEFAULT = config["explain"]["default"]
DEFAULT_DIR = f"{DEFAULT['arch']}/{DEFAULT['score']}/{DEFAULT['attribution']}"
ARCHS = sorted({e[0] for e in EXPERIMENTS})


wildcard_constraints:
    arch="vgg16|resnet50|alexnet",
    score="hesitancy|entropy|hardness",
    attribution="gradient|gradient_no_ms|integrated_gradients|gradient_hessian",
    run=r"\d+",


SOURCES = load_sources(config["dataset"].get("sources"))
SOURCE_BY_FILE = {s.filename: s for s in SOURCES.values()}
SOURCE_BY_FOLDER = {s.extracts_to: s for s in SOURCES.values() if s.extracts_to}


def dataset_root():
    """The dataset folder this run reads: generated (synthetic), downloaded into resources/, or the
    user's CUB_200_2011 layout."""
    ds = config["dataset"]
    if ds["source"] == "synthetic":
        return f"{R}/data"
    if ds["source"] == "download":
        return f"resources/{SOURCES[ds['archive']].extracts_to}"
    return ds["path"]


def arch_experiments(arch):
    """[score, attribution] of every experiment on `arch`, sorted: what one explain job computes."""
    return [[s, t] for a, s, t in EXPERIMENTS if a == arch]


def arch_experiment_files(arch, pattern):
    """A results/<name>/ path pattern for every experiment on `arch`, with `{run}` left a wildcard:
    the outputs of one explain or evaluate job."""
    return [
        f"{R}/{pattern.format(arch=arch, score=s, attribution=t, run='{run}')}"
        for s, t in arch_experiments(arch)
    ]


def experiment_files(pattern):
    """Expand a results/<name>/ path pattern over every (arch, score, attribution) experiment and run."""
    return [
        f"{R}/{pattern.format(arch=a, score=s, attribution=t, run=r)}"
        for a, s, t in EXPERIMENTS
        for r in RUNS
    ]


def all_outputs():
    return [
        f"{R}/groundtruth/triplets.csv",
        f"{R}/tables/precision_recall.csv",
        f"{R}/tables/precision_at_coverage.csv",
        f"{R}/tables/rebuttal_table1.csv",
        f"{R}/tables/accuracy.csv",
        f"{R}/tables/robustness.csv",
        *figure_files("figure2_scores"),
        *figure_files("figure2_attributions"),
        *figure_files("figure2_architectures"),
        *figure_files("rebuttal_figure2_shift"),
        *figure_files("figure3_qualitative"),
        *figure_files("groundtruth_similarity"),
        *figure_files("training_curves"),
        *sanity_outputs(),
        *ade_outputs(),
    ]


def figure_files(stem):
    return [f"{FIG}/{stem}.pdf", f"{FIG}/{stem}.png"]
