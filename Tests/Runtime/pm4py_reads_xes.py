"""pm4py (PyPI) reads the XES that `sop case export` writes: one trace per case, the events
and resources the CSV export lists. Run by Tests/Runtime/run.sh."""
import csv
import sys

import pm4py

xes_path, csv_path = sys.argv[1], sys.argv[2]
# An activity the log must hold (Tests/Runtime/run.sh: the outcome of the forwarded LAPOR case).
expected_activity = sys.argv[3] if len(sys.argv) > 3 else None
log = pm4py.read_xes(xes_path)
with open(csv_path, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))

failures = []
cases = sorted({r["case_id"] for r in rows})
traces = sorted(log["case:concept:name"].unique())
if traces != cases:
    failures.append(f"traces {traces} != cases {cases}")
if len(log) != len(rows):
    failures.append(f"{len(log)} events in XES, {len(rows)} in CSV")
if set(log["lifecycle:transition"]) - {"schedule", "complete", "ate_abort", "resume", "withdraw"}:
    failures.append(f"unexpected transitions {set(log['lifecycle:transition'])}")
if expected_activity and expected_activity not in set(log["concept:name"]):
    failures.append(f"the activity {expected_activity!r} is missing")
# Timestamps carry the offset and stay in order within each case.
for case_id, group in log.groupby("case:concept:name"):
    if not group["time:timestamp"].is_monotonic_increasing:
        failures.append(f"{case_id}: timestamps out of order")
dfg, start, end = pm4py.discover_dfg(log)
if not dfg:
    failures.append("pm4py discovered no directly-follows graph")
print(f"pm4py {pm4py.__version__}: {len(traces)} traces, {len(log)} events, {len(dfg)} directly-follows pairs")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
