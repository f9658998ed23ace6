#!/usr/bin/env bash
# Runtime checks with real clients, run by `make test` after the Swift tests:
#  1. pm4py (PyPI) reads the XES export of a store with LAPOR and Permohonan cases.
#  2. `sop run` works in a real terminal: tmux types the answers at its prompts.
set -uo pipefail
BIN=${BIN:-.build/debug/sop}
PY=${PY:-.build-venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"; tmux kill-session -t sop-run-test 2>/dev/null' EXIT
passed=0 failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

# 1. XES through pm4py.
db="$work/sop.db"
lapor=sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml
for i in 1 2; do "$BIN" case start "$lapor" --db "$db" --at "2025-03-03 08:00" >/dev/null; done
"$BIN" case start sops/kota-cirebon/dkis/permohonan-informasi-publik.yaml --db "$db" --at "2025-03-03 08:00" >/dev/null
"$BIN" case complete case-000001 1 --by lapor --doc "Laporan masyarakat" --db "$db" --at "2025-03-03 09:00" >/dev/null
"$BIN" case decide case-000001 verifikasi ya --by admin --db "$db" --at "2025-03-04 10:00" >/dev/null
"$BIN" case complete case-000002 1 --by lapor --doc "Laporan masyarakat" --db "$db" --at "2025-03-03 09:30" >/dev/null
"$BIN" case decide case-000002 verifikasi ya --by admin --db "$db" --at "2025-03-04 11:00" >/dev/null
"$BIN" case respond case-000002 respon --by penghubung --note "respon awal" --db "$db" --at "2025-03-05 10:00" >/dev/null
"$BIN" case advance --db "$db" --to "2025-07-01 00:00" >/dev/null
"$BIN" case export --format xes --db "$db" -o "$work/log.xes"
"$BIN" case export --format csv --db "$db" -o "$work/log.csv"
# The system's hand-over to the Ombudsman RI is the outcome the forwarded case reached.
if "$PY" Tests/Runtime/pm4py_reads_xes.py "$work/log.xes" "$work/log.csv" "diteruskan oleh sistem ke Ombudsman RI"; then ok "pm4py reads the XES export"; else bad "pm4py reads the XES export"; fi
# The check fails on a damaged log (so it can fail at all).
sed 's#</trace>#</trace><trace>#' "$work/log.xes" | head -c -7 > "$work/broken.xes"
if "$PY" Tests/Runtime/pm4py_reads_xes.py "$work/broken.xes" "$work/log.csv" >/dev/null 2>&1; then bad "a damaged XES is rejected"; else ok "a damaged XES is rejected"; fi

# 2. Interactive run in tmux: start LAPOR on a virtual clock, act on the first step with
#    the wrong actor (refused), then the right one, then quit.
if command -v tmux >/dev/null; then
  tmux kill-session -t sop-run-test 2>/dev/null
  tmux new-session -d -s sop-run-test -x 200 -y 50 "$BIN run $lapor --start '2025-03-03 08:00' --lang en --color never; sleep 5"
  send() { sleep 0.6; tmux send-keys -t sop-run-test "$1" Enter; }
  send 1; send admin; send y; send ""
  send 1; send lapor; send y; send "diterima"
  send q
  sleep 1
  screen=$(tmux capture-pane -p -t sop-run-test -S -200)
  echo "$screen" > "$work/screen.txt"
  if grep -q "error\[R001\]" <<<"$screen" && grep -q "done 1 .* by LAPOR!-SP4N" <<<"$screen" && grep -q "open: 2 " <<<"$screen"; then
    ok "sop run in a terminal (tmux): refuses the wrong actor, completes with the right one"
  else
    bad "sop run in a terminal (tmux)"; cat "$work/screen.txt"
  fi
else
  bad "tmux is not installed (make test-deps installs it)"
fi
echo "runtime client checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
