# pia — two commands: `make run` (demo on http://127.0.0.1:5000) and `make test` (whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := PIA_ENV=$${PIA_ENV:-development} $(BIN)/flask --app pia

.PHONY: run test install test-deps lint format demo-db clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,server]'
	touch $@

install: $(VENV)/.installed

demo-db: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo

run: demo-db
	$(FLASK) run --host 127.0.0.1 --port 5000

# System packages (PostgreSQL 15, Chromium, LibreOffice) and axe-core from npm.
test-deps: install
	bash scripts/install-test-deps.sh

# Three processes: each group of browser tests stays in one (tests/e2e/conftest.py), the
# rest is spread over all.
test: test-deps
	$(BIN)/ruff check pia forms workflows tests
	$(BIN)/pytest -n 3 --dist loadgroup

lint: install
	$(BIN)/ruff check pia forms workflows tests
	$(BIN)/ruff format --check pia forms workflows tests

format: install
	$(BIN)/ruff format pia forms workflows tests

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
