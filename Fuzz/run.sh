#!/usr/bin/env bash
# make fuzz: coverage-guided fuzzing (libFuzzer, `swiftc -sanitize=fuzzer,address`) of the
# reader, the checks, lowering and the language server's change handling (FuzzEntry.run),
# from a corpus seeded with the catalogue and the error fixtures, for FUZZ_SECONDS (default
# 1800). Crashes, hangs (over 10 s) and sanitizer reports land in .build/fuzz-artifacts;
# each is minimised into Tests/Fuzz/crashes/, which `swift test` replays (FuzzReplayTests).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TOTAL=${FUZZ_SECONDS:-1800}
JOBS=${FUZZ_JOBS:-1}
SCRATCH=.build/fuzz
swift build --package-path Fuzz --scratch-path "$SCRATCH" -c debug --product SOPFuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
BIN=$SCRATCH/debug/SOPFuzz
SEEDS=.build/fuzz-seeds CORPUS=.build/fuzz-corpus ART=.build/fuzz-artifacts
mkdir -p "$SEEDS" "$CORPUS" "$ART" Tests/Fuzz/crashes
# Seeds: every catalogue file and every error fixture (flattened names).
while IFS= read -r f; do cp "$f" "$SEEDS/$(echo "$f" | tr '/' '_')"; done < <(find sops Tests/SOPTests/Fixtures/errors -name '*.yaml' | sort)
echo "fuzzing for ${SECONDS_TOTAL}s with $JOBS job(s); seeds: $(ls "$SEEDS" | wc -l)"
set +e
"$BIN" "$CORPUS" "$SEEDS" -max_total_time="$SECONDS_TOTAL" -timeout=10 -rss_limit_mb=4096 -max_len=${FUZZ_MAX_LEN:-8192} \
  -fork="$JOBS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -artifact_prefix="$ART/" -print_final_stats=1 2>&1 | tee .build/fuzz.log | grep -E "^#|INFO: |==|ERROR|artifact" | tail -40
set -e
echo "== summary"
grep -E "stat::number_of_executed_units|stat::peak_rss|cov: " .build/fuzz.log | tail -3 || true
found=0
for a in "$ART"/crash-* "$ART"/timeout-* "$ART"/leak-* "$ART"/oom-*; do
  [ -e "$a" ] || continue
  found=$((found + 1))
  name=$(basename "$a")
  out=Tests/Fuzz/crashes/$name
  [ -e "$out" ] && continue
  echo "minimising $name"
  "$BIN" -minimize_crash=1 -runs=20000 -timeout=10 -exact_artifact_path="$out" "$a" >/dev/null 2>&1 || cp "$a" "$out"
done
echo "artifacts: $found (minimised into Tests/Fuzz/crashes/; fix each, keep the file: swift test replays it)"
