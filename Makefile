PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint clean experiments figures

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,launchers]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/imsim

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check imsim tests benchmarks hydra_plugins docs
	$(BIN)/ruff format --check imsim tests benchmarks hydra_plugins docs

clean:
	rm -rf $(VENV) results/runs

experiments: $(STAMP)
	$(BIN)/python -m imsim.experiments

figures: $(STAMP)
	$(BIN)/python docs/figures.py
