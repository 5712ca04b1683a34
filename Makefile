# Sitrep: `make demo` sets up and runs the sample; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= sitrep.db
WEB := web/node_modules/.installed

.PHONY: demo test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The page's map libraries: pinned in web/package-lock.json, served by `sitrep serve`.
$(WEB): web/package.json web/package-lock.json
	npm ci --prefix web --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

demo: $(BIN)/.installed $(WEB)
	$(BIN)/sitrep run examples/seeds --db $(DB)
	$(BIN)/sitrep articles --db $(DB)
	@echo "Open the workspace: $(BIN)/sitrep serve --db $(DB)  then http://127.0.0.1:8000/"

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks eval training tools
	$(BIN)/ruff format --check src tests benchmarks eval training tools

test: lint $(WEB)
	$(BIN)/pytest -q

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/throughput.py $(or $(CORPUS),../shared/data/corpus/guardian_sdf_2019.csv)

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache .ruff_cache
