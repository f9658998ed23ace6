#!/usr/bin/env python3
"""make bench-lsp: the latency of `sop lsp` re-checking a file after one keystroke.

Replays an edit session through the server (JSON-RPC over stdio, as an editor does): open a
file, then type and delete one character at a time in a step's action, each an incremental
`didChange`; the time from sending a change to receiving its `publishDiagnostics` is one
sample. Files: the largest catalogue file and a generated 1,000-step SOP. Baselines,
measured in the same run: `sop check FILE` (a whole process, start-up included), the way a
user re-checks without the server; and the compiler alone in memory (`sop debug
bench-compile`), the floor of a whole-file re-check. Figures, not pass/fail (targets: median < 10 ms, p99 <
30 ms on a 1,000-step SOP)."""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time


class Server:
    def __init__(self, binary, root):
        self.p = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0
        self.request("initialize", {"rootUri": pathlib.Path(root).resolve().as_uri(), "capabilities": {}})
        self.notify("initialized", {})

    def send(self, message):
        body = json.dumps(message).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def receive(self):
        length = None
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            m = self.receive()
            if m.get("id") == self.next_id:
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, version):
        while True:
            m = self.receive()
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version:
                return m["params"]["diagnostics"]

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.p.wait(timeout=30)


def percentile(samples, q):
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def bench(binary, path, root, changes):
    text = pathlib.Path(path).read_text(encoding="utf-8")
    lines = text.split("\n")
    # The middle step's action: where a policy officer edits.
    actions = [n for n, l in enumerate(lines) if l.lstrip().startswith("action:") or l.lstrip().startswith("- action:")]
    line = actions[len(actions) // 2]
    column = len(lines[line].encode("utf-16-le")) // 2
    server = Server(binary, root)
    uri = pathlib.Path(path).resolve().as_uri()
    t = time.perf_counter()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    server.wait_diagnostics(1)
    open_ms = (time.perf_counter() - t) * 1000
    samples = []
    for k in range(changes):
        version = k + 2
        if k % 2 == 0:
            change = {"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column}}, "text": "x"}
        else:
            change = {"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column + 1}}, "text": ""}
        t = time.perf_counter()
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        server.wait_diagnostics(version)
        samples.append((time.perf_counter() - t) * 1000)
    server.close()
    baseline = []
    for _ in range(7):
        t = time.perf_counter()
        subprocess.run([binary, "check", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        baseline.append((time.perf_counter() - t) * 1000)
    # The compiler alone, in one process (read, check; median of 9): the floor of a re-check.
    line_out = subprocess.run([binary, "debug", "bench-compile", path, "--iterations", "9"], capture_output=True, text=True).stdout
    check_ms = float(line_out.split("check=")[1].split("s")[0]) * 1000
    steps = sum(1 for l in lines if l.startswith("  - "))
    print(f"{path} ({steps} steps, {len(text.encode())} bytes)")
    print(f"  open: {open_ms:.1f} ms; {changes} one-character changes: median {statistics.median(samples):.2f} ms, "
          f"p99 {percentile(samples, 0.99):.2f} ms, max {max(samples):.2f} ms")
    print(f"  baseline `sop check FILE` (a process): median {statistics.median(baseline):.1f} ms "
          f"-> the server re-checks {statistics.median(baseline) / statistics.median(samples):.0f}x faster than a re-run")
    if check_ms >= 1:
        print(f"  baseline the compiler alone (`sop debug bench-compile`, read + check in memory): {check_ms:.1f} ms "
              f"-> the server's median is {statistics.median(samples) / check_ms:.2f}x the bare check")
    else:
        print("  baseline the compiler alone (`sop debug bench-compile`, read + check in memory): under 1 ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/release/sop")
    ap.add_argument("--changes", type=int, default=400)
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores; {args.bin}")
    catalogue = sorted(pathlib.Path("sops").rglob("*.yaml"), key=lambda p: p.stat().st_size)[-1]
    bench(args.bin, str(catalogue), "sops", args.changes)
    with tempfile.TemporaryDirectory() as tmp:
        generated = os.path.join(tmp, "generated-1000.yaml")
        subprocess.run([args.bin, "debug", "generate", "1000", "-o", generated], check=True)
        bench(args.bin, generated, tmp, args.changes)


if __name__ == "__main__":
    sys.exit(main())
