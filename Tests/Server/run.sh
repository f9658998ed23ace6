#!/usr/bin/env bash
# The server judged by real clients: `sop serve` on a free loopback port (18100–18999) with a
# fresh store and demo users, then
#   1. every refusal of the API (refusals.py),
#   2. schemathesis against /openapi.json: no 5xx, every response as the schema says,
#   3. a real browser (Selenium + chromium-driver): log in, decide, be refused, see overdue,
#   4. kill -9 during a stream of completions: nothing acknowledged is lost (kill9.py).
# Every server started here is stopped on exit, even on failure (trap).
set -euo pipefail
cd "$(dirname "$0")/../.."
export SOP="${SOP:-$PWD/.build/debug/sop}"
VENV="${VENV:-$PWD/.build-venv}"
WORK="$(mktemp -d)"
SHOTS="${SHOTS:-$PWD/.build/server-screenshots}"
mkdir -p "$SHOTS"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

DB="$WORK/sop.db"
adduser() { local name="$1"; shift; local roles=(); for r in "$@"; do roles+=(--role "$r"); done
  echo "rahasia-$name" | "$SOP" user add "$name" --db "$DB" --password-stdin "${roles[@]}" >/dev/null; }
adduser admin admin
adduser lapor "LAPOR!-SP4N"
adduser timadmin "Tim Admin"
adduser penghubung penghubung
adduser viewer viewer
ADMIN="$("$SOP" user token admin --db "$DB")"
LAPOR="$("$SOP" user token lapor --db "$DB")"
PENGHUBUNG="$("$SOP" user token penghubung --db "$DB")"
VIEWER="$("$SOP" user token viewer --db "$DB")"

PORT="$(cd Tests/Server && python3 -c 'from common import free_port; print(free_port())')"
BASE="http://127.0.0.1:$PORT"
"$SOP" serve --catalog sops --db "$DB" --port "$PORT" --test-clock "2026-05-04 09:00" 2>"$WORK/server.log" >/dev/null &
SERVER_PID=$!
for _ in $(seq 1 300); do curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$BASE/healthz" >/dev/null || { echo "server did not start"; cat "$WORK/server.log"; exit 1; }
status=0

echo "== refusals"
PYTHONPATH=Tests/Server "$VENV/bin/python" Tests/Server/refusals.py "$BASE" "$ADMIN" "$LAPOR" "$PENGHUBUNG" "$VIEWER" || status=1

echo "== browser (Selenium + chromium)"
PYTHONPATH=Tests/Server "$VENV/bin/python" Tests/Server/browser_flow.py "$BASE" "$ADMIN" "$LAPOR" "$SHOTS" || status=1

echo "== schemathesis"
"$VENV/bin/schemathesis" run "$BASE/openapi.json" --url "$BASE" -H "Authorization: Bearer $ADMIN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" --seed 13 --no-color --suppress-health-check all || status=1

# The server's log is one JSON object per line.
"$VENV/bin/python" -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
for l in lines: json.loads(l)
assert any("request_id" in json.loads(l) for l in lines), "no request id in the log"
print(f"ok   {len(lines)} log lines, each one JSON object, with request ids")' "$WORK/server.log" || status=1

kill -TERM "$SERVER_PID"; wait "$SERVER_PID" && echo "ok   graceful stop on SIGTERM (exit 0)" || { echo "FAIL SIGTERM exit $?"; status=1; }
SERVER_PID=""

echo "== kill -9 during writes"
PYTHONPATH=Tests/Server "$VENV/bin/python" Tests/Server/kill9.py "$WORK" || status=1

[ "$status" = 0 ] && echo "server tests: all passed (screenshots in $SHOTS)" || echo "server tests: FAILED"
exit "$status"
