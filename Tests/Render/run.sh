#!/usr/bin/env bash
# Tests of the drawings with their real clients (installed by `make test-deps`):
#
#   Tests/Render/run.sh [SOP_BINARY]    last line "N passed, M failed"
#
# 1. `sop render` draws every sops/**/*.yaml and Fixtures/*.yaml in every format (mermaid,
#    dot, svg, html, markdown), twice for one SOP to show the bytes do not change;
#    `sop catalog` builds the site (index, one sheet per SOP, drawings);
# 2. Graphviz `dot -Tsvg` accepts every DOT file without a message on stderr, and rejects
#    a broken one; in what it draws, the lanes stand left to right in the SOP's actor
#    order and every symbol lies inside its lane (lane_order.py);
# 3. mermaid.js 11 (the copy inside the PyPI package mmdc) renders every Mermaid file
#    in headless Chromium, and rejects a broken one; the Markdown's mermaid block is the
#    Mermaid file;
# 4. headless Chromium loads every sheet and the site's index with no console message
#    (the pages never log, so any message is an error) and a page that logs is caught;
#    the index's search filters as typed; every sheet prints on A4 landscape with one
#    printed page per sheet page (print_pages.py);
# 5. screenshots for people to look at: .build/render-screens/*.png.
# Exit status 0 when every assertion passed, 1 otherwise, 2 when a client is missing.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
SOP="${1:-$root/.build/debug/sop}"
out="$root/.build/render-test"
screens="$root/.build/render-screens"
venv_python="$root/.build-venv/bin/python"

for tool in dot chromium; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$tool not found; run \`make test-deps\` (it installs graphviz and chromium)" >&2
        exit 2
    fi
done
mermaid_js="$("$venv_python" -W ignore -c 'import mmdc, os; print(os.path.join(os.path.dirname(mmdc.__file__), "assets", "mermaid.js"))' 2>/dev/null)"
if [[ ! -f "$mermaid_js" ]]; then
    echo "mermaid.js not found (PyPI package mmdc in .build-venv); run \`make test-deps\`" >&2
    exit 2
fi

rm -rf "$out" "$screens"
mkdir -p "$out/draw" "$out/mermaid" "$screens"
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() {
    failed=$((failed + 1)); echo "FAIL  $1"
    if [[ -n "${2:-}" ]]; then printf '%s\n' "$2" | head -20 | sed 's/^/      | /'; fi
}
chrome() { chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --mute-audio "$@"; }

# --- 1. sop render, every SOP, every format ---------------------------------------------
files=()
while IFS= read -r -d '' f; do files+=("$f"); done < <(find sops Tests/Render/Fixtures -type f -name '*.yaml' -print0 | sort -z)
[[ ${#files[@]} -ge 28 ]] && pass "found ${#files[@]} SOP files" || fail "found only ${#files[@]} SOP files"
for f in "${files[@]}"; do
    name="$(echo "${f%.yaml}" | tr '/' '_')"
    for format in mermaid dot svg html markdown; do
        ext=$format; [[ $format == mermaid ]] && ext=mmd; [[ $format == markdown ]] && ext=md
        rc=0
        err="$("$SOP" render "$f" --format "$format" -o "$out/draw/$name.$ext" 2>&1)" || rc=$?
        if [[ $rc -eq 0 && -s "$out/draw/$name.$ext" ]]; then
            pass "render $format: $f"
        else
            fail "render $format: $f (exit $rc)" "$err"
        fi
    done
done
lapor=sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml
if "$SOP" render "$lapor" --format html | cmp -s - "$out/draw/sops_kota-cirebon_dkis_pengaduan-lapor-sp4n.html"; then
    pass "the same SOP gives the same bytes twice"
else
    fail "render is not deterministic"
fi
rc=0
err="$("$SOP" catalog sops -o "$out/site" 2>&1)" || rc=$?
# The site's training files (the manual, the role guides) are not sheets: Tests/Manual judges them.
sheets=$(find "$out/site" -name '*.html' ! -name index.html ! -name manual.html ! -path '*/peran/*' | wc -l)
if [[ $rc -eq 0 && -f "$out/site/index.html" && $sheets -eq $(find sops -name '*.yaml' | wc -l) ]]; then
    pass "sop catalog wrote index.html and $sheets sheets"
else
    fail "sop catalog (exit $rc, $sheets sheets)" "$err"
fi

# --- 2. Graphviz -------------------------------------------------------------------------
for d in "$out"/draw/*.dot; do
    rc=0
    err="$(dot -Tsvg -o "${d%.dot}.dot.svg" "$d" 2>&1)" || rc=$?
    if [[ $rc -eq 0 && -z "$err" ]]; then pass "dot -Tsvg accepts $(basename "$d")"; else fail "dot -Tsvg $(basename "$d") (exit $rc)" "$err"; fi
done
# In what Graphviz drew: lanes left to right in the SOP's actor order, each symbol inside its lane.
while IFS= read -r line; do
    case "$line" in
        PASS*) pass "${line#PASS  }" ;;
        FAIL*) fail "${line#FAIL  }" ;;
    esac
done < <(python3 "$here/lane_order.py" "$out"/draw/*.dot.svg)
# ... and the check sees lanes drawn right to left.
sed 's/rankdir=LR/rankdir=RL/' "$out/draw/sops_kota-cirebon_dkis_pengaduan-lapor-sp4n.dot" > "$out/reversed.dot"
dot -Tsvg -o "$out/reversed.dot.svg" "$out/reversed.dot" 2>/dev/null
if python3 "$here/lane_order.py" "$out/reversed.dot.svg" >/dev/null; then
    fail "the lane check accepted lanes drawn right to left"
else
    pass "the lane check rejects lanes drawn right to left"
fi
printf 'digraph "x" {\n  N1 [label=<<b>broken</i>>];\n  N1 -> \n}\n' > "$out/broken.dot"
if dot -Tsvg -o /dev/null "$out/broken.dot" >/dev/null 2>&1; then fail "dot accepted a broken DOT file"; else pass "dot rejects a broken DOT file"; fi

# --- 3. mermaid.js in Chromium -----------------------------------------------------------
cp "$mermaid_js" "$out/mermaid/mermaid.js"
cases=()
for m in "$out"/draw/*.mmd; do cases+=("$(basename "$m" .mmd)=$m"); done
printf 'flowchart TD\n    N1["unclosed --> N2\n' > "$out/mermaid/broken.mmd"
cases+=("broken=$out/mermaid/broken.mmd:fail")
python3 "$here/mermaid_harness.py" page mermaid.js "$out/mermaid/all.html" "${cases[@]}"
chrome --virtual-time-budget=120000 --dump-dom "file://$out/mermaid/all.html" > "$out/mermaid/dump.html" 2>/dev/null
while IFS= read -r line; do
    case "$line" in
        PASS*) pass "${line#PASS  }" ;;
        FAIL*) fail "${line#FAIL  }" ;;
    esac
done < <(python3 "$here/mermaid_harness.py" read "$out/mermaid/dump.html" "${cases[@]}")
for md in "$out"/draw/*.md; do
    m="${md%.md}.mmd"
    if diff -q <(awk '/^```mermaid$/{on=1; next} /^```$/{on=0} on' "$md") "$m" >/dev/null; then
        pass "markdown embeds the Mermaid drawing: $(basename "$md")"
    else
        fail "markdown's mermaid block differs from $(basename "$m")"
    fi
done

# --- 4. pages in Chromium, no console message ----------------------------------------------
# load PAGE PNG WIDTH HEIGHT: screenshot, and fail on any console message.
load() {
    local log rc=0
    log="$(chrome --enable-logging=stderr --v=0 --virtual-time-budget=5000 --window-size="$3,$4" --screenshot="$2" "file://$1" 2>&1)" || rc=$?
    local console
    console="$(grep -E 'CONSOLE' <<<"$log" || true)"
    if [[ $rc -ne 0 || ! -s "$2" ]]; then
        fail "chromium loads $(realpath --relative-to="$out" "$1") (exit $rc)" "$log"
    elif [[ -n "$console" ]]; then
        fail "chromium loads $(realpath --relative-to="$out" "$1"): console messages" "$console"
    else
        pass "chromium loads $(realpath --relative-to="$out" "$1") with no console message"
    fi
}
printf '<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body><script>console.error("deliberate");</script></body></html>\n' > "$out/logs.html"
log="$(chrome --enable-logging=stderr --v=0 --screenshot="$out/logs.png" --window-size=200,200 "file://$out/logs.html" 2>&1)"
if grep -q 'CONSOLE.*deliberate' <<<"$log"; then pass "a console message is caught"; else fail "the console check does not see console.error" "$log"; fi
load "$out/site/index.html" "$screens/index.png" 1280 2200
# The index's search, run by Chromium: `?q=` fills the box; the count and the rows follow.
for q in "lapor 1" "tarakan 1" "draf 14" "siaga%20112 8" "zzzz 0"; do
    set -- $q
    dom="$(chrome --virtual-time-budget=5000 --dump-dom "file://$out/site/index.html?q=$1" 2>/dev/null)"
    shown=$(grep -o '<tr data-search=' <<<"$dom" | wc -l); hidden=$(grep -o '<tr data-search="[^"]*" hidden' <<<"$dom" | wc -l)
    if grep -q "id=\"count\"[^>]*>$2 SOP ditampilkan<" <<<"$dom" && [[ $((shown - hidden)) -eq $2 ]]; then
        pass "index search '$1' shows $2 SOP"
    else
        fail "index search '$1': expected $2 SOP, $((shown - hidden)) rows shown" "$(grep -o 'id="count"[^<]*' <<<"$dom")"
    fi
done
while IFS= read -r -d '' page; do
    rel="$(realpath --relative-to="$out/site" "$page")"
    shot="$out/shot.png"
    case "$rel" in
        kota-cirebon/dkis/pengaduan-lapor-sp4n.html) shot="$screens/sheet-lapor.png" ;;
        kota-cirebon/dkis/monitoring-evaluasi-sop.html) shot="$screens/sheet-monitoring-evaluasi-sop.png" ;;
        kota-tarakan/dkisp/kunjungan-tarakan-command-center.html) shot="$screens/sheet-kunjungan-tarakan.png" ;;
        kota-cirebon/dkis/penerbitan-berita.html) shot="$screens/sheet-draft-penerbitan-berita.png" ;;
    esac
    load "$page" "$shot" 1200 2800
done < <(find "$out/site" -name '*.html' ! -name index.html ! -name manual.html ! -path '*/peran/*' -print0 | sort -z)
# The manual and a role guide load without a console message too (their script lays out pages).
load "$out/site/manual.html" "$screens/site-manual.png" 1000 1400
load "$out/site/peran/call-taker.html" "$screens/site-guide-call-taker.png" 1000 1400
load "$out/draw/Tests_Render_Fixtures_escaping.html" "$screens/sheet-escaping.png" 1200 1800
# Many Pelaksana columns (issue 17): narrow lanes, headers written upwards, a legend.
for n in 12 20 40; do load "$out/draw/Tests_Render_Fixtures_lanes-$n.html" "$screens/sheet-lanes-$n.png" 1200 1900; done

# Printing: every sheet prints on A4 landscape, one printed page per page of the sheet
# (nothing spills over).
while IFS= read -r -d '' page; do
    rel="$(realpath --relative-to="$out/site" "$page")"
    rm -f "$out/print.pdf"
    chrome --no-pdf-header-footer --print-to-pdf="$out/print.pdf" "file://$page" >/dev/null 2>&1
    result="$(python3 "$here/print_pages.py" "$out/print.pdf" "$page" 2>&1)"
    if [[ "$result" == ok ]]; then pass "prints on A4 landscape, page for page: $rel"; else fail "print $rel: $result"; fi
done < <(find "$out/site" -name '*.html' ! -name index.html ! -name manual.html ! -path '*/peran/*' -print0 | sort -z)
for n in 12 20 40; do
    page="$out/draw/Tests_Render_Fixtures_lanes-$n.html"
    rm -f "$out/print.pdf"
    chrome --no-pdf-header-footer --print-to-pdf="$out/print.pdf" "file://$page" >/dev/null 2>&1
    result="$(python3 "$here/print_pages.py" "$out/print.pdf" "$page" 2>&1)"
    if [[ "$result" == ok ]]; then pass "prints on A4 landscape, page for page: lanes-$n"; else fail "print lanes-$n: $result"; fi
done

# --- 5. more screenshots -------------------------------------------------------------------
for n in pengaduan-lapor-sp4n kunjungan-tarakan-command-center monitoring-evaluasi-sop; do
    d="$(ls "$out"/draw/*"$n".dot)"
    dot -Tpng -o "$screens/dot-$n.png" "$d" || fail "dot -Tpng $d"
    python3 "$here/mermaid_harness.py" view mermaid.js "$out/mermaid/view-$n.html" "${d%.dot}.mmd"
    chrome --virtual-time-budget=20000 --window-size=1100,1600 --screenshot="$screens/mermaid-$n.png" "file://$out/mermaid/view-$n.html" >/dev/null 2>&1 \
        || fail "mermaid screenshot $n"
done
echo "screenshots: $screens"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
