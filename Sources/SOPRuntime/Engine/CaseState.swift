import SOPIR

/// A case's state: a pure fold over its events (`apply`). Never written to directly.
public struct CaseState: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, Codable { case running, completed, cancelled }

    /// A step whose turn it is.
    public struct OpenTask: Hashable, Sendable {
        public var node: Int
        public var activatedAt: Instant
        public var deadline: Instant?
        /// The child case a `call` step waits for.
        public var child: String?
        /// Occurrences done so far, for a recurring step.
        public var occurrences: Int
        /// When the actor first and last answered on this step (`responseRecorded`). The
        /// first answer is the step's work delivered: the deadline is judged there.
        public var firstResponse: Instant?
        public var lastResponse: Instant?
    }

    /// A timer armed on an open step.
    public struct ArmedTimer: Hashable, Sendable {
        public var timer: Int
        public var node: Int
        public var due: Instant
    }

    public let id: String
    public private(set) var start: CaseStart?
    public private(set) var startedAt: Instant?
    public private(set) var status: Status = .running
    /// The sequence number of the last event applied (0 before the first).
    public private(set) var version = 0
    public private(set) var lastEventAt: Instant?
    public private(set) var finishedAt: Instant?
    public private(set) var openTasks: [OpenTask] = []
    public private(set) var timers: [ArmedTimer] = []
    /// Documents the case holds: supplied with a step, or produced by a completed step.
    public private(set) var documents = DocumentSet()
    /// Branches that reached each join and are waiting for the others.
    public private(set) var joinArrivals: [Int: Int] = [:]
    /// Steps finished after their deadline (node ids, in order; a node may repeat).
    public private(set) var breachedSteps: [Int] = []
    public private(set) var completedSteps = 0
    public private(set) var cancelReason: String?
    /// The named end the case reached (its end node), if any.
    public private(set) var outcome: Int?
    /// When each step was last completed (the anchor of durations counted `from` it).
    public private(set) var completedAt: [Int: Instant] = [:]

    public init(id: String) { self.id = id }

    /// Folds a whole log.
    public init(id: String, events: some Sequence<Event>, graph: ProcessGraph? = nil) {
        self.init(id: id)
        let tables = graph.map(FoldTables.init)
        for e in events { apply(e, tables: tables) }
    }

    public func openTask(_ node: Int) -> OpenTask? { openTasks.first { $0.node == node } }

    /// Whether the case ran past its SLA: finished after it, or still running past it at `now`.
    public func breachedSLA(now: Instant) -> Bool {
        guard let due = start?.slaDeadline else { return false }
        return (finishedAt ?? now) > due
    }

    /// Open steps whose deadline has passed at `now`.
    public func overdueTasks(now: Instant) -> [OpenTask] {
        openTasks.filter { t in t.deadline.map { now > $0 } ?? false }
    }

    /// Applies one event (building the graph's tables: for a few events; an `Engine` keeps
    /// its `tables` for the hot path).
    public mutating func apply(_ event: Event, graph: ProcessGraph?) {
        apply(event, tables: graph.map(FoldTables.init))
    }

    /// Applies one event. The tables let a completion add the step's outputs to the case's
    /// documents and a join count its branches; without them only supplied documents are tracked.
    public mutating func apply(_ event: Event, tables: FoldTables?) {
        version = event.sequence
        lastEventAt = event.at
        switch event.body {
        case let .caseStarted(s):
            start = s
            startedAt = event.at
        case let .taskActivated(node, deadline):
            if let i = openTasks.firstIndex(where: { $0.node == node }) {
                openTasks[i].activatedAt = event.at
                openTasks[i].deadline = deadline
            } else {
                openTasks.append(OpenTask(node: node, activatedAt: event.at, deadline: deadline, child: nil, occurrences: 0, firstResponse: nil, lastResponse: nil))
            }
        case let .taskCompleted(c):
            close(c.node, at: event.at)
            completedAt[c.node] = event.at
            record(c, tables)
            completedSteps += 1
        case .decisionTaken:
            break
        case let .timerScheduled(timer, node, due):
            if timers.contains(where: { $0.timer == timer }) { timers.removeAll { $0.timer == timer } }
            timers.append(ArmedTimer(timer: timer, node: node, due: due))
        case let .timerFired(_, node, _):
            close(node, at: event.at)
        case let .joinReached(node):
            joinArrivals[node, default: 0] += 1
            if let t = tables, joinArrivals[node]! >= t.incoming[node] {
                joinArrivals[node] = nil
            }
        case let .responseRecorded(node, _, _):
            if let i = openTasks.firstIndex(where: { $0.node == node }) {
                if openTasks[i].firstResponse == nil { openTasks[i].firstResponse = event.at }
                openTasks[i].lastResponse = event.at
            }
        case let .childStarted(node, child, _):
            if let i = openTasks.firstIndex(where: { $0.node == node }) { openTasks[i].child = child }
        case let .childCompleted(node, _):
            close(node, at: event.at)
            completedAt[node] = event.at
            completedSteps += 1
        case let .occurrenceCompleted(c, next):
            record(c, tables)
            if let i = openTasks.firstIndex(where: { $0.node == c.node }) {
                if let d = openTasks[i].deadline, event.at > d { breachedSteps.append(c.node) }
                openTasks[i].occurrences += 1
                openTasks[i].deadline = next
            }
        case let .outcomeReached(node):
            outcome = node
        case .caseCompleted:
            status = .completed
            finishedAt = event.at
        case let .caseCancelled(reason, _):
            status = .cancelled
            cancelReason = reason
            finishedAt = event.at
            openTasks.removeAll()
            timers.removeAll()
        }
    }

    /// Closes an open step at `at`, noting a breach when its first response, or else `at`,
    /// is past its deadline.
    private mutating func close(_ node: Int, at: Instant) {
        if let i = openTasks.firstIndex(where: { $0.node == node }) {
            if let d = openTasks[i].deadline, (openTasks[i].firstResponse ?? at) > d { breachedSteps.append(node) }
            openTasks.remove(at: i)
        }
        if timers.contains(where: { $0.node == node }) { timers.removeAll { $0.node == node } }
    }

    private mutating func record(_ c: Completion, _ tables: FoldTables?) {
        for d in c.documents { documents.insert(d) }
        if let tables, c.node < tables.produces.count {
            for d in tables.produces[c.node] { documents.insert(d) }
        }
    }
}

/// A set of document indices: a bit mask for the first 64 (every SOP of the catalogue), a
/// `Set` beyond. Copying and inserting never allocates in the common case, which keeps the
/// fold cheap.
public struct DocumentSet: Hashable, Sendable {
    private var bits: UInt64 = 0
    private var more: Set<Int> = []

    public init() {}

    public func contains(_ d: Int) -> Bool {
        d < 64 ? bits & (1 << UInt64(d)) != 0 : more.contains(d)
    }

    public mutating func insert(_ d: Int) {
        if d < 64 { bits |= 1 << UInt64(d) } else { more.insert(d) }
    }

    public var count: Int { bits.nonzeroBitCount + more.count }
}

/// The little of a graph the fold reads, computed once per graph.
public final class FoldTables: Sendable {
    /// Documents each node produces.
    public let produces: [[Int]]
    /// The arrivals each parallel join waits for: the branches of its block
    /// (`ProcessGraph.joinBranchCounts`).
    public let incoming: [Int]

    public init(_ graph: ProcessGraph) {
        produces = graph.nodes.map(\.produces)
        incoming = graph.joinBranchCounts()
    }
}
