# Every target sets itself up: a .venv with `pip install -e .[dev]`, made on first use
# and refreshed when pyproject.toml changes. Only Python 3.11 (or newer) and make are needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: all venv figures test bench lint notebooks lab results recipes clean help demo

help:
	@echo "make lab        open the notebooks in JupyterLab (start with 01_sine_lstm)"
	@echo "make figures    write every figure in figures/ (main job)"
	@echo "make test       lint + unit tests + every notebook in fast mode (LAB_FAST=1)"
	@echo "make bench      measure every part's targets: docs/results.md (the README's table)"
	@echo "make results    measure again the kept results two figures draw (about an hour)"
	@echo "make recipes    print the commands that made every shipped weight file"
	@echo "make notebooks  execute every notebook in full mode into build/notebooks/"
	@echo "make lint       ruff"
	@echo "make demo       a local web page: write a line, have it read, write in your hand"
	@echo "make clean      remove build outputs and caches (keeps .venv)"

all: help

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

figures: $(STAMP)
	$(PY) -m lstm_explained figures --out figures
	$(PY) -m ink figures --out figures
	$(PY) -m crnn figures --out figures
	$(PY) -m synthesis figures --out figures

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

results: $(STAMP)
	$(PY) -m synthesis results

demo: $(STAMP)
	$(PY) -m synthesis demo

recipes: $(STAMP)
	for n in digits synthetic; do $(PY) -m crnn recipe $$n --dry-run; done
	for n in recognizer_font recognizer conditional unconditional; do \
		$(PY) -m synthesis recipe $$n --dry-run; done

test: $(STAMP)
	$(PY) -m ruff check .
	LAB_FAST=1 $(PY) -m pytest -n 2 --durations=15  # two processes: most tests trace graphs on one core

bench: $(STAMP)
	mkdir -p docs/bench
	set -e; for part in lstm_explained ink crnn synthesis; do \
		$(PY) -m $$part bench --json > docs/bench/$$part.json.tmp; \
		mv docs/bench/$$part.json.tmp docs/bench/$$part.json; \
	done  # a failed bench keeps the last good JSON
	$(PY) -m labcore.results docs/bench --out docs/results.md

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

notebooks: $(STAMP)
	mkdir -p build/notebooks
	LAB_FAST=0 $(VENV)/bin/jupyter nbconvert --to notebook --execute \
		--ExecutePreprocessor.timeout=3600 --output-dir build/notebooks notebooks/*.ipynb

clean:
	rm -rf build .pytest_cache .ruff_cache datasets/cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
