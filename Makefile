# esgpress: two commands for a new user (see README.md).
#   make report   set up, check the data, build the microsite and the three PDFs
#   make test     set up, run the whole test suite
# Set-up is incremental: the virtualenv is rebuilt only when pyproject.toml changes,
# and system packages are installed only when one is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

REPORT_DEBS := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils
TEST_DEBS := $(REPORT_DEBS) chromium chromium-driver

.PHONY: report test bench lint sysdeps-report sysdeps-test clean

report: sysdeps-report $(STAMP)
	$(BIN)/esgpress build-all

test: sysdeps-test $(STAMP)
	$(BIN)/python -m pytest -q

bench: sysdeps-report $(STAMP)
	$(BIN)/python tools/bench.py $(BENCH_ARGS)
	$(BIN)/python tools/bench.py --hostile

lint: $(STAMP)
	$(BIN)/ruff check tools tests
	$(BIN)/ruff format --check tools tests
	$(BIN)/mypy

sysdeps-report:
	@sh tools/ci/ensure-debs.sh $(REPORT_DEBS)

sysdeps-test:
	@sh tools/ci/ensure-debs.sh $(TEST_DEBS)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf build site dist
