# Ungeløftet Match — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
# Tests use both cores; set PYTEST_WORKERS=0 to run in one process.
PYTEST_WORKERS ?= 2
PROFILE ?=

.PHONY: run test lint bench translations install install-dev scheduler clean check-python

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e '.[dev,bench]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: $(VENV)/.installed
	@$(BIN)/python -m web.catalogs compile

## make run: migrate the embedded SQLite database, load reference and demo data, serve.
run: install translations
	@mkdir -p instance
	$(BIN)/ungeloeftet setup
	@# The demo's first night, so the review queue has suggestions (skipped once done today).
	$(BIN)/ungeloeftet jobs run nightly
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C stops); the scheduler runs beside it"
	@$(BIN)/ungeloeftet scheduler & pid=$$!; trap 'kill $$pid 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/ungeloeftet run --host $(HOST) --port $(PORT)

## make scheduler: the job scheduler on its own (production runs it as a separate process).
scheduler: install translations
	$(BIN)/ungeloeftet scheduler

## make lint: ruff, the import contracts (.importlinter) and mypy against its baseline.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m tests.typing_baseline

## make test: lint, translations, the whole suite on SQLite, and again on PostgreSQL
## when TEST_DATABASE_URL points at a server.
test: install-dev translations lint
	@$(BIN)/python -m web.catalogs check
	@./tests/suites.sh "$(BIN)" "$(PYTEST_WORKERS)"

## make bench [PROFILE=1]: the benchmarks; PROFILE=1 also writes instance/profiles/NAME.prof.
bench: install-dev translations
	PROFILE=$(PROFILE) $(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
