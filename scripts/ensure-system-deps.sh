#!/usr/bin/env bash
# Install the Debian packages the test suite needs when they are missing: PostgreSQL server,
# Redis server, chromium for the browser tests, gettext for the catalogues; with --bench also wrk (the load generator of
# `make bench`). Prints what it does; quiet when all present.
set -euo pipefail
missing=()
if [ "${1:-}" = "--bench" ]; then
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
echo "Installing missing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-liberation >/dev/null
# Debian starts a system redis when installing the package; the suite runs its own.
if [[ " ${missing[*]} " == *" redis-server "* ]]; then
  ($SUDO service redis-server stop || true) >/dev/null 2>&1
fi
