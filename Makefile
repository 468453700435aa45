# The two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LOCK := requirements/dev.lock
STAMP := $(VENV)/.installed-$(shell sha256sum $(LOCK) 2>/dev/null | cut -c1-16)
export REFERENCE_DATA_DIR ?= $(abspath ..)/shared/data

.PHONY: run test bench screenshots install system-deps lock lint format messages collectstatic clean

$(STAMP): $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing the locked dependencies into $(VENV) ..."
	@# This machine's pip configuration names extra local indexes that may not exist; drop that noise.
	@set -o pipefail; $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK) 2>&1 \
		| { grep -v '^WARNING: Location .* is ignored' || true; }
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## Serve the portal on the embedded default (SQLite, in-process tasks) with reference and demo data.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo
	$(PY) manage.py demo_accounts
	$(PY) manage.py runserver 127.0.0.1:8000

system-deps:
	@scripts/ensure-system-deps.sh

## Lint, checks and the whole suite against throwaway PostgreSQL and Redis.
test: install system-deps
	scripts/test.sh $(PYTEST_ARGS)

## Benchmarks; writes docs/performance.md.
bench: install system-deps
	@scripts/ensure-system-deps.sh --bench
	scripts/bench.sh $(BENCH)

## The gallery: each role's main page in chromium, wide and phone, English and Danish, on a
## throwaway demo database; writes docs/screenshots/gallery/*.png (docs/gallery.md shows them).
screenshots: install system-deps
	$(PY) -m bench.screenshots

## Re-resolve every dependency to its newest allowed version (the one upgrade command).
lock: install
	$(VENV)/bin/uv pip compile pyproject.toml --upgrade --generate-hashes --python-version 3.11 -o requirements/base.lock
	$(VENV)/bin/uv pip compile pyproject.toml --upgrade --extra dev --generate-hashes --python-version 3.11 -o requirements/dev.lock

## The interface's catalogues: extract new texts into locale/*/django.po and compile them.
messages: install system-deps
	scripts/messages.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
