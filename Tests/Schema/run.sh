#!/usr/bin/env bash
# Tests of grammar/sop.schema.json with check-jsonschema (pip install check-jsonschema).
#
#   Tests/Schema/run.sh            run every assertion; last line "N passed, M failed"
#
# 1. the schema is a valid draft 2020-12 schema, documents every property and closes
#    every object;
# 2. every sops/**/*.yaml of the repository validates (and there is at least one);
# 3. Fixtures/valid*.yaml validate;
# 4. Fixtures/misspelt-key.yaml, Fixtures/wrong-type.yaml and Fixtures/invalid/*.yaml are
#    rejected, and the output names the offending key (for invalid/*.yaml: matches the
#    extended regex on the file's first line "# expect-error: <ERE>").
# Exit status 0 when every assertion passed, 1 otherwise.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
schema="grammar/sop.schema.json"
fixtures="Tests/Schema/Fixtures"

if ! command -v check-jsonschema >/dev/null 2>&1; then
    echo "check-jsonschema not found; install it with: pip install check-jsonschema" >&2
    exit 2
fi

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() {
    failed=$((failed + 1)); echo "FAIL  $1"
    if [[ -n "${2:-}" ]]; then printf '%s\n' "$2" | sed 's/^/      | /'; fi
}

# validate FILE -> sets $out and $rc (never aborts the script)
validate() {
    rc=0
    out="$(check-jsonschema --schemafile "$schema" "$1" 2>&1)" || rc=$?
}

expect_valid() {
    validate "$1"
    if [[ $rc -eq 0 ]]; then pass "valid: $1"; else fail "valid: $1 (exit $rc)" "$out"; fi
}

# expect_invalid FILE ERE
expect_invalid() {
    validate "$1"
    if [[ $rc -eq 0 ]]; then
        fail "rejected: $1 (check-jsonschema accepted it)" "$out"
    elif [[ $rc -ne 1 ]] || ! grep -q "Schema validation errors" <<<"$out"; then
        fail "rejected: $1 (exit $rc, not a schema validation error)" "$out"
    elif ! grep -Eq -- "$2" <<<"$out"; then
        fail "rejected: $1 (output does not match /$2/)" "$out"
    else
        pass "rejected: $1 (/$2/)"
    fi
}

# --- 1. the schema itself -------------------------------------------------------------
rc=0
out="$(check-jsonschema --check-metaschema "$schema" 2>&1)" || rc=$?
if [[ $rc -eq 0 ]]; then pass "schema is a valid draft 2020-12 schema"; else fail "schema metaschema check" "$out"; fi

rc=0
out="$(python3 - "$schema" <<'EOF' 2>&1
import json, sys
schema = json.load(open(sys.argv[1]))
problems = []
if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
    problems.append("$schema is not draft 2020-12")
if not schema.get("$id"):
    problems.append("no $id")

def walk(node, path):
    if isinstance(node, dict):
        if node.get("type") == "object":
            if "additionalProperties" not in node:
                problems.append(f"{path}: object without additionalProperties")
            elif node["additionalProperties"] is True:
                problems.append(f"{path}: additionalProperties is true")
        # the draft conditional (if/then/else) only adds constraints to declared properties
        in_conditional = any(k in path.split("/") for k in ("if", "then", "else"))
        for name, sub in ({} if in_conditional else node.get("properties", {})).items():
            for k in ("title", "description"):
                if not (isinstance(sub, dict) and sub.get(k)):
                    problems.append(f"{path}/properties/{name}: no {k}")
        for k, v in node.items():
            walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, f"{path}/{i}")

walk(schema, "#")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF
)" || rc=$?
if [[ $rc -eq 0 ]]; then
    pass "schema: every property has title and description; every object sets additionalProperties"
else
    fail "schema documentation/closure lint" "$out"
fi

# --- 2. the catalogue ------------------------------------------------------------------
sops=()
if [[ -d sops ]]; then
    while IFS= read -r -d '' f; do sops+=("$f"); done < <(find sops -type f -name '*.yaml' -print0 | sort -z)
fi
if [[ ${#sops[@]} -gt 0 ]]; then
    pass "found ${#sops[@]} sops/**/*.yaml files"
else
    fail "found no sops/**/*.yaml files under $root/sops"
fi
for f in ${sops[@]+"${sops[@]}"}; do
    expect_valid "$f"
done

# --- 3. valid fixtures -----------------------------------------------------------------
for f in "$fixtures"/valid*.yaml; do
    expect_valid "$f"
done

# --- 4. invalid fixtures ---------------------------------------------------------------
expect_invalid "$fixtures/misspelt-key.yaml" "Additional properties are not allowed \('acter' was unexpected\)"
expect_invalid "$fixtures/wrong-type.yaml" '::\$\.sop: 1 was expected'
for f in "$fixtures"/invalid/*.yaml; do
    first="$(head -n 1 "$f")"
    if [[ "$first" != "# expect-error: "* ]]; then
        fail "fixture $f: first line is not '# expect-error: <ERE>'"
        continue
    fi
    expect_invalid "$f" "${first#\# expect-error: }"
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
