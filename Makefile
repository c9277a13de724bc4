# Two things a newcomer runs (see README.md):
#   make build   install the package and build the embedded default recipe (offline)
#   make test    install the test needs (Label Studio in its own venv) and run the whole suite
PYTHON ?= python3
VENV := .venv
LS_VENV := .venv-label-studio
LABEL_STUDIO_VERSION := 1.23.2

.PHONY: build install test bench

# constraints/*.txt hold the versions the suite last passed with, so that a new release of some
# dependency cannot break a fresh install between two runs.
$(VENV)/.installed: pyproject.toml constraints/abstain-data.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip -c constraints/abstain-data.txt
	$(VENV)/bin/pip install --quiet -e ".[test]" -c constraints/abstain-data.txt
	touch $@

# Label Studio pins its own versions of many packages, so it lives in a venv of its own.
$(LS_VENV)/.installed: constraints/label-studio.txt
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/pip install --quiet "label-studio==$(LABEL_STUDIO_VERSION)" -c constraints/label-studio.txt
	touch $@

install: $(VENV)/.installed $(LS_VENV)/.installed

build: $(VENV)/.installed
	$(VENV)/bin/abstain-data build

test: $(VENV)/.installed $(LS_VENV)/.installed
	$(VENV)/bin/ruff check .
	ABSTAIN_DATA_LABEL_STUDIO_BIN=$(CURDIR)/$(LS_VENV)/bin/label-studio $(VENV)/bin/pytest -q

bench: $(VENV)/.installed $(LS_VENV)/.installed
	for b in benchmarks/*.py; do \
	  ABSTAIN_DATA_LABEL_STUDIO_BIN=$(CURDIR)/$(LS_VENV)/bin/label-studio $(VENV)/bin/python $$b || exit 1; \
	done
