# Two entry points for a new machine: `make demo` and `make test`; `make bench` measures speed.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench fuzz schema clean

$(BIN)/python:
	@echo "Creating $(VENV) ..."
	@$(PY) -m venv $(VENV)

# An editable install of this layout (cli/ and rules/ mapped into the package) goes through
# setuptools' import finder, which always prints an "Editable installation" note; only that
# note is silenced. Any other setuptools warning still shows (and fails tests/test_packaging.py).
$(STAMP): $(BIN)/python pyproject.toml
	@echo "Installing creditengine and its development tools into $(VENV) ..."
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@PYTHONWARNINGS="ignore:Editable installation:UserWarning" $(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)
	@echo "Installed."

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

# The durable evaluator against the compiled one, hunting longer than make test does:
# generated conditions (DURABLE_EXAMPLES) and whole generated packs and records (WHOLE_EXAMPLES).
DURABLE_EXAMPLES ?= 20000
WHOLE_EXAMPLES ?= 2000
fuzz: $(STAMP)
	DURABLE_EXAMPLES=$(DURABLE_EXAMPLES) WHOLE_EXAMPLES=$(WHOLE_EXAMPLES) $(BIN)/pytest -p no:cacheprovider \
		tests/property/test_durable_agrees.py tests/property/test_durable_whole.py

schema: $(STAMP)
	$(BIN)/creditengine schema --out schemas

clean:
	rm -rf $(VENV) build *.egg-info
