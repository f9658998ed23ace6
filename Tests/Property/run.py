#!/usr/bin/env python3
"""Property tests over every consumer of the IR (issue 17), on generated valid SOPs.

    Tests/Property/run.py --bin .build/debug/sop --seeds 1-40 [--max-steps 400] [--max-actors 60]
                          [--sample 5] [--python .build-venv/bin/python] [--work DIR]

For each seed: `sop debug generate --shape valid` writes a catalogue of 1 to 4 SOPs (each
calling the next), sized from the seed; then, with a timeout on every command (no hang):

  - `sop check` of the folder: exit 0 and no error (the generator's promise);
  - `sop compile` of every file, twice: exit 0, the same bytes (deterministic);
  - `sop render` in every format (mermaid, dot, html, markdown; svg when Graphviz is
    installed), twice: exit 0, non-empty, the same bytes;
  - `sop paths` of every file: the covering paths twice (the same bytes), every path up to
    a limit, and the covering scenarios, the first three replayed by `sop run --script`;
  - `sop catalog` of the folder, twice: exit 0, the same files and bytes;
  - for the sampled seeds, `sop manual` of the folder, twice: exit 0, the same HTML;
  - `sop debug scenario` then `sop run --script` of the first SOP, twice: exit 0, same trace;
  - the same actions through the case store (`sop case start/complete/decide/respond/advance`
    with `--db`), each exit 0, then `case show`, `case list --json` and `case export` as XES
    and CSV, twice: exit 0, the same bytes;
  - `sop simulate` of every file (a few hundred cases), twice: exit 0, the same JSON;
  - `sop diff` of every file with itself (exit 0, no semantic change) and with the next SOP
    of the catalogue (exit 0 or 1), twice: the same bytes;
  - `sop lsp` on the first file: opened, edited (a character typed and deleted, half the
    file cut, the whole text restored), diagnostics for every version, a clean exit;
  - `sop serve` on the catalogue (for the sampled seeds): an admin logs in, starts a case of
    every SOP through the API, then every page (tasks, cases, each case with its flowchart,
    each sheet, the catalogue) and the case's API answers are 200, and no page holds a
    `<script` (every generated text escaped).

For a sample of the seeds (`--sample`) real clients judge the outputs: Graphviz `dot` reads
every DOT file, mermaid.js 11 renders every Mermaid file in headless Chromium, Chromium loads
every sheet with no console message, pm4py reads the XES export, xmllint validates the BPMN
against the OMG schema, and poppler's pdfinfo reads the manual's PDF.

A failing seed is shrunk: fewer steps, fewer actors, one SOP instead of a catalogue, shapes
switched off one by one, as long as the same property still fails; the small reproducer is
written to WORK/shrunk/ with the command that shows it. Exit 0 when every property held.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FEATURES = ["decisions", "parallel", "loops", "timers", "calls", "recurring", "classes", "draft",
            "long-text", "unicode", "specials", "identity", "outcomes", "conditions", "several-actors", "provenance"]
FORMATS = [("mermaid", "mmd"), ("dot", "dot"), ("html", "html"), ("markdown", "md"), ("bpmn", "bpmn")]


class Failure(Exception):
    """A property that did not hold: `prop` names it (the shrinker keeps it), `detail` says how."""

    def __init__(self, prop, detail):
        super().__init__(f"{prop}: {detail}")
        self.prop = prop
        self.detail = detail


def case_params(seed, max_steps, max_actors):
    """Sizes from the seed: mostly small, some large (log-uniform up to the maxima)."""
    r = random.Random(seed)
    tier = r.random()
    if tier < 0.2:
        steps = r.randint(1, 10)
    elif tier < 0.6:
        steps = r.randint(10, min(100, max_steps))
    else:
        steps = int(round(10 ** r.uniform(2, max(2.0, __import__("math").log10(max_steps)))))
    steps = max(1, min(steps, max_steps))
    actors = r.randint(1, 10) if r.random() < 0.5 else int(round(10 ** r.uniform(1, max(1.0, __import__("math").log10(max_actors)))))
    actors = max(1, min(actors, max_actors))
    return {"steps": steps, "actors": actors, "catalogue": r.randint(1, 4), "max_branches": r.choice([2, 3, 5, 12, 50]),
            "features": list(FEATURES)}


class Runner:
    def __init__(self, args):
        self.bin = os.path.abspath(args.bin)
        self.args = args
        self.commands = 0
        self.has_dot = shutil.which("dot") is not None

    def timeout(self, params):
        # Generous for a debug build on a shared machine; a hang still ends the test. A
        # sanitized build (make sanitize) runs several times slower: SOP_TIMEOUT_SCALE.
        scale = float(os.environ.get("SOP_TIMEOUT_SCALE", "1"))
        return (60 + params["steps"] * 0.03 + params["actors"] * 0.2) * scale

    @staticmethod
    def graphviz_fits(params):
        """Graphviz's own layout time grows much faster than the SOP (minutes for a few
        hundred steps over dozens of lanes), so SVG is drawn only for SOPs up to this size;
        larger catalogues are built as without Graphviz (no SVG)."""
        return params["steps"] <= 60 and params["actors"] <= 12

    def sop(self, argv, params, cwd, expect=(0,), what=None, without_graphviz=False):
        self.commands += 1
        env = dict(os.environ, NO_COLOR="1", LANG="C")
        if without_graphviz:
            # Chromium stays: it may live in the same folder as `dot` (Debian's /usr/bin).
            chromium = shutil.which("chromium")
            if chromium:
                env["SOP_CHROMIUM"] = chromium
            env["PATH"] = os.pathsep.join(d for d in env.get("PATH", "").split(os.pathsep)
                                          if not os.path.exists(os.path.join(d, "dot")))
        try:
            p = subprocess.run([self.bin] + argv, cwd=cwd, capture_output=True, timeout=self.timeout(params), env=env)
        except subprocess.TimeoutExpired:
            raise Failure(f"hang: sop {what or argv[0]}", f"no answer within {self.timeout(params):.0f} s: sop {' '.join(argv)}")
        if p.returncode not in expect:
            kind = "crash" if p.returncode < 0 or p.returncode >= 128 else "exit"
            tail = (p.stderr or p.stdout).decode("utf-8", "replace")[-1500:]
            raise Failure(f"{kind}: sop {what or argv[0]}", f"exit {p.returncode}: sop {' '.join(argv)}\n{tail}")
        return p

    def generate(self, seed, params, work):
        folder = os.path.join(work, "sops")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        self.sop(["debug", "generate", str(params["steps"]), "--shape", "valid", "--seed", str(seed),
                  "--actors", str(params["actors"]), "--max-branches", str(params["max_branches"]),
                  "--features", ",".join(params["features"]) or "identity", "--catalogue", str(params["catalogue"]),
                  "-o", folder if params["catalogue"] > 1 else os.path.join(folder, "sop.yaml")], params, work, what="debug generate")
        files = []
        for d, _, names in os.walk(folder):
            files += [os.path.join(d, n) for n in names if n.endswith(".yaml")]
        return folder, sorted(files)

    def run_case(self, seed, params, work, sample):
        """Every property for one generated catalogue; raises Failure on the first that fails."""
        folder, files = self.generate(seed, params, work)
        p = self.sop(["check", "--format", "json", folder], params, work, expect=(0, 1), what="check")
        if p.returncode != 0:
            raise Failure("check: generated SOP has errors", p.stdout.decode("utf-8", "replace")[:1500])
        outputs = {}
        for i, f in enumerate(files):
            base = os.path.join(work, f"out-{i}")
            for attempt in (1, 2):
                self.sop(["compile", f, "-o", f"{base}.{attempt}.json"], params, work, what="compile")
            same(f"{base}.1.json", f"{base}.2.json", "compile")
            formats = FORMATS + ([("svg", "svg")] if self.has_dot and self.graphviz_fits(params) else [])
            for fmt, ext in formats:
                for attempt in (1, 2):
                    self.sop(["render", f, "--format", fmt, "-o", f"{base}.{attempt}.{ext}"], params, work, what=f"render {fmt}")
                if os.path.getsize(f"{base}.1.{ext}") == 0:
                    raise Failure(f"render {fmt}: empty", f)
                same(f"{base}.1.{ext}", f"{base}.2.{ext}", f"render {fmt}")
                outputs.setdefault(ext, []).append(f"{base}.1.{ext}")
            # Training paths: the covering paths twice (the same bytes), every path up to a
            # limit, and the covering scenarios, each replayed by the runtime.
            cover = [self.sop(["paths", f, "--format", "json"], params, work, what="paths").stdout for _ in (1, 2)]
            if cover[0] != cover[1]:
                raise Failure("paths: not deterministic", f"two runs of sop paths {f} differ")
            self.sop(["paths", f, "--all", "--limit", "20", "--lang", "en"], params, work, what="paths --all")
            exercises = os.path.join(work, f"exercises-{i}")
            shutil.rmtree(exercises, ignore_errors=True)
            self.sop(["paths", f, "--scenarios", exercises], params, work, what="paths --scenarios")
            for name in sorted(os.listdir(exercises))[:3]:
                self.sop(["run", f, "--script", os.path.join(exercises, name)], params, work, what="run --script (paths)")
            # The simulator: a few hundred cases, the same bytes twice.
            runs = [self.sop(["simulate", f, "--cases", "300", "--seed", str(seed), "--format", "json"], params, work,
                             what="simulate").stdout for _ in (1, 2)]
            if runs[0] != runs[1]:
                raise Failure("simulate: not deterministic", f"two runs of sop simulate {f} differ")
            # What a revision changes: nothing against itself; against another SOP, a report.
            p = self.sop(["diff", f, f, "--format", "json"], params, work, what="diff (itself)")
            other = files[(i + 1) % len(files)]
            if other != f:
                reports = [self.sop(["diff", f, other, "--format", fmt], params, work, expect=(0, 1), what=f"diff {fmt}").stdout
                           for fmt in ("json", "json", "markdown")]
                if reports[0] != reports[1]:
                    raise Failure("diff: not deterministic", f"two runs of sop diff {f} {other} differ")
        self.language_server(files[0], params, work)
        if sample:
            self.server_pages(folder, files, params, work)
        for attempt in (1, 2):
            shutil.rmtree(os.path.join(work, f"site{attempt}"), ignore_errors=True)
            self.sop(["catalog", folder, "-o", os.path.join(work, f"site{attempt}")], params, work, what="catalog",
                     without_graphviz=not self.graphviz_fits(params))
        if tree_digest(os.path.join(work, "site1")) != tree_digest(os.path.join(work, "site2")):
            raise Failure("catalog: not deterministic", "two runs wrote different sites")
        # The training manual (printed by Chromium) for the sampled seeds: its HTML twice, the same bytes.
        if sample and shutil.which("chromium"):
            for attempt in (1, 2):
                self.sop(["manual", folder, "-o", os.path.join(work, f"manual{attempt}.pdf"),
                          "--html", os.path.join(work, f"manual{attempt}.html")], params, work, what="manual",
                         without_graphviz=not self.graphviz_fits(params))
            same(os.path.join(work, "manual1.html"), os.path.join(work, "manual2.html"), "manual")
            outputs["pdf"] = [os.path.join(work, "manual1.pdf")]

        # The runtime: a scenario the engine accepts, replayed by `sop run --script`...
        first = files[0] if params["catalogue"] <= 1 else os.path.join(folder, f"generated/seed-{seed}/sop-0.yaml")
        scenario, commands = os.path.join(work, "scenario.yaml"), os.path.join(work, "commands.jsonl")
        self.sop(["debug", "scenario", first, "--seed", str(seed), "-o", scenario, "--commands", commands,
                  "--max-actions", "120"], params, work, what="debug scenario")
        traces = [self.sop(["run", first, "--script", scenario], params, work, what="run --script").stdout for _ in (1, 2)]
        if traces[0] != traces[1]:
            raise Failure("run --script: not deterministic", "two runs printed different traces")
        # ... and through the case store, command by command.
        digests = []
        for attempt in (1, 2):
            db = os.path.join(work, f"cases{attempt}.db")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            with open(commands, encoding="utf-8") as fh:
                for line in fh:
                    argv = json.loads(line)
                    self.sop(argv + ["--db", db], params, work, what=" ".join(argv[:2]))
            self.sop(["case", "show", "case-000001", "--db", db], params, work, what="case show")
            self.sop(["case", "list", "--json", "--db", db, "--at", "2027-01-01 00:00"], params, work, what="case list")
            for fmt in ("xes", "csv"):
                self.sop(["case", "export", "--format", fmt, "--db", db, "-o", os.path.join(work, f"log{attempt}.{fmt}")],
                         params, work, what=f"case export {fmt}")
            digests.append([file_digest(os.path.join(work, f"log{attempt}.{fmt}")) for fmt in ("xes", "csv")])
        if digests[0] != digests[1]:
            raise Failure("case export: not deterministic", "the same commands gave different logs")
        outputs["xes"] = [os.path.join(work, "log1.xes")]
        outputs["csv"] = [os.path.join(work, "log1.csv")]
        return outputs


    def language_server(self, path, params, work):
        """`sop lsp` as an editor drives it: open, type, delete, cut half, restore; every
        version gets its diagnostics and the server exits cleanly."""
        self.commands += 1
        text = open(path, encoding="utf-8").read()
        uri = "file://" + os.path.abspath(path)
        p = subprocess.Popen([self.bin, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=work)
        deadline = time.time() + self.timeout(params) * 2

        def send(message):
            body = json.dumps(message).encode()
            p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            p.stdin.flush()

        def receive():
            length = None
            while True:
                if time.time() > deadline:
                    raise Failure("hang: sop lsp", f"no answer within the time limit on {path}")
                line = p.stdout.readline()
                if not line:
                    raise Failure("crash: sop lsp", f"the server closed its output (exit {p.poll()}): "
                                  + p.stderr.read().decode("utf-8", "replace")[-1200:])
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            return json.loads(p.stdout.read(length))

        def diagnostics(version):
            while True:
                m = receive()
                if m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version:
                    return m["params"]["diagnostics"]

        try:
            send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": "file://" + os.path.abspath(work), "capabilities": {}}})
            while receive().get("id") != 1:
                pass
            send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
            send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                  "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
            if any(d.get("severity") == 1 for d in diagnostics(1)):
                raise Failure("lsp: errors in a valid SOP", path)
            lines = text.split("\n")
            row = len(lines) // 2
            col = len(lines[row].encode("utf-16-le")) // 2
            at = {"line": row, "character": col}
            edits = [
                {"range": {"start": at, "end": at}, "text": "x"},
                {"range": {"start": at, "end": {"line": row, "character": col + 1}}, "text": ""},
                {"range": {"start": {"line": row, "character": 0}, "end": {"line": len(lines), "character": 0}}, "text": ""},
                {"text": text},
            ]
            for version, change in enumerate(edits, start=2):
                send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                      "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
                diagnostics(version)
            send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
            while receive().get("id") != 2:
                pass
            send({"jsonrpc": "2.0", "method": "exit", "params": None})
            code = p.wait(timeout=30)
            if code != 0:
                raise Failure("exit: sop lsp", f"exit {code} after shutdown")
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()

    def server_pages(self, folder, files, params, work):
        """`sop serve` on the catalogue: every page and the case API answer 200, nothing unescaped."""
        import http.cookiejar
        import re
        import socket
        import urllib.parse
        import urllib.request
        db = os.path.join(work, "serve.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        self.commands += 1
        subprocess.run([self.bin, "user", "add", "admin", "--db", db, "--role", "admin", "--password-stdin"],
                       input=b"rahasia-admin\n", check=True, capture_output=True)
        token = subprocess.run([self.bin, "user", "token", "admin", "--db", db], check=True, capture_output=True, text=True).stdout.strip()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([self.bin, "serve", "--catalog", folder, "--db", db, "--port", str(port), "--log-level", "warning"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=work)
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2)
                    break
                except Exception:
                    if server.poll() is not None:
                        raise Failure("crash: sop serve", server.stderr.read().decode("utf-8", "replace")[-1200:])
                    time.sleep(0.1)
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

            def get(path, headers=None, data=None):
                request = urllib.request.Request(base + path, data=data, headers=headers or {})
                try:
                    with opener.open(request, timeout=self.timeout(params)) as r:
                        return r.status, r.read().decode("utf-8", "replace")
                except urllib.error.HTTPError as e:
                    return e.code, e.read().decode("utf-8", "replace")

            login = get("/login")[1]
            csrf = re.search(r'name="csrf" value="([^"]+)"', login).group(1)
            get("/login", data=urllib.parse.urlencode({"csrf": csrf, "name": "admin", "password": "rahasia-admin"}).encode())
            bearer = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
            status, body = get("/api/catalog", bearer)
            if status != 200:
                raise Failure("serve: the catalogue", f"{status}: {body[:600]}")
            ids = []
            for sop in json.loads(body):
                start = {"sop": sop["id"]}
                if sop.get("duration_classes"):
                    start["class"] = sop["duration_classes"][0]
                status, body = get("/api/cases", bearer, json.dumps(start).encode())
                if status != 201:
                    raise Failure("serve: start a case", f"{status} for {sop['id']}: {body[:600]}")
                ids.append((json.loads(body)["id"], sop["id"]))
            if len(ids) != len(files):
                raise Failure("serve: the catalogue", f"{len(ids)} SOPs served of {len(files)}")
            pages = ["/tasks", "/cases", "/catalog"] + [f"/cases/{c}" for c, _ in ids] + \
                    ["/sheet?id=" + urllib.parse.quote(s, safe="") for _, s in ids]
            for page in pages:
                status, body = get(page)
                if status != 200:
                    raise Failure("serve: a page", f"{status} for {page}: {body[:600]}")
                if "<script" in body.lower():
                    raise Failure("serve: unescaped text", f"{page} holds a <script")
            for c, _ in ids:
                for path in (f"/api/cases/{c}", f"/api/cases/{c}/events", f"/api/cases/{c}/xes", "/api/tasks"):
                    status, body = get(path, bearer)
                    if status != 200:
                        raise Failure("serve: the case API", f"{status} for {path}: {body[:600]}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if server.returncode != 0:
            raise Failure("exit: sop serve", f"exit {server.returncode} on SIGTERM")


def same(a, b, what):
    if file_digest(a) != file_digest(b):
        raise Failure(f"{what}: not deterministic", f"{a} and {b} differ")


def file_digest(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def tree_digest(folder):
    h = hashlib.sha256()
    for d, _, names in sorted(os.walk(folder)):
        for n in sorted(names):
            p = os.path.join(d, n)
            h.update(os.path.relpath(p, folder).encode())
            h.update(file_digest(p).encode())
    return h.hexdigest()


def shrink(runner, seed, params, failure, work):
    """Smaller parameters that fail the same property, one change at a time."""
    best = dict(params)
    changed = True
    tries = 0
    while changed and tries < 30:
        changed = False
        candidates = []
        if best["catalogue"] > 1:
            candidates.append(dict(best, catalogue=1))
        if best["steps"] > 1:
            candidates.append(dict(best, steps=max(1, best["steps"] // 2)))
            candidates.append(dict(best, steps=best["steps"] - 1))
        if best["actors"] > 1:
            candidates.append(dict(best, actors=max(1, best["actors"] // 2)))
        for f in best["features"]:
            candidates.append(dict(best, features=[g for g in best["features"] if g != f]))
        for c in candidates:
            tries += 1
            try:
                runner.run_case(seed, c, work, sample=False)
            except Failure as e:
                if e.prop == failure.prop:
                    best, changed = c, True
                    break
            except Exception:
                pass
    return best


def clients(outputs, args, work):
    """Real clients judge the sampled outputs; returns a list of (ok, message)."""
    results = []
    for d in outputs.get("dot", []):
        p = subprocess.run(["dot", "-Tsvg", "-o", os.devnull, d], capture_output=True, timeout=300)
        results.append((p.returncode == 0 and not p.stderr, f"dot reads {os.path.relpath(d, work)}" + (f": {p.stderr[:300]!r}" if p.stderr else "")))
    py = args.python
    chromium = shutil.which("chromium")
    mermaid_js = None
    if py and os.path.exists(py):
        q = subprocess.run([py, "-W", "ignore", "-c", "import mmdc, os; print(os.path.join(os.path.dirname(mmdc.__file__), 'assets', 'mermaid.js'))"],
                           capture_output=True, text=True)
        mermaid_js = q.stdout.strip() if q.returncode == 0 and os.path.exists(q.stdout.strip()) else None
    chrome = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--mute-audio"]
    if chromium and mermaid_js and outputs.get("mmd"):
        mdir = os.path.join(work, "mermaid")
        os.makedirs(mdir, exist_ok=True)
        shutil.copy(mermaid_js, os.path.join(mdir, "mermaid.js"))
        cases = [f"m{i}={m}" for i, m in enumerate(outputs["mmd"])]
        harness = os.path.join(ROOT, "Tests/Render/mermaid_harness.py")
        subprocess.run([sys.executable, harness, "page", "mermaid.js", os.path.join(mdir, "all.html")] + cases, check=True)
        dom = subprocess.run(chrome + ["--virtual-time-budget=240000", "--dump-dom", "file://" + os.path.join(mdir, "all.html")],
                             capture_output=True, timeout=900).stdout
        with open(os.path.join(mdir, "dump.html"), "wb") as fh:
            fh.write(dom)
        read = subprocess.run([sys.executable, harness, "read", os.path.join(mdir, "dump.html")] + cases, capture_output=True, text=True)
        for line in read.stdout.splitlines():
            if line.startswith(("PASS", "FAIL")):
                results.append((line.startswith("PASS"), "mermaid.js: " + line[6:]))
    elif outputs.get("mmd"):
        results.append((False, "mermaid.js or chromium missing (make test-deps)"))
    if chromium:
        for page in outputs.get("html", []):
            p = subprocess.run(chrome + ["--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--window-size=1200,1600",
                                         "--screenshot=" + os.path.join(work, "shot.png"), "file://" + page],
                               capture_output=True, text=True, timeout=300)
            console = [l for l in p.stderr.splitlines() if "CONSOLE" in l]
            results.append((p.returncode == 0 and not console, f"chromium loads {os.path.relpath(page, work)} with no console message"
                            + (f": {console[:3]}" if console else "")))
    else:
        results.append((False, "chromium missing (make test-deps)"))
    # BPMN: xmllint against the OMG XSD that SpiffWorkflow ships.
    if py and os.path.exists(py) and shutil.which("xmllint") and outputs.get("bpmn"):
        q = subprocess.run([py, "-c", "import SpiffWorkflow, os; print(os.path.join(os.path.dirname(SpiffWorkflow.__file__), 'bpmn/parser/schema/BPMN20.xsd'))"],
                           capture_output=True, text=True)
        for b in outputs["bpmn"]:
            p = subprocess.run(["xmllint", "--noout", "--schema", q.stdout.strip(), b], capture_output=True, text=True, timeout=600)
            results.append((p.returncode == 0, f"xmllint validates {os.path.relpath(b, work)}" + ("" if p.returncode == 0 else f": {p.stderr[-300:]}")))
    elif outputs.get("bpmn"):
        results.append((False, "xmllint or SpiffWorkflow's XSD missing (make test-deps)"))
    for pdf in outputs.get("pdf", []):
        p = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, timeout=120)
        pages = next((int(l.split()[-1]) for l in p.stdout.splitlines() if l.startswith("Pages:")), 0)
        results.append((p.returncode == 0 and pages > 0, f"pdfinfo reads {os.path.relpath(pdf, work)} ({pages} pages)"))
    if py and os.path.exists(py):
        for xes in outputs.get("xes", []):
            csv = xes[:-4] + ".csv"
            p = subprocess.run([py, os.path.join(ROOT, "Tests/Runtime/pm4py_reads_xes.py"), xes, csv], capture_output=True, text=True, timeout=600)
            results.append((p.returncode == 0, f"pm4py reads {os.path.relpath(xes, work)}" + ("" if p.returncode == 0 else f": {p.stdout[-300:]}{p.stderr[-300:]}")))
    else:
        results.append((False, "pm4py missing (make test-deps)"))
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/debug/sop"))
    ap.add_argument("--seeds", default="1-40", help="A-B, inclusive")
    ap.add_argument("--max-steps", type=int, default=400)
    ap.add_argument("--max-actors", type=int, default=60)
    ap.add_argument("--sample", type=int, default=5, help="how many seeds the real clients judge")
    ap.add_argument("--python", default=os.path.join(ROOT, ".build-venv/bin/python"), help="a Python with pm4py and mmdc")
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    a, _, b = args.seeds.partition("-")
    seeds = list(range(int(a), int(b or a) + 1))
    work_root = os.path.abspath(args.work) if args.work else tempfile.mkdtemp(prefix="sop-property-")
    os.makedirs(work_root, exist_ok=True)
    runner = Runner(args)
    sampled = set(seeds[:: max(1, len(seeds) // max(1, args.sample))][: args.sample]) if args.sample else set()
    failures, passed, started = [], 0, time.time()
    judged = []
    shapes = {"steps": 0, "actors": 0, "files": 0}
    for seed in seeds:
        params = case_params(seed, args.max_steps, args.max_actors)
        work = os.path.join(work_root, f"seed-{seed}")
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        label = f"seed {seed}: {params['steps']} steps, {params['actors']} actors, {params['catalogue']} SOP(s), branches <= {params['max_branches']}"
        try:
            outputs = runner.run_case(seed, params, work, sample=seed in sampled)
        except Failure as e:
            print(f"FAIL  {label}: {e.prop}\n      {e.detail[:1200]}".replace("\n", "\n      | "), flush=True)
            small = shrink(runner, seed, params, e, os.path.join(work_root, "shrink"))
            dest = os.path.join(work_root, "shrunk", f"seed-{seed}")
            shutil.rmtree(dest, ignore_errors=True)
            runner.generate(seed, small, dest)
            print(f"      shrunk to {small['steps']} steps, {small['actors']} actors, {small['catalogue']} SOP(s), "
                  f"features {','.join(small['features'])}: {dest}/sops", flush=True)
            failures.append((seed, e.prop, dest))
            continue
        passed += 1
        shapes["steps"] = max(shapes["steps"], params["steps"])
        shapes["actors"] = max(shapes["actors"], params["actors"])
        shapes["files"] += params["catalogue"]
        print(f"PASS  {label}", flush=True)
        if seed in sampled:
            judged.append((seed, outputs, work))
    client_failures = 0
    for seed, outputs, work in judged:
        for ok, message in clients(outputs, args, work):
            print(("PASS  " if ok else "FAIL  ") + f"seed {seed}: {message}", flush=True)
            client_failures += 0 if ok else 1
    print(f"property cases: {passed} passed, {len(failures)} failed ({shapes['files']} SOPs, up to {shapes['steps']} steps and "
          f"{shapes['actors']} actors, {runner.commands} sop commands, {time.time() - started:.0f} s); real-client checks failed: {client_failures}")
    if not args.work and not failures:
        shutil.rmtree(work_root, ignore_errors=True)
    elif failures:
        print(f"reproducers kept in {work_root}/shrunk")
    return 0 if not failures and client_failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
