# The README's two commands are `make run` and `make test`; each sets up everything it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast lint bench loadtest sysdeps clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

sysdeps:
	@bash scripts/system-deps.sh

run: $(STAMP)
	GONGHUI_DEMO_MODE=1 $(BIN)/gonghui run

# The suite runs in parallel, one pytest-xdist worker per core (each worker has its own test
# database and its own data directory under var/test: tests/settings.py). PYTEST_ARGS comes last
# and wins: `make test PYTEST_ARGS="-n0"` runs it in one process (to debug), `PYTEST_ARGS="-n3"`
# on three workers, `PYTEST_ARGS="tests/core -x"` a part of it.
TEST_WORKERS ?= auto
PYTEST_ARGS ?=
PYTEST := GONGHUI_DATA_DIR=$(CURDIR)/var/test $(BIN)/pytest -n $(TEST_WORKERS)

test: $(STAMP) sysdeps
	$(PYTEST) $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

# `make bench BENCH_ARGS="--size small --runs 1 --no-io"` for a quick smoke run (bench/run.py --help).
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Not part of `make test`: 50 clients for 60 s against a server it starts on 127.0.0.1, on a
# PostgreSQL database of its own (on the server in DATABASE_URL, default the local one).
LOAD_STAMP := $(VENV)/.load-stamp
$(LOAD_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,load]'
	@touch $(LOAD_STAMP)

loadtest: $(LOAD_STAMP)
	$(BIN)/python bench/loadtest/run.py

clean:
	rm -rf $(VENV) var
