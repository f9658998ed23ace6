#!/usr/bin/env bash
# The scale-out tests (issue 14): a private PostgreSQL cluster (Scripts/pg-cluster.sh), two
# `sop serve` nodes on one `--db postgres://…` started from deploy/systemd/sop@.service's
# ExecStart line, nginx in front from deploy/nginx/sop.conf; then the faults (Tests/Scale/scale.py)
# and the systemd unit checked by systemd-analyze. Everything started here is stopped on exit,
# even on failure (trap). STORE=sqlite runs the same on one shared SQLite file (no database
# restart). Ports: PostgreSQL PG_PORT (default 55441), nginx and nodes 18500–18599.
set -euo pipefail
cd "$(dirname "$0")/../.."
export SOP="${SOP:-$PWD/.build/debug/sop}"
VENV="${VENV:-$PWD/.build-venv}"
export STORE="${STORE:-postgres}"
export WORK="${WORK_DIR:-$PWD/.build/scale-tests}"
export PG_DIR="$WORK/pg" PG_PORT="${PG_PORT:-55441}"
export PIDFILE="$WORK/pids"
rm -rf "$WORK"; mkdir -p "$WORK"
: > "$PIDFILE"
cleanup() {
  # Only the processes this run started (their pids were written to PIDFILE).
  while read -r pid; do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done < "$PIDFILE"
  [ "$STORE" = postgres ] && bash Scripts/pg-cluster.sh stop "$PG_DIR" "$PG_PORT" || true
}
trap cleanup EXIT
status=0

echo "== systemd unit (deploy/systemd/sop@.service)"
# systemd-analyze verify in a scratch root holding the unit, its environment file, systemd's
# own units and an executable at the unit's ExecStart path: any warning fails.
ROOTFS="$WORK/rootfs"
mkdir -p "$ROOTFS/usr/local/bin" "$ROOTFS/etc/systemd/system" "$ROOTFS/etc/sop" "$ROOTFS/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$ROOTFS/usr/lib/systemd/"
cp deploy/systemd/sop@.service "$ROOTFS/etc/systemd/system/"
cp deploy/systemd/sop.env "$ROOTFS/etc/sop/"
ln "$SOP" "$ROOTFS/usr/local/bin/sop" 2>/dev/null || cp "$SOP" "$ROOTFS/usr/local/bin/sop"
if out="$(systemd-analyze verify --root="$ROOTFS" sop@18501.service 2>&1)" && [ -z "$out" ]; then
  echo "ok   systemd-analyze verify sop@18501.service: no warning"
else
  echo "FAIL systemd-analyze verify: $out"; status=1
fi
# The hardening, as systemd itself rates it (0 best, 10 worst; "OK" is below 4.5 or so).
if exposure="$(systemd-analyze security --offline=true --root="$ROOTFS" sop@18501.service 2>/dev/null | tail -1)"; then
  score="$(echo "$exposure" | grep -oE '[0-9]+\.[0-9]+' | head -1)"
  if [ -n "$score" ] && python3 -c "import sys; sys.exit(0 if float('$score') <= 2.0 else 1)"; then
    echo "ok   systemd-analyze security: $exposure"
  else
    echo "FAIL systemd-analyze security: $exposure (want 2.0 or less)"; status=1
  fi
fi
rm -f "$ROOTFS/usr/local/bin/sop"

if [ "$STORE" = postgres ]; then
  echo "== PostgreSQL (Scripts/pg-cluster.sh, port $PG_PORT)"
  bash Scripts/pg-cluster.sh start "$PG_DIR" "$PG_PORT"
  "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" -X -At "$(bash Scripts/pg-cluster.sh url "$PG_DIR" "$PG_PORT")" -c 'SHOW server_version'
fi

PYTHONPATH=Tests/Scale "$VENV/bin/python" Tests/Scale/scale.py || status=1
[ "$status" = 0 ] && echo "scale tests: all passed (logs in $WORK)" || echo "scale tests: FAILED (logs in $WORK)"
exit "$status"
