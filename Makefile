# Party-organisation rating studies — run `make help` for the list of commands.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
KERNEL := party-ratings
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help reproduce test lab bench clean teaching

help: ## Show this list of commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# JupyterLab's settings shipped with the project (a code font with Vietnamese glyphs): copied where the
# JupyterLab of .venv reads its default settings.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

$(STAMP): pyproject.toml jupyterlab/overrides.json
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (party-ratings)" >/dev/null
	@mkdir -p $(dir $(LAB_SETTINGS)) && cp jupyterlab/overrides.json $(LAB_SETTINGS)
	@touch $(STAMP)

reproduce: $(STAMP) ## Run every bundled study into reports/ (creates .venv on first use)
	$(PY) -m helpers run

test: $(STAMP) ## Run the tests (creates .venv on first use)
	$(PY) -m pytest

lab: $(STAMP) ## Open JupyterLab on notebooks/ with the project's kernel
	$(PY) -m jupyter lab --notebook-dir=notebooks

bench: $(STAMP) ## Run the speed benchmarks and print their ratios to the targets
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

teaching: $(STAMP) ## Build the course lessons into reports/teaching/student and /instructor
	$(PY) -m helpers teach

clean: ## Delete generated outputs (reports/, data/processed/); never touches data/raw/
	find reports data/processed -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +
