import Foundation
import PostgresNIO
import SOPDiagnostics
import SOPIR
import SOPRuntime
import SOPStore

/// The store on PostgreSQL, for several `sop serve` nodes on one database. The same tables
/// as SQLite's (created by migrations on first use): `events` is the truth, keyed by
/// (case_id, seq); `cases` and `tasks` are the projection, written in the same transaction.
/// Optimistic concurrency is the database's: an append moves `cases.version` from the one
/// the command read with `UPDATE … WHERE version = expected` (a new case with
/// `INSERT … ON CONFLICT DO NOTHING`), so of two nodes acting on one case at once, the
/// second waits for the first's row lock, then finds the version moved and gets `R006`.
/// Every statement runs on one connection (`PostgresLink`), from one thread at a time for
/// writes (the desk's writer thread, or a command); reads may come from many threads.
public final class PostgresCaseStore: DeskStore {
    public let link: PostgresLink
    public var location: String { link.url.description }
    private var savedGraphs: Set<String> = []
    private let graphLock = NSLock()

    /// Opens (and migrates, on first use) the store at `url`.
    public init(url: PostgresURL) throws {
        link = PostgresLink(url: url)
        try link.migrate(Self.migrations)
    }

    public convenience init(url: String) throws {
        try self.init(url: try PostgresURL.parse(url))
    }

    public static let migrations: [(name: String, sql: [String])] = [
        ("store-v1", [
            "CREATE TABLE graphs (hash TEXT PRIMARY KEY, sop_id TEXT NOT NULL, json TEXT NOT NULL)",
            """
            CREATE TABLE events (
                case_id TEXT NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, kind TEXT NOT NULL,
                node BIGINT, actor BIGINT, num BIGINT, target BIGINT, due BIGINT,
                text TEXT, docs TEXT, note TEXT, extra TEXT, person TEXT,
                PRIMARY KEY (case_id, seq))
            """,
            """
            CREATE TABLE cases (
                id TEXT PRIMARY KEY, sop_id TEXT NOT NULL, sop_name TEXT NOT NULL, hash TEXT NOT NULL,
                status TEXT NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT, version BIGINT NOT NULL,
                sla_due BIGINT, next_due BIGINT, parent TEXT, breached BIGINT NOT NULL, utc_offset_minutes BIGINT NOT NULL)
            """,
            "CREATE INDEX cases_due ON cases (next_due) WHERE next_due IS NOT NULL",
            """
            CREATE TABLE tasks (
                case_id TEXT NOT NULL, node BIGINT NOT NULL, step TEXT NOT NULL, label TEXT NOT NULL,
                actor_key TEXT, actor_name TEXT, activated_at BIGINT NOT NULL, deadline BIGINT,
                PRIMARY KEY (case_id, node))
            """,
            "CREATE INDEX tasks_actor ON tasks (actor_key)",
            "CREATE SEQUENCE case_numbers",
        ]),
    ]

    // MARK: Transactions

    public func inTransaction<T>(_ body: () throws -> T) throws -> T { try link.transaction(body) }

    public func inSavepoint<T>(_ body: () throws -> T) throws -> T { try link.savepoint(body) }

    // MARK: Graphs and ids

    public func saveGraph(_ graph: ProcessGraph) throws {
        if graphLock.withLock({ savedGraphs.contains(graph.contentHash) }) { return }
        let json = String(decoding: try JSONEncoder.sortedKeys.encode(graph), as: UTF8.self)
        try link.run("INSERT INTO graphs (hash, sop_id, json) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING",
                     [.text(graph.contentHash), .text(graph.id), .text(json)])
        // Inside a transaction the row may still be rolled back: remember it only outside.
        if !link.inTransaction { graphLock.withLock { _ = savedGraphs.insert(graph.contentHash) } }
    }

    public func graph(hash: String) throws -> ProcessGraph? {
        guard let row = try link.run("SELECT json FROM graphs WHERE hash = $1", [.text(hash)]).rows.first else { return nil }
        return try JSONDecoder().decode(ProcessGraph.self, from: Data(try row.text(0).utf8))
    }

    public func allGraphs() throws -> [ProcessGraph] {
        try link.run("SELECT json FROM graphs ORDER BY hash").rows.map { try JSONDecoder().decode(ProcessGraph.self, from: Data(try $0.text(0).utf8)) }
    }

    public func newCaseID() throws -> String {
        guard let row = try link.run("SELECT nextval('case_numbers')").rows.first else {
            throw RuntimeError(.storage, Message(en: "the case number sequence gave nothing", id: "urutan nomor kasus tidak memberi nilai"))
        }
        return CaseIDs.format(try row.int(0))
    }

    public func reserveCaseNumbers(through n: Int) throws {
        guard n > 0 else { return }
        try link.run("""
            SELECT setval('case_numbers', GREATEST($1, (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM case_numbers)))
            """, [.int(n)])
    }

    // MARK: Events

    static let eventColumns = "case_id, seq, at, kind, node, actor, num, target, due, text, docs, note, extra"

    public func events(of caseID: String) throws -> [Event] {
        try link.run("SELECT \(Self.eventColumns) FROM events WHERE case_id = $1 ORDER BY seq", [.text(caseID)]).rows.map(Self.event)
    }

    /// The events of several cases in one round trip (a writer's batch reads every case its
    /// commands act on at once), by case id; a case without events is absent.
    public func events(ofCases ids: [String]) throws -> [String: [Event]] {
        guard !ids.isEmpty else { return [:] }
        var out: [String: [Event]] = [:]
        for row in try link.run("SELECT \(Self.eventColumns) FROM events WHERE case_id = ANY($1::text[]) ORDER BY case_id, seq",
                                [.texts(ids)]).rows {
            let e = try Self.event(row)
            out[e.caseID, default: []].append(e)
        }
        return out
    }

    public func allEvents() throws -> [Event] {
        try link.run("SELECT \(Self.eventColumns) FROM events ORDER BY case_id, seq").rows.map(Self.event)
    }

    static func event(_ row: PostgresRandomAccessRow) throws -> Event {
        var r = EventRow(kind: try row.text(3))
        r.node = try row.intOrNil(4)
        r.actor = try row.intOrNil(5)
        r.number = try row.intOrNil(6)
        r.target = try row.intOrNil(7)
        r.due = try row.intOrNil(8).map(Int64.init)
        r.text = try row.textOrNil(9)
        r.docs = try row.textOrNil(10)
        r.note = try row.textOrNil(11)
        r.extra = try row.textOrNil(12)
        return Event(caseID: try row.text(0), sequence: try row.int(1), at: Instant(seconds: Int64(try row.int(2))), body: try r.body())
    }

    /// One statement, one round trip: the version check (`UPDATE … WHERE version =
    /// expected`, or the new case's `INSERT … ON CONFLICT DO NOTHING`) is a CTE that gates
    /// every other write of the statement (events, open steps), so a refused check writes
    /// nothing and leaves the transaction usable. A second node on the same case waits for
    /// the first's row lock, then finds the version moved.
    public func append(_ events: [Event], expectedVersion: Int, summary s: CaseSummary) throws {
        var values: [PGValue] = []
        func p(_ v: PGValue, _ type: String) -> String {
            values.append(v)
            return "$\(values.count)::\(type)"
        }
        func seconds(_ i: Instant?) -> PGValue { .int(i.map { Int($0.seconds) }) }
        let id = p(.text(s.id), "text")
        let gate: String
        if expectedVersion == 0 {
            gate = """
                INSERT INTO cases (id, sop_id, sop_name, hash, status, started_at, finished_at, version, sla_due, next_due, parent, breached,
                                   utc_offset_minutes)
                VALUES (\(id), \(p(.text(s.sopID), "text")), \(p(.text(s.sopName), "text")), \(p(.text(s.contentHash), "text")),
                        \(p(.text(s.status.rawValue), "text")), \(p(seconds(s.startedAt), "bigint")), \(p(seconds(s.finishedAt), "bigint")),
                        \(p(.int(s.version), "bigint")), \(p(seconds(s.slaDeadline), "bigint")), \(p(seconds(s.nextDue), "bigint")),
                        \(p(.text(s.parent), "text")), \(p(.int(s.breachedSteps), "bigint")), \(p(.int(s.offset.minutes), "bigint")))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """
        } else {
            gate = """
                UPDATE cases SET status = \(p(.text(s.status.rawValue), "text")), finished_at = \(p(seconds(s.finishedAt), "bigint")),
                                 version = \(p(.int(s.version), "bigint")), next_due = \(p(seconds(s.nextDue), "bigint")),
                                 breached = \(p(.int(s.breachedSteps), "bigint"))
                WHERE id = \(id) AND version = \(p(.int(expectedVersion), "bigint")) RETURNING id
                """
        }
        // At most 1,000 events in the statement (13 parameters each, 65,535 at most); the
        // rest, rare (a copied case), follow once the check has passed.
        let first = events.prefix(1000)
        var parts = ["g AS (\(gate))"]
        if !first.isEmpty {
            parts.append("e AS (INSERT INTO events (\(Self.eventColumns)) SELECT * FROM (VALUES "
                         + (try first.map { try eventTuple($0, p) }).joined(separator: ",")
                         + ") AS v WHERE EXISTS (SELECT 1 FROM g))")
        }
        parts.append("d AS (DELETE FROM tasks WHERE case_id = \(id) AND EXISTS (SELECT 1 FROM g) AND NOT (node = ANY(\(p(.ints(s.tasks.map(\.node)), "bigint[]")))))")
        if !s.tasks.isEmpty {
            let rows = s.tasks.map { t in
                "(\(p(.text(t.caseID), "text")), \(p(.int(t.node), "bigint")), \(p(.text(t.step), "text")), \(p(.text(t.label), "text")), "
                    + "\(p(.text(t.actorKey), "text")), \(p(.text(t.actorName), "text")), \(p(seconds(t.activatedAt), "bigint")), "
                    + "\(p(seconds(t.deadline), "bigint")))"
            }
            parts.append("""
                t AS (INSERT INTO tasks (case_id, node, step, label, actor_key, actor_name, activated_at, deadline)
                      SELECT * FROM (VALUES \(rows.joined(separator: ","))) AS v WHERE EXISTS (SELECT 1 FROM g)
                      ON CONFLICT (case_id, node) DO UPDATE SET step = EXCLUDED.step, label = EXCLUDED.label, actor_key = EXCLUDED.actor_key,
                          actor_name = EXCLUDED.actor_name, activated_at = EXCLUDED.activated_at, deadline = EXCLUDED.deadline)
                """)
        }
        let sql = "WITH " + parts.joined(separator: ",\n") + "\nSELECT count(*) FROM g"
        try link.transaction {
            let written = try link.run(sql, values).rows.first?.int(0) ?? 0
            if written != 1 { throw RuntimeError.conflict(s.id, expected: expectedVersion, actual: try version(s.id)) }
            for chunk in stride(from: 1000, to: events.count, by: 1000) {
                var more: [PGValue] = []
                func q(_ v: PGValue, _ type: String) -> String {
                    more.append(v)
                    return "$\(more.count)::\(type)"
                }
                let tuples = try events[chunk..<min(events.count, chunk + 1000)].map { try eventTuple($0, q) }
                try link.run("INSERT INTO events (\(Self.eventColumns)) VALUES " + tuples.joined(separator: ","), more)
            }
        }
    }

    /// An event as a `VALUES` row of typed parameters.
    private func eventTuple(_ e: Event, _ p: (PGValue, String) -> String) throws -> String {
        let r = try EventRow(e.body)
        let cells = [p(.text(e.caseID), "text"), p(.int(e.sequence), "bigint"), p(.int(Int(e.at.seconds)), "bigint"), p(.text(r.kind), "text"),
                     p(.int(r.node), "bigint"), p(.int(r.actor), "bigint"), p(.int(r.number), "bigint"), p(.int(r.target), "bigint"),
                     p(.int(r.due.map(Int.init)), "bigint"), p(.text(r.text), "text"), p(.text(r.docs), "text"), p(.text(r.note), "text"),
                     p(.text(r.extra), "text")]
        return "(" + cells.joined(separator: ",") + ")"
    }

    private func version(_ id: String) throws -> Int {
        try link.run("SELECT version FROM cases WHERE id = $1", [.text(id)]).rows.first?.int(0) ?? 0
    }

    public func recordPerson(_ person: String, caseID: String, sequences: [Int]) throws {
        guard !sequences.isEmpty else { return }
        let sql = "UPDATE events SET person = $1 WHERE case_id = $2 AND seq = ANY($3::bigint[])"
        let values: [PGValue] = [.text(person), .text(caseID), .ints(sequences)]
        // Inside a transaction it goes with the next statement (its failure fails the commit).
        if link.inTransaction { try link.send(sql, values) } else { try link.run(sql, values) }
    }

    public func people(of caseID: String) throws -> [Int: String] {
        var out: [Int: String] = [:]
        for row in try link.run("SELECT seq, person FROM events WHERE case_id = $1 AND person IS NOT NULL", [.text(caseID)]).rows {
            out[try row.int(0)] = try row.text(1)
        }
        return out
    }

    // MARK: The projection

    public func openTasks(actorKeys: [String]?) throws -> [TaskRow] {
        if let actorKeys, actorKeys.isEmpty { return [] }
        var values: [PGValue] = []
        var only = ""
        if let actorKeys {
            only = " AND t.actor_key IN (" + actorKeys.enumerated().map { "$\($0.offset + 1)" }.joined(separator: ",") + ")"
            values = actorKeys.map { .text($0) }
        }
        return try link.run("""
            SELECT t.case_id, t.node, t.step, t.label, t.actor_key, t.actor_name, t.activated_at, t.deadline,
                   c.sop_id, c.utc_offset_minutes, c.version
            FROM tasks t JOIN cases c ON c.id = t.case_id
            WHERE c.status = 'running'\(only)
            ORDER BY t.deadline IS NULL, t.deadline, t.case_id, t.node
            """, values).rows.map { t in
            let task = TaskSummary(caseID: try t.text(0), node: try t.int(1), step: try t.text(2), label: try t.text(3),
                                   actorKey: try t.textOrNil(4), actorName: try t.textOrNil(5),
                                   activatedAt: Instant(seconds: Int64(try t.int(6))),
                                   deadline: try t.intOrNil(7).map { Instant(seconds: Int64($0)) })
            return TaskRow(task: task, sopID: try t.text(8), offset: UTCOffset(minutes: try t.int(9)), version: try t.int(10))
        }
    }

    public func summary(of caseID: String) throws -> CaseSummary? {
        try summaries(where: "c.id = $1", [.text(caseID)]).first
    }

    public func summaries(_ filter: CaseFilter) throws -> [CaseSummary] {
        var clauses: [String] = []
        var values: [PGValue] = []
        func arg(_ v: PGValue) -> String {
            values.append(v)
            return "$\(values.count)"
        }
        if let status = filter.status { clauses.append("c.status = \(arg(.text(status.rawValue)))") }
        if let sop = filter.sopID { clauses.append("c.sop_id = \(arg(.text(sop)))") }
        if let actor = filter.actor { clauses.append("EXISTS (SELECT 1 FROM tasks a WHERE a.case_id = c.id AND a.actor_key = \(arg(.text(actor))))") }
        if let now = filter.overdueAt {
            let n = arg(.int(Int(now.seconds)))
            clauses.append("""
                ((c.sla_due IS NOT NULL AND COALESCE(c.finished_at, \(n)) > c.sla_due)
                 OR EXISTS (SELECT 1 FROM tasks o WHERE o.case_id = c.id AND o.deadline IS NOT NULL AND \(n) > o.deadline))
                """)
        }
        return try summaries(where: clauses.isEmpty ? "TRUE" : clauses.joined(separator: " AND "), values)
    }

    /// The cases matching `clause`, by id, and their open steps: two queries.
    private func summaries(where clause: String, _ values: [PGValue]) throws -> [CaseSummary] {
        let rows = try link.run("""
            SELECT c.id, c.sop_id, c.sop_name, c.hash, c.status, c.started_at, c.finished_at, c.version, c.sla_due, c.next_due,
                   c.parent, c.breached, c.utc_offset_minutes
            FROM cases c WHERE \(clause) ORDER BY c.id
            """, values).rows
        guard !rows.isEmpty else { return [] }
        var tasks: [String: [TaskSummary]] = [:]
        for t in try link.run("""
            SELECT t.case_id, t.node, t.step, t.label, t.actor_key, t.actor_name, t.activated_at, t.deadline
            FROM tasks t JOIN cases c ON c.id = t.case_id WHERE \(clause) ORDER BY t.case_id, t.node
            """, values).rows {
            let id = try t.text(0)
            tasks[id, default: []].append(TaskSummary(caseID: id, node: try t.int(1), step: try t.text(2), label: try t.text(3),
                                                      actorKey: try t.textOrNil(4), actorName: try t.textOrNil(5),
                                                      activatedAt: Instant(seconds: Int64(try t.int(6))),
                                                      deadline: try t.intOrNil(7).map { Instant(seconds: Int64($0)) }))
        }
        func instant(_ v: Int?) -> Instant? { v.map { Instant(seconds: Int64($0)) } }
        return try rows.map { r in
            let id = try r.text(0)
            return CaseSummary(id: id, sopID: try r.text(1), sopName: try r.text(2), contentHash: try r.text(3),
                               status: CaseState.Status(rawValue: try r.text(4)) ?? .running,
                               startedAt: Instant(seconds: Int64(try r.int(5))), finishedAt: instant(try r.intOrNil(6)),
                               version: try r.int(7), slaDeadline: instant(try r.intOrNil(8)), nextDue: instant(try r.intOrNil(9)),
                               parent: try r.textOrNil(10), breachedSteps: try r.int(11), tasks: tasks[id] ?? [],
                               offset: UTCOffset(minutes: try r.int(12)))
        }
    }

    public func earliestDue() throws -> Instant? {
        try link.run("SELECT MIN(next_due) FROM cases WHERE next_due IS NOT NULL").rows.first?.intOrNil(0).map { Instant(seconds: Int64($0)) }
    }

    public func dueCases(upTo now: Instant) throws -> [String] {
        try link.run("SELECT id FROM cases WHERE next_due IS NOT NULL AND next_due <= $1 ORDER BY id", [.int(Int(now.seconds))]).rows.map { try $0.text(0) }
    }
}

extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
