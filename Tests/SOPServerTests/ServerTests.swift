import Foundation
import Hummingbird
import HummingbirdTesting
import SOPIdentity
import SOPRender
import SOPRuntime
import SOPServer
import SOPWorkspace
import XCTest

/// Every endpoint through Hummingbird's router tests (no sockets): the statuses of the
/// issue (401, 403 naming who may act, 404, 409, 422 in both languages), sessions, CSRF,
/// throttling, escaping, the person on the events.
final class ServerTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let lapor = "kota-cirebon/dkis/pengaduan-lapor-sp4n"

    struct Fixture {
        var state: ServerState
        var app: Application<RouterResponder<SOPRequestContext>>
        var tokens: [String: String]
        var clock: VirtualClock
    }

    /// A server on the repository's catalogue (plus `extra` SOPs), a fresh store, a virtual clock
    /// on Monday 4 May 2026 09:00 WIB, and users: admin, lapor (LAPOR!-SP4N), timadmin ("Tim
    /// Admin"), penghubung (key), viewer.
    func fixture(catalog: String? = nil, attempts: Int = 5) throws -> Fixture {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sop-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("sop.db").path
        let (catalogue, _) = try Catalogue.load(catalog ?? Self.root + "/sops")
        let clock = VirtualClock(UTCOffset.wib.parse("2026-05-04 09:00")!)
        let desk = try CaseDesk(catalogue: catalogue, dbPath: db, clock: clock)
        let users = try UserStore(path: db, cost: 4)
        var tokens: [String: String] = [:]
        for (name, roles) in [("admin", ["admin"]), ("lapor", ["LAPOR!-SP4N"]), ("timadmin", ["Tim Admin"]),
                              ("penghubung", ["penghubung"]), ("viewer", ["viewer"]), ("petugas", ["petugas"])] {
            try users.add(User(name: name, displayName: name.capitalized, roles: roles), password: "rahasia-\(name)")
            tokens[name] = try users.makeToken(for: name, label: "test")
        }
        var configuration = ServerConfiguration()
        configuration.testClock = clock
        configuration.loginAttempts = attempts
        let state = try ServerState(desk: desk, users: users, configuration: configuration)
        return Fixture(state: state, app: Application(router: SOPServer.router(state)), tokens: tokens, clock: clock)
    }

    func testOperationsAndOpenAPI() async throws {
        let f = try fixture()
        try await f.app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(r.headers[.contentSecurityPolicy], "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
            }
            try await client.execute(uri: "/openapi.json", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                let committed = try String(contentsOfFile: Self.root + "/openapi.json", encoding: .utf8)
                XCTAssertEqual(String(buffer: r.body), committed, "openapi.json differs from the served document: run python3 Tests/Server/make_openapi.py")
                XCTAssertEqual(try H.object(r.body)["openapi"] as? String, "3.1.0")
            }
            try await client.execute(uri: "/metrics", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                let text = String(buffer: r.body)
                XCTAssertTrue(text.contains("sop_http_requests_total{method=\"GET\",status=\"200\"}"), text)
                XCTAssertTrue(text.contains("sop_open_tasks 0"), text)
            }
        }
    }

    func testUnauthenticatedIs401() async throws {
        let f = try fixture()
        try await f.app.test(.router) { client in
            for uri in ["/api/tasks", "/api/cases", "/api/catalog", "/api/me", "/api/cases/case-000001"] {
                try await client.execute(uri: uri, method: .get) { r in
                    XCTAssertEqual(r.status, .unauthorized, uri)
                    XCTAssertEqual(r.headers[.wwwAuthenticate], "Bearer realm=\"sop\"")
                    XCTAssertEqual(try H.error(r.body)["status"] as? Int, 401)
                }
            }
            try await client.execute(uri: "/api/tasks", method: .get, headers: H.headers("sop_" + String(repeating: "0", count: 64))) { r in
                XCTAssertEqual(r.status, .unauthorized)
            }
            try await client.execute(uri: "/api/me", method: .get, headers: H.headers(f.tokens["penghubung"])) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(try H.object(r.body)["roles"] as? [String], ["penghubung"])
            }
            // Pages send the browser to the login page instead.
            try await client.execute(uri: "/tasks", method: .get) { r in
                XCTAssertEqual(r.status, .seeOther)
                XCTAssertEqual(r.headers[.location], "/login")
            }
        }
    }

    func testAuthorizationByIdentityAndThePersonOnEvents() async throws {
        let f = try fixture()
        try await f.app.test(.router) { client in
            // Only an admin starts a case.
            try await client.execute(uri: "/api/cases", method: .post, headers: H.headers(f.tokens["penghubung"]),
                                     body: ByteBuffer(string: #"{"sop":"\#(Self.lapor)"}"#)) { r in
                XCTAssertEqual(r.status, .forbidden)
                XCTAssertEqual(try H.error(r.body)["allowed"] as? [String], ["admin"])
            }
            let id = try await H.startLapor(client, f)
            // Step 1 is LAPOR!-SP4N's: the Pejabat Penghubung is refused, naming who may act.
            let body = ByteBuffer(string: #"{"step":"1","documents":["Laporan masyarakat"]}"#)
            try await client.execute(uri: "/api/cases/\(id)/complete", method: .post, headers: H.headers(f.tokens["penghubung"], language: "en"), body: body) { r in
                XCTAssertEqual(r.status, .forbidden)
                let e = try H.error(r.body)
                XCTAssertEqual(e["allowed"] as? [String], ["LAPOR!-SP4N"])
                XCTAssertTrue((e["message"] as? String ?? "").contains("only LAPOR!-SP4N may act"), "\(e)")
            }
            try await client.execute(uri: "/api/cases/\(id)/complete", method: .post, headers: H.headers(f.tokens["viewer"]), body: body) { r in
                XCTAssertEqual(r.status, .forbidden)
            }
            // The task list of each role.
            try await client.execute(uri: "/api/tasks", method: .get, headers: H.headers(f.tokens["lapor"])) { r in
                let tasks = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body.readableBytesView)) as? [[String: Any]])
                XCTAssertEqual(tasks.map { $0["step"] as? String }, ["1"])
                XCTAssertEqual(tasks.first?["deadline_text"] as? String, "Kamis, 7 Mei 2026 09.00 WIB")
            }
            try await client.execute(uri: "/api/tasks", method: .get, headers: H.headers(f.tokens["penghubung"])) { r in
                XCTAssertEqual(String(buffer: r.body), "[]")
            }
            // The holder completes it, at the version they saw.
            try await client.execute(uri: "/api/cases/\(id)/complete", method: .post, headers: H.headers(f.tokens["lapor"]),
                                     body: ByteBuffer(string: #"{"step":"1","documents":["Laporan masyarakat"],"version":2}"#)) { r in
                XCTAssertEqual(r.status, .ok, String(buffer: r.body))
            }
            // A stale version: another user acted first.
            try await client.execute(uri: "/api/cases/\(id)/decide", method: .post, headers: H.headers(f.tokens["timadmin"]),
                                     body: ByteBuffer(string: #"{"step":"verifikasi","branch":"ya","version":2}"#)) { r in
                XCTAssertEqual(r.status, .conflict, String(buffer: r.body))
                XCTAssertEqual(try H.error(r.body)["code"] as? String, "R006")
            }
            // A branch the decision does not have: 422 with the R-code, Indonesian by default, English on request.
            try await client.execute(uri: "/api/cases/\(id)/decide", method: .post, headers: H.headers(f.tokens["timadmin"]),
                                     body: ByteBuffer(string: #"{"step":"verifikasi","branch":"mungkin"}"#)) { r in
                XCTAssertEqual(r.status, .unprocessableContent)
                let e = try H.error(r.body)
                XCTAssertEqual(e["code"] as? String, "R003")
                XCTAssertTrue((e["message"] as? String ?? "").contains("cabang"), "\(e)")
            }
            try await client.execute(uri: "/api/cases/\(id)/decide", method: .post, headers: H.headers(f.tokens["timadmin"], language: "en-GB,en;q=0.8"),
                                     body: ByteBuffer(string: #"{"step":"verifikasi","branch":"mungkin"}"#)) { r in
                XCTAssertEqual(r.status, .unprocessableContent)
                XCTAssertTrue((try H.error(r.body)["message"] as? String ?? "").contains("branch"))
            }
            try await client.execute(uri: "/api/cases/\(id)/decide", method: .post, headers: H.headers(f.tokens["timadmin"]),
                                     body: ByteBuffer(string: #"{"step":"verifikasi","branch":"ya"}"#)) { r in
                XCTAssertEqual(r.status, .ok, String(buffer: r.body))
            }
            // 404s: unknown case, unknown step.
            try await client.execute(uri: "/api/cases/case-999999", method: .get, headers: H.headers(f.tokens["viewer"])) { r in
                XCTAssertEqual(r.status, .notFound)
                XCTAssertEqual(try H.error(r.body)["code"] as? String, "R015")
            }
            try await client.execute(uri: "/api/cases/\(id)/respond", method: .post, headers: H.headers(f.tokens["penghubung"]),
                                     body: ByteBuffer(string: #"{"step":"tidak-ada"}"#)) { r in
                XCTAssertEqual(r.status, .notFound)
                XCTAssertEqual(try H.error(r.body)["code"] as? String, "R007")
            }
            // 400: a body that is not the command.
            try await client.execute(uri: "/api/cases/\(id)/respond", method: .post, headers: H.headers(f.tokens["penghubung"]),
                                     body: ByteBuffer(string: #"{"note":1}"#)) { r in
                XCTAssertEqual(r.status, .badRequest)
            }
            // 413: too large.
            try await client.execute(uri: "/api/cases/\(id)/respond", method: .post, headers: H.headers(f.tokens["penghubung"]),
                                     body: ByteBuffer(string: "{\"step\":\"respon\",\"note\":\"" + String(repeating: "a", count: 70_000) + "\"}")) { r in
                XCTAssertEqual(r.status, .contentTooLarge)
            }
            // The events record the person beside the actor.
            try await client.execute(uri: "/api/cases/\(id)/respond", method: .post, headers: H.headers(f.tokens["penghubung"]),
                                     body: ByteBuffer(string: #"{"step":"respon","note":"sudah dihubungi"}"#)) { r in
                XCTAssertEqual(r.status, .ok, String(buffer: r.body))
            }
            try await client.execute(uri: "/api/cases/\(id)/events", method: .get, headers: H.headers(f.tokens["viewer"])) { r in
                let events = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body.readableBytesView)) as? [[String: Any]])
                let people = events.compactMap { e in (e["person"] as? String).map { "\(e["kind"]!):\($0)" } }
                XCTAssertEqual(people, ["case_started:admin", "task_completed:lapor", "task_completed:timadmin", "decision_taken:timadmin",
                                        "response_recorded:penghubung"])
            }
            try await client.execute(uri: "/api/cases/\(id)/xes", method: .get, headers: H.headers(f.tokens["viewer"])) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertTrue(String(buffer: r.body).contains("<log"))
            }
            // Cancel: admins only.
            try await client.execute(uri: "/api/cases/\(id)/cancel", method: .post, headers: H.headers(f.tokens["penghubung"]),
                                     body: ByteBuffer(string: #"{"reason":"uji"}"#)) { r in
                XCTAssertEqual(r.status, .forbidden)
            }
            try await client.execute(uri: "/api/cases/\(id)/cancel", method: .post, headers: H.headers(f.tokens["admin"]),
                                     body: ByteBuffer(string: #"{"reason":"uji"}"#)) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(try H.object(r.body)["status"] as? String, "cancelled")
            }
            try await client.execute(uri: "/api/cases/\(id)/respond", method: .post, headers: H.headers(f.tokens["penghubung"]),
                                     body: ByteBuffer(string: #"{"step":"respon"}"#)) { r in
                XCTAssertEqual(r.status, .unprocessableContent)
                XCTAssertEqual(try H.error(r.body)["code"] as? String, "R004")
            }
        }
    }

    func testTimersFireByThemselvesAndOverdueSteps() async throws {
        let f = try fixture()
        try await f.app.test(.router) { client in
            let id = try await H.startLapor(client, f)
            f.clock.advance(to: UTCOffset.wib.parse("2026-05-11 09:00")!)
            try await client.execute(uri: "/api/tasks", method: .get, headers: H.headers(f.tokens["lapor"], language: "en")) { r in
                let tasks = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body.readableBytesView)) as? [[String: Any]])
                XCTAssertEqual(tasks.first?["overdue"] as? Bool, true)
                XCTAssertEqual(tasks.first?["working_days_left"] as? Int, -2)
            }
            _ = id
        }
        // The timer task: step 3's 60-hari-kerja timer sends the case to the Ombudsman.
        let desk = f.state.desk
        let person = Person(name: "x", roles: ["LAPOR!-SP4N", "Tim Admin"])
        let id = try desk.start(sopID: Self.lapor, durationClass: nil, by: Person(name: "a", roles: ["admin"]))
        try desk.act(id, .complete(step: "1", documents: ["Laporan masyarakat"], waivers: [], note: nil, last: false), by: person)
        try desk.act(id, .decide(step: "verifikasi", branch: "ya", documents: [], waivers: [], note: nil), by: person)
        XCTAssertNotNil(try desk.earliestDue())
        f.clock.advance(to: UTCOffset.wib.parse("2026-12-31 09:00")!)
        let fired = try desk.fireDueTimers()
        XCTAssertTrue(fired.contains { $0.kind == "timer_fired" })
        XCTAssertEqual(try desk.view(id, language: .id).state.status, .completed)
        XCTAssertTrue(try desk.fireDueTimers().isEmpty, "each timer fires once")
    }

    func testLoginSessionCSRFAndThrottle() async throws {
        let f = try fixture(attempts: 3)
        try await f.app.test(.router) { client in
            let (loginCookie, token) = try await client.execute(uri: "/login", method: .get) { r in
                XCTAssertEqual(r.status, .ok)
                let html = String(buffer: r.body)
                XCTAssertTrue(html.contains("<html lang=\"id\">"))
                XCTAssertTrue(html.contains("Nama pengguna"))
                return (H.cookie(r, "sop_login")!, try H.csrf(html))
            }
            var h: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "sop_login=\(loginCookie)"]
            // A form without the matching token is refused.
            try await client.execute(uri: "/login", method: .post, headers: h, body: ByteBuffer(string: "csrf=wrong&name=admin&password=rahasia-admin")) { r in
                XCTAssertEqual(r.status, .forbidden)
            }
            // Wrong password and unknown user: the same answer.
            var answers: [String] = []
            for form in ["name=admin&password=salah-sekali", "name=tidakada&password=salah-sekali"] {
                try await client.execute(uri: "/login", method: .post, headers: h, body: ByteBuffer(string: "csrf=\(token)&" + form)) { r in
                    XCTAssertEqual(r.status, .unauthorized)
                    let html = String(buffer: r.body)
                    answers.append(String(html[html.range(of: "role=\"alert\">")!.upperBound...].prefix { $0 != "<" }))
                }
            }
            XCTAssertEqual(answers[0], answers[1])
            // The right password: a session cookie, HttpOnly and SameSite=Strict.
            let session = try await client.execute(uri: "/login", method: .post, headers: h,
                                                   body: ByteBuffer(string: "csrf=\(token)&name=penghubung&password=rahasia-penghubung")) { r in
                XCTAssertEqual(r.status, .seeOther)
                XCTAssertEqual(r.headers[.location], "/tasks")
                let set = r.headers[values: .setCookie].first { $0.hasPrefix("sop_session=") } ?? ""
                XCTAssertTrue(set.contains("HttpOnly"), set)
                XCTAssertTrue(set.contains("SameSite=Strict"), set)
                return try XCTUnwrap(H.cookie(r, "sop_session"))
            }
            h[.cookie] = "sop_session=\(session)"
            let pageToken = try await client.execute(uri: "/tasks", method: .get, headers: h) { r in
                XCTAssertEqual(r.status, .ok)
                let html = String(buffer: r.body)
                XCTAssertTrue(html.contains("Tugas saya"))
                return try H.csrf(html)
            }
            // English on request.
            try await client.execute(uri: "/tasks", method: .get, headers: [.cookie: "sop_session=\(session)", .acceptLanguage: "en-US,en"]) { r in
                XCTAssertTrue(String(buffer: r.body).contains("Tugas saya"), "pages are Indonesian whatever the browser's language")
            }
            try await client.execute(uri: "/tasks", method: .get, headers: [.cookie: "sop_session=\(session); sop_lang=en"]) { r in
                XCTAssertTrue(String(buffer: r.body).contains("My tasks"))
            }
            // A state-changing form without the session's token is refused.
            try await client.execute(uri: "/logout", method: .post, headers: h, body: ByteBuffer(string: "csrf=00")) { r in
                XCTAssertEqual(r.status, .forbidden)
            }
            try await client.execute(uri: "/logout", method: .post, headers: h, body: ByteBuffer(string: "csrf=\(pageToken)")) { r in
                XCTAssertEqual(r.status, .seeOther)
            }
            try await client.execute(uri: "/tasks", method: .get, headers: h) { r in
                XCTAssertEqual(r.status, .seeOther, "the session ended")
            }
            // Throttling: after 3 failures for a name, even the right password is refused.
            h[.cookie] = "sop_login=\(loginCookie)"
            for _ in 0..<3 {
                try await client.execute(uri: "/login", method: .post, headers: h, body: ByteBuffer(string: "csrf=\(token)&name=viewer&password=salah-salah")) { r in
                    XCTAssertEqual(r.status, .unauthorized)
                }
            }
            try await client.execute(uri: "/login", method: .post, headers: h, body: ByteBuffer(string: "csrf=\(token)&name=viewer&password=rahasia-viewer")) { r in
                XCTAssertEqual(r.status, .tooManyRequests)
            }
        }
    }

    func testWebCaseFlowAndRefusalsOnThePage() async throws {
        let f = try fixture()
        try await f.app.test(.router) { client in
            let id = try await H.startLapor(client, f)
            let session = try f.state.sessions.create(for: "penghubung")
            let h: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "sop_session=\(session.cookie)"]
            let form = "csrf=\(session.session.csrf)&step=1&version=2&action=complete&documents=Laporan+masyarakat"
            try await client.execute(uri: "/cases/\(id)/act", method: .post, headers: h, body: ByteBuffer(string: form)) { r in
                XCTAssertEqual(r.status, .forbidden)
                XCTAssertTrue(String(buffer: r.body).contains("LAPOR!-SP4N"))
            }
            let lapor = try f.state.sessions.create(for: "lapor")
            let hl: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "sop_session=\(lapor.cookie)"]
            try await client.execute(uri: "/cases/\(id)/act", method: .post, headers: hl,
                                     body: ByteBuffer(string: "csrf=\(lapor.session.csrf)&step=1&version=2&action=complete&documents=Laporan+masyarakat")) { r in
                XCTAssertEqual(r.status, .seeOther, String(buffer: r.body))
            }
            try await client.execute(uri: "/cases/\(id)", method: .get, headers: hl) { r in
                XCTAssertEqual(r.status, .ok)
                let html = String(buffer: r.body)
                XCTAssertTrue(html.contains("aria-current=\"step\""))
                XCTAssertTrue(html.contains("— lapor"), "the person in the history")
            }
            // The same form again (its version is stale now): 409 on the page.
            try await client.execute(uri: "/cases/\(id)/act", method: .post, headers: hl,
                                     body: ByteBuffer(string: "csrf=\(lapor.session.csrf)&step=1&version=2&action=complete")) { r in
                XCTAssertEqual(r.status, .conflict)
            }
            for uri in ["/cases", "/catalog", "/sheet?id=\(Self.lapor)"] {
                try await client.execute(uri: uri, method: .get, headers: hl) { r in XCTAssertEqual(r.status, .ok, uri) }
            }
            try await client.execute(uri: "/cases/case-424242", method: .get, headers: hl) { r in XCTAssertEqual(r.status, .notFound) }
        }
    }

    /// The case page draws the SOP with the case's place on it (Graphviz, drawn once per SOP).
    func testCasePageDrawsTheFlowchartWithTheCaseMarked() async throws {
        guard Graphviz.isAvailable else { throw XCTSkip("Graphviz `dot` is not installed (make test-deps installs it)") }
        let f = try fixture()
        try await f.app.test(.router) { client in
            let id = try await H.startLapor(client, f)
            let lapor = try f.state.sessions.create(for: "lapor")
            let h: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "sop_session=\(lapor.cookie)"]
            func page() async throws -> String {
                try await client.execute(uri: "/cases/\(id)", method: .get, headers: h) { r in
                    XCTAssertEqual(r.status, .ok)
                    return String(buffer: r.body)
                }
            }
            let before = try await page()
            XCTAssertTrue(before.contains("<figure class=\"flowchart\">"))
            XCTAssertFalse(before.contains("<?xml"), "an inline drawing, not a document")
            XCTAssertEqual(before.components(separatedBy: "class=\"node current\"").count - 1, 1, "step 1 is open")
            XCTAssertFalse(before.contains("class=\"node done\""))
            try await client.execute(uri: "/cases/\(id)/act", method: .post, headers: h,
                                     body: ByteBuffer(string: "csrf=\(lapor.session.csrf)&step=1&version=2&action=complete&documents=Laporan+masyarakat")) { r in
                XCTAssertEqual(r.status, .seeOther, String(buffer: r.body))
            }
            let after = try await page()
            XCTAssertEqual(after.components(separatedBy: "class=\"node done\"").count - 1, 1, "step 1 is done")
            XCTAssertTrue(after.contains("— lapor"), "the person of step 1 in the history")
            XCTAssertFalse(after.contains("— nil"), "an event nobody acted names no person")
            XCTAssertEqual(after.components(separatedBy: "class=\"node current\"").count - 1, 1, "the decision is open")
            XCTAssertNotEqual(before.range(of: "class=\"node current\"")?.lowerBound.utf16Offset(in: before),
                              after.range(of: "class=\"node current\"")?.lowerBound.utf16Offset(in: after))
        }
    }

    func testEverySOPTextIsEscaped() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sop-xss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("uji"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        try """
        sop: 1
        id: uji/xss
        name: "Uji <script>alert('nama')</script> \\"kutip\\""
        actors:
          petugas: {name: "Petugas <b>\\"A\\"</b> & 'B'"}
        steps:
          - action: "Memeriksa <script>alert(\\"langkah\\")</script> & 'kutip' <img src=x onerror=alert(1)>"
            actor: petugas
            duration: 1 hari
        """.write(to: dir.appendingPathComponent("uji/xss.yaml"), atomically: true, encoding: .utf8)
        let f = try fixture(catalog: dir.path)
        XCTAssertEqual(f.state.desk.catalogue.graphs.map(\.id), ["uji/xss"])
        try await f.app.test(.router) { client in
            let id = try await client.execute(uri: "/api/cases", method: .post, headers: H.headers(f.tokens["admin"]),
                                              body: ByteBuffer(string: #"{"sop":"uji/xss"}"#)) { r in
                XCTAssertEqual(r.status, .created, String(buffer: r.body))
                return try XCTUnwrap(try H.object(r.body)["id"] as? String)
            }
            let s = try f.state.sessions.create(for: "admin")
            for uri in ["/cases/\(id)", "/tasks", "/cases", "/catalog"] {
                try await client.execute(uri: uri, method: .get, headers: [.cookie: "sop_session=\(s.cookie)"]) { r in
                    XCTAssertEqual(r.status, .ok, uri)
                    let html = String(buffer: r.body)
                    XCTAssertFalse(html.contains("<script"), uri)
                    XCTAssertFalse(html.contains("<img src=x"), uri)
                    XCTAssertFalse(html.contains("<b>"), uri)
                    XCTAssertTrue(html.contains("&lt;script&gt;"), uri)
                }
            }
            // The task list's JSON, written by hand: every special character escaped, and the
            // text read back as it was.
            try await client.execute(uri: "/api/tasks", method: .get, headers: H.headers(f.tokens["petugas"])) { r in
                XCTAssertEqual(r.status, .ok)
                let body = String(buffer: r.body)
                XCTAssertFalse(body.contains("<"), "no raw '<' even inside JSON strings")
                let tasks = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])
                XCTAssertEqual(tasks.count, 1)
                XCTAssertEqual(tasks.first?["label"] as? String,
                               "Memeriksa <script>alert(\"langkah\")</script> & 'kutip' <img src=x onerror=alert(1)>")
                XCTAssertEqual(tasks.first?["actor_name"] as? String, "Petugas <b>\"A\"</b> & 'B'")
            }
        }
    }
}

/// Helpers of the router tests (static: the test closures are `@Sendable`).
enum H {
    typealias Fixture = ServerTests.Fixture
    static func headers(_ token: String?, language: String? = nil, json: Bool = true) -> HTTPFields {
        var h: HTTPFields = [:]
        if let token { h[.authorization] = "Bearer " + token }
        if let language { h[.acceptLanguage] = language }
        if json { h[.contentType] = "application/json" }
        return h
    }

    static func object(_ buffer: ByteBuffer) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any], String(buffer: buffer))
    }

    static func error(_ buffer: ByteBuffer) throws -> [String: Any] {
        try XCTUnwrap(try H.object(buffer)["error"] as? [String: Any])
    }

    /// Starts a LAPOR case as admin; returns its id.
    static func startLapor(_ client: some TestClientProtocol, _ f: Fixture) async throws -> String {
        try await client.execute(uri: "/api/cases", method: .post, headers: H.headers(f.tokens["admin"]),
                                 body: ByteBuffer(string: #"{"sop":"\#(ServerTests.lapor)"}"#)) { r in
            XCTAssertEqual(r.status, .created, String(buffer: r.body))
            return try XCTUnwrap(try H.object(r.body)["id"] as? String)
        }
    }

    /// Pulls `name="csrf" value="…"` out of a page.
    static func csrf(_ html: String) throws -> String {
        let marker = "name=\"csrf\" value=\""
        let start = try XCTUnwrap(html.range(of: marker)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    static func cookie(_ response: TestResponse, _ name: String) -> String? {
        for field in response.headers[values: .setCookie] where field.hasPrefix(name + "=") {
            return String(field.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

}
