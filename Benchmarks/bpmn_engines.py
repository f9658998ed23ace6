"""Our runtime beside SpiffWorkflow on the same cases (make bench-bpmn). Figures, not pass/fail.

1. The differential test's cases: every scenario of Tests/Scenarios and Tests/BPMN/Paths
   and 12 generated paths per non-draft SOP, each played by `sop run --script` (one process
   per case, in-memory store, process start included) and by SpiffWorkflow in this process.
2. Engine throughput without process starts: the Tarakan visit SOP (every step in order),
   `sop debug bench-runtime`'s in-memory engine beside SpiffWorkflow completing the same steps.
"""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests/BPMN"))
import spiff_host  # noqa: E402

BIN = os.environ.get("BIN", str(ROOT / ".build/release/sop"))
OUT = Path(os.environ.get("BPMN_OUT", ROOT / ".build/bench/bpmn/diff"))
OUT.mkdir(parents=True, exist_ok=True)


def sop(*args):
    return subprocess.run([BIN, *args], cwd=ROOT, capture_output=True, text=True, check=True)


def load_yaml(path):
    return yaml.load(Path(path).read_text(), Loader=yaml.CSafeLoader)


catalogue = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "sops").rglob("*.yaml"))
non_draft = [s for s in catalogue if "draft: true" not in (ROOT / s).read_text()]
files = {}
for src in catalogue:
    out = OUT / (Path(src).stem + ".bpmn")
    sop("render", src, "--format", "bpmn", "--engine", "spiff", "-o", str(out))
    files[src] = str(out)
sop("calendar", "-o", str(OUT / "calendar.json"))
parser, infos = spiff_host.load(sorted(files.values()))
host = spiff_host.Host(parser, infos, spiff_host.Calendar(json.loads((OUT / "calendar.json").read_text())))

cases = []   # (src, script path, data)
for sc in sorted(glob.glob(str(ROOT / "Tests/Scenarios/*.yaml")) + glob.glob(str(ROOT / "Tests/BPMN/Paths/*.yaml"))):
    data = load_yaml(sc)
    cases.append((data["sop"], Path(sc), data))
for src in non_draft:
    for seed in range(1, 13):
        target = OUT / f"{Path(src).stem}-{seed}.yaml"
        sop("debug", "scenario", src, "-o", str(target), "--seed", str(seed))
        cases.append((src, target, load_yaml(target)))

t0 = time.perf_counter()
for src, script, _ in cases:
    subprocess.run([BIN, "run", src, "--script", str(script)], cwd=ROOT, capture_output=True, check=False)
ours = time.perf_counter() - t0
t0 = time.perf_counter()
for src, _, data in cases:
    info = spiff_host.read_info(files[src])
    tz = spiff_host.Calendar.offset(host.calendar.settings(info.sop_id))
    host.play(info.process_id, spiff_host.parse_local(data["start"], tz), data["actions"])
theirs = time.perf_counter() - t0
n = len(cases)
print(f"  differential cases ({n}): sop run --script, one process each: {ours:.2f} s = {n / ours:.1f} instances/s;"
      f" SpiffWorkflow in one process: {theirs:.2f} s = {n / theirs:.1f} instances/s")

tarakan = "sops/kota-tarakan/dkisp/kunjungan-tarakan-command-center.yaml"
memory_cases = 20000
bench = sop("debug", "bench-runtime", tarakan, "--memory-cases", str(memory_cases), "--durable-cases", "10",
            "--dir", str(OUT)).stdout
m = re.search(r"in-memory engine: (\d+) steps \((\d+) cases of .*?\) in ([\d.]+) s", bench)
steps, ran, seconds = int(m[1]), int(m[2]), float(m[3])
info = spiff_host.read_info(files[tarakan])
order = sorted(info.steps.values(), key=lambda s: [int(x) for x in (s.number or "0").split(".")])
actions = [{"complete": s.number, "by": s.actors[0] if s.actors else None} for s in order]
spiff_cases = 200
tz = spiff_host.Calendar.offset(host.calendar.settings(info.sop_id))
t0 = time.perf_counter()
for _ in range(spiff_cases):
    run = host.play(info.process_id, spiff_host.parse_local("2025-03-03 08:00", tz), actions)
    assert run.completed
spiff_seconds = time.perf_counter() - t0
print(f"  engine alone, {tarakan.split('/')[-1]} ({len(order)} steps, every step in order):"
      f" our in-memory engine {ran / seconds:,.0f} instances/s ({ran} cases, {steps / seconds:,.0f} steps/s);"
      f" SpiffWorkflow {spiff_cases / spiff_seconds:,.1f} instances/s ({spiff_cases} cases)")
