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
rm -rf "$out"
BIN="$BIN" BPMN_OUT="$out" "$PY" -m pytest -q -p no:cacheprovider Tests/BPMN/test_bpmn.py
