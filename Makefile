# storeops — `make demo` runs it, `make test` tests it.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export STOREOPS_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test lint typecheck layers migrations-check pytest serve clean venv

$(BIN)/storeops: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,spark]'
	@touch $@

venv: $(BIN)/storeops

## demo: install, prepare the embedded database with a demo company, open the console
demo: venv
	STOREOPS_DEMO=1 $(BIN)/storeops demo

## test: lint, types, layer contracts, migration check, then the whole suite (SQLite + PostgreSQL + Chromium)
test: venv lint typecheck layers migrations-check pytest

lint: venv
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: venv
	$(BIN)/mypy

layers: venv
	$(BIN)/lint-imports

migrations-check: venv
	$(BIN)/python scripts/check_migrations.py

pytest: venv
	$(BIN)/python scripts/with_postgres.py $(BIN)/pytest -n 2 $(PYTEST_ARGS)

serve: venv
	$(BIN)/storeops serve

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
