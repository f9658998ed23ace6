#!/usr/bin/env bash
# sop diff with real clients: every catalogue file rewritten by PyYAML (keys reordered,
# re-quoted, rewrapped, comments changed) is "no semantic change"; git runs `sop diff` as its
# external diff driver in a real temporary repository, and `sop diff --git REV` pairs files by
# `id`; cmark-gfm renders the change note and the HTML holds what the JSON says.
#   bash Tests/Diff/run.sh [SOP_BINARY]     (PY: a Python with PyYAML)
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=$(realpath "${1:-.build/debug/sop}")
PY=$(realpath "${PY:-.build-venv/bin/python}")
export NO_COLOR=1 LANG=C LC_ALL=C
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# 1. Reformatting never shows.
files=$(find sops -name '*.yaml' | sort)
count=0
for f in $files; do
  for v in 1 2; do
    out="$WORK/reformatted.yaml"
    "$PY" Tests/Diff/reformat.py "$f" "$out" "$v" || { bad "reformat.py failed on $f"; continue; }
    cmp -s "$f" "$out" && bad "$f variant $v: the rewritten file is the same bytes"
    text=$("$BIN" diff "$f" "$out" 2>&1); rc=$?
    if [ $rc -ne 0 ] || ! grep -q "no semantic change" <<<"$text"; then
      bad "$f variant $v: exit $rc"; echo "$text" | head -20
    fi
    count=$((count + 1))
  done
done
echo "reformatted: $count rewritings of $(wc -w <<<"$files") catalogue files, all 'no semantic change'"
# The control: a real change is seen.
f=sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml
"$PY" Tests/Diff/reformat.py --mutate "$f" "$WORK/mutated.yaml"
text=$("$BIN" diff "$f" "$WORK/mutated.yaml" 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q "{+segera+}" <<<"$text" || bad "a changed action is not reported (exit $rc): $text"

# 2. git's external diff driver and `sop diff --git`, in a real repository.
command -v git >/dev/null || { echo "FAIL: git is not installed (make diff-deps)"; exit 1; }
REPO="$WORK/repo"
mkdir -p "$REPO/sops"
cd "$REPO"
git init -q -b main .
git config user.email diff@test.invalid
git config user.name "sop diff test"
echo '*.yaml diff=sop' > .gitattributes
git config diff.sop.command "$BIN diff --git-external"
cp "$ROOT/sops/kota-cirebon/dkis/pengaduan-sarana-prasarana-ccc-2019.yaml" sops/ccc.yaml
git add -A && git commit -qm "2019 edition"
"$PY" "$ROOT/Tests/Diff/reformat.py" sops/ccc.yaml "$WORK/r.yaml" 1 && cp "$WORK/r.yaml" sops/ccc.yaml
text=$(git --no-pager diff 2>&1); rc=$?
[ $rc -eq 0 ] && grep -q "no semantic change" <<<"$text" || bad "git diff of a reformatted file (exit $rc): $text"
plain=$(git --no-pager diff --no-ext-diff | grep -c '^[-+]')
[ "$plain" -gt 20 ] || bad "the reformatting should be a large textual diff, was $plain lines"
"$BIN" diff --git HEAD >/dev/null 2>&1; rc=$?
[ $rc -eq 0 ] || bad "sop diff --git HEAD of a reformatted file: exit $rc"
cp "$ROOT/sops/kota-cirebon/dkis/pengaduan-sarana-prasarana-ccc.yaml" sops/ccc.yaml
text=$(git --no-pager diff 2>&1); rc=$?
[ $rc -eq 0 ] || bad "git diff with the driver: exit $rc: $text"
for want in "Changes to «Pengaduan Sarana Prasarana Ruang Cirebon Command Center»" "a/sops/ccc.yaml" "b/sops/ccc.yaml" \
            "Call Taker (\`call-taker\`) removed" "Undang-Undang Nomor [-35-] {+36+} Tahun 1999"; do
  grep -qF "$want" <<<"$text" || bad "git diff output lacks: $want"
done
grep -q "^diff --git" <<<"$text" && bad "git diff used its own text diff, not the driver"
text=$(LC_ALL= LANG=id_ID.UTF-8 "$BIN" diff --git HEAD 2>&1); rc=$?
[ $rc -eq 1 ] || bad "sop diff --git HEAD: exit $rc, expected 1"
grep -qF "Perubahan SOP «Pengaduan Sarana Prasarana Ruang Cirebon Command Center»" <<<"$text" || bad "Indonesian from LANG: $text"
grep -qF "HEAD:sops/ccc.yaml" <<<"$text" || bad "the old side is named REV:path: $text"
git add -A && git commit -qm "2024 edition"
# Moved and reformatted: the same SOP by its id, no semantic change.
git mv sops/ccc.yaml sops/pengaduan-ccc.yaml
"$PY" "$ROOT/Tests/Diff/reformat.py" sops/pengaduan-ccc.yaml "$WORK/r.yaml" 2 && cp "$WORK/r.yaml" sops/pengaduan-ccc.yaml
cp "$ROOT/sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml" sops/lapor.yaml
text=$("$BIN" diff --git HEAD 2>&1); rc=$?
[ $rc -eq 1 ] || bad "a new SOP is a change: exit $rc"
grep -qF "new SOP «Pengelolaan Pengaduan LAPOR!-SP4N»" <<<"$text" || bad "the new SOP: $text"
grep -q "Changes to" <<<"$text" && bad "the moved, reformatted SOP should not show: $text"
text=$("$BIN" diff --git HEAD sops/pengaduan-ccc.yaml 2>&1); rc=$?
[ $rc -eq 0 ] || bad "moved and reformatted, matched by id: exit $rc: $text"
# Paths relative to a sub-folder, the change note as JSON.
( cd sops && "$BIN" diff --git HEAD --format json . > "$WORK/sub.json" ); rc=$?
[ $rc -eq 1 ] || bad "sop diff --git HEAD from sops/: exit $rc"
"$PY" - "$WORK/sub.json" <<'PYEOF' || bad "JSON of --git from a sub-folder"
import json, sys
d = json.load(open(sys.argv[1]))
st = sorted((f["status"], f.get("oldPath") or "", f.get("newPath") or "") for f in d["files"])
assert d["revision"] == "HEAD" and d["changed"], d
assert st == [("added", "", "./lapor.yaml"), ("unchanged", "HEAD:sops/ccc.yaml", "./pengaduan-ccc.yaml")], st
PYEOF
# git log -p --ext-diff speaks SOP too; a file removed since the revision.
git add -A && git commit -qm "moved, reformatted, LAPOR added"
text=$(git --no-pager log -p --ext-diff -2 --format='commit %s' 2>&1); rc=$?
[ $rc -eq 0 ] && grep -qF "new SOP «Pengelolaan Pengaduan LAPOR!-SP4N»" <<<"$text" && grep -qF "Changes to «Pengaduan Sarana Prasarana" <<<"$text" \
  || bad "git log -p with the driver (exit $rc): $text"
git rm -q sops/lapor.yaml
text=$("$BIN" diff --git HEAD 2>&1); rc=$?
[ $rc -eq 1 ] && grep -qF "SOP removed «Pengelolaan Pengaduan LAPOR!-SP4N»" <<<"$text" || bad "a removed SOP (exit $rc): $text"
git reset -q --hard
# Trouble: a bad revision, a file with errors.
"$BIN" diff --git no-such-rev >/dev/null 2>"$WORK/err"; rc=$?
[ $rc -eq 2 ] && grep -q "sop: git:" "$WORK/err" || bad "a bad revision: exit $rc $(cat "$WORK/err")"
printf 'sop: 1\nid: x\n' > sops/broken.yaml
"$BIN" diff --git HEAD >/dev/null 2>"$WORK/err"; rc=$?
[ $rc -eq 2 ] && grep -q "broken.yaml:" "$WORK/err" || bad "a file with errors: exit $rc $(cat "$WORK/err")"
text=$(git --no-pager diff 2>&1); rc=$?
rm sops/broken.yaml
cd "$ROOT"

# 3. The change note as GitHub renders it (cmark-gfm, Debian).
command -v cmark-gfm >/dev/null || { echo "FAIL: cmark-gfm is not installed (make diff-deps)"; exit 1; }
FX=Tests/SOPTests/Fixtures/diff
for lang in id en; do
  "$BIN" diff --format markdown --lang $lang sops/kota-cirebon/dkis/pengaduan-sarana-prasarana-ccc-2019.yaml \
    sops/kota-cirebon/dkis/pengaduan-sarana-prasarana-ccc.yaml > "$WORK/note.md"
  cmark-gfm -e table -e strikethrough "$WORK/note.md" > "$WORK/note.html" || bad "cmark-gfm failed"
  "$PY" Tests/Diff/check_markdown.py "$WORK/note.html" "$FX/ccc-2019-2024.json" || bad "the $lang change note"
done
# The control: a note whose table lost its delimiter row is caught.
grep -v '^|---' "$FX/ccc-2019-2024.id.md" | cmark-gfm -e table -e strikethrough > "$WORK/broken.html"
"$PY" Tests/Diff/check_markdown.py "$WORK/broken.html" "$FX/ccc-2019-2024.json" >/dev/null && bad "the checker passed a broken note"

[ $fail -eq 0 ] && echo "diff tests: ok" || echo "diff tests: FAILED"
exit $fail
