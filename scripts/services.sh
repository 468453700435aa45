#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis servers on loopback, for the test suite and the benchmarks.
#   source scripts/services.sh; services_start; ...; services_stop
# services_start exports DATABASE_URL and REDIS_URL. Data lives in a temporary directory that
# services_stop removes.

# Below the kernel's ephemeral range (32768-60999), so outgoing connections never hold them.
PG_PORT=${PG_PORT:-25432}
REDIS_PORT=${REDIS_PORT:-26379}

_free_port() {
  # The first port from $1 upwards that nothing listens on (a leftover server, another run).
  local port=$1
  while ! python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))" "$port" 2>/dev/null; do
    port=$((port + 1))
  done
  echo "$port"
}

_as_pg() {
  # PostgreSQL refuses to run as root: use the postgres system user then.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

services_start() {
  PG_PORT=$(_free_port "$PG_PORT")
  REDIS_PORT=$(_free_port "$REDIS_PORT")
  local pg_bin
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  SERVICES_DIR=$(mktemp -d /tmp/bsp-services.XXXXXX)
  export SERVICES_DIR PG_BIN="$pg_bin"
  chmod 755 "$SERVICES_DIR"
  mkdir -p "$SERVICES_DIR/pg"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$SERVICES_DIR/pg"; fi
  _as_pg "$pg_bin/initdb" -D "$SERVICES_DIR/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$SERVICES_DIR/initdb.log" 2>&1 \
    || { cat "$SERVICES_DIR/initdb.log"; return 1; }
  _as_pg "$pg_bin/pg_ctl" -D "$SERVICES_DIR/pg/data" -l "$SERVICES_DIR/pg/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $PG_PORT -k $SERVICES_DIR/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$SERVICES_DIR/pg/server.log"; return 1; }
  _as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres bigscience
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --daemonize yes --pidfile "$SERVICES_DIR/redis.pid" --logfile "$SERVICES_DIR/redis.log" \
    --dir "$SERVICES_DIR"
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/bigscience"
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  echo "Started PostgreSQL on 127.0.0.1:$PG_PORT and Redis on 127.0.0.1:$REDIS_PORT ($SERVICES_DIR)"
}

services_stop() {
  [ -n "${SERVICES_DIR:-}" ] && [ -d "$SERVICES_DIR" ] || return 0
  if [ -f "$SERVICES_DIR/redis.pid" ]; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 \
      || kill "$(cat "$SERVICES_DIR/redis.pid")" 2>/dev/null || true
  fi
  if [ -d "$SERVICES_DIR/pg/data" ]; then
    _as_pg "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$SERVICES_DIR"
  echo "Stopped PostgreSQL and Redis"
  unset SERVICES_DIR
}

services_session() {
  # Start both servers for the rest of this script, stop them when it ends whatever happens,
  # and set the environment the suite and the benchmarks run in.
  trap services_stop EXIT INT TERM
  services_start
  export DJANGO_SETTINGS_MODULE=bigscience_portal.settings.test
  export REFERENCE_DATA_DIR=${REFERENCE_DATA_DIR:-$(cd .. && pwd)/shared/data}
}
