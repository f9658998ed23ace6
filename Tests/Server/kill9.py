"""kill -9 of `sop serve` during a stream of completions over HTTP: after a restart, every
completion that was answered 200 is in the store, and the projection (the case list) equals
the fold of the events (each case's page)."""
import os, sys, threading, time
from common import LAPOR, Server, add_user, call, token

work = sys.argv[1]
db = os.path.join(work, "kill9.db")
add_user(db, "admin", ["admin"])
add_user(db, "lapor", ["LAPOR!-SP4N"])
admin, lapor = token(db, "admin"), token(db, "lapor")
server = Server(db, log=os.path.join(work, "kill9-server.log"))
cases = []
for _ in range(300):
    s, b = call(server.base, "POST", "/api/cases", token=admin, body={"sop": LAPOR})
    assert s == 201, (s, b)
    cases.append(b["id"])
print(f"started {len(cases)} cases")

acknowledged, lock, stop = [], threading.Lock(), threading.Event()
def worker(mine):
    for c in mine:
        if stop.is_set():
            return
        try:
            s, _ = call(server.base, "POST", f"/api/cases/{c}/complete", token=lapor,
                        body={"step": "1", "documents": ["Laporan masyarakat"]}, timeout=5)
        except Exception:
            return   # the server is gone
        if s == 200:
            with lock:
                acknowledged.append(c)
threads = [threading.Thread(target=worker, args=(cases[i::4],)) for i in range(4)]
for t in threads:
    t.start()
while len(acknowledged) < 60 and any(t.is_alive() for t in threads):
    time.sleep(0.005)
server.kill()   # SIGKILL in the middle of the stream
stop.set()
for t in threads:
    t.join()
print(f"killed with -9 after {len(acknowledged)} acknowledged completions")
assert 0 < len(acknowledged) < len(cases), "the kill did not land during the stream"

server = Server(db, log=os.path.join(work, "kill9-server.log"))
try:
    lost = []
    for c in acknowledged:
        s, b = call(server.base, "GET", f"/api/cases/{c}", token=admin)
        if s != 200 or not any(e["kind"] == "task_completed" and e.get("person") == "lapor" for e in b["history"]):
            lost.append(c)
    s, listed = call(server.base, "GET", "/api/cases", token=admin)
    mismatched = []
    for row in listed:
        s, b = call(server.base, "GET", f"/api/cases/{row['id']}", token=admin)
        fold = (b["version"], b["status"], sorted(o["step"] for o in b["open"]))
        projection = (row["version"], row["status"], sorted(row["open_steps"]))
        if fold != projection:
            mismatched.append((row["id"], projection, fold))
    print(f"after restart: {len(acknowledged) - len(lost)}/{len(acknowledged)} acknowledged completions in the store; "
          f"{len(listed) - len(mismatched)}/{len(listed)} cases' projection equals their fold")
    if lost or mismatched:
        print("lost:", lost[:10], "mismatched:", mismatched[:5])
        sys.exit(1)
finally:
    server.stop()
