# esgpress: two commands for a new user (see README.md).
#   make report   set up, check the data, build the microsite and the three PDFs
#   make test     set up, run the whole test suite
# Set-up is incremental: the virtualenv is rebuilt only when pyproject.toml changes,
# and system packages are installed only when one is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

REPORT_DEBS := fonts-noto-cjk fonts-noto-core fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils
TEST_DEBS := $(REPORT_DEBS) chromium chromium-driver

.PHONY: report test bench lighthouse lint schemas constraints sysdeps-report sysdeps-test browser-tools clean

report: sysdeps-report $(STAMP)
	$(BIN)/esgpress build-all

test: sysdeps-test $(STAMP) browser-tools
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

bench: sysdeps-report $(STAMP)
	$(BIN)/python tools/bench.py $(BENCH_ARGS)
	$(BIN)/python tools/bench.py --hostile

# Lighthouse scores of site/ (mobile preset, system chromium); docs/site.md records a run.
LIGHTHOUSE := tools/lighthouse/node_modules/.bin/lighthouse
lighthouse: sysdeps-test $(STAMP) $(LIGHTHOUSE)
	test -f site/index.html || $(BIN)/esgpress build
	$(BIN)/python tools/lighthouse.py

$(LIGHTHOUSE): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	command -v npm >/dev/null || sh tools/ci/ensure-debs.sh nodejs npm
	cd tools/lighthouse && npm ci --ignore-scripts --no-audit --no-fund
	touch $(LIGHTHOUSE)

lint: $(STAMP)
	$(BIN)/ruff check tools tests
	$(BIN)/ruff format --check tools tests
	$(BIN)/mypy

sysdeps-report:
	@sh tools/ci/ensure-debs.sh $(REPORT_DEBS)

sysdeps-test:
	@sh tools/ci/ensure-debs.sh $(TEST_DEBS)

# axe-core for the accessibility tests (tests/test_a11y.py), pinned by
# tools/browser/package-lock.json; `npm ci` runs only when the lock changes.
AXE := tools/browser/node_modules/axe-core/axe.min.js
browser-tools: $(AXE)

$(AXE): tools/browser/package.json tools/browser/package-lock.json
	command -v npm >/dev/null || sh tools/ci/ensure-debs.sh nodejs npm
	cd tools/browser && npm ci --ignore-scripts --no-audit --no-fund
	touch $(AXE)

# constraints.txt pins every package to the version the outputs were made with.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Regenerate the JSON Schemas of data/*.yaml from the loader's field tables.
schemas: $(STAMP)
	$(BIN)/esgpress schemas --out schemas

# Re-pin constraints.txt to the virtualenv as it is (after a deliberate upgrade).
constraints: $(STAMP)
	{ grep '^#' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf build site dist
