#!/usr/bin/env bash
# make bench-paths: the covering paths (`sop paths --cover`) of the whole catalogue and of
# generated SOPs of 10,000 and 20,000 steps with many decisions, loops, timers and parallel
# blocks, beside compiling the same SOP in the same process (the baseline); then the training
# manual of the whole catalogue beside `sop catalog` (the site without a manual PDF).
# Figures, not pass/fail.
set -euo pipefail
BIN=${1:-.build/release/sop}
OUT=.build/bench/paths
rm -rf "$OUT"; mkdir -p "$OUT"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "in one process, median of 5 runs: compile (baseline) and the cover"
"$BIN" debug bench-paths sops --iterations 5 | sed 's/^/  /'
for n in 10000 20000; do
  "$BIN" debug generate "$n" --shape valid --seed 7 --max-branches 6 --features decisions,loops,timers,parallel,recurring,classes -o "$OUT/gen-$n.yaml" >/dev/null
  "$BIN" debug bench-paths "$OUT/gen-$n.yaml" --iterations 3 | sed "s#^$OUT/##; s/^/  /"
done
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
paths_ms=0
for f in $(find sops -name '*.yaml' | sort); do t=$(ms "$BIN" paths "$f" --cover); paths_ms=$((paths_ms + t)); done
check_ms=$(ms "$BIN" check sops)
catalog_ms=$(ms "$BIN" catalog sops -o "$OUT/site")
manual_ms=$(ms "$BIN" manual sops -o "$OUT/manual.pdf")
echo "whole commands, process start included:"
echo "  sop check sops: ${check_ms} ms (baseline)"
echo "  sop paths --cover, one process per SOP (28): ${paths_ms} ms"
echo "  sop catalog sops -o site (site, manual HTML, 49 role guides; no PDF): ${catalog_ms} ms"
if [ -s "$OUT/manual.pdf" ]; then
  echo "  sop manual sops -o manual.pdf (HTML + headless Chromium): ${manual_ms} ms, $(pdfinfo "$OUT/manual.pdf" 2>/dev/null | awk '/^Pages:/{print $2}') pages, $(du -h "$OUT/manual.pdf" | cut -f1)"
else
  echo "  sop manual: not printed (Chromium missing?)"
fi
