#!/usr/bin/env bash
# `make test`: lint, Django checks and the whole suite against throwaway PostgreSQL and Redis,
# which are stopped again whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
trap services_stop EXIT INT TERM
services_start
export DJANGO_SETTINGS_MODULE=bigscience_portal.settings.test
export REFERENCE_DATA_DIR=${REFERENCE_DATA_DIR:-$(cd .. && pwd)/shared/data}
PY=.venv/bin/python
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== manage.py check"
$PY manage.py check --fail-level WARNING
echo "== makemigrations --check"
$PY manage.py makemigrations --check --dry-run
echo "== pytest"
$PY -m pytest "$@"
