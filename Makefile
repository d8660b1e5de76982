# esgpress: two commands for a new user (see README.md).
#   make report   set up, check the data, build the microsite and the three PDFs
#   make test     set up, run the whole test suite
# Set-up is incremental: the virtualenv is rebuilt only when pyproject.toml changes,
# and system packages are installed only when one is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

REPORT_DEBS := fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils
TEST_DEBS := $(REPORT_DEBS) chromium chromium-driver

.PHONY: report test bench lint schemas constraints sysdeps-report sysdeps-test clean

report: sysdeps-report $(STAMP)
	$(BIN)/esgpress build-all

test: sysdeps-test $(STAMP)
	$(BIN)/python -m pytest -q

bench: sysdeps-report $(STAMP)
	$(BIN)/python tools/bench.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check tools tests
	$(BIN)/ruff format --check tools tests
	$(BIN)/mypy

sysdeps-report:
	@sh tools/ci/ensure-debs.sh $(REPORT_DEBS)

sysdeps-test:
	@sh tools/ci/ensure-debs.sh $(TEST_DEBS)

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
