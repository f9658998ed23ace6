#!/usr/bin/env bash
# BPMN export judged by real clients (xmllint, SpiffWorkflow 3.2, bpmn-io) and the
# differential test against our runtime. Usage: Tests/BPMN/run.sh [SOP_BINARY]
# (PY: the venv's python with spiffworkflow and bpmn-io; installed by `make test-deps`).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/sop}
PY=${PY:-.build-venv/bin/python}
command -v xmllint >/dev/null || { echo "xmllint is missing: apt-get install libxml2-utils (make test-deps)"; exit 2; }
out=.build/bpmn-test
rm -rf .build/bpmn-screens
rm -rf "$out"
BIN="$BIN" BPMN_OUT="$out" "$PY" -m pytest -q -p no:cacheprovider Tests/BPMN/test_bpmn.py
# Screenshots of the drawn DI (look at them: .build/bpmn-screens/*.png).
if command -v chromium >/dev/null; then
  for svg in .build/bpmn-screens/*.svg; do
    size=$(sed -n '1s/.*width="\([0-9]*\)" height="\([0-9]*\)".*/\1,\2/p' "$svg")
    timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$size" \
      --screenshot="$PWD/${svg%.svg}.png" "file://$PWD/$svg" >/dev/null 2>&1 || { echo "chromium could not draw $svg"; exit 1; }
  done
  echo "BPMN screenshots: $(ls .build/bpmn-screens/*.png | tr '\n' ' ')"
fi
