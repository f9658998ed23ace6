#!/usr/bin/env bash
# make sanitize: `sop` built with AddressSanitizer and with ThreadSanitizer, run on mutated
# SOPs (check and compile, one by one), on the hostile shapes of the benchmark, on a folder
# of many files (checked on every core), and through the property runner on generated
# catalogues (every command that reads the IR, the language server and the server). Fails on any sanitizer report, or on an exit
# other than 0 (clean) or 1 (the file has errors). Not part of `make test`: two extra builds.
set -uo pipefail
# Leaks at exit are not reported: a command-line run frees nothing on purpose before it
# exits, and the leak checker would turn exit codes into 1.
export ASAN_OPTIONS=detect_leaks=0
WORK=${WORK:-.build-sanitize}
mkdir -p "$WORK"
python3 Tests/Sanitizers/mutate.py "${MUTATIONS:-300}" "$WORK/mutated"
BIN=.build/release/sop
for shape in parallel late-document undeclared-actors broken-jumps loop; do
  "$BIN" debug generate 5000 --shape "$shape" -o "$WORK/shape-$shape.yaml"
done
# Generated valid SOPs (issue 17): each goes through every command that reads the IR.
rm -rf "$WORK/valid" && mkdir -p "$WORK/valid"
for seed in $(seq 1 ${VALID_SEEDS:-12}); do
  "$BIN" debug generate $(( seed * 37 % 400 + 1 )) --shape valid --seed "$seed" --actors $(( seed * 13 % 60 + 1 )) \
    --catalogue $(( seed % 3 + 2 )) -o "$WORK/valid/seed-$seed"
done
rm -rf "$WORK/folder" && mkdir -p "$WORK/folder"
for i in $(seq 1 10); do
  for f in $(find sops -name '*.yaml'); do sed "s|^id: \(.*\)$|id: \1-$i|" "$f" > "$WORK/folder/$(basename "$f" .yaml)-$i.yaml"; done
done
failures=0
for sanitizer in address thread; do
  scratch="$WORK/build-$sanitizer"
  swift build --sanitize="$sanitizer" --scratch-path "$scratch" --product sop >/dev/null || { echo "FAIL  build with $sanitizer sanitizer"; exit 1; }
  sop="$scratch/debug/sop"
  run() {
    "$sop" "$@" >/dev/null 2>"$WORK/err"; status=$?
    if [ $status -gt 1 ] || grep -q "Sanitizer" "$WORK/err"; then
      echo "FAIL  $sanitizer: sop $* (exit $status)"; head -20 "$WORK/err"; failures=$((failures + 1))
    fi
  }
  if [ "$sanitizer" = address ]; then
    for f in "$WORK"/mutated/*.yaml; do run check --format json "$f"; run compile "$f" -o "$WORK/out.json"; done
    for f in "$WORK"/shape-*.yaml; do run check "$f"; done
  fi
  for dir in "$WORK"/valid/seed-*; do
    run check "$dir"
    run catalog "$dir" -o "$WORK/valid-site"
    for f in $(find "$dir" -name '*.yaml' | sort); do
      run compile "$f" -o "$WORK/out.json"
      for fmt in mermaid dot html markdown; do run render "$f" --format "$fmt" -o "$WORK/out.$fmt"; done
    done
    first=$(find "$dir" -name 'sop-0.yaml')
    "$sop" debug scenario "$first" --seed 1 -o "$WORK/scenario.yaml" --commands "$WORK/commands.jsonl" >/dev/null 2>&1
    run run "$first" --script "$WORK/scenario.yaml"
    rm -f "$WORK/cases.db"*
    while IFS= read -r line; do
      mapfile -t argv < <(python3 -c 'import json, sys; print("\n".join(json.loads(sys.argv[1])))' "$line")
      run "${argv[@]}" --db "$WORK/cases.db"
    done < "$WORK/commands.jsonl"
    run case export --format xes --db "$WORK/cases.db" -o "$WORK/log.xes"
    run case export --format csv --db "$WORK/cases.db" -o "$WORK/log.csv"
  done
  run check "$WORK/folder"
  run catalog sops -o "$WORK/site"
  # Every command that reads the IR (render in every format with BPMN, paths, catalog,
  # manual, run, the case store, simulate on every core, diff, the language server and the
  # server's pages) on generated catalogues: the property runner with this build. A report
  # ends the process with exit 86, which no property accepts.
  if ! SOP_TIMEOUT_SCALE=${TIMEOUT_SCALE:-15} ASAN_OPTIONS=detect_leaks=0:exitcode=86 TSAN_OPTIONS=exitcode=86:halt_on_error=1 \
      python3 Tests/Property/run.py --bin "$sop" --seeds "${PROPERTY_SEEDS:-1-6}" --max-steps "${PROPERTY_STEPS:-150}" \
      --max-actors "${PROPERTY_ACTORS:-24}" --sample "${PROPERTY_SAMPLE:-2}" --work "$WORK/property-$sanitizer" > "$WORK/property-$sanitizer.log" 2>&1; then
    echo "FAIL  $sanitizer: property runner (see $WORK/property-$sanitizer.log)"; grep -E "^FAIL" -A8 "$WORK/property-$sanitizer.log" | head -60
    failures=$((failures + 1))
  fi
  tail -1 "$WORK/property-$sanitizer.log"
  echo "$sanitizer sanitizer: done"
done
echo "sanitizer runs: $failures failed"
[ $failures -eq 0 ]
