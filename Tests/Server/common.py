"""Helpers of the server tests: start `sop serve` on a free loopback port, stop it, call it."""
import json, os, signal, socket, subprocess, time, urllib.error, urllib.request

SOP = os.environ.get("SOP", ".build/debug/sop")

def free_port(lo=18100, hi=18999):
    """A free loopback port in 18100–18999 (the range given to these tests)."""
    import random
    ports = list(range(lo, hi))
    random.shuffle(ports)
    for p in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p))
                return p
            except OSError:
                continue
    raise SystemExit("no free port in 18100-18999")

class Server:
    """`sop serve` as a child process; `stop()` (SIGTERM) or `kill()` (SIGKILL)."""
    def __init__(self, db, catalog="sops", test_clock=None, log=None, port=None):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [SOP, "serve", "--catalog", catalog, "--db", db, "--port", str(self.port)]
        if test_clock:
            args += ["--test-clock", test_clock]
        self.log = open(log or os.devnull, "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"sop serve exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        self.kill()
        raise SystemExit("sop serve did not answer /healthz within 60 s")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

def call(base, method, path, token=None, body=None, headers=None, timeout=30):
    """(status, parsed JSON or text) of one request."""
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    h = {"Content-Type": "application/json"} if data is not None else {}
    if token:
        h["Authorization"] = "Bearer " + token
    h.update(headers or {})
    req = urllib.request.Request(base + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        status, raw, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
    if ctype.startswith("application/json"):
        return status, json.loads(raw)
    return status, raw.decode("utf-8", "replace")

def add_user(db, name, roles, password=None):
    args = [SOP, "user", "add", name, "--db", db, "--password-stdin"]
    for r in roles:
        args += ["--role", r]
    subprocess.run(args, input=(password or f"rahasia-{name}") + "\n", text=True, check=True, stdout=subprocess.DEVNULL)

def token(db, name):
    return subprocess.run([SOP, "user", "token", name, "--db", db], text=True, check=True, capture_output=True).stdout.strip()

LAPOR = "kota-cirebon/dkis/pengaduan-lapor-sp4n"
