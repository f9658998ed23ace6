"""Every refusal of the API against a running server: 401, 403 (naming who may act), 404,
409, 413, 422 in Indonesian and English, 400, and the login throttle (429)."""
import sys, urllib.parse
from common import LAPOR, call

base, admin, lapor, penghubung, viewer = sys.argv[1:6]
failures = []
def expect(what, got, want):
    ok = got == want
    print(("ok   " if ok else "FAIL ") + f"{what}: {got}" + ("" if ok else f" (expected {want})"))
    if not ok:
        failures.append(what)

s, _ = call(base, "GET", "/api/tasks")
expect("no token → 401", s, 401)
s, _ = call(base, "GET", "/api/tasks", token="sop_" + "0" * 64)
expect("unknown token → 401", s, 401)
s, b = call(base, "POST", "/api/cases", token=penghubung, body={"sop": LAPOR})
expect("start by a non-admin → 403", s, 403)
s, b = call(base, "POST", "/api/cases", token=admin, body={"sop": LAPOR})
expect("start by the admin → 201", s, 201)
case = b["id"]
s, b = call(base, "POST", f"/api/cases/{case}/complete", token=penghubung, body={"step": "1", "documents": ["Laporan masyarakat"]})
expect("step of another actor → 403", s, 403)
expect("403 names who may act", b["error"].get("allowed"), ["LAPOR!-SP4N"])
s, _ = call(base, "POST", f"/api/cases/{case}/complete", token=viewer, body={"step": "1"})
expect("viewer acts → 403", s, 403)
s, b = call(base, "GET", "/api/cases/case-999999", token=viewer)
expect("unknown case → 404", s, 404)
s, b = call(base, "POST", f"/api/cases/{case}/complete", token=lapor, body={"step": "nope"})
expect("unknown step → 404", (s, b["error"].get("code")), (404, "R007"))
s, b = call(base, "POST", f"/api/cases/{case}/complete", token=lapor, body={"step": "1"})
expect("missing document → 422 R002", (s, b["error"].get("code")), (422, "R002"))
id_msg = b["error"]["message"]
s, b = call(base, "POST", f"/api/cases/{case}/complete", token=lapor, body={"step": "1"}, headers={"Accept-Language": "en"})
expect("422 in English on request", s == 422 and b["error"]["message"] != id_msg, True)
s, b = call(base, "POST", f"/api/cases/{case}/complete", token=lapor, body={"step": "1", "documents": ["Laporan masyarakat"], "version": 1})
expect("stale version → 409 R006", (s, b["error"].get("code")), (409, "R006"))
s, b = call(base, "POST", f"/api/cases/{case}/complete", token=lapor, body=b"{not json")
expect("malformed body → 400", s, 400)
s, b = call(base, "POST", f"/api/cases/{case}/respond", token=lapor, body={"step": "1", "note": "x" * 70000})
expect("body over 64 KiB → 413", s, 413)
s, b = call(base, "POST", f"/api/cases/{case}/complete", token=lapor, body={"step": "1", "documents": ["Laporan masyarakat"], "version": 2})
expect("the holder completes → 200", s, 200)
# Login throttling and no user enumeration, through the login form.
import http.cookiejar, urllib.request
def login(name, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    data = urllib.parse.urlencode({"csrf": csrf, "name": name, "password": password}).encode()
    try:
        r = opener.open(urllib.request.Request(base + "/login", data=data))
        return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
s1, p1 = login("penghubung", "salah-sekali")
s2, p2 = login("tidak-ada", "salah-sekali")
msg = lambda p: p.split('role="alert">')[1].split("<")[0]
expect("wrong password and unknown user answer alike", (s1, msg(p1)) == (s2, msg(p2)) and s1 == 401, True)
for _ in range(5):
    login("viewer", "salah-salah")
s, _ = login("viewer", "rahasia-viewer")
expect("throttled after 5 failures, even with the right password → 429", s, 429)
sys.exit(1 if failures else 0)
