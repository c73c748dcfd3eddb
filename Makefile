# Two entry points (README): `make run` and `make test` each create the environment when needed.
PYTHON ?= python3.11
VENV ?= .venv
CORES ?= all
SNAKEMAKE_ARGS ?=
BIN := $(VENV)/bin

.PHONY: run test lint env clean

run: $(VENV)/.installed
	$(BIN)/snakemake --cores $(CORES) $(SNAKEMAKE_ARGS)
	$(BIN)/snakemake $(SNAKEMAKE_ARGS) --report $$($(BIN)/python -m delex.artifact.report_path $(SNAKEMAKE_ARGS))
	@# results/paper.pdf and results/report.html: copies of the config just run (name-scoped originals)
	@d=$$(dirname $$($(BIN)/python -m delex.artifact.report_path $(SNAKEMAKE_ARGS))); \
	cp $$d/report.html results/report.html; \
	if [ -f $$d/paper.pdf ]; then cp $$d/paper.pdf results/paper.pdf; echo "paper: results/paper.pdf"; \
	else echo "no paper.pdf (latexmk missing: see README 'The paper artifact')"; fi

test: $(VENV)/.installed
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check src scripts tests benchmarks tools
	$(BIN)/ruff format --check src scripts tests benchmarks tools
	$(BIN)/snakefmt --check Snakefile rules
	$(BIN)/snakemake --lint

env: $(VENV)/.installed

$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

clean:
	rm -rf results figures logs .snakemake
