#!/usr/bin/env bash
# make bench-compile: prints, in one run, a bare libyaml event parse against the full
# `sop check` of the same bytes (10,000 and 100,000 steps), their ratio, the growth from
# 10k to 100k, peak memory, and the time of `sop check sops/`. Figures, not pass/fail.
set -euo pipefail
BIN=${1:-.build/release/sop}
OUT=.build/bench
mkdir -p "$OUT"
for n in 10000 100000; do
  [ -f "$OUT/sop-$n.yaml" ] || "$BIN" debug generate "$n" -o "$OUT/sop-$n.yaml"
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "median of 5 runs, in one process (bytes read once, then parsed from memory):"
declare -A libyaml check
for n in 10000 100000; do
  line=$("$BIN" debug bench-compile "$OUT/sop-$n.yaml" --iterations 5)
  echo "  $line"
  libyaml[$n]=$(sed -E 's/.*libyaml=([0-9.]+)s.*/\1/' <<<"$line")
  check[$n]=$(sed -E 's/.*check=([0-9.]+)s.*/\1/' <<<"$line")
done
awk -v a="${libyaml[10000]}" -v b="${libyaml[100000]}" -v c="${check[10000]}" -v d="${check[100000]}" 'BEGIN {
  printf "ratio check/libyaml: 10k %.2fx, 100k %.2fx (target <= 2x)\n", c/a, d/b
  printf "growth 10k -> 100k (10x the input): libyaml %.1fx, check %.1fx (linear = 10x)\n", b/a, d/c }'
# Peak memory of a whole `sop check` of the 100k file, as the kernel counts it.
"$BIN" check "$OUT/sop-100000.yaml" >/dev/null 2>&1 & pid=$!
peak=0
while kill -0 $pid 2>/dev/null; do
  hwm=$(awk '/VmHWM/{print $2}' /proc/$pid/status 2>/dev/null || echo 0); [ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
  sleep 0.02
done
wait $pid || true
echo "peak memory of sop check on 100k steps ($(du -h "$OUT/sop-100000.yaml" | cut -f1)): $((peak / 1024)) MiB"
# The whole catalogue: `sop check` (every rule) against a plain YAML linter reading the same
# files (yamllint, default rules), both including process start.
mean_ms() { local start end; start=$(date +%s%N); for i in 1 2 3 4 5; do "$@" >/dev/null 2>&1 || true; done; end=$(date +%s%N); echo $(( (end - start) / 5000000 )); }
files=$(find sops -name '*.yaml' | wc -l)
ours=$(mean_ms "$BIN" check sops)
echo "sop check sops/ ($files files): $ours ms per run (mean of 5, process start included)"
if [ -x .build-venv/bin/yamllint ]; then
  lint=$(mean_ms .build-venv/bin/yamllint sops)
  awk -v a="$ours" -v b="$lint" -v v="$(.build-venv/bin/yamllint --version)" 'BEGIN { printf "%s sops/: %d ms per run: sop check takes %.0f%% of the plain linter'"'"'s time\n", v, b, 100 * a / b }'
fi
# Shapes that once made a rule quadratic (Docs/Performance.md): each at 5,000 and 20,000
# steps; linear growth is 4x. Whole `sop check` runs, output discarded, process start included.
echo "other shapes (sop check, 5k -> 20k steps; linear = 4x):"
for shape in parallel late-document undeclared-actors broken-jumps loop; do
  for n in 5000 20000; do
    [ -f "$OUT/$shape-$n.yaml" ] || "$BIN" debug generate "$n" --shape "$shape" -o "$OUT/$shape-$n.yaml"
  done
  small=$(mean_ms "$BIN" check "$OUT/$shape-5000.yaml")
  large=$(mean_ms "$BIN" check "$OUT/$shape-20000.yaml")
  awk -v s="$shape" -v a="$small" -v b="$large" 'BEGIN { printf "  %-18s %5d ms -> %5d ms (%.1fx)\n", s, a, b, (a > 0 ? b / a : 0) }'
done
