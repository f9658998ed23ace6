#!/usr/bin/env bash
# The training manual judged by real tools, run by `make test` (poppler-utils from test-deps):
#  1. `sop manual sops` prints the whole catalogue through headless Chromium; pdfinfo's page
#     count agrees with every page's footer, pdftotext finds every SOP name, and the table of
#     contents gives, for each SOP, the page its sheet starts on (check_manual.py).
#  2. `--role "Call Taker" --lang en`: the role's SOPs and its guide, where the contents say.
#  3. The checker fails on a name the manual does not hold (so it can fail at all).
#  4. Without Chromium: exit 2, a message that says how to install it, and the HTML kept.
#  5. pdftoppm pictures of the cover, a contents page, a sheet and a role guide go to
#     .build/manual-screens/ for a person to look at.
set -uo pipefail
BIN=${1:-.build/debug/sop}
PY=${PY:-python3}
out=.build/manual-test
screens=.build/manual-screens
rm -rf "$out"; mkdir -p "$out" "$screens"
passed=0 failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

"$BIN" list --format json sops | "$PY" -c 'import json,sys; print(json.dumps([x["name"] for x in json.load(sys.stdin)]))' > "$out/names.json"

# 1. The whole catalogue.
start=$(date +%s)
if "$BIN" manual sops -o "$out/manual.pdf" > "$out/manual.log" 2>&1; then
  ok "sop manual sops ($(( $(date +%s) - start )) s): $(tail -1 "$out/manual.log")"
else
  bad "sop manual sops"; cat "$out/manual.log"
fi
if "$PY" Tests/Manual/check_manual.py "$out/manual.pdf" "$out/names.json" > "$out/check.log"; then
  ok "$(head -1 "$out/check.log"); every SOP name found"
else
  bad "the manual's pages, names and contents"; cat "$out/check.log"
fi

# 2. A role's manual, in English.
echo '["Pengaduan Sarana Prasarana Ruang Cirebon Command Center"]' > "$out/role-names.json"
if "$BIN" manual sops -o "$out/call-taker.pdf" --role "call taker" --lang en > "$out/role.log" 2>&1 \
   && "$PY" Tests/Manual/check_manual.py "$out/call-taker.pdf" "$out/role-names.json" --role "Call Taker" > "$out/role-check.log"; then
  whole=$(pdfinfo "$out/manual.pdf" | awk '/^Pages:/{print $2}'); part=$(pdfinfo "$out/call-taker.pdf" | awk '/^Pages:/{print $2}')
  if [ "$part" -lt "$whole" ] && [ "$(pdftotext "$out/call-taker.pdf" - | grep -c "Role guide: Call Taker")" -gt 0 ]; then
    ok "sop manual --role 'call taker' --lang en: $part pages (of $whole), its guide where the contents say"
  else
    bad "the role manual is not the role's ($part of $whole pages)"
  fi
else
  bad "sop manual --role"; cat "$out/role.log" "$out/role-check.log" 2>/dev/null
fi

# 3. The checker can fail.
echo '["Pengaduan yang tidak ada di katalog"]' > "$out/wrong.json"
if "$PY" Tests/Manual/check_manual.py "$out/manual.pdf" "$out/wrong.json" > /dev/null; then
  bad "the checker accepts a name the manual does not hold"
else
  ok "the checker rejects a name the manual does not hold"
fi

# 4. No Chromium.
rc=0
msg=$(SOP_CHROMIUM=/nonexistent/chromium "$BIN" manual sops -o "$out/none.pdf" --lang en 2>&1) || rc=$?
if [ "$rc" -eq 2 ] && grep -q "apt-get install chromium" <<<"$msg" && [ -s "$out/none.html" ] && [ ! -e "$out/none.pdf" ]; then
  ok "without Chromium: exit 2, how to install it, the HTML kept"
else
  bad "without Chromium (exit $rc)"; echo "$msg"
fi

# 5. Pictures to look at.
toc_page=2
sheet_page=$(pdftotext -layout -f 2 -l 5 "$out/manual.pdf" - | awk '/Pengelolaan Pengaduan LAPOR!-SP4N/{print $NF; exit}')
guide_page=$(pdftotext -layout -f 2 -l 2 "$out/call-taker.pdf" - | awk '/^ +Call Taker +[0-9]+$/{print $NF; exit}')
pdftoppm -r 70 -png -f 1 -l 1 "$out/manual.pdf" "$screens/cover"
pdftoppm -r 70 -png -f "$toc_page" -l "$toc_page" "$out/manual.pdf" "$screens/contents"
[ -n "$sheet_page" ] && pdftoppm -r 70 -png -f "$sheet_page" -l "$((sheet_page + 4))" "$out/manual.pdf" "$screens/lapor"
[ -n "$guide_page" ] && pdftoppm -r 70 -png -f "$guide_page" -l "$guide_page" "$out/call-taker.pdf" "$screens/guide-call-taker"
n=$(ls "$screens"/*.png 2>/dev/null | wc -l)
if [ "$n" -ge 8 ]; then ok "pdftoppm: $n pictures in $screens/"; else bad "pdftoppm wrote $n pictures"; fi

echo "manual checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
