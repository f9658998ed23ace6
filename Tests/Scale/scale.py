"""Two `sop serve` nodes on one store behind nginx, judged by faults (issue 14):
  deploy    nginx from deploy/nginx/sop.conf balances both nodes and passes the request id;
            the nodes run from deploy/systemd/sop@.service's ExecStart line
  session   a login on node 1 whose session cookie works on node 2 (and a token on both)
  race      the two nodes complete the same step at the same time, many times: one 200, one 409
  lanes     one node's writer lanes (`--writers 4` on PostgreSQL): many cases completed at once
            through that node are all stored; the same step completed twice at once through
            that one node: one 200, one 409
  timer     timers due while both nodes run fire once
  sigkill   node 2 killed with SIGKILL under load: node 1 keeps serving through nginx, and
            every completion answered 200 is in the store
  pgrestart PostgreSQL stopped under load: the nodes answer 503 while it is down, recover by
            themselves, and lose nothing acknowledged (PostgreSQL store only)
  fold      every case's projection (the case list) equals the fold of its events (its page)
  sigterm   each node stops gracefully on SIGTERM (exit 0)
Environment: SOP (the binary), WORK (a folder for logs), STORE (`postgres` or `sqlite`), PG_DIR
and PG_PORT (the cluster run.sh started), RACES (default 40). Prints `ok`/`FAIL` per check and a
closing `N passed, N failed` line; exits non-zero on any failure."""
import os, re, subprocess, sys, threading, time, traceback
import requests
from cluster import LAPOR, SOP, Nginx, Node, Postgres, add_user, free_ports, token

WORK = os.environ["WORK"]
STORE = os.environ.get("STORE", "postgres")
RACES = int(os.environ.get("RACES", "40"))
CLOCK = "2026-05-04 09:00"
clock_now = [CLOCK]   # where both nodes' test clocks stand
results = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    if condition:
        results["passed"] += 1
        print(f"ok   {name}{': ' + detail if detail else ''}", flush=True)
    else:
        results["failed"] += 1
        print(f"FAIL {name}{': ' + detail if detail else ''}", flush=True)
    return condition


def api(base, method, path, tok=None, body=None, headers=None, timeout=15, session=None):
    h = dict(headers or {})
    if tok:
        h["Authorization"] = "Bearer " + tok
    r = (session or requests).request(method, base + path, json=body, headers=h, timeout=timeout)
    try:
        return r.status_code, r.json()
    except ValueError:
        return r.status_code, r.text


if STORE == "postgres":
    pg = Postgres(os.environ["PG_DIR"], os.environ["PG_PORT"])
    DB = pg.url()
else:
    pg = None
    DB = os.path.join(WORK, "sop.db")
print(f"store: {DB}")

for name, roles in [("admin", ["admin"]), ("lapor", ["LAPOR!-SP4N"]), ("timadmin", ["Tim Admin"]),
                    ("penghubung", ["Pejabat Penghubung"])]:
    add_user(DB, name, roles)
ADMIN, LAPOR_T, TIMADMIN = token(DB, "admin"), token(DB, "lapor"), token(DB, "timadmin")

lb_port, p1, p2 = free_ports(3)
extra = ["--test-clock", CLOCK]
# Node 1 names its writer lanes (4, PostgreSQL's default, which node 2 takes); SQLite has one.
node1 = Node(p1, DB, os.path.join(WORK, "node1.log"), extra + (["--writers", "4"] if STORE == "postgres" else []))
node2 = Node(p2, DB, os.path.join(WORK, "node2.log"), extra)
nginx = Nginx(lb_port, [p1, p2], WORK)
LB = nginx.base
print(f"nginx {LB} -> nodes {node1.base}, {node2.base}", flush=True)


def start_case(base=LB):
    s, b = api(base, "POST", "/api/cases", ADMIN, {"sop": LAPOR})
    assert s == 201, (s, b)
    return b["id"]


def complete(base, case, version=None, session=None, timeout=15):
    body = {"step": "1", "documents": ["Laporan masyarakat"]}
    if version is not None:
        body["version"] = version
    return api(base, "POST", f"/api/cases/{case}/complete", LAPOR_T, body, session=session, timeout=timeout)


def completed(case, base=None):
    """Whether the store holds lapor's completion of step 1 of `case` (read on any node)."""
    s, b = api(base or node1.base, "GET", f"/api/cases/{case}", ADMIN)
    return s == 200 and any(e["kind"] == "task_completed" and e.get("person") == "lapor" for e in b["history"])


def deploy_checks():
    # Both nodes serve through nginx.
    seen = set()
    for _ in range(20):
        s, _ = api(LB, "GET", "/api/tasks", LAPOR_T)
        assert s == 200, s
    log = open(nginx.access_log).read()
    for m in re.finditer(r"upstream=127\.0\.0\.1:(\d+)", log):
        seen.add(int(m.group(1)))
    check("deploy: nginx (deploy/nginx/sop.conf) balances both nodes", seen == {p1, p2}, f"upstreams seen: {sorted(seen)}")
    # The request id: the client's goes through nginx to the node's log and back.
    rid = f"scale-test-{os.getpid()}"
    r = requests.get(LB + "/api/me", headers={"Authorization": "Bearer " + ADMIN, "X-Request-Id": rid}, timeout=10)
    time.sleep(0.3)
    in_logs = [n for n in (node1, node2) if f'"request_id":"{rid}"' in open(n.log_path, errors="replace").read()]
    check("deploy: the client's X-Request-Id reaches the node's log and comes back once",
          r.status_code == 200 and r.headers.get("X-Request-Id") == rid and len(in_logs) == 1 and rid in open(nginx.access_log).read(),
          f"status {r.status_code}, answered {r.headers.get('X-Request-Id')!r}, in {len(in_logs)} node log(s)")
    r = requests.get(LB + "/healthz", timeout=10)
    gen = r.headers.get("X-Request-Id", "")
    time.sleep(0.3)
    check("deploy: without one, nginx's own request id is the node's",
          re.fullmatch(r"[0-9a-f]{32}", gen) is not None and any(f'"request_id":"{gen}"' in open(n.log_path, errors="replace").read() for n in (node1, node2)),
          gen)
    check("deploy: nodes run from the unit's ExecStart line" + (" as nobody" if node1.argv[0] == "setpriv" else ""),
          node1.alive() and node2.alive(), " ".join(node1.argv[-12:]))


def session_checks():
    s = requests.Session()
    page = s.get(node1.base + "/login", timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf, "no CSRF field on the login page"
    r = s.post(node1.base + "/login", data={"name": "timadmin", "password": "rahasia-timadmin", "csrf": csrf.group(1)},
               allow_redirects=False, timeout=10)
    cookie = s.cookies.get("sop_session")
    check("session: log in on node 1", r.status_code in (302, 303) and cookie is not None, f"status {r.status_code}")
    if cookie is None:
        return
    r2 = requests.get(node2.base + "/api/me", cookies={"sop_session": cookie}, timeout=10)
    me = r2.json() if r2.headers.get("Content-Type", "").startswith("application/json") else {}
    check("session: node 1's session cookie works on node 2", r2.status_code == 200 and me.get("name") == "timadmin",
          f"GET /api/me on node 2: {r2.status_code}")
    r3 = requests.get(node2.base + "/tasks", cookies={"sop_session": cookie}, allow_redirects=False, timeout=10)
    check("session: node 2 shows the task page to node 1's session", r3.status_code == 200, f"GET /tasks on node 2: {r3.status_code}")
    ok = all(api(n.base, "GET", "/api/me", TIMADMIN)[0] == 200 for n in (node1, node2))
    check("session: an API token works on both nodes", ok)


def races(rounds, bases, start_on):
    """`rounds` times: a new case (started on `start_on(i)`), then its first step completed
    at once through `bases[0]` and `bases[1]`. Returns (outcome counts, bad rounds): a round
    is bad unless one answer is 200 and the other 409 with R006, and the store holds exactly
    one completion."""
    outcomes, bad = [], []
    sessions = [requests.Session(), requests.Session()]
    for i in range(rounds):
        case = start_case(start_on(i))
        version = api(bases[0], "GET", f"/api/cases/{case}", ADMIN)[1]["version"]
        barrier, got = threading.Barrier(2), [None, None]
        def go(k):
            barrier.wait()
            got[k] = complete(bases[k], case, version, session=sessions[k])
        ts = [threading.Thread(target=go, args=(k,)) for k in (0, 1)]
        for t in ts: t.start()
        for t in ts: t.join()
        statuses = sorted(g[0] for g in got)
        outcomes.append(tuple(statuses))
        loser = [g for g in got if g[0] != 200]
        if statuses != [200, 409] or (loser and loser[0][1].get("error", {}).get("code") != "R006"):
            bad.append((case, got))
        # The store holds exactly one completion.
        s, b = api(bases[1], "GET", f"/api/cases/{case}", ADMIN)
        n = sum(1 for e in b["history"] if e["kind"] == "task_completed")
        if n != 1:
            bad.append((case, f"{n} completions in the store"))
    return {o: outcomes.count(o) for o in set(outcomes)}, bad


def race_checks():
    counts, bad = races(RACES, (node1.base, node2.base), lambda i: node1.base if i % 2 else node2.base)
    check(f"race: {RACES} times the two nodes complete the same step at once: one 200 and one 409 (R006) each time, one completion stored",
          not bad, f"outcomes {counts}" + (f"; first bad: {bad[:3]}" if bad else ""))


def lanes_checks():
    # Many cases at once through node 1 alone: every lane busy, batches of several commands.
    cases = [start_case(node1.base) for _ in range(120)]
    ts, res, lock = stream(cases, node1.base, threads=12)
    for t in ts: t.join()
    ok = [r[0] for r in res if r[1] == 200]
    missing = [c for c in ok if not completed(c)]
    check(f"lanes: {len(cases)} completions at once through one node (12 clients): all 200, each in the store",
          len(ok) == len(cases) and not missing,
          f"{len(ok)}/{len(cases)} answered 200" + (f"; not stored: {missing[:5]}" if missing else "")
          + (f"; other answers: {[r[1] for r in res if r[1] != 200][:5]}" if len(ok) != len(cases) else ""))
    # The same step twice at once through that one node (the same lane): one wins.
    rounds = max(RACES // 2, 1)
    counts, bad = races(rounds, (node1.base, node1.base), lambda i: node1.base)
    check(f"lanes: {rounds} times the same step completed twice at once through one node: one 200 and one 409 (R006), one completion stored",
          not bad, f"outcomes {counts}" + (f"; first bad: {bad[:3]}" if bad else ""))


def to_step3(case, base):
    s, b = complete(base, case)
    assert s == 200, (s, b)
    s, b = api(base, "POST", f"/api/cases/{case}/decide", TIMADMIN, {"step": "verifikasi", "branch": "ya"})
    assert s == 200, (s, b)


def timer_checks():
    # Cases at step 3, whose 60-hari-kerja timer forwards the report to the Ombudsman RI.
    cases = []
    for i in range(6):
        c = start_case(node1.base if i % 2 else node2.base)
        to_step3(c, node2.base if i % 2 else node1.base)
        cases.append(c)
    # Both nodes' clocks move past the timers at the same moment: both try to fire them (in
    # the clock request and in their timer loops).
    barrier, answers = threading.Barrier(2), [None, None]
    def move(k, base):
        barrier.wait()
        answers[k] = api(base, "POST", "/api/test/clock", ADMIN, {"to": "2026-10-05 09:00"}, timeout=60)
    clock_now[0] = "2026-10-05 09:00"
    ts = [threading.Thread(target=move, args=(k, n.base)) for k, n in enumerate((node1, node2))]
    for t in ts: t.start()
    for t in ts: t.join()
    check("timer: both nodes' clocks moved", all(a and a[0] == 200 for a in answers), str([a and a[0] for a in answers]))
    time.sleep(2.5)   # the timer loops look again every second on a virtual clock
    fired, statuses = [], []
    for c in cases:
        s, b = api(LB, "GET", f"/api/cases/{c}", ADMIN)
        fired.append(sum(1 for e in b["history"] if e["kind"] == "timer_fired"))
        statuses.append(b["status"])
    fired_total = sum(int(a[1].get("fired_events", 0)) for a in answers if a and isinstance(a[1], dict))
    check(f"timer: {len(cases)} timers due while both nodes run each fired exactly once",
          fired == [1] * len(cases) and all(s != "running" for s in statuses),
          f"timer_fired per case {fired}, statuses {sorted(set(statuses))}, events fired by the clock requests: {fired_total}")
    # A node learns of a timer set through the other node: a case moved to step 3 on node 2,
    # both clocks moved on, and node 1 (no request) or node 2 fires it, once.
    c = start_case(node2.base)
    to_step3(c, node2.base)
    for n in (node1, node2):
        api(n.base, "POST", "/api/test/clock", ADMIN, {"to": "2027-03-01 09:00"}, timeout=60)
    clock_now[0] = "2027-03-01 09:00"
    time.sleep(2.5)
    s, b = api(node1.base, "GET", f"/api/cases/{c}", ADMIN)
    n = sum(1 for e in b["history"] if e["kind"] == "timer_fired")
    check("timer: a timer set through node 2 fires once", n == 1, f"timer_fired {n}")


def stream(cases, base, threads=4, stop_when=None):
    """Completes step 1 of `cases` through `base` from `threads` threads; returns
    [(case, status, sent_at, answered_at)]."""
    results_, lock = [], threading.Lock()
    def worker(mine):
        s = requests.Session()
        for c in mine:
            t0 = time.time()
            body = None
            try:
                st, body = complete(base, c, session=s, timeout=20)
            except requests.RequestException as e:
                st = type(e).__name__
            with lock:
                results_.append((c, st, t0, time.time(), body if st != 200 else None))
    ts = [threading.Thread(target=worker, args=(cases[i::threads],)) for i in range(threads)]
    for t in ts: t.start()
    return ts, results_, lock


def sigkill_checks():
    global node2
    cases = [start_case() for _ in range(240)]
    ts, res, lock = stream(cases, LB)
    while True:
        with lock:
            acked = sum(1 for r in res if r[1] == 200)
        if acked >= 60 or not any(t.is_alive() for t in ts):
            break
        time.sleep(0.005)
    killed_at = time.time()
    node2.proc.kill()   # SIGKILL in the middle of the stream
    for t in ts: t.join()
    after = [r for r in res if r[2] > killed_at]
    ok_after = [r for r in after if r[1] == 200]
    failures = [r for r in res if r[1] != 200]
    late_failures = [r for r in failures if r[2] > killed_at + 1.0]
    check("sigkill: node 2 killed with SIGKILL during the stream", 0 < acked < len(cases), f"{acked} acknowledged before the kill")
    check("sigkill: node 1 keeps serving through nginx after the kill",
          len(ok_after) > 0 and not late_failures,
          f"{len(ok_after)}/{len(after)} answered 200 after the kill; failures {[(r[1]) for r in failures]} "
          f"({len(late_failures)} sent more than 1 s after the kill)")
    lost = [r[0] for r in res if r[1] == 200 and not completed(r[0])]
    acknowledged = sum(1 for r in res if r[1] == 200)
    check("sigkill: every completion answered 200 is in the store", not lost,
          f"{acknowledged - len(lost)}/{acknowledged} found" + (f"; lost {lost[:5]}" if lost else ""))
    # systemd's Restart=on-failure brings the node back: the same ExecStart line.
    node2.log.close()
    node2.start()
    # Its test clock starts again at --test-clock: move it to where node 1's stands.
    s, b = api(node2.base, "POST", "/api/test/clock", ADMIN, {"to": clock_now[0]}, timeout=60)
    assert s == 200, (s, b)
    check("sigkill: node 2 restarted from the same ExecStart line serves again",
          api(node2.base, "GET", "/api/me", ADMIN)[0] == 200)


def pgrestart_checks():
    cases = [start_case() for _ in range(200)]
    ts, res, lock = stream(cases, LB, threads=3)
    while True:
        with lock:
            acked = sum(1 for r in res if r[1] == 200)
        if acked >= 30 or not any(t.is_alive() for t in ts):
            break
        time.sleep(0.005)
    pg.stop()
    down_at = time.time()
    time.sleep(1.0)
    probes = {}
    for n in (node1, node2):
        try:
            probes[f"{n.port} /healthz"] = requests.get(n.base + "/healthz", timeout=10).status_code
        except requests.RequestException as e:
            probes[f"{n.port} /healthz"] = type(e).__name__
        spare = cases[-1] if n is node1 else cases[-2]
        try:
            probes[f"{n.port} complete"] = complete(n.base, spare, timeout=10)[0]
        except requests.RequestException as e:
            probes[f"{n.port} complete"] = type(e).__name__
        try:
            probes[f"{n.port} tasks"] = api(n.base, "GET", "/api/tasks", LAPOR_T, timeout=10)[0]
        except requests.RequestException as e:
            probes[f"{n.port} tasks"] = type(e).__name__
    check("pgrestart: while PostgreSQL is down the nodes answer 503", set(probes.values()) == {503}, str(probes))
    time.sleep(max(0, 3 - (time.time() - down_at)))
    pg.start()
    up_at = time.time()
    for t in ts: t.join()
    recovered = {}
    for n in (node1, node2):
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(n.base + "/healthz", timeout=5).status_code == 200:
                    recovered[n.port] = round(time.time() - up_at, 1)
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
    check("pgrestart: both nodes recover by themselves (same processes, /healthz 200)",
          len(recovered) == 2 and node1.alive() and node2.alive(), f"seconds after the restart: {recovered}")
    during = [r for r in res if r[1] != 200]
    codes = sorted({str(r[1]) for r in during})
    odd = [(r[0], r[1], str(r[4])[:160]) for r in during if str(r[1]) not in ("503", "502", "504")]
    check("pgrestart: the stream's refusals while it was down are 503 (or 502 from nginx), never 500",
          not odd, f"{len(res) - len(during)} answered 200, {len(during)} refused: {codes}" + (f"; first odd: {odd[:2]}" if odd else ""))
    # Completions work again, through nginx on both nodes.
    again = [complete(n.base, c)[0] for n, c in ((node1, cases[-1]), (node2, cases[-2]))]
    retry = [r[0] for r in res if r[1] != 200 and not completed(r[0])][:20]
    again += [complete(LB, c)[0] for c in retry]
    check("pgrestart: completions answer 200 again after the restart", all(s in (200, 422) for s in again) and 200 in again, str(again))
    acked = [r[0] for r in res if r[1] == 200]
    lost = [c for c in acked if not completed(c)]
    check("pgrestart: every completion answered 200 is in the store", not lost,
          f"{len(acked) - len(lost)}/{len(acked)} found" + (f"; lost {lost[:5]}" if lost else ""))


def fold_checks():
    s, listed = api(LB, "GET", "/api/cases", ADMIN, timeout=60)
    mismatched = []
    for row in listed:
        s, b = api(LB, "GET", f"/api/cases/{row['id']}", ADMIN)
        fold = (b["version"], b["status"], sorted(o["step"] for o in b["open"]))
        projection = (row["version"], row["status"], sorted(row["open_steps"]))
        if fold != projection:
            mismatched.append((row["id"], projection, fold))
    check(f"fold: every case's projection (the API's case list) equals the fold of its events (each case's page)",
          not mismatched and len(listed) > 0,
          f"{len(listed) - len(mismatched)}/{len(listed)} cases" + (f"; first: {mismatched[:3]}" if mismatched else ""))
    # The same on the store itself: `sop store check` reads every event and summary and folds.
    r = subprocess.run([SOP, "store", "check", "--db", DB], capture_output=True, text=True, timeout=300)
    check("fold: sop store check finds every summary equal to the fold of its events",
          r.returncode == 0 and f"{len(listed)} case(s)" in r.stdout, (r.stdout + r.stderr).strip()[-300:])


def sigterm_checks():
    codes = [node1.stop(), node2.stop()]
    check("sigterm: both nodes stop gracefully on SIGTERM (exit 0)", codes == [0, 0], str(codes))


steps = [("deploy", deploy_checks), ("session", session_checks), ("race", race_checks), ("lanes", lanes_checks),
         ("timer", timer_checks),
         ("sigkill", sigkill_checks)]
if pg is not None:
    steps.append(("pgrestart", pgrestart_checks))
steps += [("fold", fold_checks), ("sigterm", sigterm_checks)]
only = set(filter(None, os.environ.get("ONLY", "").split(",")))
try:
    for name, fn in steps:
        if only and name not in only and name not in ("fold", "sigterm"):
            continue
        print(f"== {name}", flush=True)
        t0 = time.time()
        try:
            fn()
        except Exception:
            check(f"{name}: ran to its end", False, traceback.format_exc(limit=3).strip().replace("\n", " | "))
        print(f"   ({time.time() - t0:.1f} s)", flush=True)
finally:
    for n in (node1, node2):
        n.kill()
    nginx.stop()
print(f"scale: {results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
