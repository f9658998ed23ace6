#!/usr/bin/env bash
# A private PostgreSQL cluster for tests and benchmarks (Debian's `postgresql`, version 15 or
# later): created with initdb in DIR, started with pg_ctl on 127.0.0.1:PORT with its Unix
# socket in DIR, owned by an unprivileged user (PostgreSQL refuses to run as root: as root the
# cluster belongs to the `postgres` system user the Debian package creates), with a role and
# a database `sop` for the store.
#
#   Scripts/pg-cluster.sh start   DIR PORT   create (first time) and start; waits until ready
#   Scripts/pg-cluster.sh stop    DIR PORT   stop (fast, then immediate, then SIGKILL): always stops
#   Scripts/pg-cluster.sh url     DIR PORT   print the store's URL: postgres://sop@127.0.0.1:PORT/sop
#   Scripts/pg-cluster.sh restart DIR PORT   stop then start (the fault tests' database restart)
#   Scripts/pg-cluster.sh status  DIR PORT   exit 0 when it accepts connections
#   Scripts/pg-cluster.sh psql    DIR PORT [psql arguments…]    psql as the superuser, on db sop
#   Scripts/pg-cluster.sh pgbench DIR PORT [pgbench arguments…] pgbench as the superuser
#
# Environment: PG_BIN (folder of initdb/pg_ctl; default the newest /usr/lib/postgresql/*/bin),
# PG_USER (the OS user that owns the cluster when run as root; default postgres),
# PG_FSYNC (on by default: completions are meant to be durable; `off` only for quick local runs).
# Authentication is `trust` on loopback and the socket: the cluster listens on 127.0.0.1 only
# and is meant for one machine's tests, never for real data.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|restart|status|url DIR PORT | psql|pgbench DIR PORT [args…]" >&2
  exit 2
}
[ $# -ge 3 ] || usage
CMD="$1"; DIR="$2"; PORT="$3"; shift 3
case "$PORT" in ''|*[!0-9]*) echo "pg-cluster: PORT must be a number, got '$PORT'" >&2; exit 2 ;; esac
case "$CMD" in start|stop|restart|status|url|psql|pgbench) ;; *) usage ;; esac

DB_NAME=sop
DB_ROLE=sop
if [ "$CMD" = url ]; then
  echo "postgres://$DB_ROLE@127.0.0.1:$PORT/$DB_NAME"
  exit 0
fi
if [ ! -d "$DIR" ]; then
  case "$CMD" in
    start|restart) mkdir -p "$DIR" ;;
    stop) exit 0 ;;
    *) echo "pg-cluster: no cluster in $DIR" >&2; exit 1 ;;
  esac
fi
DIR="$(cd "$DIR" && pwd)"
DATA="$DIR/data"
LOG="$DIR/postgres.log"

if [ -z "${PG_BIN:-}" ]; then
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "pg-cluster: PostgreSQL's server binaries not found in /usr/lib/postgresql/*/bin (make pg-deps installs them)" >&2
  exit 1
fi

# Run a command as the cluster's owner: ourselves, or PG_USER when we are root.
OWNER=""
if [ "$(id -u)" = 0 ]; then
  OWNER="${PG_USER:-postgres}"
  id "$OWNER" >/dev/null 2>&1 || { echo "pg-cluster: running as root and there is no user '$OWNER' to own the cluster (Debian's postgresql package creates 'postgres')" >&2; exit 1; }
fi
as_owner() {
  if [ -n "$OWNER" ]; then runuser -u "$OWNER" -- "$@"; else "$@"; fi
}

running() {
  as_owner "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

ready() {
  "$PG_BIN/pg_isready" -q -h "$DIR" -p "$PORT" -d postgres 2>/dev/null
}

do_stop() {
  [ -d "$DATA" ] || return 0
  if running; then
    as_owner "$PG_BIN/pg_ctl" -D "$DATA" stop -m fast -w -t 30 >/dev/null 2>&1 ||
      as_owner "$PG_BIN/pg_ctl" -D "$DATA" stop -m immediate -w -t 10 >/dev/null 2>&1 || true
  fi
  # Last resort: the postmaster's pid from its pid file.
  if [ -f "$DATA/postmaster.pid" ]; then
    local pid; pid="$(head -1 "$DATA/postmaster.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q postgres "/proc/$pid/comm" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
    fi
  fi
}

do_start() {
  if [ -n "$OWNER" ]; then chown -R "$OWNER:" "$DIR"; fi
  if [ ! -f "$DATA/PG_VERSION" ]; then
    as_owner "$PG_BIN/initdb" -D "$DATA" --username=postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
      { echo "pg-cluster: initdb failed:" >&2; cat "$DIR/initdb.log" >&2; exit 1; }
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = '$DIR'"
      echo "max_connections = 200"
      echo "fsync = ${PG_FSYNC:-on}"
      echo "log_line_prefix = '%m [%p] '"
    } >>"$DATA/postgresql.conf"
  fi
  if running; then
    ready && return 0
  fi
  as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -o "-p $PORT" -w -t 60 start >/dev/null ||
    { echo "pg-cluster: PostgreSQL did not start on port $PORT; its log ($LOG):" >&2; tail -20 "$LOG" >&2; exit 1; }
  for _ in $(seq 1 100); do ready && break; sleep 0.1; done
  ready || { echo "pg-cluster: PostgreSQL does not accept connections on port $PORT" >&2; exit 1; }
  # The store's role and database (once).
  local psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT" -U postgres -d postgres)
  if [ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_ROLE'")" != 1 ]; then
    "${psql[@]}" -c "CREATE ROLE $DB_ROLE LOGIN"
  fi
  if [ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
    "${psql[@]}" -c "CREATE DATABASE $DB_NAME OWNER $DB_ROLE"
  fi
}

case "$CMD" in
  start) do_start ;;
  stop) do_stop ;;
  restart) do_stop; do_start ;;
  status) ready ;;
  psql) exec "$PG_BIN/psql" -X -h "$DIR" -p "$PORT" -U postgres -d "$DB_NAME" "$@" ;;
  pgbench) exec "$PG_BIN/pgbench" -h "$DIR" -p "$PORT" -U postgres "$@" ;;
esac
