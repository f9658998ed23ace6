#!/usr/bin/env bash
# `make bench-serve`: `sop serve` (release, SQLite, loopback) under wrk, one run:
#   - "my tasks" reads (GET /api/tasks of a Pejabat Penghubung with 20 open steps),
#   - durable step completions (POST /api/cases/{id}/complete, each on its own case),
# beside two baselines measured in the same run: the in-process figure of `make bench-runtime`
# and the HTTP stack alone (a constant document).
# Targets (issue 13, 2 cores): >= 3,000 completions/s with p99 < 50 ms; >= 10,000 reads/s; no errors.
set -euo pipefail
SOP="${1:-.build/release/sop}"
DURATION="${DURATION:-5s}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
CASES="${CASES:-30000}"
READ_CASES=20
WORK="$(mktemp -d)"
PID=""
cleanup() { if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; wait "$PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT
FILE=sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml
DB="$WORK/bench.db"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; wrk -t$THREADS -c$CONNECTIONS -d$DURATION on loopback"
echo "== baseline, same run: the runtime in process (sop debug bench-runtime)"
"$SOP" debug bench-runtime sops/kota-tarakan/dkisp/kunjungan-tarakan-command-center.yaml | sed 's/^/  /'

echo "== setup: $READ_CASES cases at the Pejabat Penghubung's step, $CASES at step 1 (sop case apply)"
{
  for _ in $(seq 1 $READ_CASES); do echo "{\"op\":\"start\",\"sop\":\"$FILE\"}"; done
  for i in $(seq 1 $READ_CASES); do
    id=$(printf 'case-%06d' "$i")
    echo "{\"op\":\"complete\",\"case\":\"$id\",\"step\":\"1\",\"by\":\"lapor\",\"docs\":[\"Laporan masyarakat\"]}"
    echo "{\"op\":\"decide\",\"case\":\"$id\",\"step\":\"verifikasi\",\"branch\":\"ya\",\"by\":\"admin\"}"
  done
  yes "{\"op\":\"start\",\"sop\":\"$FILE\"}" | head -n "$CASES"
} | "$SOP" case apply --db "$DB" --batch 1000 | grep -v '^ok' | head -5 || true
echo x1234567 | "$SOP" user add lapor --db "$DB" --role "LAPOR!-SP4N" --password-stdin >/dev/null
echo x1234567 | "$SOP" user add penghubung --db "$DB" --role "Pejabat Penghubung" --password-stdin >/dev/null
LAPOR="$("$SOP" user token lapor --db "$DB")"
PENGHUBUNG="$("$SOP" user token penghubung --db "$DB")"

PORT=""
for p in $(seq 18500 18599); do if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then PORT=$p; break; fi; done
"$SOP" serve --db "$DB" --port "$PORT" 2>"$WORK/server.log" >/dev/null &
PID=$!
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
count=$(curl -fsS -H "Authorization: Bearer $PENGHUBUNG" "http://127.0.0.1:$PORT/api/tasks" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "  the Pejabat Penghubung has $count open step(s)"

cat > "$WORK/tasks.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $PENGHUBUNG"
LUA
report() {  # name, wrk output
  python3 - "$1" "$2" <<'PY'
import re, sys
name, out = sys.argv[1], open(sys.argv[2]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
def ms(label):
    m = re.search(rf"\s{label}\s+([\d.]+)(us|ms|s)\b", out)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
errs = re.search(r"Socket errors: (.*)", out)
total = re.search(r"(\d+) requests in", out).group(1)
print(f"  {name}: {rps:,.0f} req/s, p50 {ms('50%'):.2f} ms, p99 {ms('99%'):.2f} ms, {total} requests, "
      f"{bad.group(1) if bad else 0} non-2xx, socket errors: {errs.group(1) if errs else 'none'}")
PY
}
echo "== baseline, same run: the HTTP stack alone (GET /openapi.json, a constant document, no store)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT/openapi.json" > "$WORK/static.out"
report "static document" "$WORK/static.out"
echo "== GET /api/tasks (my tasks)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/tasks.lua" "http://127.0.0.1:$PORT/api/tasks" > "$WORK/tasks.out"
report "my tasks" "$WORK/tasks.out"
echo "== POST /api/cases/{id}/complete (durable: SQLite WAL, synchronous=FULL, one transaction each)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s Benchmarks/wrk/complete.lua "http://127.0.0.1:$PORT" \
  -- "$LAPOR" $((READ_CASES + 1)) "$THREADS" > "$WORK/complete.out"
report "completions" "$WORK/complete.out"
echo "targets: completions >= 3,000/s with p99 < 50 ms; my tasks >= 10,000/s; no errors"
