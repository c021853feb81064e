# Two entry points for a new machine: `make demo` and `make test`; `make bench` measures speed.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench schema clean

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

# Engine throughput against a hand-written baseline of the default pack (benchmarks/bench_evaluate.py).
BENCH_WORKERS ?= 5000
bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench_evaluate --workers $(BENCH_WORKERS)

schema: $(STAMP)
	$(BIN)/creditengine schema --out schemas

clean:
	rm -rf $(VENV) build *.egg-info
