#!/usr/bin/env bash
# make bench-robust: growth of every IR consumer's time and peak memory for 10x the steps
# and 10x the actors (issue 17), on SOPs from `sop debug generate --shape valid`. Prints
# figures; asserts nothing (a shared machine's timings are not a test).
#
#   Benchmarks/robust.sh [SOP_BINARY]
set -uo pipefail
SOP=${1:-.build/release/sop}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "binary: $SOP"
sizes=("1000 10" "10000 10" "1000 100")
for size in "${sizes[@]}"; do
  set -- $size
  "$SOP" debug generate "$1" --shape valid --seed 7 --actors "$2" -o "$work/s$1-a$2.yaml"
done
measure() {   # LABEL FILE ARGS...: wall seconds and peak resident memory of one run
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$SOP" "$@" >/dev/null 2>&1
  read -r secs kb < "$work/time"
  printf '%s=%ss/%sMiB ' "$label" "$secs" "$((kb / 1024))"
}
for size in "${sizes[@]}"; do
  set -- $size
  f="$work/s$1-a$2.yaml"
  printf '%6s steps %4s actors (%s bytes): ' "$1" "$2" "$(stat -c %s "$f")"
  measure check check "$f"
  measure compile compile "$f" -o "$work/out.json"
  for fmt in mermaid dot html markdown bpmn; do measure "$fmt" render "$f" --format "$fmt" -o "$work/out.$fmt"; done
  measure paths paths "$f" --format json
  "$SOP" debug scenario "$f" --seed 7 -o "$work/scenario.yaml" --max-actions 200 >/dev/null 2>&1
  measure run-script run "$f" --script "$work/scenario.yaml"
  echo
done
