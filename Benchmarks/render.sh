#!/usr/bin/env bash
# make bench-render: renders the whole catalogue (sops/) in every format and prints the
# figures beside a baseline measured in the same run (`sop check sops`). Figures, not pass/fail.
set -euo pipefail
BIN=${1:-.build/release/sop}
OUT=.build/bench/render
rm -rf "$OUT"; mkdir -p "$OUT"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
if command -v dot >/dev/null 2>&1; then echo "graphviz: $(dot -V 2>&1)"; else echo "graphviz: not installed (no SVG figures)"; fi
echo "in one process, median of 5 runs (svg: one run), every SOP of sops/:"
"$BIN" debug bench-render sops --iterations 5 | sed 's/^/  /'
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
check_ms=$(ms "$BIN" check sops)
catalog_ms=$(ms "$BIN" catalog sops -o "$OUT/site")
render_ms=0
for f in $(find sops -name '*.yaml' | sort); do
  for fmt in mermaid dot html markdown; do
    t=$(ms "$BIN" render "$f" --format "$fmt" -o "$OUT/one.$fmt"); render_ms=$((render_ms + t))
  done
done
echo "whole commands, process start included:"
echo "  sop check sops: ${check_ms} ms (baseline)"
echo "  sop catalog sops -o site (index, 28 sheets, mmd, dot, md, svg): ${catalog_ms} ms"
echo "  sop render, one process per SOP and format (28 x 4): ${render_ms} ms"
echo "  site size: $(du -sh "$OUT/site" | cut -f1) in $(find "$OUT/site" -type f | wc -l) files"
