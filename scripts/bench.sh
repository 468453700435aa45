#!/usr/bin/env bash
# `make bench`: every benchmark in bench/, against throwaway PostgreSQL and Redis, writing its
# figures, the machine and the baselines into docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
services_session
.venv/bin/python -m bench.run "$@"
