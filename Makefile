# caselog: every target bootstraps its own virtual environment (.venv) from PyPI.
# Nothing needs to be installed by hand beyond Python 3.11.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export UV_PYTHON_DOWNLOADS := never
export MPLBACKEND := Agg

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## create .venv and install caselog with its test tools

browser: ## install Debian's chromium for the browser test (best effort; the test skips without it)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: the browser test will be skipped"; \
	  else echo "not root or no apt-get: chromium not installed, the browser test will be skipped"; fi; }

demo: $(STAMP) ## the main job on the bundled sample: summary, the 10 most urgent cases, workbook + queue files
	@mkdir -p out
	@$(BIN)/caselog summary data/sample/caselog_sample.xlsx -q
	@echo
	@echo "The 10 most urgent cases (all of them: out/readiness_queue.csv):"
	@$(BIN)/caselog flag data/sample/caselog_sample.xlsx -q | awk 'NR > 1 && substr($$0, 1, 4) + 0 > 10 { exit } { print }'
	@$(BIN)/caselog flag data/sample/caselog_sample.xlsx -q --all --format csv -o out/readiness_queue.csv
	@$(BIN)/caselog report data/sample/caselog_sample.xlsx -q -o out/audit.xlsx > /dev/null
	@echo
	@echo "Files:"
	@echo "  out/audit.xlsx            the audit workbook (Summary, Cases, ..., Briefs: the escalation letters)"
	@echo "  out/readiness_queue.csv   every case with its verdict, reasons and next step, most urgent first"
	@echo "  one letter:               $(BIN)/caselog brief CASE_ID data/sample/caselog_sample.xlsx"

test: $(STAMP) browser ## run the whole test suite (unit, property, notebook and browser tests)
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff over src and tests
	$(BIN)/ruff check src tests benchmarks scripts

bench: $(STAMP) ## benchmarks at 100,000 cases / ~1M messages (installs the [bench] peers)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[bench]'
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/readme_table.py

lab: $(STAMP) ## open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/ $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

sample: $(STAMP) ## regenerate data/sample from the fixed seed
	$(BIN)/caselog sample -o data/sample

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .hypothesis build src/*.egg-info

.PHONY: help venv browser demo test lint bench lab sample clean
