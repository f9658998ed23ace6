#!/usr/bin/env python3
"""Builds and reads the Mermaid harness page of Tests/Render/run.sh.

  mermaid_harness.py page MERMAID_JS OUT.html NAME=FILE[:fail] ...
      writes a page that renders every FILE with mermaid.js in the browser and writes one
      line per file into <pre id="results">: "OK<TAB>NAME" or "FAIL<TAB>NAME<TAB>error";
      a FILE marked ':fail' is a negative case that must fail.
  mermaid_harness.py view MERMAID_JS OUT.html FILE
      writes a page that shows one drawing, for a screenshot.
  mermaid_harness.py read DUMPED_DOM.html CASES...
      prints the results and exits 1 unless every case ended as expected.
"""
import html
import json
import re
import sys


def page(mermaid_js, out, cases, view=False):
    items = []
    for case in cases:
        name, _, spec = case.partition("=")
        path, _, expect = spec.partition(":")
        with open(path, encoding="utf-8") as f:
            items.append({"name": name, "text": f.read(), "expect": expect or "ok"})
    data = json.dumps(items).replace("</", "<\\/")
    script = """
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', flowchart: { htmlLabels: true } });
(async function () {
  var cases = JSON.parse(document.getElementById('cases').textContent);
  var out = [];
  for (var i = 0; i < cases.length; i++) {
    var c = cases[i];
    try {
      await mermaid.parse(c.text);
      var result = await mermaid.render('m' + i, c.text);
      if (result.svg.indexOf('<svg') < 0 || result.svg.indexOf('Syntax error') >= 0) { throw new Error('no drawing'); }
      if (VIEW) { document.getElementById('stage').innerHTML = result.svg; }
      out.push('OK\\t' + c.name);
    } catch (e) {
      out.push('FAIL\\t' + c.name + '\\t' + String((e && e.message) || e).replace(/\\s+/g, ' ').slice(0, 300));
    }
  }
  document.getElementById('results').textContent = out.join('\\n') + '\\nDONE';
})();
""".replace("VIEW", "true" if view else "false")
    with open(out, "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">\n')
        f.write('<style>body{margin:16px;font-family:"Liberation Sans",Arial,sans-serif;background:#fff}'
                '#results{display:%s}</style>\n' % ("none" if view else "block"))
        f.write('<script src="%s"></script></head><body>\n' % html.escape(mermaid_js))
        f.write('<div id="stage"></div><pre id="results">RUNNING</pre>\n')
        f.write('<script id="cases" type="application/json">%s</script>\n' % data)
        f.write("<script>%s</script>\n</body></html>\n" % script)


def read(dump, cases):
    with open(dump, encoding="utf-8", errors="replace") as f:
        text = f.read()
    m = re.search(r'<pre id="results">(.*?)</pre>', text, re.S)
    lines = html.unescape(m.group(1)).splitlines() if m else []
    if "DONE" not in lines:
        print("FAIL  mermaid harness did not finish (results: %r)" % lines[:3])
        return 1
    expect = {}
    for case in cases:
        name, _, spec = case.partition("=")
        expect[name] = spec.partition(":")[2] or "ok"
    failed = 0
    seen = set()
    for line in lines:
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        status, name = parts[0], parts[1]
        seen.add(name)
        ok = (status == "OK") == (expect.get(name) == "ok")
        label = "mermaid.js renders" if expect.get(name) == "ok" else "mermaid.js rejects broken"
        if ok:
            print("PASS  %s: %s" % (label, name))
        else:
            failed += 1
            print("FAIL  %s: %s %s" % (label, name, " ".join(parts[2:])))
    for name in expect:
        if name not in seen:
            failed += 1
            print("FAIL  mermaid: no result for %s" % name)
    return 1 if failed else 0


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "page":
        page(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif mode == "view":
        page(sys.argv[2], sys.argv[3], ["view=" + sys.argv[4]], view=True)
    elif mode == "read":
        sys.exit(read(sys.argv[2], sys.argv[3:]))
