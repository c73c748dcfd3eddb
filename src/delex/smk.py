"""Glue for thin Snakemake scripts: log redirection and thread limits."""

from __future__ import annotations

import contextlib
import logging
import os
import sys


def _limit_threads(n: int) -> None:
    """Cap torch's threads at n without importing torch: a job that never uses it (evaluation,
    tables, figures; half the default run's jobs) would pay about 2 s for the import. Scripts
    import torch before entering `job`; one imported later reads OMP_NUM_THREADS at import."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(n)
    else:
        os.environ["OMP_NUM_THREADS"] = str(n)


@contextlib.contextmanager
def job(snakemake):
    """Send stdout/stderr (tqdm included) to the rule's log and cap torch threads at the rule's."""
    log_path = snakemake.log[0] if snakemake.log else None
    stream = open(log_path, "w", buffering=1) if log_path else None  # noqa: SIM115
    old = sys.stdout, sys.stderr
    if stream:
        sys.stdout = sys.stderr = stream
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(message)s", force=True)
    _limit_threads(max(1, int(snakemake.threads)))
    try:
        yield logging.getLogger("delex")
    except BaseException as err:
        import traceback

        traceback.print_exc()
        if isinstance(err, ValueError) and stream:  # DataError/ConfigError: say it on the console too
            print(f"{type(err).__name__}: {err}", file=old[1], flush=True)
        raise
    finally:
        sys.stdout, sys.stderr = old
        if stream:
            stream.close()
