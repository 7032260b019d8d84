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

unit: $(STAMP) system-deps
	$(BIN)/pytest -q

# The documentation is built strictly: any Sphinx warning fails the build (and `make test`).
# -E reads every page afresh: the index lists pages found at build time, which a cached
# environment would miss.
docs: $(STAMP)
	$(BIN)/sphinx-build -q -E -W --keep-going -b html docs docs/_build/html

# System packages that tests drive for real, installed with apt-get when missing (we are
# root on the development and CI machines): PostgreSQL's server programs (the SQL store's
# tests start throwaway servers of their own, tests/store_support.py), Chromium (opens
# the HTML report headless) and LibreOffice Calc (opens the CSV and XLSX exports).
# Nothing is downloaded at test time.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-calc"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

test: lint typecheck unit docs

bench: $(STAMP) system-deps
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist docs/_build .mypy_cache .pytest_cache .ruff_cache .hypothesis
