"""Start-up cost of each workflow script: its import block, run in a fresh interpreter.

Every Snakemake job is a new Python process, so a script's imports are paid once per job (the
default run starts 109 jobs). Prints, per script, the median wall time of its imports over
`--repeats` fresh interpreters, whether they pull in torch / torchvision / matplotlib, and the
ratio to `import torch` alone measured in the same run. No assertion: a measurement to read.
To compare two versions, run it from each (PYTHONPATH=<other checkout>/src and its scripts).

    python benchmarks/script_startup.py [--repeats 3] [scripts/evaluate.py ...]
"""

from __future__ import annotations

import argparse
import ast
import statistics
import subprocess
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
HEAVY = ("torch", "torchvision", "matplotlib")


def import_block(path: Path) -> str:
    """The top-level import statements of a script, as source."""
    tree = ast.parse(path.read_text())
    return "\n".join(ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom))


def timed(code: str, repeats: int) -> tuple[float, str]:
    """(median seconds of `python -c code`, its stdout)."""
    times, out = [], ""
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scripts", nargs="*", type=Path, help="default: every scripts/*.py")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    paths = args.scripts or sorted(SCRIPTS.glob("*.py"))
    ref, _ = timed("import torch", args.repeats)
    print(f"import torch alone: {ref:.2f} s (median of {args.repeats})")
    print(f"{'script':32s} {'seconds':>8s} {'x torch':>7s}  heavy imports")
    probe = f"\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    for path in paths:
        seconds, heavy = timed(import_block(path) + probe, args.repeats)
        print(f"{path.name:32s} {seconds:8.2f} {seconds / ref:7.2f}  {heavy or '-'}")


if __name__ == "__main__":
    main()
