import Foundation
import Hummingbird
import HummingbirdTesting
import SOPDiagnostics
import SOPIdentity
import SOPPostgres
import SOPRuntime
import SOPServer
import SOPWorkspace
import XCTest

/// Several nodes on one PostgreSQL database, in one process: each "node" is a desk, a user
/// store and a router of its own, with its own connections. Needs `SOP_TEST_POSTGRES_URL`
/// (a role that may create databases; `make store-tests` starts a private cluster); without
/// it every test here is skipped, saying why. The real processes behind nginx, SIGKILL and a
/// PostgreSQL restart are the fault tests of `make scale-tests`.
final class ScaleOutTests: XCTestCase {
    static let sop = """
    sop: 1
    id: uji/skala
    name: Uji skala
    actors:
      staf: {name: Staf}
    steps:
      - id: tunggu
        action: Menunggu jawaban
        actor: staf
        duration: 1 hari kerja
        timeout: {after: 1 jam, goto: tutup}
      - {id: tutup, action: Menutup, actor: staf, end: true}
    """

    /// A catalogue with one SOP whose first step has a one-hour timer.
    func catalogue() throws -> Catalogue {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sop-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("uji"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        try Self.sop.write(to: dir.appendingPathComponent("uji/skala.yaml"), atomically: true, encoding: .utf8)
        let (catalogue, _) = try Catalogue.load(dir.path)
        XCTAssertEqual(catalogue.graphs.map(\.id), ["uji/skala"])
        return catalogue
    }

    /// A fresh database on the test server.
    func database() throws -> (url: PostgresURL, admin: PostgresLink, name: String) {
        guard let text = ProcessInfo.processInfo.environment["SOP_TEST_POSTGRES_URL"], !text.isEmpty else {
            throw XCTSkip("SOP_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against (make store-tests starts one)")
        }
        let admin = PostgresLink(url: try PostgresURL.parse(text))
        let name = "sop_scale_" + UUID().uuidString.prefix(8).lowercased()
        try admin.run("CREATE DATABASE \(name)")
        addTeardownBlock {
            _ = try? admin.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            admin.close()
        }
        var url = admin.url
        url.database = name
        return (url, admin, name)
    }

    struct Node {
        var state: ServerState
        var app: Application<RouterResponder<SOPRequestContext>>
    }

    func node(_ catalogue: Catalogue, _ location: StoreLocation, _ clock: VirtualClock) throws -> Node {
        let desk = try CaseDesk(catalogue: catalogue, location: location, clock: clock)
        var configuration = ServerConfiguration()
        configuration.testClock = clock
        let state = try ServerState(desk: desk, users: try UserStore(location: location, cost: 4), configuration: configuration)
        return Node(state: state, app: Application(router: SOPServer.router(state)))
    }

    static let admin = Person(name: "admin", roles: ["admin"])
    static let staf = Person(name: "staf", roles: ["staf"])

    /// Two servers on one SQLite file (or a server and a shell's `sop case`): what one
    /// commits is in the other's task list at the next request, though the list is kept
    /// between requests while nothing is committed.
    func testAnotherWriterOnTheSameSQLiteFileIsSeenAtOnce() throws {
        let catalogue = try catalogue()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sop-two-\(UUID().uuidString).db").path
        addTeardownBlock { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let clock = VirtualClock(UTCOffset.wib.parse("2026-05-04 09:00")!)
        let one = try CaseDesk(catalogue: catalogue, location: .sqlite(path: path), clock: clock)
        let two = try CaseDesk(catalogue: catalogue, location: .sqlite(path: path), clock: clock)
        XCTAssertEqual(try one.tasks(for: Self.staf).count, 0)
        let id = try two.start(sopID: "uji/skala", durationClass: nil, by: Self.admin)
        for _ in 0..<3 { XCTAssertEqual(try one.tasks(for: Self.staf).map(\.task.step), ["tunggu"], "started by the other") }
        _ = try two.act(id, .complete(step: "tunggu", documents: [], waivers: [], note: nil, last: false), by: Self.staf)
        XCTAssertEqual(try one.tasks(for: Self.staf).map(\.task.step), ["tutup"], "moved on by the other")
        _ = try one.act(id, .complete(step: "tutup", documents: [], waivers: [], note: nil, last: false), by: Self.staf)
        XCTAssertEqual(try one.tasks(for: Self.staf).count, 0, "its own completion")
        XCTAssertEqual(try two.tasks(for: Self.staf).count, 0)
    }

    /// A case started on node 2 is seen by node 1; its timer, due while both run, fires once
    /// however many times both nodes wake for it at the same moment.
    func testATimerFiresOnceAcrossNodes() throws {
        let (url, _, _) = try database()
        let catalogue = try catalogue()
        let clock = VirtualClock(UTCOffset.wib.parse("2026-05-04 09:00")!)
        let one = try CaseDesk(catalogue: catalogue, location: .postgres(url), clock: clock)
        let two = try CaseDesk(catalogue: catalogue, location: .postgres(url), clock: clock)
        var ids: [String] = []
        for _ in 0..<10 { ids.append(try two.start(sopID: "uji/skala", durationClass: nil, by: Self.admin)) }
        XCTAssertEqual(try one.earliestDue(), UTCOffset.wib.parse("2026-05-04 10:00"), "node 1 sees node 2's timers")
        clock.advance(to: UTCOffset.wib.parse("2026-05-04 10:30")!)
        final class Fired: @unchecked Sendable { var events: [[Event]] = [[], []]; var errors: [Error] = [] }
        let fired = Fired()
        let lock = NSLock()
        let group = DispatchGroup()
        for (i, desk) in [one, two].enumerated() {
            group.enter()
            Thread {
                for _ in 0..<5 {
                    do {
                        let e = try desk.fireDueTimers()
                        lock.withLock { fired.events[i] += e }
                    } catch {
                        lock.withLock { fired.errors.append(error) }
                    }
                }
                group.leave()
            }.start()
        }
        group.wait()
        XCTAssertEqual(fired.errors.map { "\($0)" }, [], "a node that lost the race drops the timer quietly")
        let all = fired.events[0] + fired.events[1]
        for id in ids {
            XCTAssertEqual(all.filter { $0.caseID == id && $0.kind == "timer_fired" }.count, 1, "\(id): fired once")
            let events = try one.events(id).events
            XCTAssertEqual(events.filter { $0.kind == "timer_fired" }.count, 1, id)
            XCTAssertEqual(try one.summaries(CaseFilter()).first { $0.id == id }?.tasks.map(\.step), ["tutup"], "the timer moved the case on")
        }
        XCTAssertNil(try two.earliestDue())
    }

    /// Two nodes complete the same step at the same moment, many times: exactly one wins,
    /// the other is told R006 (HTTP 409).
    func testTwoNodesCompleteTheSameStepExactlyOneWins() throws {
        let (url, _, _) = try database()
        let catalogue = try catalogue()
        let clock = VirtualClock(UTCOffset.wib.parse("2026-05-04 09:00")!)
        let desks = [try CaseDesk(catalogue: catalogue, location: .postgres(url), clock: clock),
                     try CaseDesk(catalogue: catalogue, location: .postgres(url), clock: clock)]
        for round in 0..<15 {
            let id = try desks[round % 2].start(sopID: "uji/skala", durationClass: nil, by: Self.admin)
            let seen = try XCTUnwrap(try desks[(round + 1) % 2].summaries(CaseFilter()).first { $0.id == id }?.version, "the other node sees the case")
            final class Outcome: @unchecked Sendable { var results: [Result<[Event], Error>?] = [nil, nil] }
            let outcome = Outcome()
            let group = DispatchGroup()
            let go = DispatchSemaphore(value: 0)
            for i in 0..<2 {
                group.enter()
                Thread {
                    go.wait()
                    outcome.results[i] = Result {
                        try desks[i].act(id, .complete(step: "tunggu", documents: [], waivers: [], note: "node \(i)", last: false),
                                         by: Self.staf, expectedVersion: seen)
                    }
                    group.leave()
                }.start()
            }
            go.signal()
            go.signal()
            group.wait()
            let wins = outcome.results.filter { if case .success = $0 { return true } else { return false } }.count
            XCTAssertEqual(wins, 1, "round \(round): \(outcome.results)")
            for case let .failure(e)? in outcome.results {
                XCTAssertEqual((e as? RuntimeError)?.code, .conflict, "\(e)")
                XCTAssertEqual(ServerError.from(e).status, .conflict)
            }
            XCTAssertEqual(try desks[0].events(id).events.filter { $0.kind == "task_completed" }.count, 1)
        }
    }

    /// One node with four writer lanes: many cases completed at once from many threads are
    /// all stored (each acknowledged completion in the events, the projection equal to the
    /// fold); the same step completed twice at once through that one node: one wins, the
    /// other is told R006 (a case always takes the same lane).
    func testSeveralWriterLanesLoseNothingAndOneWinsARace() throws {
        let (url, _, _) = try database()
        let catalogue = try catalogue()
        let clock = VirtualClock(UTCOffset.wib.parse("2026-05-04 09:00")!)
        let desk = try CaseDesk(catalogue: catalogue, location: .postgres(url), clock: clock, writers: 4)
        XCTAssertEqual(desk.writers, 4)
        var ids: [String] = []
        for _ in 0..<48 { ids.append(try desk.start(sopID: "uji/skala", durationClass: nil, by: Self.admin)) }
        XCTAssertEqual(Set(ids.map { CaseDesk.laneIndex(of: $0, lanes: 4) }).count, 4, "the cases spread over every lane")
        let seen = Dictionary(uniqueKeysWithValues: try desk.summaries(CaseFilter()).map { ($0.id, $0.version) })
        final class Outcomes: @unchecked Sendable { var results: [String: [Result<[Event], Error>]] = [:] }
        let outcomes = Outcomes()
        let lock = NSLock()
        let group = DispatchGroup()
        // Eight threads: the first 32 cases once each, the last 16 twice (two threads at once).
        let plan: [[String]] = (0..<8).map { t in
            Array(ids[0..<32]).enumerated().filter { $0.offset % 8 == t }.map(\.element) + Array(ids[32...]).enumerated().filter { $0.offset % 4 == t % 4 }.map(\.element)
        }
        for mine in plan {
            group.enter()
            Thread {
                for id in mine {
                    let r = Result {
                        try desk.act(id, .complete(step: "tunggu", documents: [], waivers: [], note: nil, last: false), by: Self.staf, expectedVersion: seen[id])
                    }
                    lock.withLock { outcomes.results[id, default: []].append(r) }
                }
                group.leave()
            }.start()
        }
        group.wait()
        let summaries = Dictionary(uniqueKeysWithValues: try desk.summaries(CaseFilter()).map { ($0.id, $0) })
        for (i, id) in ids.enumerated() {
            let results = outcomes.results[id] ?? []
            XCTAssertEqual(results.count, i < 32 ? 1 : 2, id)
            let wins = results.filter { if case .success = $0 { return true } else { return false } }.count
            XCTAssertEqual(wins, 1, "\(id): \(results)")
            for case let .failure(e) in results { XCTAssertEqual((e as? RuntimeError)?.code, .conflict, "\(id): \(e)") }
            let view = try desk.view(id, language: .en)
            XCTAssertEqual(view.events.filter { $0.kind == "task_completed" }.count, 1, "\(id): the acknowledged completion is stored, once")
            XCTAssertEqual(view.people.values.filter { $0 == "staf" }.count, 1, id)
            let s = try XCTUnwrap(summaries[id])
            XCTAssertEqual(s.version, view.state.version, "\(id): projection = fold")
            XCTAssertEqual(s.tasks.map(\.step).sorted(), view.open.map(\.step).sorted(), id)
        }
    }

    func testSQLiteTakesOneWriter() throws {
        let catalogue = try catalogue()
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("sop-writers-\(UUID().uuidString).db").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: db) }
        let clock = VirtualClock(UTCOffset.wib.parse("2026-05-04 09:00")!)
        XCTAssertThrowsError(try CaseDesk(catalogue: catalogue, location: .sqlite(path: db), clock: clock, writers: 2)) { e in
            XCTAssertTrue("\(e)".contains("one writer"), "\(e)")
        }
        XCTAssertEqual(try CaseDesk(catalogue: catalogue, location: .sqlite(path: db), clock: clock).writers, 1)
        XCTAssertEqual(CaseDesk.defaultWriters(for: .sqlite(path: db)), 1)
    }

    /// A session made on node 1 works on node 2 and on a node started later (a restart);
    /// a logout on node 2 ends it on node 1 too; an API token works on every node.
    func testSessionsAndTokensWorkOnEveryNode() async throws {
        let (url, _, _) = try database()
        try await sessionsOnEveryNode(.postgres(url))
    }

    /// The store keeps the SHA-256 of a session cookie, never the cookie.
    func testTheStoreKeepsNoSessionCookie() throws {
        let (url, _, _) = try database()
        let users = try UserStore(location: .postgres(url), cost: 4)
        try users.add(User(name: "staf", displayName: "Staf", roles: ["staf"]), password: "rahasia-staf")
        let cookie = String(repeating: "ab", count: 32)
        try users.saveSession(StoredSession(key: UserStore.sessionKey(cookie: cookie), userName: "staf", csrf: "c", expires: Int64(Date().timeIntervalSince1970) + 600))
        let link = PostgresLink(url: url)
        defer { link.close() }
        let keys = try link.run("SELECT key FROM sessions").rows.map { try $0.text(0) }
        XCTAssertEqual(keys, [UserStore.sessionKey(cookie: cookie)])
        XCTAssertFalse(keys.contains(cookie))
        XCTAssertEqual(try users.session(cookie: cookie, lifetime: 600)?.userName, "staf")
        XCTAssertNil(try users.session(cookie: keys[0], lifetime: 600), "the stored key is no cookie")
    }

    /// The same on SQLite: sessions are in the file, so a restart keeps people logged in.
    func testSessionsSurviveARestartOnSQLite() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sop-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        try await sessionsOnEveryNode(.sqlite(path: dir.appendingPathComponent("sop.db").path))
    }

    func sessionsOnEveryNode(_ location: StoreLocation) async throws {
        let catalogue = try catalogue()
        let clock = VirtualClock(UTCOffset.wib.parse("2026-05-04 09:00")!)
        let one = try node(catalogue, location, clock)
        let two = try node(catalogue, location, clock)
        try one.state.users.add(User(name: "staf", displayName: "Staf", roles: ["staf"]), password: "rahasia-staf")
        let token = try one.state.users.makeToken(for: "staf", label: "skrip")
        // A real login on node 1, through its form.
        let cookie: String = try await one.app.test(.router) { client in
            let (loginCookie, csrf) = try await client.execute(uri: "/login", method: .get) { r in
                (try XCTUnwrap(H.cookie(r, "sop_login")), try H.csrf(String(buffer: r.body)))
            }
            let form = "csrf=\(csrf)&name=staf&password=rahasia-staf"
            return try await client.execute(uri: "/login", method: .post,
                                            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "sop_login=\(loginCookie)"],
                                            body: ByteBuffer(string: form)) { r in
                XCTAssertEqual(r.status, .seeOther, String(buffer: r.body))
                return try XCTUnwrap(H.cookie(r, "sop_session"))
            }
        }
        // Node 2 knows the session, and so does a node started afterwards.
        let three = try node(catalogue, location, clock)
        var csrf = ""
        for n in [two, three] {
            csrf = try await n.app.test(.router) { client in
                let form = try await client.execute(uri: "/tasks", method: .get, headers: [.cookie: "sop_session=\(cookie)"]) { r in
                    XCTAssertEqual(r.status, .ok, "the session of node 1 works here")
                    return try H.csrf(String(buffer: r.body))
                }
                try await client.execute(uri: "/api/me", method: .get, headers: H.headers(token)) { r in
                    XCTAssertEqual(r.status, .ok, "the token of node 1 works here")
                }
                return form
            }
        }
        let logoutForm = "csrf=\(csrf)"
        // Logging out on node 2 ends the session on node 1.
        try await two.app.test(.router) { client in
            try await client.execute(uri: "/logout", method: .post,
                                     headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "sop_session=\(cookie)"],
                                     body: ByteBuffer(string: logoutForm)) { r in
                XCTAssertEqual(r.status, .seeOther)
            }
        }
        try await one.app.test(.router) { client in
            try await client.execute(uri: "/tasks", method: .get, headers: [.cookie: "sop_session=\(cookie)"]) { r in
                XCTAssertEqual(r.status, .seeOther, "logged out everywhere")
                XCTAssertEqual(r.headers[.location], "/login")
            }
        }
        XCTAssertNil(try one.state.users.session(cookie: cookie, lifetime: 60), "the row is gone")
    }

    /// While the database refuses connections, every request answers 503 (R018 under /api),
    /// `/healthz` says so, nothing is recorded; when it takes connections again the node
    /// recovers by itself.
    func testDatabaseUnreachableIs503AndTheNodeRecovers() async throws {
        let (url, admin, name) = try database()
        let catalogue = try catalogue()
        let clock = VirtualClock(UTCOffset.wib.parse("2026-05-04 09:00")!)
        let n = try node(catalogue, .postgres(url), clock)
        try n.state.users.add(User(name: "admin", displayName: "Admin", roles: ["admin", "staf"]), password: "rahasia-admin")
        let token = try n.state.users.makeToken(for: "admin", label: "skrip")
        let id = try n.state.desk.start(sopID: "uji/skala", durationClass: nil, by: Self.admin)
        let version = try XCTUnwrap(try n.state.desk.summaries(CaseFilter()).first?.version)
        let session = try n.state.sessions.create(for: "admin")
        func cut() throws {
            try admin.run("ALTER DATABASE \(name) ALLOW_CONNECTIONS false")
            try admin.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [.text(name)])
        }
        try cut()
        try await n.app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { r in
                XCTAssertEqual(r.status, .serviceUnavailable)
                XCTAssertTrue(String(buffer: r.body).contains("cannot be reached"), String(buffer: r.body))
            }
            try await client.execute(uri: "/api/tasks", method: .get, headers: H.headers(token, language: "en")) { r in
                XCTAssertEqual(r.status, .serviceUnavailable)
                XCTAssertEqual(try H.error(r.body)["code"] as? String, "R018", String(buffer: r.body))
                XCTAssertEqual(r.headers[.retryAfter], "1")
            }
            try await client.execute(uri: "/api/cases/\(id)/complete", method: .post, headers: H.headers(token),
                                     body: ByteBuffer(string: #"{"step":"tunggu"}"#)) { r in
                XCTAssertEqual(r.status, .serviceUnavailable, String(buffer: r.body))
            }
            // A page says so too, in the page's language (Indonesian by default).
            try await client.execute(uri: "/tasks", method: .get, headers: [.cookie: "sop_session=\(session.cookie)"]) { r in
                XCTAssertEqual(r.status, .serviceUnavailable)
                XCTAssertTrue(String(buffer: r.body).contains("tidak dapat dihubungi"), String(buffer: r.body))
            }
        }
        try admin.run("ALTER DATABASE \(name) ALLOW_CONNECTIONS true")
        try await Task.sleep(nanoseconds: 300_000_000)
        try await n.app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { r in XCTAssertEqual(r.status, .ok, String(buffer: r.body)) }
            try await client.execute(uri: "/api/cases/\(id)", method: .get, headers: H.headers(token)) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(try H.object(r.body)["version"] as? Int, version, "nothing was recorded while it was down")
            }
            try await client.execute(uri: "/api/cases/\(id)/complete", method: .post, headers: H.headers(token),
                                     body: ByteBuffer(string: #"{"step":"tunggu"}"#)) { r in
                XCTAssertEqual(r.status, .ok, String(buffer: r.body))
            }
        }
    }

    /// `sop store copy`: SQLite → PostgreSQL → SQLite moves cases, people, users and tokens,
    /// verified by folding; a non-empty target, a bad URL and an unreachable server are refused.
    func testStoreCopyBothWays() throws {
        let (url, _, _) = try database()
        let catalogue = try catalogue()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sop-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let source = StoreLocation.sqlite(path: dir.appendingPathComponent("a.db").path)
        let clock = VirtualClock(UTCOffset.wib.parse("2026-05-04 09:00")!)
        let desk = try CaseDesk(catalogue: catalogue, location: source, clock: clock)
        var ids: [String] = []
        for _ in 0..<3 { ids.append(try desk.start(sopID: "uji/skala", durationClass: nil, by: Self.admin)) }
        try desk.act(ids[0], .complete(step: "tunggu", documents: [], waivers: [], note: "selesai", last: false), by: Self.staf)
        clock.advance(to: UTCOffset.wib.parse("2026-05-04 11:00")!)
        try desk.fireDueTimers()
        let users = try UserStore(location: source, cost: 4)
        try users.add(User(name: "staf", displayName: "Staf", roles: ["staf"]), password: "rahasia-staf")
        let token = try users.makeToken(for: "staf", label: "skrip")

        let report = try StoreCopy.copy(from: source, to: .postgres(url))
        XCTAssertEqual(report.cases, 3)
        XCTAssertEqual(report.users, 1)
        XCTAssertEqual(report.tokens, 1)
        XCTAssertGreaterThan(report.events, 6)
        let copied = try CaseDesk(catalogue: catalogue, location: .postgres(url), clock: clock)
        XCTAssertEqual(try copied.view(ids[0], language: .en).people, try desk.view(ids[0], language: .en).people)
        XCTAssertEqual(try UserStore(location: .postgres(url), cost: 4).authenticate(token: token)?.name, "staf")
        XCTAssertEqual(try UserStore(location: .postgres(url), cost: 4).authenticate(name: "staf", password: "rahasia-staf")?.name, "staf")
        // New cases continue after the copied numbers.
        XCTAssertEqual(try copied.start(sopID: "uji/skala", durationClass: nil, by: Self.admin), "case-000004")

        // Back again, into a new file.
        let back = StoreLocation.sqlite(path: dir.appendingPathComponent("b.db").path)
        XCTAssertEqual(try StoreCopy.copy(from: .postgres(url), to: back).cases, 4)

        // Refusals, each clear.
        XCTAssertThrowsError(try StoreCopy.copy(from: source, to: .postgres(url))) {
            XCTAssertTrue("\($0)".contains("not empty"), "\($0)")
        }
        XCTAssertThrowsError(try StoreLocation(parsing: "postgres://nobody@/x")) {
            XCTAssertTrue("\($0)".contains("not a PostgreSQL URL"), "\($0)")
        }
        XCTAssertThrowsError(try StoreLocation(parsing: "mysql://root@localhost/x")) {
            XCTAssertTrue("\($0)".contains("neither a file nor a postgres:// URL"), "\($0)")
        }
        XCTAssertThrowsError(try StoreCopy.copy(from: source, to: .postgres(PostgresURL(user: "sop", password: nil, host: "127.0.0.1", port: 1, database: "x")))) {
            XCTAssertEqual(($0 as? RuntimeError)?.code, .unavailable, "\($0)")
        }
        XCTAssertThrowsError(try StoreCopy.copy(from: .sqlite(path: dir.appendingPathComponent("none.db").path), to: back)) {
            XCTAssertTrue("\($0)".contains("no such file"), "\($0)")
        }
        var unknown = url
        unknown.database = "no_such_database"
        XCTAssertThrowsError(try StoreCopy.copy(from: source, to: .postgres(unknown))) {
            XCTAssertTrue("\($0)".contains("has no database"), "\($0)")
        }
    }
}

/// `--db postgres://…` through the `sop` executable, as a person types it: users, cases,
/// `store copy`, and the refusals (exit codes and messages).
final class ScaleOutCommandLineTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func sop(_ arguments: [String], stdin: String? = nil) throws -> Run {
        let binary = Self.root.appendingPathComponent(".build/debug/sop")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("no .build/debug/sop: build it first (make store-tests does)")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.root
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C", "NO_COLOR": "1"]
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("sop-out-\(UUID().uuidString)"), errURL = dir.appendingPathComponent("sop-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data((stdin + "\n").utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
                   stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    func testCasesUsersAndCopyOnPostgresFromTheCommandLine() throws {
        guard let text = ProcessInfo.processInfo.environment["SOP_TEST_POSTGRES_URL"], !text.isEmpty else {
            throw XCTSkip("SOP_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against (make store-tests starts one)")
        }
        let admin = PostgresLink(url: try PostgresURL.parse(text))
        let name = "sop_cli_" + UUID().uuidString.prefix(8).lowercased()
        try admin.run("CREATE DATABASE \(name)")
        addTeardownBlock {
            _ = try? admin.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            admin.close()
        }
        var url = admin.url
        url.database = name
        let db = url.description
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sop-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }

        var r = try sop(["user", "add", "siti", "--role", "admin", "--db", db, "--password-stdin"], stdin: "rahasia-siti")
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try sop(["user", "list", "--db", db])
        XCTAssertTrue(r.stdout.contains("siti"), r.stdout)
        r = try sop(["case", "start", "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml", "--db", db, "--at", "2026-05-04 09:00"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasSuffix("case-000001\n"), r.stdout)
        r = try sop(["case", "complete", "case-000001", "1", "--by", "lapor", "--doc", "Laporan masyarakat", "--db", db, "--at", "2026-05-04 10:00"])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try sop(["case", "list", "--db", db, "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"case\":\"case-000001\""), r.stdout)
        // The same step again: refused (R005), exit 1, nothing recorded.
        r = try sop(["case", "complete", "case-000001", "1", "--by", "lapor", "--db", db, "--at", "2026-05-04 10:05"])
        XCTAssertEqual(r.status, 1, r.stdout)
        XCTAssertTrue(r.stderr.contains("error[R005]"), r.stderr)

        let file = dir.appendingPathComponent("copy.db").path
        r = try sop(["store", "copy", "--from", db, "--to", file])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("1 case(s)") && r.stdout.contains("1 user(s)") && r.stdout.contains("verified"), r.stdout)
        r = try sop(["case", "show", "case-000001", "--db", file])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try sop(["store", "copy", "--from", file, "--to", db])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("is not empty"), r.stderr)

        // Refusals a person meets: a server that is not there, a URL that is not one, a
        // database that does not exist; the password never shown.
        r = try sop(["case", "list", "--db", "postgres://sop:geheim@127.0.0.1:1/sop"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("error[R018]") && r.stderr.contains("cannot be reached"), r.stderr)
        XCTAssertFalse(r.stderr.contains("geheim"), r.stderr)
        r = try sop(["user", "list", "--db", "postgres://sop:geheim@127.0.0.1"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("not a PostgreSQL URL"), r.stderr)
        XCTAssertFalse(r.stderr.contains("geheim"), r.stderr)
        var missing = url
        missing.database = "no_such_db"
        r = try sop(["case", "list", "--db", missing.description])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("has no database `no_such_db`"), r.stderr)
    }
}
