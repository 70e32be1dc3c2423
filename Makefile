# The two commands a newcomer needs: `make setup`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup test

setup:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[agent,serve,dev]'
	$(BIN)/python -m agent.sandbox.warm  # Pyodide from npm into .cache/vibesynth/deno (sandbox runs offline after)

test:
	$(BIN)/python -m pytest
