# Stoplicht: `make run` starts the bot on the demo school (SQLite); `make test` runs every test.
# Both create the virtualenv and install what they need on a fresh machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export STOPLICHT_DATABASE_URL ?= sqlite:///stoplicht.sqlite

NPM_CACHE := .cache/npm
NPM_PACKAGES := @microsoft/app-manifest@1.1.2 @microsoft/m365agentsplayground@0.2.28 adaptivecards@3.0.6
NPM_STAMP := $(NPM_CACHE)/.installed-stamp

.PHONY: run test bench lint venv postgres chromium clean npm-deps fonts

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: venv fonts
	$(BIN)/stoplicht db upgrade
	$(BIN)/stoplicht demo --if-empty
	STOPLICHT_DEMO=1 $(BIN)/stoplicht serve

postgres:
	bash tests/ensure-postgres.sh

# The report PDF is set in DejaVu Sans (Debian's fonts-dejavu-core); without it the PDF falls
# back to Helvetica (Latin-1 only). Installed with apt when missing and possible.
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf || \
	  { apt-get update -qq && apt-get install -y -qq fonts-dejavu-core; } || \
	  echo "fonts-dejavu-core not installed: report PDFs fall back to Helvetica"

# The browser journeys (tests/journeys) run the Agents Playground's web client in Chromium.
chromium:
	bash tests/ensure-chromium.sh

# Teams: the official manifest schemas, the Adaptive Cards SDK (card checks) and the Agents
# Playground (e2e), pinned, git-ignored.
$(NPM_STAMP): Makefile
	mkdir -p $(NPM_CACHE)
	npm install --no-save --no-audit --no-fund --prefix $(NPM_CACHE) $(NPM_PACKAGES)
	touch $(NPM_STAMP)

npm-deps: $(NPM_STAMP)

test: venv postgres chromium npm-deps fonts
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

bench: venv postgres npm-deps fonts
	$(BIN)/python -m bench

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot dialogs storage schedules

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache stoplicht.sqlite*
