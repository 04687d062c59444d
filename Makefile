# One-command bootstrap: a local virtual environment with everything the project needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
REGION ?= data/demo/region.toml

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/align run $(REGION)

test: $(STAMP)
	$(BIN)/ruff check src connectors tests benchmarks
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check src connectors tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
