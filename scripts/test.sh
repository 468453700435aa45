#!/usr/bin/env bash
# `make test`: lint, Django checks and the whole suite against throwaway PostgreSQL and Redis,
# which are stopped again whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
services_session
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
