#!/usr/bin/env bash
# `make bench-scale` (issue 14): durable step completions over HTTP (wrk on loopback, one run,
# Benchmarks/wrk/complete.lua, each request completes step 1 of its own case) for
#   1. one node on SQLite,
#   2. one node on PostgreSQL,
#   3. two nodes on PostgreSQL behind nginx (deploy/nginx/sop.conf),
# beside pgbench's built-in simple-update script (`pgbench -N`) on the same private cluster in the
# same run: what this database commits per second on this machine.
# Targets: on PostgreSQL at least 40 % of pgbench's rate; two nodes at least as fast as one.
# Environment: DURATION (wrk and pgbench seconds, default 10), CONNECTIONS (16), THREADS (2),
# SQLITE_CASES (cases started for the SQLite run, default 40000), PG_CASES (twice that many are
# started for the PostgreSQL runs, default 25000), PG_PORT (55442), WRITERS (`sop serve --writers`
# for the PostgreSQL nodes; default the node's own, 4). A PostgreSQL node with one writer lane
# (as before the lanes) runs first, for comparison. A run that uses up its cases shows non-2xx answers.
set -euo pipefail
cd "$(dirname "$0")/.."
SOP="$(cd "$(dirname "${1:-.build/release/sop}")" && pwd)/$(basename "${1:-.build/release/sop}")"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
SQLITE_CASES="${SQLITE_CASES:-40000}"
PG_CASES="${PG_CASES:-25000}"
PG_PORT="${PG_PORT:-55442}"
WORK="$PWD/.build/bench-scale"
PG_DIR="$WORK/pg"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  bash Scripts/pg-cluster.sh stop "$PG_DIR" "$PG_PORT" || true
}
trap cleanup EXIT
bash Scripts/pg-cluster.sh stop "$PG_DIR" "$PG_PORT" || true
rm -rf "$WORK"; mkdir -p "$WORK"
FILE=sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

free_port() {
  for p in $(seq 18510 18599); do
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && ! grep -qx "$p" "$WORK/taken" 2>/dev/null; then echo "$p" >> "$WORK/taken"; echo "$p"; return; fi
  done
  echo "no free port in 18510-18599" >&2; exit 1
}
wait_up() {  # URL
  for _ in $(seq 1 600); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "no answer from $1" >&2; exit 1
}
# A store with CASES cases at step 1 of the LAPOR SOP and the user `lapor`; prints lapor's token.
prepare() {  # DB CASES
  local db="$1"
  yes "{\"op\":\"start\",\"sop\":\"$FILE\"}" | head -n "$2" | "$SOP" case apply --db "$db" --batch 1000 | grep -v '^ok' | head -5 || true
  echo x1234567 | "$SOP" user add lapor --db "$db" --role "LAPOR!-SP4N" --password-stdin >/dev/null
  "$SOP" user token lapor --db "$db"
}
# The ids of the running cases at step 1, in order, into FILE.
case_ids() {  # DB FILE
  "$SOP" case list --db "$1" --status running --json | python3 -c '
import json, sys
for line in sys.stdin:
    line = line.strip()
    if line:
        print(json.loads(line)["case"])' > "$2"
}
node() {  # DB PORT LOG [serve options…]: a node on the release build; its pid into PIDS
  local db="$1" port="$2" log="$3"; shift 3
  "$SOP" serve --catalog sops --db "$db" --host 127.0.0.1 --port "$port" --log-level warning "$@" 2>"$log" >/dev/null &
  PIDS+=($!)
  wait_up "http://127.0.0.1:$port/healthz"
}
RESULTS="$WORK/results.txt"
: > "$RESULTS"
run_wrk() {  # NAME URL TOKEN FIRST IDS
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/wrk/complete.lua "$2" \
    -- "$3" "$4" "$THREADS" "$5" > "$WORK/$1.wrk"
  python3 - "$1" "$WORK/$1.wrk" >> "$RESULTS" <<'PY'
import re, sys
name, out = sys.argv[1], open(sys.argv[2]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
def ms(label):
    m = re.search(rf"\s{label}\s+([\d.]+)(us|ms|s)\b", out)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
total = re.search(r"(\d+) requests in", out).group(1)
errs = re.search(r"Socket errors: (.*)", out)
nbad = int(bad.group(1)) if bad else 0
# Only answers 2xx count as completions (a non-2xx answer is an error, or the run ran out of cases).
ok = rps * (int(total) - nbad) / int(total) if int(total) else 0
print(f"{name}\t{ok:.0f}\t{ms('50%'):.2f}\t{ms('99%'):.2f}\t{total}\t{nbad}\t{errs.group(1) if errs else 'none'}")
PY
  tail -1 "$RESULTS" | awk -F'\t' '{printf "  %s: %s completions/s, p50 %s ms, p99 %s ms (%s requests, %s non-2xx, socket errors: %s)\n", $1, $2, $3, $4, $5, $6, $7}'
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s on loopback"

echo "== PostgreSQL: a private cluster (Scripts/pg-cluster.sh, fsync on, port $PG_PORT)"
bash Scripts/pg-cluster.sh start "$PG_DIR" "$PG_PORT"
URL="$(bash Scripts/pg-cluster.sh url "$PG_DIR" "$PG_PORT")"
"$PG_BIN/psql" -X -q -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE pgbench"
echo "  $("$PG_BIN/psql" -X -At "$URL" -c 'SHOW server_version') ($URL)"

echo "== baseline, same run: pgbench -N (built-in simple-update), scale 10, $CONNECTIONS clients, ${DURATION}s"
bash Scripts/pg-cluster.sh pgbench "$PG_DIR" "$PG_PORT" -i -q -s 10 pgbench >/dev/null 2>&1
bash Scripts/pg-cluster.sh pgbench "$PG_DIR" "$PG_PORT" -N -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" pgbench > "$WORK/pgbench.out" 2>&1
PGBENCH_TPS="$(grep -oE 'tps = [0-9.]+' "$WORK/pgbench.out" | tail -1 | grep -oE '[0-9.]+')"
PGBENCH_LAT="$(grep -oE 'latency average = [0-9.]+ ms' "$WORK/pgbench.out" | grep -oE '[0-9.]+')"
printf "  pgbench -N: %.0f tps, latency average %s ms\n" "$PGBENCH_TPS" "$PGBENCH_LAT"

echo "== setup: $SQLITE_CASES cases at step 1 in a SQLite store, twice $PG_CASES in PostgreSQL (sop case apply)"
SQLITE_DB="$WORK/bench.db"
SQLITE_TOKEN="$(prepare "$SQLITE_DB" "$SQLITE_CASES")"
case_ids "$SQLITE_DB" "$WORK/sqlite.ids"
T0=$(date +%s.%N)
PG_TOKEN="$(prepare "$URL" "$PG_CASES")"
yes "{\"op\":\"start\",\"sop\":\"$FILE\"}" | head -n "$PG_CASES" | "$SOP" case apply --db "$URL" --batch 1000 | grep -v '^ok' | head -5 || true
case_ids "$URL" "$WORK/pg.ids"
echo "  $(wc -l < "$WORK/sqlite.ids") SQLite cases, $(wc -l < "$WORK/pg.ids") PostgreSQL cases ($(python3 -c "print(f'{$(date +%s.%N) - $T0:.1f}')") s to start those through sop case apply)"

echo "== 1. one node, SQLite"
P="$(free_port)"; node "$SQLITE_DB" "$P" "$WORK/sqlite-node.log"
run_wrk "1 node, SQLite" "http://127.0.0.1:$P" "$SQLITE_TOKEN" 1 "$WORK/sqlite.ids"

# The next unused PostgreSQL case: past the requests of the runs before (and those in flight).
next_id() { awk -F'\t' -v n=1 '$1 ~ /PostgreSQL/ {n += $5 + 1000} END {print n}' "$RESULTS"; }

echo "== 2a. one node, PostgreSQL, one writer lane (--writers 1, as before the lanes)"
P0="$(free_port)"; node "$URL" "$P0" "$WORK/pg-node0.log" --writers 1
run_wrk "1 node, PostgreSQL, 1 lane" "http://127.0.0.1:$P0" "$PG_TOKEN" "$(next_id)" "$WORK/pg.ids"
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

echo "== 2. one node, PostgreSQL (${WRITERS:-the default} writer lanes)"
P1="$(free_port)"; node "$URL" "$P1" "$WORK/pg-node1.log" ${WRITERS:+--writers "$WRITERS"}
run_wrk "1 node, PostgreSQL" "http://127.0.0.1:$P1" "$PG_TOKEN" "$(next_id)" "$WORK/pg.ids"

echo "== 3. two nodes, PostgreSQL, nginx in front (deploy/nginx/sop.conf)"
P2="$(free_port)"; node "$URL" "$P2" "$WORK/pg-node2.log" ${WRITERS:+--writers "$WRITERS"}
LB="$(free_port)"
mkdir -p "$WORK/nginx"
ACCESS_LOG=off bash deploy/nginx/render.sh "127.0.0.1:$LB" "127.0.0.1:$P1" "127.0.0.1:$P2" | sed 's/access_log off sop_access;/access_log off;/' > "$WORK/nginx/sop.conf"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy; fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
    include $WORK/nginx/sop.conf;
}
CONF
/usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g 'daemon off;' &
PIDS+=($!)
wait_up "http://127.0.0.1:$LB/nginx-healthz"
run_wrk "2 nodes, PostgreSQL, nginx" "http://127.0.0.1:$LB" "$PG_TOKEN" "$(next_id)" "$WORK/pg.ids"

echo "== summary"
python3 - "$RESULTS" "$PGBENCH_TPS" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
pgbench = float(sys.argv[2])
by = {r[0]: float(r[1]) for r in rows}
print(f"  {'configuration':<28} {'compl./s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'of pgbench -N':>14}")
for name, rps, p50, p99, total, bad, errs in rows:
    print(f"  {name:<28} {float(rps):>9,.0f} {float(p50):>8.2f} {float(p99):>8.2f} {bad:>8} {float(rps) / pgbench:>13.0%}")
print(f"  {'pgbench -N (baseline)':<28} {pgbench:>9,.0f}")
one, two = by.get("1 node, PostgreSQL", 0), by.get("2 nodes, PostgreSQL, nginx", 0)
verdict = lambda ok: "met" if ok else "NOT met"
print(f"target: PostgreSQL completions >= 40 % of pgbench -N: one node {one / pgbench:.0%} ({verdict(one >= 0.4 * pgbench)}), "
      f"two nodes {two / pgbench:.0%} ({verdict(two >= 0.4 * pgbench)})")
lane1 = by.get("1 node, PostgreSQL, 1 lane", 0)
if lane1:
    print(f"writer lanes: one node {one:,.0f} vs {lane1:,.0f} completions/s with one lane = {one / lane1:.2f}x")
print(f"target: two nodes >= one node: {two:,.0f} vs {one:,.0f} completions/s = {two / one if one else 0:.2f}x ({verdict(two >= one)})")
PY
