# wirgeo — `make demo` sets everything up and runs the main job; `make test` sets everything
# up and runs the full test suite. Nothing else needs to be installed by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# One stamp per set of packages, so `make test` after `make demo` only adds what is
# missing: demo = the runtime dependencies + the `notebook` extra; test adds the `test`
# extra, bench the `bench` extra (pyproject.toml).
DEMO_STAMP  := $(VENV)/.installed-demo
TEST_STAMP  := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
DOCS_STAMP  := $(VENV)/.installed-docs

# Official source files: a copy beside the checkout (as in CI) is used when present;
# otherwise wirgeo looks in $WIRGEO_SOURCE or geo/sources/ (see `wirgeo data download`),
# and without any it uses the Hessen dataset embedded in the package (`wirgeo data bundle`).
SHARED_RAW := $(wildcard ../shared/data/raw)
ifneq ($(SHARED_RAW),)
export WIRGEO_SOURCE ?= $(abspath $(SHARED_RAW))
endif

# Browser tests drive Debian's chromium (never a downloaded browser).
CHROMIUM ?= /usr/bin/chromium
export WIRGEO_CHROMIUM ?= $(CHROMIUM)
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: demo test test-germany check setup setup-test setup-bench browser-deps node-deps notebooks \
	bench lint clean fuzz catalogs docs setup-docs

demo: setup
	$(BIN)/wirgeo demo --out-dir out

# The suite on every core (pytest-xdist; TEST_WORKERS=0 runs it in one process). Work
# stealing keeps both workers busy to the end: a module's tests mostly stay together, so
# its fixtures are built once, and an idle worker takes over the rest of a long module.
TEST_WORKERS ?= auto
test: setup-test browser-deps node-deps check docs
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal -m "not whole_country"

# The plan for all of Germany as a command (11,000 Gemeinden: 2–3 minutes with a cold
# cache); make test runs the same path for Hessen and the Saarland.
test-germany: setup-test
	$(BIN)/pytest -m whole_country

# The fuzz suite with many more examples than the normal run (tests/test_fuzz.py), fresh
# random inputs each time, and Hypothesis' statistics (cases tried, failures) at the end.
FUZZ_EXAMPLES ?= 1000
fuzz: setup-test
	WIRGEO_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) WIRGEO_FUZZ_SEED=random $(BIN)/pytest -p no:cacheprovider \
		-q tests/test_fuzz.py --hypothesis-show-statistics

# lint (incl. the complexity limit), types and the import layers of docs/architecture.md
check: setup-test
	$(BIN)/ruff check src tests bench tools conftest.py
	$(BIN)/mypy
	$(BIN)/lint-imports

# the gettext catalogs in step with the source: new messages added (German to translate by
# hand in src/wirgeo/locale/de/LC_MESSAGES/wirgeo.po), dropped ones removed
catalogs: setup
	$(BIN)/python tools/catalogs.py

# the documentation site from the project's own files, offline, warnings as errors:
# build/docs/index.html (docs/conf.py; about half a minute)
docs: setup-docs
	$(BIN)/sphinx-build -W --keep-going -q -b html docs build/docs
	@echo "site: build/docs/index.html"

setup: $(DEMO_STAMP)
setup-test: $(TEST_STAMP)
setup-bench: $(BENCH_STAMP)
setup-docs: $(DOCS_STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[notebook]'
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[notebook,test]'
	touch $@

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[notebook,bench]'
	touch $@

$(DOCS_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@

# chromium for the browser tests, poppler-utils (pdftoppm) to look at the PDFs they write
browser-deps:
	@{ [ -x $(CHROMIUM) ] && command -v pdftoppm >/dev/null; } || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium poppler-utils >/dev/null; }
	@$(CHROMIUM) --version

node-deps: tests/browser/node_modules/.installed

tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --silent
	touch $@

notebooks: setup
	$(BIN)/jupyter lab notebooks/

bench: setup-bench browser-deps node-deps
	$(BIN)/python bench/run_all.py

lint: check

clean:
	rm -rf $(VENV) out geo/cache tests/browser/node_modules
