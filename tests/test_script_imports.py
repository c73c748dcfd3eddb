"""Jobs that only read tables and arrays must not pay for torchvision (or torch) at start-up.

Each Snakemake job is a fresh Python process; torch costs about 2 s to import on the CI machine and
torchvision 1.5 s more, and the default run starts 9 evaluate jobs. The imports of each script are
executed in a clean interpreter and the heavy packages looked up in sys.modules (no timing is
asserted).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _startup_benchmark():
    """benchmarks/script_startup.py as a module: its `import_block` is what this test executes."""
    spec = importlib.util.spec_from_file_location("script_startup", ROOT / "benchmarks" / "script_startup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def script_imports(name: str) -> str:
    return _startup_benchmark().import_block(ROOT / "scripts" / f"{name}.py")


@pytest.mark.parametrize(
    "script, absent",
    [
        ("evaluate", "torch"),
        ("tables", "torch"),
        ("sanity_tables", "torch"),
        ("sanity_figures", "torch"),
        ("ade_tables", "torch"),
        ("claims", "torch"),
    ],
)
def test_light_scripts_skip_heavy_imports(script, absent):
    code = script_imports(script) + f"\nimport sys\nprint({absent!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", f"scripts/{script}.py imports {absent}"


def test_script_imports_reads_only_imports():
    code = script_imports("evaluate")
    assert "from delex.parts import part_points" in code
    assert "snakemake" not in code


def test_job_wrapper_caps_threads_without_importing_torch(tmp_path):
    """delex.smk.job used to import torch to set its threads, costing every light job about 2 s."""
    code = f"""
import os, sys, types
from delex.smk import job
smk = types.SimpleNamespace(log=[{str(tmp_path / "job.log")!r}], threads=1)
with job(smk):
    pass
light = 'torch' not in sys.modules and os.environ['OMP_NUM_THREADS'] == '1'
import torch  # reads OMP_NUM_THREADS: 1 thread; a job of 2 threads then sets 2 on torch itself
with job(types.SimpleNamespace(log=[], threads=2)):
    pass
print(light, torch.get_num_threads())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "2"]
