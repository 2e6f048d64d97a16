# Two commands: `make run` (the app on the demo room) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
CXROOM_DB ?= data/cxroom.duckdb
export CXROOM_DB

.PHONY: run test check lint demo install install-dev browser-deps clean bench soak

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Build the demo room if there is no database yet, then start the app (with its inbox worker and
## scheduled backups, see docs/deploy.md) on :$(PORT).
run: install
	$(BIN)/python -m cxroom demo --if-missing
	$(BIN)/python -m cxroom serve --server.port $(PORT)

demo: install
	$(BIN)/python -m cxroom demo --force

## Browser tests need Debian's chromium (and ffmpeg for audio conversion); root installs them.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v ffmpeg >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium ffmpeg poppler-utils >/dev/null; \
	  else echo "Browser tests will be skipped: install chromium and ffmpeg (sudo apt-get install chromium ffmpeg)"; fi; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

## Lint, import contracts, then every test (unit, store, AppTest, browser).
test: install-dev browser-deps lint
	$(BIN)/python -m pytest

check: test

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts

## Benchmark at large scale, printed as one table (docs/benchmarks.md); BENCH_ARGS="--scale medium --json" etc.
bench: install-dev browser-deps
	$(BIN)/python -m cxroom bench $(BENCH_ARGS)

## Soak: the wall screen in Chromium refreshing every second for MINUTES (default 30); not part of `make test`.
soak: install-dev browser-deps
	$(BIN)/python bench/soak.py --minutes $(or $(MINUTES),30) $(SOAK_ARGS)
