#!/usr/bin/env bash
# make bench-simulate: figures, not a timed test (issue 12).
#   1. a million LAPOR!-SP4N cases with no staffing limit (the Monte Carlo engine, every core);
#   2. the discrete-event engine with queues: a million cases of Tests/Simulation/model.yaml
#      under Tests/Simulation/profile.yaml, in events per second;
#   3. Prosimos 2.1 on the same model (its BPMN export) and the same parameters: seconds per
#      case against ours, measured in this run.
# Baseline in the same run: `sop check` of the same file (start-up, reading and compiling).
set -euo pipefail
BIN="${1:-.build/release/sop}"
PY="${PY:-.build-venv/bin/python}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out=.build/bench-simulate; mkdir -p "$out"
now() { date +%s.%N; }
# cpu CMD...: runs CMD (stdout to $cpu_out), sets $cpu to its user + system CPU seconds: on a
# shared machine the wall clock waits for other jobs, the CPU time does not.
cpu() { local TIMEFORMAT='%U %S'; local t; t="$( { time "$@" > "$cpu_out"; } 2>&1 )"; cpu=$(echo "$t" | awk '{print $1 + $2}'); }
lapor=sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

t0=$(now); "$BIN" check "$lapor" > /dev/null; t1=$(now)
base=$(echo "$t1 - $t0" | bc -l)
printf 'baseline  sop check LAPOR!-SP4N                      %8.3f s\n' "$base"

cpu_out="$out/lapor.json"; t0=$(now); cpu "$BIN" simulate "$lapor" --cases 1000000 --format json; t1=$(now)
s=$(echo "$t1 - $t0" | bc -l)
ev=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"])' "$out/lapor.json")
printf 'monte-carlo  1,000,000 LAPOR cases (no staff limit)  %8.3f s   %10.0f cases/s  %10.0f events/s  (target: <= 2 s; CPU %.2f s on 2 cores)\n' "$s" "$(echo "1000000 / $s" | bc -l)" "$(echo "$ev / $s" | bc -l)" "$cpu"

cpu_out="$out/des.json"; t0=$(now); cpu "$BIN" simulate Tests/Simulation/model.yaml --profile Tests/Simulation/profile.yaml --cases 1000000 --format json; t1=$(now)
d=$(echo "$t1 - $t0" | bc -l)
dcpu=$cpu
reps=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["replications"])' "$out/des.json")
dev=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"])' "$out/des.json")
printf 'discrete-event  1,000,000 cases with queues        %8.3f s   %10.0f cases/s  %10.0f events/s  (target: >= 1,000,000 events/s; %.0f events per CPU second; %d replications)\n' "$d" "$(echo "1000000 / $d" | bc -l)" "$(echo "$dev / $d" | bc -l)" "$(echo "$dev / $cpu" | bc -l)" "$reps"

n=${PROSIMOS_CASES:-2000}
"$BIN" render Tests/Simulation/model.yaml --format bpmn > "$out/model.bpmn"
"$PY" Tests/Simulation/prosimos_run.py "$out/model.bpmn" Tests/Simulation/profile.yaml "$n" 1 "$out/prosimos" > "$out/prosimos.json" 2> "$out/prosimos.err"
p=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$out/prosimos.json")
per_p=$(echo "$p / $n" | bc -l); per_o=$(echo "$d / 1000000" | bc -l)
printf 'prosimos 2.1  %d cases of the same model          %8.3f s   %10.0f cases/s  (simulation only, Python start-up excluded)\n' "$n" "$p" "$(echo "$n / $p" | bc -l)"
printf 'ratio per case  sop simulate vs Prosimos          %8.0fx  (target: >= 1000x; wall clock, the whole command on every core against Prosimos on one)\n' "$(echo "$per_p / $per_o" | bc -l)"
printf 'ratio per case  per CPU second                    %8.0fx  (ours: user + system time of the whole command)\n' "$(echo "$per_p / ($dcpu / 1000000)" | bc -l)"
