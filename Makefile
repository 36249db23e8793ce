# A Python >= 3.12 (Mesa 3.5 needs it): from PATH, else pyenv (.ci/find-python); or PYTHON=...
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint clean experiments figures docs

$(STAMP): pyproject.toml
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "replacing $(VENV), made with Python < 3.12"; rm -rf $(VENV); fi
	@PY="$(PYTHON)"; [ -n "$$PY" ] || PY=$$(.ci/find-python) || exit 2; \
		echo "$$PY -m venv $(VENV)"; $$PY -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,all,docs]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/imsim

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check imsim tests benchmarks hydra_plugins docs
	$(BIN)/ruff format --check imsim tests benchmarks hydra_plugins docs

# the documentation site into site/ (strict: any warning fails the build)
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) results/runs site .cache

experiments: $(STAMP)
	$(BIN)/python -m imsim.experiments

figures: $(STAMP)
	$(BIN)/python docs/figures.py
