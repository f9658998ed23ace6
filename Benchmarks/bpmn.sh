#!/usr/bin/env bash
# make bench-bpmn: BPMN export of the whole catalogue and of a generated 10,000-step SOP,
# each beside a baseline measured in the same run (`sop check` / `sop compile` of the same
# input); then our runtime beside SpiffWorkflow 3.2 on the same cases (instances per second).
# Figures, not pass/fail.
set -euo pipefail
BIN=${1:-.build/release/sop}
PY=${PY:-.build-venv/bin/python}
OUT=.build/bench/bpmn
rm -rf "$OUT"; mkdir -p "$OUT"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
files=$(find sops -name '*.yaml' | sort)
n=$(echo "$files" | wc -l)
check_ms=$(ms "$BIN" check sops)
compile_ms=0; bpmn_ms=0
for f in $files; do
  t=$(ms "$BIN" compile "$f" -o "$OUT/one.json"); compile_ms=$((compile_ms + t))
  t=$(ms "$BIN" render "$f" --format bpmn -o "$OUT/$(basename "$f" .yaml).bpmn"); bpmn_ms=$((bpmn_ms + t))
done
echo "catalogue ($n SOPs), one process per SOP, process start included:"
echo "  sop check sops (one process): ${check_ms} ms (baseline)"
echo "  sop compile, one per SOP: ${compile_ms} ms (baseline)"
echo "  sop render --format bpmn, one per SOP: ${bpmn_ms} ms; $(du -ch "$OUT"/*.bpmn | tail -1 | cut -f1) of BPMN"
"$BIN" debug generate 10000 --shape valid --seed 1 -o "$OUT/big.yaml" >/dev/null
big_compile=$(ms "$BIN" compile "$OUT/big.yaml" -o "$OUT/big.json")
big_bpmn=$(ms "$BIN" render "$OUT/big.yaml" --format bpmn -o "$OUT/big.bpmn")
echo "generated SOP of 10,000 steps ($(wc -l < "$OUT/big.yaml") lines of YAML):"
echo "  sop compile: ${big_compile} ms (baseline)"
echo "  sop render --format bpmn: ${big_bpmn} ms (compile included); $(du -h "$OUT/big.bpmn" | cut -f1) of BPMN"
echo "our runtime beside SpiffWorkflow $("$PY" -c 'import importlib.metadata as m; print(m.version("spiffworkflow"))'), same cases:"
BIN="$BIN" BPMN_OUT="$OUT/diff" "$PY" Benchmarks/bpmn_engines.py
