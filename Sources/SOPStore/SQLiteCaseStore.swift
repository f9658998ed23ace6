import Foundation
import GRDB
import SOPDiagnostics
import SOPIR
import SOPRuntime

/// The default store: one SQLite file (WAL, synchronous FULL) through GRDB, created with
/// migrations on first use. `events` is the truth; `cases` and `tasks` are the projection,
/// written in the same transaction as the events they follow from.
public final class SQLiteCaseStore: DeskStore {
    public let path: String
    public var location: String { path }
    private let pool: DatabasePool
    /// The connection of the transaction `inTransaction` holds open, if any.
    private var current: Database?
    private var savedGraphs: Set<String> = []
    private let stamp: SQLiteChangeStamp

    public init(path: String) throws {
        self.path = path
        stamp = SQLiteChangeStamp(path: path)
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch {
            throw RuntimeError(.storage,
                Message(en: "cannot open the case store \(path): \(Self.describe(error))",
                        id: "penyimpanan kasus \(path) tidak dapat dibuka: \(Self.describe(error))"))
        }
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        return "\(error)"
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE graphs (hash TEXT PRIMARY KEY, sop_id TEXT NOT NULL, json BLOB NOT NULL);
                CREATE TABLE events (
                    case_id TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, kind TEXT NOT NULL,
                    node INTEGER, actor INTEGER, num INTEGER, target INTEGER, due INTEGER,
                    text TEXT, docs TEXT, note TEXT, extra TEXT,
                    PRIMARY KEY (case_id, seq)) WITHOUT ROWID;
                CREATE TABLE cases (
                    id TEXT PRIMARY KEY, sop_id TEXT NOT NULL, sop_name TEXT NOT NULL, hash TEXT NOT NULL,
                    status TEXT NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER, version INTEGER NOT NULL,
                    sla_due INTEGER, next_due INTEGER, parent TEXT, breached INTEGER NOT NULL);
                CREATE INDEX cases_due ON cases (next_due) WHERE next_due IS NOT NULL;
                CREATE TABLE tasks (
                    case_id TEXT NOT NULL, node INTEGER NOT NULL, step TEXT NOT NULL, label TEXT NOT NULL,
                    actor_key TEXT, actor_name TEXT, activated_at INTEGER NOT NULL, deadline INTEGER,
                    PRIMARY KEY (case_id, node)) WITHOUT ROWID;
                CREATE INDEX tasks_actor ON tasks (actor_key);
                CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                """)
        }
        // v2: each case's time zone in the projection, so that a list shows Tarakan's cases
        // in WITA. Filled for existing cases from their `case_started` event.
        m.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE cases ADD COLUMN utc_offset_minutes INTEGER NOT NULL DEFAULT \(UTCOffset.wib.minutes)")
            let starts = try Row.fetchAll(db, sql: "SELECT case_id, extra FROM events WHERE kind = 'case_started'")
            for row in starts {
                guard let extra: String = row["extra"],
                      let start = try? JSONDecoder().decode(CaseStart.self, from: Data(extra.utf8)) else { continue }
                try db.execute(sql: "UPDATE cases SET utc_offset_minutes = ? WHERE id = ?",
                               arguments: [start.calendar.offset.minutes, row["case_id"] as String])
            }
        }
        // v3: the person (a user of `sop serve`) who caused an event, beside the actor the
        // event names; empty for events of the command line and of timers.
        m.registerMigration("v3") { db in
            try db.execute(sql: "ALTER TABLE events ADD COLUMN person TEXT")
        }
        return m
    }

    /// Records `person` as the one who caused these events of a case (inside the
    /// transaction of their append when called within `inTransaction`).
    public func recordPerson(_ person: String, caseID: String, sequences: [Int]) throws {
        guard !sequences.isEmpty else { return }
        try write { db in
            let update = try db.cachedStatement(sql: "UPDATE events SET person = ? WHERE case_id = ? AND seq = ?")
            for seq in sequences { try update.execute(arguments: [person, caseID, seq]) }
        }
    }

    /// The person recorded for each event of a case, by sequence number.
    public func people(of caseID: String) throws -> [Int: String] {
        try read { db in
            var out: [Int: String] = [:]
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT seq, person FROM events WHERE case_id = ? AND person IS NOT NULL"),
                                           arguments: [caseID])
            while let row = try rows.next() { out[row["seq"]] = row["person"] }
            return out
        }
    }

    /// Every open step of every running case (only those of these actor keys, when given),
    /// with its case's SOP and time zone, by deadline (steps without one last), then case and
    /// step. One query: what a task list reads. With actor keys, the steps are found by the
    /// `tasks_actor` index first (`CROSS JOIN` fixes that order: SQLite would otherwise
    /// walk every running case).
    public func openTasks(actorKeys: [String]?) throws -> [TaskRow] {
        if let actorKeys, actorKeys.isEmpty { return [] }
        let only = actorKeys.map { " AND t.actor_key IN (" + Array(repeating: "?", count: $0.count).joined(separator: ",") + ")" } ?? ""
        return try readOne { db in
            let rows = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT t.case_id, t.node, t.step, t.label, t.actor_key, t.actor_name, t.activated_at, t.deadline,
                       c.sop_id, c.utc_offset_minutes, c.version
                FROM tasks t \(actorKeys == nil ? "JOIN" : "CROSS JOIN") cases c ON c.id = t.case_id
                WHERE c.status = 'running'\(only)
                ORDER BY t.deadline IS NULL, t.deadline, t.case_id, t.node
                """), arguments: StatementArguments(actorKeys ?? []))
            var out: [TaskRow] = []
            while let t = try rows.next() {
                let task = TaskSummary(caseID: t[0], node: t[1], step: t[2], label: t[3], actorKey: t[4], actorName: t[5],
                                       activatedAt: Instant(seconds: t[6]), deadline: (t[7] as Int64?).map(Instant.init(seconds:)))
                out.append(TaskRow(task: task, sopID: t[8], offset: UTCOffset(minutes: t[9]), version: t[10]))
            }
            return out
        }
    }

    public func changeStamp() -> Int64? { stamp.current() }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        if let db = current { return try body(db) }
        return try pool.write(body)
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        if let db = current { return try body(db) }
        return try pool.read(body)
    }

    /// As `read`, for a body of one statement (one statement reads one snapshot): no
    /// transaction around it.
    private func readOne<T>(_ body: (Database) throws -> T) throws -> T {
        if let db = current { return try body(db) }
        return try pool.unsafeRead(body)
    }

    public func inTransaction<T>(_ body: () throws -> T) throws -> T {
        if current != nil { return try body() }
        return try pool.write { db in
            current = db
            defer { current = nil }
            return try body()
        }
    }

    /// Runs `body` in a savepoint of the open transaction (a transaction of its own outside
    /// one): when it throws, what it wrote is rolled back and the transaction goes on.
    public func inSavepoint<T>(_ body: () throws -> T) throws -> T {
        guard let db = current else { return try inTransaction(body) }
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        return result!
    }

    public func saveGraph(_ graph: ProcessGraph) throws {
        guard !savedGraphs.contains(graph.contentHash) else { return }
        let json = try JSONEncoder.sorted.encode(graph)
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO graphs (hash, sop_id, json) VALUES (?, ?, ?)",
                           arguments: [graph.contentHash, graph.id, json])
        }
        savedGraphs.insert(graph.contentHash)
    }

    public func graph(hash: String) throws -> ProcessGraph? {
        guard let data = try read({ db in try Data.fetchOne(db, sql: "SELECT json FROM graphs WHERE hash = ?", arguments: [hash]) }) else { return nil }
        savedGraphs.insert(hash)
        return try JSONDecoder().decode(ProcessGraph.self, from: data)
    }

    public func allGraphs() throws -> [ProcessGraph] {
        try read { db in try Data.fetchAll(db, sql: "SELECT json FROM graphs ORDER BY hash") }
            .map { try JSONDecoder().decode(ProcessGraph.self, from: $0) }
    }

    public func reserveCaseNumbers(through n: Int) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO counters (name, value) VALUES ('case', ?) ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)",
                           arguments: [n])
        }
    }

    public func newCaseID() throws -> String {
        let n = try write { db -> Int in
            try db.execute(sql: "INSERT INTO counters (name, value) VALUES ('case', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1")
            return try Int.fetchOne(db, sql: "SELECT value FROM counters WHERE name = 'case'") ?? 1
        }
        return CaseIDs.format(n)
    }

    public func events(of caseID: String) throws -> [Event] {
        try read { db in
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT * FROM events WHERE case_id = ? ORDER BY seq"), arguments: [caseID])
            var out: [Event] = []
            while let row = try rows.next() { out.append(try Self.event(row)) }
            return out
        }
    }

    public func allEvents() throws -> [Event] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY case_id, seq").map(Self.event) }
    }

    static func event(_ row: Row) throws -> Event {
        var r = EventRow(kind: row["kind"])
        r.node = row["node"]
        r.actor = row["actor"]
        r.number = row["num"]
        r.target = row["target"]
        r.due = row["due"]
        r.text = row["text"]
        r.docs = row["docs"]
        r.note = row["note"]
        r.extra = row["extra"]
        return Event(caseID: row["case_id"], sequence: row["seq"], at: Instant(seconds: row["at"]), body: try r.body())
    }

    public func append(_ events: [Event], expectedVersion: Int, summary s: CaseSummary) throws {
        try write { db in
            // The optimistic check: the version moves only from the one the command read.
            if expectedVersion == 0 {
                let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM cases WHERE id = ?", arguments: [s.id]) ?? false
                if exists { throw RuntimeError.conflict(s.id, expected: 0, actual: try version(db, s.id)) }
                try db.cachedStatement(sql: """
                    INSERT INTO cases (id, sop_id, sop_name, hash, status, started_at, finished_at, version, sla_due, next_due, parent, breached,
                                       utc_offset_minutes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [s.id, s.sopID, s.sopName, s.contentHash, s.status.rawValue, s.startedAt.seconds,
                                             s.finishedAt?.seconds, s.version, s.slaDeadline?.seconds, s.nextDue?.seconds, s.parent, s.breachedSteps,
                                             s.offset.minutes])
            } else {
                try db.cachedStatement(sql: """
                    UPDATE cases SET status = ?, finished_at = ?, version = ?, next_due = ?, breached = ? WHERE id = ? AND version = ?
                    """).execute(arguments: [s.status.rawValue, s.finishedAt?.seconds, s.version, s.nextDue?.seconds, s.breachedSteps,
                                             s.id, expectedVersion])
                if db.changesCount != 1 { throw RuntimeError.conflict(s.id, expected: expectedVersion, actual: try version(db, s.id)) }
            }
            let insert = try db.cachedStatement(sql: """
                INSERT INTO events (case_id, seq, at, kind, node, actor, num, target, due, text, docs, note, extra)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for e in events {
                let r = try EventRow(e.body)
                try insert.execute(arguments: [e.caseID, e.sequence, e.at.seconds, r.kind, r.node, r.actor, r.number, r.target,
                                               r.due, r.text, r.docs, r.note, r.extra])
            }
            try db.cachedStatement(sql: "DELETE FROM tasks WHERE case_id = ?").execute(arguments: [s.id])
            let task = try db.cachedStatement(sql: """
                INSERT INTO tasks (case_id, node, step, label, actor_key, actor_name, activated_at, deadline) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for t in s.tasks {
                try task.execute(arguments: [t.caseID, t.node, t.step, t.label, t.actorKey, t.actorName, t.activatedAt.seconds, t.deadline?.seconds])
            }
        }
    }

    private func version(_ db: Database, _ id: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT version FROM cases WHERE id = ?", arguments: [id]) ?? 0
    }

    public func summary(of caseID: String) throws -> CaseSummary? {
        try read { db in try Self.summaries(db, where: "WHERE c.id = ?", [caseID]).first }
    }

    public func summaries(_ filter: CaseFilter) throws -> [CaseSummary] {
        var clauses: [String] = []
        var args: [DatabaseValueConvertible?] = []
        if let status = filter.status { clauses.append("c.status = ?"); args.append(status.rawValue) }
        if let sop = filter.sopID { clauses.append("c.sop_id = ?"); args.append(sop) }
        if let actor = filter.actor { clauses.append("EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = c.id AND t.actor_key = ?)"); args.append(actor) }
        if let now = filter.overdueAt {
            clauses.append("""
                ((c.sla_due IS NOT NULL AND COALESCE(c.finished_at, ?) > c.sla_due)
                 OR EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = c.id AND t.deadline IS NOT NULL AND ? > t.deadline))
                """)
            args.append(now.seconds)
            args.append(now.seconds)
        }
        let sql = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try read { db in try Self.summaries(db, where: sql, StatementArguments(args)) }
    }

    private static func summaries(_ db: Database, where clause: String, _ args: StatementArguments) throws -> [CaseSummary] {
        let rows = try Row.fetchAll(db, sql: "SELECT c.* FROM cases c \(clause) ORDER BY c.id", arguments: args)
        return try rows.map { row in
            let id: String = row["id"]
            let tasks = try Row.fetchAll(db, sql: "SELECT * FROM tasks WHERE case_id = ? ORDER BY node", arguments: [id]).map { t in
                TaskSummary(caseID: id, node: t["node"], step: t["step"], label: t["label"], actorKey: t["actor_key"],
                            actorName: t["actor_name"], activatedAt: Instant(seconds: t["activated_at"]),
                            deadline: (t["deadline"] as Int64?).map(Instant.init(seconds:)))
            }
            return CaseSummary(id: id, sopID: row["sop_id"], sopName: row["sop_name"], contentHash: row["hash"],
                               status: CaseState.Status(rawValue: row["status"]) ?? .running,
                               startedAt: Instant(seconds: row["started_at"]),
                               finishedAt: (row["finished_at"] as Int64?).map(Instant.init(seconds:)),
                               version: row["version"], slaDeadline: (row["sla_due"] as Int64?).map(Instant.init(seconds:)),
                               nextDue: (row["next_due"] as Int64?).map(Instant.init(seconds:)), parent: row["parent"],
                               breachedSteps: row["breached"], tasks: tasks, offset: UTCOffset(minutes: row["utc_offset_minutes"]))
        }
    }

    public func earliestDue() throws -> Instant? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT MIN(next_due) FROM cases WHERE next_due IS NOT NULL") }.map(Instant.init(seconds:))
    }

    public func dueCases(upTo now: Instant) throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT id FROM cases WHERE next_due IS NOT NULL AND next_due <= ? ORDER BY id", arguments: [now.seconds]) }
    }
}
