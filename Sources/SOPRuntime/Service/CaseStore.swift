import SOPIR

/// What queries read: one row per case, kept in step with the events by the store in the
/// same transaction as the append. Always derivable from the events (`CaseSummary.init`).
public struct CaseSummary: Hashable, Sendable {
    public var id: String
    public var sopID: String
    public var sopName: String
    public var contentHash: String
    public var status: CaseState.Status
    public var startedAt: Instant
    public var finishedAt: Instant?
    public var version: Int
    public var slaDeadline: Instant?
    /// The next instant a timer or recurrence window falls due (for `advance`).
    public var nextDue: Instant?
    public var parent: String?
    public var breachedSteps: Int
    public var tasks: [TaskSummary]
    /// The case's time zone (its calendar's offset: WITA for Tarakan), for showing its times.
    public var offset: UTCOffset

    public init(id: String, sopID: String, sopName: String, contentHash: String, status: CaseState.Status,
                startedAt: Instant, finishedAt: Instant?, version: Int, slaDeadline: Instant?, nextDue: Instant?,
                parent: String?, breachedSteps: Int, tasks: [TaskSummary], offset: UTCOffset) {
        self.id = id
        self.sopID = sopID
        self.sopName = sopName
        self.contentHash = contentHash
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.version = version
        self.slaDeadline = slaDeadline
        self.nextDue = nextDue
        self.parent = parent
        self.breachedSteps = breachedSteps
        self.offset = offset
        self.tasks = tasks
    }

    public init(state: CaseState, engine: Engine) {
        let g = engine.graph
        id = state.id
        sopID = g.id
        sopName = g.name
        contentHash = g.contentHash
        status = state.status
        startedAt = state.startedAt ?? Instant(seconds: 0)
        finishedAt = state.status == .running ? nil : state.lastEventAt
        version = state.version
        slaDeadline = state.start?.slaDeadline
        nextDue = state.status == .running ? engine.nextDue(state) : nil
        parent = state.start?.parent
        breachedSteps = state.breachedSteps.count
        offset = engine.calendar.settings.offset
        tasks = state.openTasks.map { t in
            let n = g.nodes[t.node]
            let actor = n.actor.map { g.actors[$0] }
            return TaskSummary(caseID: state.id, node: t.node, step: n.key ?? n.number ?? String(t.node), label: n.label,
                               actorKey: actor?.key, actorName: actor?.name, activatedAt: t.activatedAt, deadline: t.deadline)
        }
    }

    /// Whether the case ran or is running past its SLA at `now`.
    public func slaBreached(now: Instant) -> Bool {
        guard let due = slaDeadline else { return false }
        return (finishedAt ?? now) > due
    }
}

/// An open step, as listed for an operator.
public struct TaskSummary: Hashable, Sendable {
    public var caseID: String
    public var node: Int
    /// The step's key, else its number.
    public var step: String
    public var label: String
    public var actorKey: String?
    public var actorName: String?
    public var activatedAt: Instant
    public var deadline: Instant?

    public init(caseID: String, node: Int, step: String, label: String, actorKey: String?, actorName: String?,
                activatedAt: Instant, deadline: Instant?) {
        self.caseID = caseID
        self.node = node
        self.step = step
        self.label = label
        self.actorKey = actorKey
        self.actorName = actorName
        self.activatedAt = activatedAt
        self.deadline = deadline
    }

    public func isOverdue(now: Instant) -> Bool { deadline.map { now > $0 } ?? false }
}

/// Which cases to list.
public struct CaseFilter: Sendable {
    public var status: CaseState.Status?
    public var sopID: String?
    /// Only cases with an open step of this actor (key).
    public var actor: String?
    /// Only cases with an overdue step or past their SLA at this instant.
    public var overdueAt: Instant?

    public init(status: CaseState.Status? = nil, sopID: String? = nil, actor: String? = nil, overdueAt: Instant? = nil) {
        self.status = status
        self.sopID = sopID
        self.actor = actor
        self.overdueAt = overdueAt
    }

    public func matches(_ c: CaseSummary) -> Bool {
        if let status, c.status != status { return false }
        if let sopID, c.sopID != sopID { return false }
        if let actor, !c.tasks.contains(where: { $0.actorKey == actor }) { return false }
        if let now = overdueAt, !(c.slaBreached(now: now) || c.tasks.contains { $0.isOverdue(now: now) }) { return false }
        return true
    }
}

/// Where events live. Events are the truth; the summaries are a projection the store
/// updates in the same transaction. `append` is optimistic: it fails with
/// `RuntimeError.conflict` unless the case is still at `expectedVersion`, so when two
/// writers complete the same step exactly one wins.
public protocol CaseStore: AnyObject {
    /// Keeps a compiled SOP by its content hash (cases are pinned to it).
    func saveGraph(_ graph: ProcessGraph) throws
    func graph(hash: String) throws -> ProcessGraph?
    /// A new case id, unique in this store (`case-000001`).
    func newCaseID() throws -> String
    func events(of caseID: String) throws -> [Event]
    func append(_ events: [Event], expectedVersion: Int, summary: CaseSummary) throws
    func summary(of caseID: String) throws -> CaseSummary?
    func summaries(_ filter: CaseFilter) throws -> [CaseSummary]
    /// Running cases with a timer or window due at or before `now`.
    func dueCases(upTo now: Instant) throws -> [String]
    /// The earliest instant a running case's timer or window falls due, if any.
    func earliestDue() throws -> Instant?
    /// Every event of every case, by case then sequence.
    func allEvents() throws -> [Event]
    /// Runs `body` in one transaction: every append inside is committed together.
    func inTransaction<T>(_ body: () throws -> T) throws -> T
}

/// An open step as a task list reads it: the step, its case's SOP, time zone and version.
public struct TaskRow: Sendable {
    public var task: TaskSummary
    public var sopID: String
    public var offset: UTCOffset
    public var version: Int
    public init(task: TaskSummary, sopID: String, offset: UTCOffset, version: Int) {
        self.task = task
        self.sopID = sopID
        self.offset = offset
        self.version = version
    }
}

/// A store that a long-running, multi-user front end (the case desk of `sop serve`) runs
/// on: besides the events, the person who caused each event, savepoints for group commit,
/// the task list in one query, and what `sop store copy` moves. SQLite and PostgreSQL are
/// both one.
public protocol DeskStore: CaseStore {
    /// Runs `body` in a savepoint of the open transaction (a transaction of its own outside
    /// one): when it throws, what it wrote is rolled back and the transaction goes on.
    func inSavepoint<T>(_ body: () throws -> T) throws -> T
    /// Records `person` as the one who caused these events of a case.
    func recordPerson(_ person: String, caseID: String, sequences: [Int]) throws
    /// The person recorded for each event of a case, by sequence number.
    func people(of caseID: String) throws -> [Int: String]
    /// Every open step of every running case (only those of these actor keys, when given),
    /// by deadline (steps without one last), then case and step.
    func openTasks(actorKeys: [String]?) throws -> [TaskRow]
    /// Every SOP version the store keeps, by content hash.
    func allGraphs() throws -> [ProcessGraph]
    /// Makes `newCaseID` continue after case number `n` at least (for a copied store).
    func reserveCaseNumbers(through n: Int) throws
    /// Writes a whole case as read from another store: its events (with their people) and
    /// its summary, as a new case (a conflict when the id is taken).
    func importCase(_ events: [Event], people: [Int: String], summary: CaseSummary) throws
    /// Where the store lives, for messages (a path, or a URL without its password).
    var location: String { get }
    /// A number that changes whenever anything is committed to the store, by any process;
    /// nil when the store cannot tell, and then nothing read from it may be kept.
    func changeStamp() -> Int64?
}

extension DeskStore {
    public func openTasks() throws -> [TaskRow] { try openTasks(actorKeys: nil) }
    public func changeStamp() -> Int64? { nil }

    public func importCase(_ events: [Event], people: [Int: String], summary: CaseSummary) throws {
        try inSavepoint {
            try append(events, expectedVersion: 0, summary: summary)
            var byPerson: [String: [Int]] = [:]
            for (seq, person) in people { byPerson[person, default: []].append(seq) }
            for (person, seqs) in byPerson.sorted(by: { $0.key < $1.key }) {
                try recordPerson(person, caseID: summary.id, sequences: seqs.sorted())
            }
        }
    }
}

extension RuntimeError {
    /// The store's database cannot be reached.
    public static func unavailable(_ location: String, _ reason: String) -> RuntimeError {
        RuntimeError(.unavailable,
            .init(en: "the case store \(location) cannot be reached (\(reason)); nothing was recorded, try again shortly",
                  id: "penyimpanan kasus \(location) tidak dapat dihubungi (\(reason)); tidak ada yang dicatat, coba lagi sebentar lagi"),
            help: .init(en: "check that the database server is running and reachable",
                        id: "periksa bahwa server basis data berjalan dan dapat dihubungi"))
    }

    public static func conflict(_ caseID: String, expected: Int, actual: Int) -> RuntimeError {
        RuntimeError(.conflict,
            .init(en: "case \(caseID) changed while this command ran (version \(actual), expected \(expected)): another operator acted first; nothing was recorded",
                  id: "kasus \(caseID) berubah saat perintah ini berjalan (versi \(actual), seharusnya \(expected)): operator lain bertindak lebih dulu; tidak ada yang dicatat"),
            help: .init(en: "look at the case again with `sop case show \(caseID)` and retry if still needed",
                        id: "lihat kembali kasus dengan `sop case show \(caseID)` lalu ulangi bila masih perlu"))
    }
}

/// A store in memory: `sop run` without `--db`, tests and the in-memory benchmark.
public final class MemoryCaseStore: CaseStore {
    private var graphs: [String: ProcessGraph] = [:]
    private var log: [String: [Event]] = [:]
    private var order: [String] = []
    private var projection: [String: CaseSummary] = [:]
    private var counter = 0

    public init() {}

    public func saveGraph(_ graph: ProcessGraph) throws { graphs[graph.contentHash] = graph }
    public func graph(hash: String) throws -> ProcessGraph? { graphs[hash] }

    public func newCaseID() throws -> String {
        counter += 1
        return CaseIDs.format(counter)
    }

    public func events(of caseID: String) throws -> [Event] { log[caseID] ?? [] }

    public func append(_ events: [Event], expectedVersion: Int, summary: CaseSummary) throws {
        let current = log[summary.id]?.count ?? 0
        guard current == expectedVersion else { throw RuntimeError.conflict(summary.id, expected: expectedVersion, actual: current) }
        if log[summary.id] == nil { order.append(summary.id) }
        log[summary.id, default: []].append(contentsOf: events)
        projection[summary.id] = summary
    }

    public func summary(of caseID: String) throws -> CaseSummary? { projection[caseID] }

    public func summaries(_ filter: CaseFilter) throws -> [CaseSummary] {
        order.compactMap { projection[$0] }.filter(filter.matches)
    }

    public func dueCases(upTo now: Instant) throws -> [String] {
        order.filter { id in projection[id].flatMap(\.nextDue).map { $0 <= now } ?? false }
    }

    public func earliestDue() throws -> Instant? { projection.values.compactMap(\.nextDue).min() }

    public func allEvents() throws -> [Event] { order.flatMap { log[$0] ?? [] } }

    private var inside = false

    /// All or nothing, as the durable stores: when `body` throws, what it wrote is undone
    /// (case numbers stay taken, as a database sequence's).
    public func inTransaction<T>(_ body: () throws -> T) throws -> T {
        if inside { return try body() }
        let saved = (graphs, log, order, projection)
        inside = true
        defer { inside = false }
        do {
            return try body()
        } catch {
            (graphs, log, order, projection) = saved
            throw error
        }
    }
}

/// Case ids: `case-000001`, sortable as text.
public enum CaseIDs {
    public static func format(_ n: Int) -> String {
        let digits = String(n)
        return "case-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
