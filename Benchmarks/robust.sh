#!/usr/bin/env bash
# make bench-robust: growth of every IR consumer's CPU time and peak memory for 10x the steps
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
declare -A SECS MIB
measure() {   # LABEL FILE ARGS...: CPU seconds (user + system) and peak resident memory of one
  # run; CPU, not the wall clock, which on a shared machine waits for the other jobs.
  local label=$1; shift
  /usr/bin/time -f "%U %S %M %x" -o "$work/time" "$SOP" "$@" >/dev/null 2>&1
  read -r user sys kb status < <(tail -1 "$work/time")
  secs=$(echo "$user + $sys" | bc -l | sed 's/^\./0./')
  # diff exits 1 for "changes found"; anything else is a failure worth seeing.
  if [ "$status" != 0 ] && ! { [ "$label" = diff ] && [ "$status" = 1 ]; }; then printf '%s=EXIT-%s ' "$label" "$status"; fi
  printf '%s=%ss/%sMiB ' "$label" "$secs" "$((kb / 1024))"
  SECS[$size_label/$label]=$secs; MIB[$size_label/$label]=$((kb / 1024))
}
for size in "${sizes[@]}"; do
  set -- $size
  f="$work/s$1-a$2.yaml"
  size_label="$1/$2"
  printf '%6s steps %4s actors (%s bytes): ' "$1" "$2" "$(stat -c %s "$f")"
  measure check check "$f"
  measure compile compile "$f" -o "$work/out.json"
  for fmt in mermaid dot html markdown bpmn; do measure "$fmt" render "$f" --format "$fmt" -o "$work/out.$fmt"; done
  measure paths paths "$f" --format json
  "$SOP" debug scenario "$f" --seed 7 -o "$work/scenario.yaml" --max-actions 200 >/dev/null 2>&1
  measure run-script run "$f" --script "$work/scenario.yaml"
  # Simulated on a copy whose id puts it on a 112 centre's every-day calendar, which has no
  # last year: a generated case of thousands of steps in working days outlasts the
  # calendar's table (to 2030), which the simulator refuses rather than extrapolates.
  sed 's|^id: .*$|id: kota-cirebon/dkis/siaga-112-uji-besar|' "$f" > "$work/every-day.yaml"
  measure simulate simulate "$work/every-day.yaml" --cases 1000 --format json
  sed '0,/^name: "/s//name: "Revisi /' "$f" > "$work/revised.yaml"
  measure diff diff "$f" "$work/revised.yaml" --format json
  echo
done
labels="check compile mermaid dot html markdown bpmn paths run-script simulate diff"
echo "growth (time x, memory x):"
for pair in "10x steps:1000/10:10000/10" "10x actors:1000/10:1000/100"; do
  IFS=: read -r what from to <<< "$pair"
  printf '  %-10s ' "$what"
  for l in $labels; do
    printf '%s %.1fx/%.1fx  ' "$l" "$(echo "${SECS[$to/$l]} / (${SECS[$from/$l]} + 0.005)" | bc -l)" "$(echo "${MIB[$to/$l]} / ${MIB[$from/$l]}" | bc -l)"
  done
  echo
done
echo "(paths prints every covering path in full: its output grows with paths x steps, 3.4 MB at"
echo " 1,000 steps and 289 MB at 10,000 on the generator's shape, and its time with the output)"
