"""The pieces of a scaled-out `sop serve` for the scale tests and the benchmark: nodes started
from the committed systemd unit's ExecStart line, nginx from the committed site config, the
private PostgreSQL cluster (Scripts/pg-cluster.sh). Every process started here is recorded in
PIDFILE so that run.sh's trap stops it even if Python dies first."""
import os, re, shlex, signal, socket, subprocess, time
import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SOP = os.environ.get("SOP", os.path.join(ROOT, ".build/debug/sop"))
UNIT = os.path.join(ROOT, "deploy/systemd/sop@.service")
SITE = os.path.join(ROOT, "deploy/nginx/render.sh")
PG_CLUSTER = os.path.join(ROOT, "Scripts/pg-cluster.sh")
PIDFILE = os.environ.get("PIDFILE")
LAPOR = "kota-cirebon/dkis/pengaduan-lapor-sp4n"


def remember(pid):
    if PIDFILE:
        with open(PIDFILE, "a") as f:
            f.write(f"{pid}\n")


def port_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_ports(count, lo=18500, hi=18599):
    """`count` free loopback ports in lo..hi (the range given to these tests)."""
    found = [p for p in range(lo, hi + 1) if port_free(p)]
    if len(found) < count:
        raise SystemExit(f"not enough free ports in {lo}-{hi}")
    return found[:count]


def exec_start(port, environment, unit=UNIT):
    """The unit's ExecStart line as systemd would run it for instance `port`: `%i` is the
    instance, `${VAR}` one word from the EnvironmentFile, the binary our build."""
    lines = open(unit).read().splitlines()
    starts = [l.split("=", 1)[1] for l in lines if l.startswith("ExecStart=")]
    assert len(starts) == 1, f"the unit has {len(starts)} ExecStart lines"
    line = starts[0].replace("%i", str(port)).replace("%%", "%")
    def var(m):
        name = m.group(1)
        if name not in environment:
            raise SystemExit(f"ExecStart uses ${{{name}}}, which the environment file does not set")
        return shlex.quote(environment[name])
    line = re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", var, line)
    argv = shlex.split(line)
    assert argv[0] == "/usr/local/bin/sop", argv[0]
    return [SOP] + argv[1:]


def environment_file(path=os.path.join(ROOT, "deploy/systemd/sop.env")):
    env = {}
    for line in open(path).read().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            k, v = line.split("=", 1)
            env[k] = v
    return env


class Node:
    """One `sop serve` node, started from the unit's ExecStart line (plus `extra` arguments such
    as the test clock). As root it runs as `nobody`, with no folder it may write to, the way
    the unit's DynamicUser=yes and ProtectSystem=strict run it (only with a PostgreSQL store:
    a SQLite store is a file the node writes)."""
    def __init__(self, port, db, log, extra=(), unprivileged=None):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        env = environment_file()
        env.update({"SOP_DB": db, "SOP_CATALOG": os.path.join(ROOT, "sops"), "SOP_HOST": "127.0.0.1"})
        self.argv = exec_start(port, env) + list(extra)
        if unprivileged is None:
            unprivileged = db.startswith("postgres") and os.getuid() == 0
        if unprivileged:
            # setpriv execs (no fork): the pid we hold is the node's, for SIGKILL.
            self.argv = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] + self.argv
        self.log_path = log
        self.start()

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL, stderr=self.log, cwd="/")
        remember(self.proc.pid)
        deadline = time.time() + 90
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"node {self.port} exited with {self.proc.returncode}; its log: {self.log_path}\n"
                                 + open(self.log_path, errors="replace").read()[-2000:])
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.kill()
        raise SystemExit(f"node {self.port} did not answer /healthz within 90 s")

    def alive(self):
        return self.proc.poll() is None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def stop(self):
        """SIGTERM; the exit code (0: a graceful stop)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


class Nginx:
    """nginx in the foreground from deploy/nginx/sop.conf rendered for `nodes`, in its own prefix
    folder (pid, logs, temporary files), listening on 127.0.0.1:`port`."""
    def __init__(self, port, nodes, work):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.dir = os.path.join(work, "nginx")
        os.makedirs(self.dir, exist_ok=True)
        self.access_log = os.path.join(self.dir, "access.log")
        self.error_log = os.path.join(self.dir, "error.log")
        site = subprocess.run(["bash", SITE, f"127.0.0.1:{port}"] + [f"127.0.0.1:{n}" for n in nodes],
                              env={**os.environ, "ACCESS_LOG": self.access_log}, capture_output=True, text=True, check=True).stdout
        with open(os.path.join(self.dir, "sop.conf"), "w") as f:
            f.write(site)
        d = self.dir
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(f"""# The test's main file: a private prefix; the site is the committed deploy/nginx/sop.conf.
worker_processes 1;
pid {d}/nginx.pid;
error_log {self.error_log} warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
    include {d}/sop.conf;
}}
""")
        nginx = "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else "nginx"
        args = [nginx, "-p", d, "-c", os.path.join(d, "nginx.conf"), "-e", self.error_log]
        check = subprocess.run(args + ["-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise SystemExit("nginx -t refused the rendered config:\n" + check.stderr)
        self.proc = subprocess.Popen(args + ["-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        remember(self.proc.pid)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                if requests.get(self.base + "/nginx-healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise SystemExit("nginx did not start; its error log:\n" + open(self.error_log).read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)   # graceful: finish requests, then exit
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Postgres:
    """The private cluster of Scripts/pg-cluster.sh (started by run.sh; restarted by a test)."""
    def __init__(self, directory, port):
        self.dir, self.port = directory, str(port)

    def _run(self, *args):
        subprocess.run(["bash", PG_CLUSTER, *args, self.dir, self.port], check=True, stdout=subprocess.DEVNULL)

    def stop(self):
        self._run("stop")

    def start(self):
        self._run("start")

    def url(self):
        return subprocess.run(["bash", PG_CLUSTER, "url", self.dir, self.port], check=True, capture_output=True, text=True).stdout.strip()


def add_user(db, name, roles, password=None):
    args = [SOP, "user", "add", name, "--db", db, "--password-stdin"]
    for r in roles:
        args += ["--role", r]
    subprocess.run(args, input=(password or f"rahasia-{name}") + "\n", text=True, check=True, stdout=subprocess.DEVNULL)


def token(db, name):
    return subprocess.run([SOP, "user", "token", name, "--db", db], text=True, check=True, capture_output=True).stdout.strip()
