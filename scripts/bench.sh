#!/usr/bin/env bash
# `make bench`: every benchmark in bench/, against throwaway PostgreSQL and Redis, writing its
# figures, the machine and the baselines into docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
trap services_stop EXIT INT TERM
services_start
export DJANGO_SETTINGS_MODULE=bigscience_portal.settings.test
export REFERENCE_DATA_DIR=${REFERENCE_DATA_DIR:-$(cd .. && pwd)/shared/data}
.venv/bin/python -m bench.run "$@"
