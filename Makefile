# Stoplicht: `make run` starts the bot on the demo school (SQLite); `make test` runs every test.
# Both create the virtualenv and install what they need on a fresh machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export STOPLICHT_DATABASE_URL ?= sqlite:///stoplicht.sqlite

.PHONY: run test bench lint venv postgres clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: venv
	$(BIN)/stoplicht db upgrade
	$(BIN)/stoplicht demo --if-empty
	STOPLICHT_DEMO=1 $(BIN)/stoplicht serve

postgres:
	bash tests/ensure-postgres.sh

test: venv postgres
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

bench: venv postgres
	$(BIN)/python -m bench

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot dialogs storage schedules

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache stoplicht.sqlite*
