# wirgeo — `make demo` sets everything up and runs the main job; `make test` sets everything
# up and runs the full test suite. Nothing else needs to be installed by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Official source files: a copy beside the checkout (as in CI) is used when present;
# otherwise wirgeo looks in $WIRGEO_SOURCE or geo/sources/ (see `wirgeo data download`).
SHARED_RAW := $(wildcard ../shared/data/raw)
ifneq ($(SHARED_RAW),)
export WIRGEO_SOURCE ?= $(abspath $(SHARED_RAW))
endif

# Browser tests drive Debian's chromium (never a downloaded browser).
CHROMIUM ?= /usr/bin/chromium
export WIRGEO_CHROMIUM ?= $(CHROMIUM)
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: demo test check setup browser-deps node-deps notebooks bench lint clean

demo: setup
	$(BIN)/wirgeo demo --out-dir out

test: setup browser-deps node-deps check
	$(BIN)/pytest

# lint (incl. the complexity limit), types and the import layers of docs/architecture.md
check: setup
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/mypy
	$(BIN)/lint-imports

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench,notebook]'
	touch $(STAMP)

browser-deps:
	@[ -x $(CHROMIUM) ] || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }
	@$(CHROMIUM) --version

node-deps: tests/browser/node_modules/.installed

tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --silent
	touch $@

notebooks: setup
	$(BIN)/jupyter lab notebooks/

bench: setup
	$(BIN)/python bench/run_all.py

lint: check

clean:
	rm -rf $(VENV) out geo/cache tests/browser/node_modules
