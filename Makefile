# Two entry points for a new machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest schema clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/creditengine validate
	$(BIN)/creditengine evaluate examples/electrician-level3.yaml --as-of 2025-12-31 --format text

lint: $(STAMP)
	$(BIN)/ruff check creditengine cli tests benchmarks
	$(BIN)/ruff format --check creditengine cli tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

schema: $(STAMP)
	$(BIN)/creditengine schema --out schemas

clean:
	rm -rf $(VENV) build *.egg-info
