import SOPDiagnostics
import SOPIR

/// The generic engine: given a compiled SOP, a case's state and a command, it returns the
/// events the command causes, or throws a `RuntimeError` and returns nothing. It never
/// reads a clock or a store: time comes in with each command, events go out to the caller.
///
/// Flow: completing a step follows its sequence edge (or the decision's branch); entering a
/// step activates it (deadline from its *Waktu*) and arms its timeouts; a parallel split
/// enters every branch; a join waits for all its incoming branches; the end node completes
/// the case once no step is open; a `call` step stays open until its child case completes.
public final class Engine: Sendable {
    public let graph: ProcessGraph
    public let calendar: WorkingCalendar
    /// Non-timeout edges leaving each node.
    private let next: [[ProcessGraph.Edge]]
    /// Timers armed when each node activates.
    private let timersOf: [[ProcessGraph.Timer]]
    /// Incoming edges of each join node.
    private let joinDegree: [Int]
    private let hasClasses: Bool
    /// Per node, read on every command (the IR's `Node` is large; these are not).
    private let kinds: [ProcessGraph.NodeKind]
    private let actors: [[Int]]
    private let requirements: [[Int]]
    private let recurrences: [Recurrence?]
    /// What the fold needs of the graph.
    public let tables: FoldTables

    public init(graph: ProcessGraph, calendar: WorkingCalendar) {
        self.graph = graph
        self.calendar = calendar
        var next = [[ProcessGraph.Edge]](repeating: [], count: graph.nodes.count)
        var degree = [Int](repeating: 0, count: graph.nodes.count)
        for e in graph.edges where e.kind != .timeout {
            next[e.from].append(e)
            degree[e.to] += 1
        }
        var timersOf = [[ProcessGraph.Timer]](repeating: [], count: graph.nodes.count)
        for t in graph.timers { timersOf[t.node].append(t) }
        self.next = next
        self.timersOf = timersOf
        self.joinDegree = degree
        tables = FoldTables(graph)
        kinds = graph.nodes.map(\.kind)
        actors = graph.nodes.map(\.allActors)
        requirements = graph.nodes.map(\.requires)
        recurrences = graph.nodes.map { n in
            if let r = n.recurrence, case let .recurring(rec) = r.value { return rec }
            return nil
        }
        hasClasses = graph.nodes.contains { if case .classes = $0.duration?.value { return true } else { return false } }
    }

    /// The class names the SOP's durations use (ringan, sedang, berat), in first-seen order.
    public var durationClasses: [String] {
        var seen: [String] = []
        for n in graph.nodes {
            if case let .classes(classes) = n.duration?.value {
                for c in classes where !seen.contains(c.name) { seen.append(c.name) }
            }
        }
        return seen
    }

    // MARK: Commands

    /// Starts a case: `caseStarted`, then the first steps' activations.
    public func start(caseID: String, at: Instant, durationClass: String? = nil,
                      parent: String? = nil, parentNode: Int? = nil) throws(RuntimeError) -> [Event] {
        var chosen = durationClass?.lowercased()
        if hasClasses {
            let names = durationClasses
            guard let c = chosen else {
                throw RuntimeError(.classRequired,
                    Message(en: "this SOP's durations depend on a class: choose one of \(names.joined(separator: ", "))",
                            id: "waktu SOP ini bergantung pada kelas: pilih salah satu dari \(names.joined(separator: ", "))"),
                    help: Message(en: "start the case with --class \(names[0])", id: "mulai kasus dengan --class \(names[0])"))
            }
            guard names.contains(c) else {
                throw RuntimeError(.classRequired,
                    Message(en: "unknown class `\(c)`: this SOP has \(names.joined(separator: ", "))",
                            id: "kelas `\(c)` tidak dikenal: SOP ini memiliki \(names.joined(separator: ", "))"))
            }
        } else {
            chosen = nil
        }
        var sla: Instant?
        if let span = graph.sla?.maximum { sla = try deadline(span, from: at) }
        let start = CaseStart(sopID: graph.id, contentHash: graph.contentHash, calendar: calendar.settings,
                              durationClass: chosen, parent: parent, parentNode: parentNode, slaDeadline: sla)
        var run = Run(engine: self, state: CaseState(id: caseID), at: at)
        run.emit(.caseStarted(start))
        try run.follow(from: 0)
        return run.events
    }

    /// The step's actor completes an open step (not a decision: see `decide`).
    public func complete(_ state: CaseState, node: Int, by actor: Int?, documents: [Int] = [], waived: [Waiver] = [],
                         note: String? = nil, last: Bool = false, at: Instant) throws(RuntimeError) -> [Event] {
        let task = try open(state, node, at: at)
        let kind = kinds[node]
        if kind == .decision {
            let labels = next[node].compactMap(\.label)
            throw RuntimeError(.needsBranch,
                Message(en: "step \(name(node)) is a decision: choose a branch (\(labels.joined(separator: ", ")))",
                        id: "langkah \(name(node)) adalah keputusan: pilih cabang (\(labels.joined(separator: ", ")))"))
        }
        if kind == .call, let child = task.child {
            let callee = graph.nodes[node].callee ?? "?"
            throw RuntimeError(.waitingForChild,
                Message(en: "step \(name(node)) waits for its child case \(child) of \(callee)",
                        id: "langkah \(name(node)) menunggu kasus turunan \(child) dari \(callee)"))
        }
        try checkActor(node, actor)
        try checkDocuments(state, node, documents, waived)
        let completion = Completion(node: node, actor: actor, documents: documents, waived: waived, note: note)
        var run = Run(engine: self, state: state, at: at)
        if let r = recurrences[node], !last, !windowEnded(task, r, at: at) {
            let from = max(at, task.deadline ?? at)
            run.emit(.occurrenceCompleted(completion, nextDeadline: try period(r, containing: from)))
            return run.events
        }
        run.emit(.taskCompleted(completion))
        try run.follow(from: node)
        return run.events
    }

    /// The decision's actor takes one of its declared branches.
    public func decide(_ state: CaseState, node: Int, branch: String, by actor: Int?, documents: [Int] = [],
                       waived: [Waiver] = [], note: String? = nil, at: Instant) throws(RuntimeError) -> [Event] {
        _ = try open(state, node, at: at)
        let edges = next[node].filter { $0.kind == .branch }
        guard kinds[node] == .decision, !edges.isEmpty else {
            throw RuntimeError(.unknownBranch,
                Message(en: "step \(name(node)) is not a decision: complete it instead",
                        id: "langkah \(name(node)) bukan keputusan: selesaikan langkah itu"))
        }
        let wanted = Self.fold(branch)
        guard let edge = edges.first(where: { Self.fold($0.label ?? "") == wanted }) else {
            let labels = edges.compactMap(\.label)
            throw RuntimeError(.unknownBranch,
                Message(en: "`\(branch)` is not a branch of \(name(node)): the branches are \(labels.joined(separator: ", "))",
                        id: "`\(branch)` bukan cabang dari \(name(node)): cabangnya \(labels.joined(separator: ", "))"))
        }
        try checkActor(node, actor)
        try checkDocuments(state, node, documents, waived)
        var run = Run(engine: self, state: state, at: at)
        run.emit(.taskCompleted(Completion(node: node, actor: actor, documents: documents, waived: waived, note: note)))
        run.emit(.decisionTaken(node: node, branch: edge.label ?? branch, target: edge.to))
        try run.enter(edge.to)
        return run.events
    }

    /// The step's actor records a response (*tanggapan*) on an open step without finishing
    /// it; timers counted from the last response are armed again from now.
    public func respond(_ state: CaseState, node: Int, by actor: Int?, note: String? = nil, at: Instant) throws(RuntimeError) -> [Event] {
        _ = try open(state, node, at: at)
        try checkActor(node, actor)
        var run = Run(engine: self, state: state, at: at)
        run.emit(.responseRecorded(node: node, actor: actor, note: note))
        try run.arm(node, anchor: .lastResponse)
        return run.events
    }

    /// Records that a call step's child case started.
    public func childStarted(_ state: CaseState, node: Int, child: String, sop: String, at: Instant) throws(RuntimeError) -> [Event] {
        _ = try open(state, node, at: at)
        var run = Run(engine: self, state: state, at: at)
        run.emit(.childStarted(node: node, child: child, sop: sop))
        return run.events
    }

    /// The child case of a call step finished: the step completes and the case moves on.
    public func childCompleted(_ state: CaseState, node: Int, child: String, at: Instant) throws(RuntimeError) -> [Event] {
        _ = try open(state, node, at: at)
        var run = Run(engine: self, state: state, at: at)
        run.emit(.childCompleted(node: node, child: child))
        try run.follow(from: node)
        return run.events
    }

    public func cancel(_ state: CaseState, reason: String, by: String?, at: Instant) throws(RuntimeError) -> [Event] {
        try checkRunning(state, at: at)
        var run = Run(engine: self, state: state, at: at)
        run.emit(.caseCancelled(reason: reason, by: by))
        return run.events
    }

    /// Fires, in time order, every timer and recurrence window due at or before `now`;
    /// each event carries the instant it fell due.
    public func fireDue(_ state: CaseState, upTo now: Instant) throws(RuntimeError) -> [Event] {
        var run = Run(engine: self, state: state, at: now)
        while run.state.status == .running, let (due, action) = nextDueAction(run.state), due <= now {
            run.at = due
            switch action {
            case let .timer(t):
                let timer = graph.timers[t.timer]
                run.emit(.timerFired(timer: timer.id, node: timer.node, target: timer.target))
                try run.enter(timer.target)
            case let .window(node):
                run.emit(.taskCompleted(Completion(node: node, actor: nil,
                    note: "recurrence window ended / masa pengulangan berakhir")))
                try run.follow(from: node)
            }
        }
        return run.events
    }

    /// The earliest instant at which `fireDue` would do something.
    public func nextDue(_ state: CaseState) -> Instant? {
        nextDueAction(state)?.0
    }

    private enum DueAction { case timer(CaseState.ArmedTimer), window(Int) }

    private func nextDueAction(_ state: CaseState) -> (Instant, DueAction)? {
        var best: (Instant, DueAction)?
        for t in state.timers where best == nil || t.due < best!.0 { best = (t.due, .timer(t)) }
        for task in state.openTasks {
            guard let r = recurrences[task.node], let end = try? windowEnd(task, r) else { continue }
            if best == nil || end < best!.0 { best = (end, .window(task.node)) }
        }
        return best
    }

    // MARK: Rules

    private func checkRunning(_ state: CaseState, at: Instant) throws(RuntimeError) {
        guard state.status == .running else {
            let what = state.status == .completed ? Message(en: "completed", id: "selesai") : Message(en: "cancelled", id: "dibatalkan")
            throw RuntimeError(.caseClosed,
                Message(en: "case \(state.id) is \(what.en) and accepts nothing more",
                        id: "kasus \(state.id) sudah \(what.id) dan tidak menerima tindakan lagi"))
        }
        if let last = state.lastEventAt, at < last {
            throw RuntimeError(.clockWentBack,
                Message(en: "case \(state.id) already has an event at \(calendar.settings.offset.format(last)); time cannot go back to \(calendar.settings.offset.format(at))",
                        id: "kasus \(state.id) sudah memiliki kejadian pada \(calendar.settings.offset.format(last)); waktu tidak dapat mundur ke \(calendar.settings.offset.format(at))"))
        }
    }

    private func open(_ state: CaseState, _ node: Int, at: Instant) throws(RuntimeError) -> CaseState.OpenTask {
        try checkRunning(state, at: at)
        guard node >= 0, node < kinds.count, kinds[node] == .task || kinds[node] == .decision || kinds[node] == .call else {
            throw RuntimeError(.unknownStep, Message(en: "no step \(node) in \(graph.id)", id: "tidak ada langkah \(node) di \(graph.id)"))
        }
        guard let task = state.openTask(node) else {
            let open = state.openTasks.map { name($0.node) }
            let list = open.isEmpty ? "—" : open.joined(separator: ", ")
            throw RuntimeError(.notOpen,
                Message(en: "step \(name(node)) is not open in case \(state.id); open now: \(list)",
                        id: "langkah \(name(node)) tidak sedang terbuka di kasus \(state.id); yang terbuka: \(list)"))
        }
        return task
    }

    /// Only one of the step's actors acts on it (any of them, for `actor: [a, b]`).
    private func checkActor(_ node: Int, _ actor: Int?) throws(RuntimeError) {
        let allowed = actors[node]
        guard !allowed.isEmpty, !(actor.map(allowed.contains) ?? false) else { return }
        let who = actor.map { graph.actors[$0].name } ?? "—"
        let owners = allowed.map { graph.actors[$0].name }
        let keys = allowed.map { "`\(graph.actors[$0].key)`" }
        throw RuntimeError(.wrongActor,
            Message(en: "step \(name(node)) is \(owners.joined(separator: " or "))'s to do, not \(who)'s",
                    id: "langkah \(name(node)) adalah tugas \(owners.joined(separator: " atau ")), bukan \(who)"),
            help: Message(en: "act as \(keys.joined(separator: " or "))", id: "bertindak sebagai \(keys.joined(separator: " atau "))"))
    }

    private func checkDocuments(_ state: CaseState, _ node: Int, _ supplied: [Int], _ waived: [Waiver]) throws(RuntimeError) {
        // A printed requirement is also met by the document that satisfies it (`satisfied_by`).
        let missing = requirements[node].filter { d in
            let ds = [d] + (graph.documents[d].satisfiedBy.map { [$0] } ?? [])
            return !ds.contains { state.documents.contains($0) || supplied.contains($0) } && !waived.contains { $0.document == d }
        }
        guard !missing.isEmpty else { return }
        let names = missing.map { "“\(graph.documents[$0].name)”" }.joined(separator: ", ")
        throw RuntimeError(.missingDocuments,
            Message(en: "step \(name(node)) requires \(names), not yet supplied",
                    id: "langkah \(name(node)) memerlukan \(names) yang belum diserahkan"),
            help: Message(en: "supply it with --doc NAME, or waive it with --waive NAME=REASON",
                          id: "serahkan dengan --doc NAMA, atau kecualikan dengan --waive NAMA=ALASAN"))
    }

    // MARK: Time

    func deadline(_ span: TimeSpan, from: Instant) throws(RuntimeError) -> Instant {
        do { return try calendar.deadline(after: span, from: from) } catch { throw RuntimeError.calendar(error) }
    }

    private func period(_ r: Recurrence, containing at: Instant) throws(RuntimeError) -> Instant {
        do { return try calendar.endOfPeriod(r.every, containing: at, interval: r.interval ?? 1) } catch { throw RuntimeError.calendar(error) }
    }

    private func windowEnd(_ task: CaseState.OpenTask, _ r: Recurrence) throws(RuntimeError) -> Instant? {
        guard let lasting = r.lasting else { return nil }
        return try deadline(lasting, from: task.activatedAt)
    }

    private func windowEnded(_ task: CaseState.OpenTask, _ r: Recurrence, at: Instant) -> Bool {
        guard let end = try? windowEnd(task, r) else { return false }
        return at >= end
    }

    /// The deadline of a step activated at `at`: its *Waktu* maximum (the case's class for
    /// classes), the end of the current period for a recurring step, nil when not timed.
    func deadline(of node: Int, at: Instant, durationClass: String?, state: CaseState? = nil) throws(RuntimeError) -> Instant? {
        if let r = recurrences[node] { return try period(r, containing: at) }
        let n = graph.nodes[node]
        // Another party's window is not the step's own time: no deadline from it.
        guard let d = n.duration, n.durationWindowOf == nil else { return nil }
        // A duration counted `from` an event runs from it: the case's start, or the latest
        // completion of the named step (the step's own start when that has not happened).
        var at = at
        if let from = n.durationFrom, let state {
            if from == 0, let started = state.startedAt { at = started } else if let done = state.completedAt[from] { at = done }
        }
        switch d.value {
        case .amount, .recurring:
            guard let span = d.maximum else { return nil }
            return try deadline(span, from: at)
        case let .classes(classes):
            guard let c = classes.first(where: { $0.name == durationClass }) else { return nil }
            return try deadline(c.span, from: at)
        case .notApplicable, .serviceHours:
            return nil
        }
    }

    /// "3 (Verifikasi laporan)" for messages.
    func name(_ node: Int) -> String {
        let n = graph.nodes[node]
        let label = n.label.count > 60 ? String(n.label.prefix(57)) + "…" : n.label
        let name = n.conditionOf != nil ? (n.number ?? "") + "?" : n.number ?? n.key ?? String(node)
        return "\(name) (\(label))"
    }

    /// A name as roles and actors are compared: lower-case letters and digits only. Most
    /// names are ASCII: folded byte by byte, without Unicode's character tables (a task list
    /// and a scenario fold a name per step).
    public static func fold(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): out.append(b)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): out.append(b + 32)
            case 0x80...: return s.lowercased().filter { $0.isLetter || $0.isNumber }
            default: continue
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: The events of one command

    /// Accumulates events and applies each to a working copy of the state as it goes.
    private struct Run {
        let engine: Engine
        var state: CaseState
        var at: Instant
        var events: [Event] = []

        mutating func emit(_ body: Event.Body) {
            let e = Event(caseID: state.id, sequence: state.version + 1, at: at, body: body)
            state.apply(e, tables: engine.tables)
            events.append(e)
        }

        /// Leaves `node` along its sequence / parallel edges.
        mutating func follow(from node: Int) throws(RuntimeError) {
            for e in engine.next[node] where e.kind != .branch { try enter(e.to) }
        }

        /// Arms the node's timers that count from `anchor`, from now.
        mutating func arm(_ node: Int, anchor: ProcessGraph.TimerAnchor) throws(RuntimeError) {
            for t in engine.timersOf[node] where (t.since ?? .activation) == anchor {
                guard let span = t.after.maximum else { continue }
                emit(.timerScheduled(timer: t.id, node: node, due: try engine.deadline(span, from: at)))
            }
        }

        mutating func enter(_ node: Int) throws(RuntimeError) {
            switch engine.kinds[node] {
            case .start:
                try follow(from: node)
            case .task, .decision, .call:
                let due = try engine.deadline(of: node, at: at, durationClass: state.start?.durationClass, state: state)
                emit(.taskActivated(node: node, deadline: due))
                try arm(node, anchor: .activation)
            case .parallelSplit:
                try follow(from: node)
            case .parallelJoin:
                emit(.joinReached(node: node))
                if state.joinArrivals[node] == nil { try follow(from: node) }
            case .end:
                if engine.graph.nodes[node].key != nil { emit(.outcomeReached(node: node)) }
                if state.openTasks.isEmpty && state.joinArrivals.isEmpty { emit(.caseCompleted) }
            }
        }
    }
}
