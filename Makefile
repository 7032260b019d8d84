# Two commands for a newcomer: `make demo` and `make test`.
# Every target creates .venv when it is missing and (re)installs when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HYPOTHESIS_PROFILE ?= ci

.PHONY: demo test lint typecheck unit docs bench clean system-deps

$(STAMP): pyproject.toml examples/plugins/umkm-kriya/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# The office's own plugins are installed like any third-party package: here the
	# example crafts plugin, whose sector the Tangerang roster uses.
	$(BIN)/python -m pip install --quiet --no-deps -e examples/plugins/umkm-kriya
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/umkm demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples/plugins
	$(BIN)/ruff format --check src tests benchmarks examples/plugins
	$(BIN)/lint-imports --no-logo

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

# The documentation is built strictly: any Sphinx warning fails the build (and `make test`).
docs: $(STAMP)
	$(BIN)/sphinx-build -q -W --keep-going -b html docs docs/_build/html

# System packages that tests drive for real, installed with apt-get when missing (we are
# root on the development and CI machines): Chromium opens the HTML report headless,
# LibreOffice Calc opens the CSV and XLSX exports. Nothing is downloaded at test time.
system-deps:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)
	command -v soffice >/dev/null || (apt-get update && apt-get install -y --no-install-recommends libreoffice-calc)

test: system-deps lint typecheck unit docs

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist docs/_build .mypy_cache .pytest_cache .ruff_cache .hypothesis
