#!/usr/bin/env bash
# `bash Benchmarks/scale-statements.sh [SOP]`: where one completion's time goes on PostgreSQL. A private
# cluster (Scripts/pg-cluster.sh, port PG_PORT, default 55442 as bench-scale's), one node, five
# completions one after the other with log_min_duration_statement = 0: every statement the node
# sends, in order, with the time PostgreSQL spent on it (COMMIT includes the WAL flush).
# WRITERS sets `sop serve --writers`. Everything started is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
SOP="$(cd "$(dirname "${1:-.build/release/sop}")" && pwd)/$(basename "${1:-.build/release/sop}")"
W=$PWD/.build/scale-statements; PG_PORT="${PG_PORT:-55442}"
bash Scripts/pg-cluster.sh stop "$W/pg" $PG_PORT >/dev/null 2>&1 || true
rm -rf "$W"; mkdir -p "$W"
bash Scripts/pg-cluster.sh start "$W/pg" $PG_PORT >/dev/null
URL="$(bash Scripts/pg-cluster.sh url "$W/pg" $PG_PORT)"
FILE=sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml
yes "{\"op\":\"start\",\"sop\":\"$FILE\"}" | head -n 20 | "$SOP" case apply --db "$URL" --batch 100 >/dev/null || true
echo x1234567 | "$SOP" user add lapor --db "$URL" --role "LAPOR!-SP4N" --password-stdin >/dev/null
TOK="$("$SOP" user token lapor --db "$URL")"
IDS=($("$SOP" case list --db "$URL" --status running --json | python3 -c 'import json,sys
for l in sys.stdin:
  l=l.strip()
  if l: print(json.loads(l)["case"])'))
"$SOP" serve --catalog sops --db "$URL" --host 127.0.0.1 --port 18520 --log-level warning ${WRITERS:+--writers $WRITERS} 2>"$W/node.log" >/dev/null &
NODE=$!
trap 'kill $NODE 2>/dev/null; wait $NODE 2>/dev/null; bash Scripts/pg-cluster.sh stop "$W/pg" '$PG_PORT' >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 300); do curl -fsS http://127.0.0.1:18520/healthz >/dev/null 2>&1 && break; sleep 0.1; done
bash Scripts/pg-cluster.sh psql "$W/pg" $PG_PORT -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
LOG="$W/pg/postgres.log"; START=$(wc -l < "$LOG")
for i in 0 1 2 3 4; do
  curl -s -o /dev/null -w "%{http_code} %{time_total}s\n" -X POST "http://127.0.0.1:18520/api/cases/${IDS[$i]}/complete" \
    -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' -d '{"step":"1","documents":["Laporan masyarakat"]}'
done
sleep 0.5
bash Scripts/pg-cluster.sh psql "$W/pg" $PG_PORT -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null
tail -n +$((START+1)) "$LOG" | grep -E "duration: [0-9.]+ ms +(statement|execute)" | sed -E 's/^.*duration: ([0-9.]+ ms) +(statement|execute [^:]*|parse [^:]*|bind [^:]*): ?/\1 | /' | cut -c1-140 > "$W/statements.txt"
cat "$W/statements.txt"
