"""Print results/<name>/report.html for the config a Snakemake command line selects (for `make run`).

    python -m delex.artifact.report_path [--configfile FILE ...] [--config name=X ...]

<name> comes from the last --config name=..., else the last --configfile(s) that sets it, else
config.yaml (the embedded default), as Snakemake itself resolves it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def config_name(args: list[str], default_config: str | Path = "config.yaml") -> str:
    """The `name` key that Snakemake would see for this command line."""
    files, overrides, mode = [], {}, None
    for a in args:
        if a in ("--configfile", "--configfiles"):
            mode = "file"
        elif a == "--config":
            mode = "config"
        elif a.startswith("-"):
            mode = None
        elif mode == "file":
            files.append(a)
        elif mode == "config" and "=" in a:
            k, v = a.split("=", 1)
            overrides[k] = v
    name = yaml.safe_load(Path(default_config).read_text()).get("name")
    for f in files:
        name = (yaml.safe_load(Path(f).read_text()) or {}).get("name", name)
    return overrides.get("name", name)


def main(argv: list[str]) -> None:
    print(f"results/{config_name(argv)}/report.html")


if __name__ == "__main__":
    main(sys.argv[1:])
