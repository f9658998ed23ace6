#!/usr/bin/env bash
# make bench-diff: `sop diff` beside `sop check` of the same two files (the baseline: a diff
# compiles both, then compares), on the catalogue's two editions of the Cirebon Command
# Center SOP, a generated 10,000-step SOP with decisions, loops, timers and parallel blocks
# (one time changed), and a 10,000-step SOP without step ids (a step inserted, one reworded:
# every step paired by its words). Whole commands, process start included, median of 5.
# Figures, not pass/fail.
set -euo pipefail
BIN=${1:-.build/release/sop}
OUT=.build/bench/diff
rm -rf "$OUT"; mkdir -p "$OUT"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
run() { # label old new
  local check diff
  check=$(for i in 1 2 3 4 5; do ms "$BIN" check "$2" "$3"; done | median)
  diff=$(for i in 1 2 3 4 5; do ms "$BIN" diff "$2" "$3"; done | median)
  printf '  %-58s check %6s ms   diff %6s ms   (%s)\n' "$1" "$check" "$diff" \
    "$(awk -v d="$diff" -v c="$check" 'BEGIN { printf "%.2fx the check", (c > 0 ? d / c : 0) }')"
}
"$BIN" debug generate 10000 --shape valid --seed 7 --max-branches 6 --features decisions,loops,timers,parallel,recurring,classes -o "$OUT/gen.yaml" >/dev/null
python3 - "$OUT" <<'PYEOF'
import re, sys
out = sys.argv[1]
s = open(out + "/gen.yaml", encoding="utf-8").read()
s2 = re.sub(r"(\n    duration: )[^\n]+", r"\g<1>99 hari kerja", s, count=1)
assert s2 != s
open(out + "/gen-edited.yaml", "w", encoding="utf-8").write(s2)
def linear(n, edited):
    lines = ["sop: 1", "id: bench/linear", "name: Linear", "actors: {a: {name: A}, b: {name: B}}", "steps:"]
    for i in range(1, n + 1):
        if edited and i == 5:
            lines.append("  - {action: Memeriksa kelengkapan berkas warga, actor: b, duration: 1 hari kerja}")
        word = "segera " if edited and i == n // 2 else ""
        lines.append(f"  - {{action: Memproses permohonan warga pada tahap {i} dan {word}mencatat hasilnya, actor: {'a' if i % 2 else 'b'}, duration: {1 + i % 3} hari kerja}}")
    return "\n".join(lines) + "\n"
open(out + "/linear.yaml", "w").write(linear(10000, False))
open(out + "/linear-edited.yaml", "w").write(linear(10000, True))
PYEOF
echo "whole commands, median of 5:"
run "Cirebon Command Center 2019 → 2024 (8 steps)" sops/kota-cirebon/dkis/pengaduan-sarana-prasarana-ccc-2019.yaml sops/kota-cirebon/dkis/pengaduan-sarana-prasarana-ccc.yaml
run "generated, 10,000 steps with ids, one time changed" "$OUT/gen.yaml" "$OUT/gen-edited.yaml"
run "10,000 steps without ids, one inserted, one reworded" "$OUT/linear.yaml" "$OUT/linear-edited.yaml"
