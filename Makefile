# One-command bootstrap: a local virtual environment with everything the project needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
REGION ?= data/demo/region.toml

.PHONY: demo columbus test lint bench clean

$(STAMP): pyproject.toml
	@echo "Setting up $(VENV): installing align and its dependencies from pyproject.toml (about a minute, once) ..."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/align run $(REGION)

columbus: $(STAMP)  # the real example: reads ../shared/data/real beside the checkout
	$(BIN)/align run data/examples/columbus-oh/region.toml

test: $(STAMP)
	$(BIN)/ruff check src connectors tests benchmarks
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check src connectors tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
