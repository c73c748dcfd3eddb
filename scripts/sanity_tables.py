"""Tables 1, 2, 3 and A1-A3 of the sanity checks, and every method's mean scores (Figure 4's table)."""

from pathlib import Path

from delex.sanity import tables as T
from delex.smk import job
from delex.tables import write_table

smk = snakemake  # noqa: F821 (injected by the script directive)
with job(smk) as log:
    scores = T.load_scores(smk.input.scores)
    methods = list(smk.params.methods)
    out = str(Path(smk.output[0]).parent)
    per_method = T.consistency_per_method(scores, methods)
    tables = {
        "sanity_table1": (
            T.consistency_mean(per_method),
            "Internal consistency: Spearman rank correlation between insertion (deletion) configurations, "
            "averaged over methods",
        ),
        "sanity_table_a1": (per_method, "Internal consistency per explanation method"),
        "sanity_table2": (
            T.reliability_table(scores, methods),
            "Inter-method reliability (Spearman; point-biserial with the binary pointing game). Directions "
            "aligned: deletion, Average Drop % and ROAD-MoRF negated, so higher is better for every metric",
        ),
        "sanity_table3": (
            T.binarized_reliability(scores, methods),
            "Reliability of binarized (50th percentile) Average Drop % with the other metrics (aligned)",
        ),
        "sanity_table_a2": (T.average_drop_levels(scores, methods), "Average Drop % at every binarization"),
        "sanity_table_a3": (
            T.average_drop_level_reliability(scores, methods),
            "Reliability of Average Drop % at every binarization with the other metrics (aligned)",
        ),
        "sanity_scores": (
            T.summary_scores(scores),
            "Mean score per method and blurred variant (Figure 4): pointing and Increase in Confidence in %",
        ),
    }
    for stem, (df, caption) in tables.items():
        write_table(df, f"{out}/{stem}", caption=caption, label=f"tab:{stem}")
        log.info("%s: %d rows, %.0f%% finite cells", stem, len(df), 100 * T.finite_share(df))
