import SOPIR

/// One fact in a case's append-only log. A case's state is the fold of its events
/// (`CaseState.apply`), so the same events give the same state anywhere.
public struct Event: Hashable, Sendable {
    public var caseID: String
    /// 1, 2, 3… within the case; the store refuses a gap or a repeat (optimistic concurrency).
    public var sequence: Int
    public var at: Instant
    public var body: Body

    public init(caseID: String, sequence: Int, at: Instant, body: Body) {
        self.caseID = caseID
        self.sequence = sequence
        self.at = at
        self.body = body
    }

    public enum Body: Hashable, Sendable {
        /// The case begins, pinned to one compiled SOP and one calendar.
        case caseStarted(CaseStart)
        /// A step becomes someone's turn; `deadline` from its *Waktu*, if it has one.
        case taskActivated(node: Int, deadline: Instant?)
        /// The step's actor finished it (a decision also records `decisionTaken`).
        case taskCompleted(Completion)
        /// A decision's branch, taken by the decision's actor.
        case decisionTaken(node: Int, branch: String, target: Int)
        /// A timeout is armed on an open step.
        case timerScheduled(timer: Int, node: Int, due: Instant)
        /// A timeout fired: its step is closed and the case moves along the timeout edge.
        case timerFired(timer: Int, node: Int, target: Int)
        /// One branch reached a parallel join.
        case joinReached(node: Int)
        /// A `call` step started a child case of another SOP.
        case childStarted(node: Int, child: String, sop: String)
        /// The child case finished; the call step completes.
        case childCompleted(node: Int, child: String)
        /// The step's actor answered (a *tanggapan*) without finishing the step; timers
        /// counted `since: last-response` are re-armed from here.
        case responseRecorded(node: Int, actor: Int?, note: String?)
        /// A recurring step's occurrence was done; the step stays open for the next period.
        case occurrenceCompleted(Completion, nextDeadline: Instant?)
        /// The case reached a named end (an outcome: "diteruskan oleh sistem ke Ombudsman
        /// RI"); `node` is the outcome's end node. The default end records none.
        case outcomeReached(node: Int)
        case caseCompleted
        case caseCancelled(reason: String, by: String?)
    }

    /// The short name of the event's kind, as stored and exported.
    public var kind: String {
        switch body {
        case .caseStarted: return "case_started"
        case .taskActivated: return "task_activated"
        case .taskCompleted: return "task_completed"
        case .decisionTaken: return "decision_taken"
        case .timerScheduled: return "timer_scheduled"
        case .timerFired: return "timer_fired"
        case .joinReached: return "join_reached"
        case .childStarted: return "child_started"
        case .childCompleted: return "child_completed"
        case .responseRecorded: return "response_recorded"
        case .occurrenceCompleted: return "occurrence_completed"
        case .outcomeReached: return "outcome_reached"
        case .caseCompleted: return "case_completed"
        case .caseCancelled: return "case_cancelled"
        }
    }
}

/// What a case is pinned to when it starts.
public struct CaseStart: Hashable, Sendable, Codable {
    public var sopID: String
    /// The compiled SOP's content hash: the case runs this graph even if the YAML changes.
    public var contentHash: String
    public var calendar: CalendarSettings
    /// The duration class chosen for the case (ringan / sedang / berat), if the SOP has classes.
    public var durationClass: String?
    /// The parent case and its call step, for a child case.
    public var parent: String?
    public var parentNode: Int?
    /// When the SOP-level SLA runs out.
    public var slaDeadline: Instant?

    public init(sopID: String, contentHash: String, calendar: CalendarSettings, durationClass: String? = nil,
                parent: String? = nil, parentNode: Int? = nil, slaDeadline: Instant? = nil) {
        self.sopID = sopID
        self.contentHash = contentHash
        self.calendar = calendar
        self.durationClass = durationClass
        self.parent = parent
        self.parentNode = parentNode
        self.slaDeadline = slaDeadline
    }
}

/// A step done by its actor, with the documents supplied and waived.
public struct Completion: Hashable, Sendable, Codable {
    public var node: Int
    /// The actor's index in the graph (`nil` for a step that names no actor).
    public var actor: Int?
    /// Document indices supplied with the completion.
    public var documents: [Int]
    public var waived: [Waiver]
    public var note: String?

    public init(node: Int, actor: Int?, documents: [Int] = [], waived: [Waiver] = [], note: String? = nil) {
        self.node = node
        self.actor = actor
        self.documents = documents
        self.waived = waived
        self.note = note
    }
}

/// A required document not supplied, and why.
public struct Waiver: Hashable, Sendable, Codable {
    public var document: Int
    public var reason: String
    public init(document: Int, reason: String) {
        self.document = document
        self.reason = reason
    }
}
