import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPPostgres
import SOPRuntime
import SOPStore
import XCTest

/// One conformance suite for every store: the same checks run against the in-memory store,
/// SQLite and PostgreSQL (`StoreConformanceMemory`, `…SQLite`, `…Postgres` below). A store
/// that passes is a store. PostgreSQL's run needs a server: `SOP_TEST_POSTGRES_URL`
/// (`make store-tests` starts a private cluster and sets it); without it those tests are
/// skipped, saying why.
enum StoreChecks {
    static let wib = UTCOffset.wib
    static func at(_ text: String) -> Instant { wib.parse(text)! }

    static let yaml = """
    sop: 1
    id: uji/store
    name: Uji penyimpanan
    actors:
      staf: {name: Staf}
      kabid: {name: Kepala Bidang}
    inputs: [Surat]
    steps:
      - {id: terima, action: Menerima surat, actor: staf, requires: [Surat], duration: 1 hari kerja}
      - id: tunggu
        action: Menunggu jawaban
        actor: kabid
        duration: 2 hari kerja
        timeout: {after: 1 jam, goto: arsip}
      - {id: arsip, action: Mengarsipkan, actor: staf, end: true}
    """

    static let other = """
    sop: 1
    id: uji/lain
    name: Uji lain
    actors:
      petugas: {name: Petugas}
    steps:
      - {id: catat, action: Mencatat, actor: petugas, duration: 1 hari kerja}
      - {id: tutup, action: Menutup, actor: petugas, end: true}
    """

    static func graph(_ text: String, id: String) -> ProcessGraph {
        let sink = DiagnosticSink()
        let output = Compiler().compile(SourceFile(path: "\(id).yaml", bytes: Array(text.utf8)), catalog: nil, diagnostics: sink)
        precondition(output.graph != nil, sink.sorted.map(\.message.en).joined(separator: "\n"))
        return output.graph!
    }

    static let review = graph(yaml, id: "uji/store")
    static let simple = graph(other, id: "uji/lain")

    /// The summary the events of `caseID` fold to (what the projection must equal).
    static func folded(_ store: CaseStore, _ caseID: String) throws -> CaseSummary {
        let events = try store.events(of: caseID)
        guard case let .caseStarted(start)? = events.first?.body, let g = try store.graph(hash: start.contentHash) else {
            throw RuntimeError(.unknownCase, Message(en: "no case \(caseID)", id: "tidak ada kasus \(caseID)"))
        }
        let state = CaseState(id: caseID, events: events, graph: g)
        return CaseSummary(state: state, engine: Engine(graph: g, calendar: WorkingCalendar(start.calendar)))
    }

    static func service(_ store: CaseStore, _ clock: VirtualClock) -> CaseService {
        CaseService(store: store, clock: clock, resolveSOP: { _ in nil })
    }

    // MARK: The checks

    static func appendAndRead(_ open: () throws -> CaseStore) throws {
        let store = try open()
        let clock = VirtualClock(at("2026-05-04 09:00"))
        let s = service(store, clock)
        let a = try s.start(review)
        let b = try s.start(simple)
        XCTAssertNotEqual(a, b, "case ids are unique")
        XCTAssertTrue(a.hasPrefix("case-"), a)
        let events = try store.events(of: a)
        XCTAssertEqual(events.first?.kind, "case_started")
        XCTAssertEqual(events.map(\.sequence), Array(1...events.count))
        clock.advance(bySeconds: 600)
        let more = try s.complete(a, step: "terima", by: "staf", documents: ["Surat"], note: "diterima <ok> & 'kutip'")
        XCTAssertFalse(more.isEmpty)
        let all = try store.events(of: a)
        XCTAssertEqual(Array(all.prefix(events.count)), events)
        XCTAssertEqual(Array(all.suffix(more.count)), more, "what was appended is read back, byte for byte")
        XCTAssertEqual(try store.summary(of: a)?.version, all.count)
        XCTAssertEqual(try store.events(of: "case-999999"), [])
        XCTAssertNil(try store.summary(of: "case-999999"))
        // A second connection to the same store reads the same.
        let again = try open()
        XCTAssertEqual(try again.events(of: a), all)
        XCTAssertEqual(Set(try again.allEvents()), Set(all + (try store.events(of: b))))
        XCTAssertEqual(try again.allEvents().map(\.caseID), try again.allEvents().map(\.caseID).sorted(), "by case")
    }

    static func conflict(_ open: () throws -> CaseStore) throws {
        let store = try open()
        let clock = VirtualClock(at("2026-05-04 09:00"))
        let s = service(store, clock)
        let id = try s.start(review)
        let (state, engine) = try s.load(id)
        let node = try CaseService.node("terima", in: review)
        let first = try engine.complete(state, node: node, by: 0, documents: [0], at: clock.now())
        let second = try engine.respond(state, node: node, by: 0, note: "kedua", at: clock.now())
        func summary(_ e: [Event]) -> CaseSummary {
            var next = state
            for x in e { next.apply(x, graph: review) }
            return CaseSummary(state: next, engine: engine)
        }
        try store.append(first, expectedVersion: state.version, summary: summary(first))
        let after = try store.events(of: id)
        XCTAssertThrowsError(try store.append(second, expectedVersion: state.version, summary: summary(second))) {
            XCTAssertEqual(($0 as? RuntimeError)?.code, .conflict, "\($0)")
        }
        XCTAssertEqual(try store.events(of: id), after, "a refused append writes nothing")
        XCTAssertEqual(try store.summary(of: id), try folded(store, id))
        // A new case under a taken id is refused too.
        XCTAssertThrowsError(try store.append(first, expectedVersion: 0, summary: summary(first))) {
            XCTAssertEqual(($0 as? RuntimeError)?.code, .conflict, "\($0)")
        }
        XCTAssertEqual(try store.events(of: id), after)
    }

    /// Two writers (two connections) complete the same step at the same moment, many times:
    /// exactly one wins each time, the other gets R006.
    static func twoWritersExactlyOneWins(_ open: () throws -> CaseStore, rounds: Int = 20) throws {
        let clock = VirtualClock(at("2026-05-04 09:00"))
        let a = service(try open(), clock), b = service(try open(), clock)
        let node = try CaseService.node("terima", in: review)
        for _ in 0..<rounds {
            let id = try a.start(review)
            let loaded = [try a.load(id), try b.load(id)]
            let stores = [a.store, b.store]
            final class Outcome: @unchecked Sendable { var results = [Result<Void, Error>?](repeating: nil, count: 2) }
            let outcome = Outcome()
            let go = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            for i in 0..<2 {
                let (state, engine) = loaded[i]
                let events = try engine.complete(state, node: node, by: 0, documents: [0], note: "penulis \(i)", at: clock.now())
                var next = state
                for e in events { next.apply(e, graph: review) }
                let summary = CaseSummary(state: next, engine: engine)
                nonisolated(unsafe) let store = stores[i]
                let expected = state.version
                group.enter()
                Thread {
                    go.wait()
                    outcome.results[i] = Result { try store.append(events, expectedVersion: expected, summary: summary) }
                    group.leave()
                }.start()
            }
            go.signal()
            go.signal()
            group.wait()
            let wins = outcome.results.filter { if case .success = $0 { return true } else { return false } }.count
            XCTAssertEqual(wins, 1, "exactly one writer wins: \(outcome.results)")
            for case let .failure(e)? in outcome.results {
                XCTAssertEqual((e as? RuntimeError)?.code, .conflict, "the loser gets R006: \(e)")
            }
            let events = try a.store.events(of: id)
            XCTAssertEqual(events.filter { $0.kind == "task_completed" }.count, 1)
            XCTAssertEqual(try a.store.summary(of: id), try folded(a.store, id))
        }
    }

    static func summariesAndFilters(_ open: () throws -> CaseStore) throws {
        let store = try open()
        let clock = VirtualClock(at("2026-05-04 09:00"))
        let s = service(store, clock)
        let running = try s.start(review)
        let done = try s.start(simple)
        try _ = s.complete(done, step: "catat", by: "petugas")
        try _ = s.complete(done, step: "tutup", by: "petugas")
        let cancelled = try s.start(simple)
        try _ = s.cancel(cancelled, reason: "salah input", by: "admin")
        let all = try store.summaries(CaseFilter())
        XCTAssertEqual(all.map(\.id), [running, done, cancelled], "by id")
        for c in all { XCTAssertEqual(c, try folded(store, c.id)) }
        XCTAssertEqual(try store.summaries(CaseFilter(status: .running)).map(\.id), [running])
        XCTAssertEqual(try store.summaries(CaseFilter(status: .completed)).map(\.id), [done])
        XCTAssertEqual(try store.summaries(CaseFilter(status: .cancelled)).map(\.id), [cancelled])
        XCTAssertEqual(try store.summaries(CaseFilter(sopID: "uji/lain")).map(\.id), [done, cancelled])
        XCTAssertEqual(try store.summaries(CaseFilter(actor: "staf")).map(\.id), [running])
        XCTAssertEqual(try store.summaries(CaseFilter(actor: "petugas")).map(\.id), [])
        XCTAssertEqual(try store.summaries(CaseFilter(status: .running, sopID: "uji/lain")).map(\.id), [])
        // Overdue: `terima` (1 hari kerja from Monday) is late on Wednesday, not on Monday.
        XCTAssertEqual(try store.summaries(CaseFilter(overdueAt: at("2026-05-04 10:00"))).map(\.id), [])
        XCTAssertEqual(try store.summaries(CaseFilter(overdueAt: at("2026-05-06 10:00"))).map(\.id), [running])
        let summary = try XCTUnwrap(try store.summary(of: running))
        XCTAssertEqual(summary.tasks.map(\.step), ["terima"])
        XCTAssertEqual(summary.tasks.first?.actorName, "Staf")
        XCTAssertEqual(summary.sopName, "Uji penyimpanan")
        XCTAssertEqual(summary.offset, .wib)
        XCTAssertEqual(try store.summary(of: done)?.status, .completed)
        XCTAssertNotNil(try store.summary(of: done)?.finishedAt)
    }

    static func dueTimersAndEarliestDue(_ open: () throws -> CaseStore) throws {
        let store = try open()
        let clock = VirtualClock(at("2026-05-04 09:00"))
        let s = service(store, clock)
        XCTAssertNil(try store.earliestDue())
        let a = try s.start(review)
        try _ = s.complete(a, step: "terima", by: "staf", documents: ["Surat"])   // `tunggu` opens: its timer runs 1 hour
        clock.advance(bySeconds: 600)
        let b = try s.start(review)
        try _ = s.complete(b, step: "terima", by: "staf", documents: ["Surat"])
        let dueA = at("2026-05-04 10:00"), dueB = at("2026-05-04 10:10")
        XCTAssertEqual(try store.summary(of: a)?.nextDue, dueA)
        XCTAssertEqual(try store.earliestDue(), dueA)
        XCTAssertEqual(try store.dueCases(upTo: at("2026-05-04 09:59")), [])
        XCTAssertEqual(try store.dueCases(upTo: dueA), [a])
        XCTAssertEqual(try store.dueCases(upTo: dueB), [a, b])
        clock.advance(to: at("2026-05-04 10:05"))
        let fired = try s.advance()
        XCTAssertEqual(Set(fired.map(\.caseID)), [a])
        XCTAssertTrue(fired.contains { $0.kind == "timer_fired" })
        XCTAssertEqual(try store.dueCases(upTo: at("2026-05-04 10:05")), [])
        XCTAssertEqual(try store.earliestDue(), dueB)
        XCTAssertEqual(try store.summary(of: a), try folded(store, a))
        XCTAssertEqual(try s.advance(), [], "a timer fires once")
    }

    static func transactionsRollBack(_ open: () throws -> CaseStore) throws {
        let store = try open()
        let clock = VirtualClock(at("2026-05-04 09:00"))
        let s = service(store, clock)
        let kept = try s.start(simple)
        struct Boom: Error {}
        var lost = ""
        XCTAssertThrowsError(try store.inTransaction {
            lost = try s.start(review)
            try _ = s.complete(kept, step: "catat", by: "petugas")
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        XCTAssertEqual(try store.events(of: lost), [], "the case started in the failed transaction is gone")
        XCTAssertNil(try store.summary(of: lost))
        XCTAssertEqual(try store.summary(of: kept)?.status, .running, "the completion is rolled back with it")
        XCTAssertEqual(try store.summary(of: kept), try folded(store, kept))
        // Committed together.
        let (x, y) = try store.inTransaction { (try s.start(simple), try s.start(simple)) }
        XCTAssertEqual(try store.summaries(CaseFilter()).map(\.id).filter { [x, y].contains($0) }, [x, y])
    }

    static func graphsByHash(_ open: () throws -> CaseStore) throws {
        let store = try open()
        try store.saveGraph(review)
        try store.saveGraph(review)   // twice is once
        try store.saveGraph(simple)
        XCTAssertEqual(try store.graph(hash: review.contentHash), review)
        XCTAssertEqual(try open().graph(hash: simple.contentHash), simple)
        XCTAssertNil(try store.graph(hash: "0000"))
        if let desk = store as? DeskStore {
            XCTAssertEqual(Set(try desk.allGraphs().map(\.contentHash)), [review.contentHash, simple.contentHash])
        }
    }

    /// After a mix of commands on several cases, every summary is what its events fold to.
    static func projectionEqualsTheFold(_ open: () throws -> CaseStore) throws {
        let store = try open()
        let clock = VirtualClock(at("2026-05-04 09:00"))
        let s = service(store, clock)
        var ids: [String] = []
        for i in 0..<6 {
            let id = try s.start(i % 2 == 0 ? review : simple)
            ids.append(id)
            clock.advance(bySeconds: 300)
            if i % 2 == 0 {
                try _ = s.respond(id, step: "terima", by: "staf", note: "catatan \(i)")
                if i >= 2 { try _ = s.complete(id, step: "terima", by: "staf", documents: ["Surat"]) }
            } else if i >= 3 {
                try _ = s.complete(id, step: "catat", by: "petugas")
            }
        }
        clock.advance(to: at("2026-05-06 12:00"))
        try _ = s.advance()
        for id in ids { XCTAssertEqual(try store.summary(of: id), try folded(store, id), id) }
        XCTAssertEqual(try store.summaries(CaseFilter()).count, ids.count)
    }

    // MARK: What the case desk needs besides (SQLite and PostgreSQL)

    static func deskExtras(_ open: () throws -> DeskStore) throws {
        let store = try open()
        let clock = VirtualClock(at("2026-05-04 09:00"))
        let s = service(store, clock)
        let a = try s.start(review)
        let b = try s.start(simple)
        try store.recordPerson("budi", caseID: a, sequences: [1])
        XCTAssertEqual(try open().people(of: a), [1: "budi"])
        XCTAssertEqual(try store.people(of: b), [:])
        // The task list: by deadline, filtered by actor keys.
        let tasks = try store.openTasks()
        XCTAssertEqual(Set(tasks.map(\.task.caseID)), [a, b])
        XCTAssertEqual(tasks.map(\.task.deadline), tasks.map(\.task.deadline).sorted { ($0 ?? .init(seconds: .max)) < ($1 ?? .init(seconds: .max)) })
        XCTAssertEqual(try store.openTasks(actorKeys: ["petugas"]).map(\.task.caseID), [b])
        XCTAssertEqual(try store.openTasks(actorKeys: ["petugas"]).first?.sopID, "uji/lain")
        XCTAssertEqual(try store.openTasks(actorKeys: []).count, 0)
        XCTAssertEqual(try store.openTasks(actorKeys: ["staf"]).first?.version, try store.summary(of: a)?.version)
        // A savepoint undoes its own writes only.
        struct Boom: Error {}
        var inner = ""
        let outer = try store.inTransaction { () -> String in
            let kept = try s.start(simple)
            XCTAssertThrowsError(try store.inSavepoint { inner = try s.start(review); throw Boom() })
            return kept
        }
        XCTAssertNotNil(try store.summary(of: outer))
        XCTAssertNil(try store.summary(of: inner))
        // Case numbers continue after a reserved one.
        try store.reserveCaseNumbers(through: 500)
        XCTAssertEqual(try store.newCaseID(), "case-000501")
        try store.reserveCaseNumbers(through: 10)   // never backwards
        XCTAssertEqual(try store.newCaseID(), "case-000502")
        // A whole case written as read from elsewhere.
        let copy = try open()
        let events = try store.events(of: a).map { Event(caseID: "case-000900", sequence: $0.sequence, at: $0.at, body: $0.body) }
        var summary = try folded(store, a)
        summary.id = "case-000900"
        summary.tasks = summary.tasks.map { var t = $0; t.caseID = "case-000900"; return t }
        try copy.importCase(events, people: [1: "budi"], summary: summary)
        XCTAssertEqual(try store.events(of: "case-000900"), events)
        XCTAssertEqual(try store.people(of: "case-000900"), [1: "budi"])
        XCTAssertEqual(try store.summary(of: "case-000900"), try folded(store, "case-000900"))
        XCTAssertThrowsError(try copy.importCase(events, people: [:], summary: summary)) {
            XCTAssertEqual(($0 as? RuntimeError)?.code, .conflict)
        }
    }
}

final class StoreConformanceMemory: XCTestCase {
    func open() throws -> () throws -> CaseStore {
        let store = MemoryCaseStore()
        return { store }
    }
    func testAppendAndRead() throws { try StoreChecks.appendAndRead(open()) }
    func testConflict() throws { try StoreChecks.conflict(open()) }
    func testSummariesAndFilters() throws { try StoreChecks.summariesAndFilters(open()) }
    func testDueTimersAndEarliestDue() throws { try StoreChecks.dueTimersAndEarliestDue(open()) }
    func testGraphsByHash() throws { try StoreChecks.graphsByHash(open()) }
    func testProjectionEqualsTheFold() throws { try StoreChecks.projectionEqualsTheFold(open()) }
    func testTransactionsRollBack() throws { try StoreChecks.transactionsRollBack(open()) }
}

final class StoreConformanceSQLite: XCTestCase {
    func open() throws -> () throws -> DeskStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sop-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("sop.db").path
        return { try SQLiteCaseStore(path: path) }
    }
    func testAppendAndRead() throws { try StoreChecks.appendAndRead(open()) }
    func testConflict() throws { try StoreChecks.conflict(open()) }
    func testTwoWritersExactlyOneWins() throws { try StoreChecks.twoWritersExactlyOneWins(open()) }
    func testSummariesAndFilters() throws { try StoreChecks.summariesAndFilters(open()) }
    func testDueTimersAndEarliestDue() throws { try StoreChecks.dueTimersAndEarliestDue(open()) }
    func testTransactionsRollBack() throws { try StoreChecks.transactionsRollBack(open()) }
    func testGraphsByHash() throws { try StoreChecks.graphsByHash(open()) }
    func testProjectionEqualsTheFold() throws { try StoreChecks.projectionEqualsTheFold(open()) }
    func testDeskExtras() throws { try StoreChecks.deskExtras(open()) }
}

/// A fresh database for each test on the server `SOP_TEST_POSTGRES_URL` names, dropped after.
enum PostgresTestDatabase {
    static func url() throws -> PostgresURL {
        guard let text = ProcessInfo.processInfo.environment["SOP_TEST_POSTGRES_URL"], !text.isEmpty else {
            throw XCTSkip("SOP_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against (make store-tests starts one)")
        }
        return try PostgresURL.parse(text)
    }

    /// Creates a database of its own for `test`; returns its URL.
    static func create(for test: XCTestCase) throws -> PostgresURL {
        let admin = try url()
        let name = "sop_test_" + UUID().uuidString.prefix(8).lowercased()
        let link = PostgresLink(url: admin)
        try link.run("CREATE DATABASE \(name)")
        test.addTeardownBlock {
            _ = try? link.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            link.close()
        }
        var url = admin
        url.database = name
        return url
    }
}

final class StoreConformancePostgres: XCTestCase {
    func open() throws -> () throws -> DeskStore {
        let url = try PostgresTestDatabase.create(for: self)
        var opened: [PostgresCaseStore] = []
        addTeardownBlock { for s in opened { s.link.close() } }
        return {
            let s = try PostgresCaseStore(url: url)
            opened.append(s)
            return s
        }
    }
    func testAppendAndRead() throws { try StoreChecks.appendAndRead(open()) }
    func testConflict() throws { try StoreChecks.conflict(open()) }
    func testTwoWritersExactlyOneWins() throws { try StoreChecks.twoWritersExactlyOneWins(open()) }
    func testSummariesAndFilters() throws { try StoreChecks.summariesAndFilters(open()) }
    func testDueTimersAndEarliestDue() throws { try StoreChecks.dueTimersAndEarliestDue(open()) }
    func testTransactionsRollBack() throws { try StoreChecks.transactionsRollBack(open()) }
    func testGraphsByHash() throws { try StoreChecks.graphsByHash(open()) }
    func testProjectionEqualsTheFold() throws { try StoreChecks.projectionEqualsTheFold(open()) }
    func testDeskExtras() throws { try StoreChecks.deskExtras(open()) }
}

/// `--db` as people write it: a PostgreSQL URL (with its TLS mode) or a SQLite path.
final class StoreConformanceURLTests: XCTestCase {
    func testURLsAreReadOrRefusedClearly() throws {
        let u = try PostgresURL.parse("postgresql://sop:rah%40sia@db.internal:6543/kasus?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem",
                                      environment: [:])
        XCTAssertEqual(u.user, "sop")
        XCTAssertEqual(u.password, "rah@sia")
        XCTAssertEqual(u.host, "db.internal")
        XCTAssertEqual(u.port, 6543)
        XCTAssertEqual(u.database, "kasus")
        XCTAssertEqual(u.sslmode, .verifyFull)
        XCTAssertEqual(u.sslrootcert, "/etc/ssl/ca.pem")
        XCTAssertEqual(u.description, "postgres://sop@db.internal:6543/kasus?sslmode=verify-full", "no password in messages")
        let plain = try PostgresURL.parse("postgres://sop@127.0.0.1/sop", environment: ["PGPASSWORD": "dari-env"])
        XCTAssertEqual(plain.port, 5432)
        XCTAssertEqual(plain.password, "dari-env")
        XCTAssertEqual(plain.sslmode, .disable)
        for (bad, says) in [("postgres://127.0.0.1/sop", "the user is missing"), ("postgres://sop@127.0.0.1", "the database is missing"),
                            ("postgres://sop@127.0.0.1:99999/sop", "the port"), ("postgres://sop@127.0.0.1/sop?sslmode=always", "sslmode must be one of"),
                            ("postgres://sop:geheim@127.0.0.1/sop?timeout=3", "not one the store takes")] {
            XCTAssertThrowsError(try PostgresURL.parse(bad, environment: [:]), bad) {
                XCTAssertTrue("\($0)".contains(says), "\(bad): \($0)")
                XCTAssertFalse("\($0)".contains("geheim"), "\($0)")
            }
        }
    }

    /// `sslmode=require` against a server without TLS is refused, saying so (the test
    /// cluster runs without TLS); `prefer` falls back to a plain connection.
    func testTLSRequiredFromAServerWithoutIt() throws {
        var url = try PostgresTestDatabase.create(for: self)
        url.sslmode = .require
        XCTAssertThrowsError(try PostgresCaseStore(url: url)) {
            XCTAssertTrue("\($0)".contains("does not offer TLS"), "\($0)")
        }
        url.sslmode = .prefer
        let store = try PostgresCaseStore(url: url)
        defer { store.link.close() }
        XCTAssertNoThrow(try store.earliestDue())
    }
}
