import SOPDiagnostics
import SOPIR

/// Runs cases against a store: resolves names the operator types (step keys or numbers,
/// actor keys or names, document names), fires due timers before each command, asks the
/// engine for the events, appends them, and starts / finishes child cases of `call` steps.
public final class CaseService {
    public let store: CaseStore
    public let clock: Clock
    /// Finds a catalogue SOP by id, for `call` steps.
    public var resolveSOP: (String) throws -> ProcessGraph?
    /// The calendar of a new case (per SOP / per organisation defaults).
    public var calendarFor: (ProcessGraph) -> CalendarSettings
    /// Keeps folded states between commands (one writer per store: benchmarks, `sop run`).
    public var cachesStates = false

    private var engines: [String: Engine] = [:]
    private var calendars: [CalendarSettings: WorkingCalendar] = [:]
    private var states: [String: CaseState] = [:]

    public init(store: CaseStore, clock: Clock, resolveSOP: @escaping (String) throws -> ProcessGraph? = { _ in nil },
                calendarFor: @escaping (ProcessGraph) -> CalendarSettings = { CalendarSettings.forSOP($0.id) }) {
        self.store = store
        self.clock = clock
        self.resolveSOP = resolveSOP
        self.calendarFor = calendarFor
    }

    // MARK: Loading

    public func engine(for graph: ProcessGraph, settings: CalendarSettings) -> Engine {
        let key = graph.contentHash + "|" + settings.week.rawValue + "|\(settings.cutiBersamaIsWorking)|\(settings.offset.minutes)"
        if let e = engines[key] { return e }
        let calendar = calendars[settings] ?? WorkingCalendar(settings)
        calendars[settings] = calendar
        let e = Engine(graph: graph, calendar: calendar)
        engines[key] = e
        return e
    }

    /// The case's state and the engine of the SOP version it is pinned to.
    public func load(_ caseID: String) throws -> (CaseState, Engine) {
        if cachesStates, let s = states[caseID], let start = s.start, let g = try graphFor(start.contentHash, caseID) {
            return (s, engine(for: g, settings: start.calendar))
        }
        if let p = primed, p.id == caseID {
            primed = nil
            return (p.state, p.engine)
        }
        return try load(caseID, events: try store.events(of: caseID))
    }

    /// The case's state from its events as the caller just read them (in the transaction
    /// the command runs in), and the engine of the SOP version it is pinned to.
    public func load(_ caseID: String, events: [Event]) throws -> (CaseState, Engine) {
        guard case let .caseStarted(start)? = events.first?.body else {
            throw RuntimeError(.unknownCase, Message(en: "no case `\(caseID)` in this store", id: "tidak ada kasus `\(caseID)` di penyimpanan ini"),
                               help: Message(en: "list the cases with `sop case list`", id: "lihat daftar kasus dengan `sop case list`"))
        }
        guard let graph = try graphFor(start.contentHash, caseID) else {
            throw RuntimeError(.unknownSOP, Message(en: "case \(caseID) is pinned to SOP version \(start.contentHash), which this store does not hold",
                                                    id: "kasus \(caseID) terikat pada versi SOP \(start.contentHash) yang tidak ada di penyimpanan ini"))
        }
        let state = CaseState(id: caseID, events: events, graph: graph)
        if cachesStates { states[caseID] = state }
        return (state, engine(for: graph, settings: start.calendar))
    }

    /// A state the caller loaded in this same transaction and has not changed since.
    private var primed: (id: String, state: CaseState, engine: Engine)?

    /// Runs `body` with `state` standing for the case's first `load` (saving a read of
    /// what the caller just read in the same transaction); forgotten after the first load
    /// or when `body` returns.
    public func withLoaded<T>(_ caseID: String, _ state: CaseState, _ engine: Engine, _ body: () throws -> T) rethrows -> T {
        primed = (caseID, state, engine)
        defer { primed = nil }
        return try body()
    }

    private func graphFor(_ hash: String, _ caseID: String) throws -> ProcessGraph? {
        if let e = engines.values.first(where: { $0.graph.contentHash == hash }) { return e.graph }
        return try store.graph(hash: hash)
    }

    // MARK: Commands

    /// Starts a case of `graph` now; returns its id.
    @discardableResult
    public func start(_ graph: ProcessGraph, durationClass: String? = nil, calendar: CalendarSettings? = nil,
                      parent: (id: String, node: Int)? = nil) throws -> String {
        let engine = self.engine(for: graph, settings: calendar ?? calendarFor(graph))
        try store.saveGraph(graph)
        let id = try store.newCaseID()
        let events = try engine.start(caseID: id, at: clock.now(), durationClass: durationClass, parent: parent?.id, parentNode: parent?.node)
        try commit(events, to: CaseState(id: id), engine)
        return id
    }

    /// Completes a step: `step` is its key, its number or `#node`; `by` an actor key or name.
    public func complete(_ caseID: String, step: String, by: String?, documents: [String] = [],
                         waivers: [(String, String)] = [], note: String? = nil, last: Bool = false) throws -> [Event] {
        try act(caseID) { state, engine, now in
            let node = try Self.node(step, in: engine.graph)
            return try engine.complete(state, node: node, by: Self.actor(by, in: engine.graph),
                                       documents: Self.documents(documents, in: engine.graph),
                                       waived: Self.waivers(waivers, in: engine.graph), note: note, last: last, at: now)
        }
    }

    public func decide(_ caseID: String, step: String, branch: String, by: String?, documents: [String] = [],
                       waivers: [(String, String)] = [], note: String? = nil) throws -> [Event] {
        try act(caseID) { state, engine, now in
            let node = try Self.node(step, in: engine.graph)
            return try engine.decide(state, node: node, branch: branch, by: Self.actor(by, in: engine.graph),
                                     documents: Self.documents(documents, in: engine.graph),
                                     waived: Self.waivers(waivers, in: engine.graph), note: note, at: now)
        }
    }

    /// Records the actor's response on an open step (the step stays open).
    public func respond(_ caseID: String, step: String, by: String?, note: String? = nil) throws -> [Event] {
        try act(caseID) { state, engine, now in
            try engine.respond(state, node: Self.node(step, in: engine.graph), by: Self.actor(by, in: engine.graph), note: note, at: now)
        }
    }

    public func cancel(_ caseID: String, reason: String, by: String?) throws -> [Event] {
        try act(caseID) { state, engine, now in try engine.cancel(state, reason: reason, by: by, at: now) }
    }

    /// Fires every timer due by now, in every case. Returns the events, by case.
    @discardableResult
    public func advance() throws -> [Event] {
        let now = clock.now()
        var all: [Event] = []
        for id in try store.dueCases(upTo: now) {
            all += try fireDue(id, now: now)
        }
        return all
    }

    /// Fires one case's due timers (before any command on it).
    @discardableResult
    public func fireDue(_ caseID: String, now: Instant) throws -> [Event] {
        let (state, engine) = try load(caseID)
        let events = try engine.fireDue(state, upTo: now)
        guard !events.isEmpty else { return [] }
        return try commit(events, to: state, engine)
    }

    /// Fires the case's due timers, then runs the command on the state they leave.
    private func act(_ caseID: String, _ command: (CaseState, Engine, Instant) throws -> [Event]) throws -> [Event] {
        let now = clock.now()
        var (state, engine) = try load(caseID)
        var fired = try engine.fireDue(state, upTo: now)
        if !fired.isEmpty {
            fired = try commit(fired, to: state, engine)
            (state, engine) = try load(caseID)   // settling child cases may have appended too
        }
        return try fired + commit(try command(state, engine, now), to: state, engine)
    }

    /// Appends events, then settles child cases: starts the child of a newly opened `call`
    /// step, and completes the parent's call step when a child case completes.
    @discardableResult
    private func commit(_ events: [Event], to state: CaseState, _ engine: Engine) throws -> [Event] {
        var next = state
        for e in events { next.apply(e, tables: engine.tables) }
        do {
            try store.append(events, expectedVersion: state.version, summary: CaseSummary(state: next, engine: engine))
        } catch {
            states[state.id] = nil
            throw error
        }
        if cachesStates { states[state.id] = next }
        var more: [Event] = []
        for task in next.openTasks where task.child == nil && engine.graph.nodes[task.node].kind == .call {
            more += try startChild(of: next, node: task.node, engine)
        }
        if next.status == .completed, let parent = next.start?.parent, let node = next.start?.parentNode {
            let (p, pe) = try load(parent)
            more += try commit(try pe.childCompleted(p, node: node, child: next.id, at: clock.now()), to: p, pe)
        }
        return events + more
    }

    private func startChild(of parent: CaseState, node: Int, _ engine: Engine) throws -> [Event] {
        let callee = engine.graph.nodes[node].callee ?? ""
        guard let graph = try resolveSOP(callee) else {
            throw RuntimeError(.unknownSOP,
                Message(en: "step \(engine.name(node)) calls `\(callee)`, which is not in the catalogue",
                        id: "langkah \(engine.name(node)) memanggil `\(callee)` yang tidak ada di katalog"))
        }
        let child = try start(graph, durationClass: parent.start?.durationClass, parent: (parent.id, node))
        let (p, pe) = try load(parent.id)
        guard p.openTask(node)?.child == nil else { return [] }
        return try commit(try pe.childStarted(p, node: node, child: child, sop: graph.id, at: clock.now()), to: p, pe)
    }

    // MARK: Names the operator types

    /// A step by key (`respon`), table number (`3`, `8.4`) or node id (`#5`).
    /// A step by id or table number; `8.4?` (or `id?`) is the condition of a conditional
    /// step, decided `ya` / `tidak` before the step itself.
    public static func node(_ ref: String, in g: ProcessGraph) throws(RuntimeError) -> Int {
        if ref.hasPrefix("#"), let n = Int(ref.dropFirst()), n >= 0, n < g.nodes.count, g.nodes[n].isActivity { return n }
        if ref.hasSuffix("?"), ref.count > 1 {
            let step = String(ref.dropLast())
            if let n = g.nodes.first(where: { c in c.conditionOf.map { g.nodes[$0].key == step || g.nodes[$0].number == step } ?? false }) { return n.id }
        }
        if let n = g.nodes.first(where: { $0.isStep && ($0.key == ref || $0.number == ref) }) { return n.id }
        let candidates = g.nodes.filter(\.isActivity).compactMap { n in
            n.conditionOf.map { g.nodes[$0] }.flatMap { ($0.key ?? $0.number).map { $0 + "?" } } ?? n.key ?? n.number
        }
        let hint = NearMiss.best(for: ref, among: candidates)
        throw RuntimeError(.unknownStep,
            Message(en: "no step `\(ref)` in \(g.id)" + (hint.map { "; did you mean `\($0)`?" } ?? ""),
                    id: "tidak ada langkah `\(ref)` di \(g.id)" + (hint.map { "; maksud Anda `\($0)`?" } ?? "")),
            help: Message(en: "steps are named by their id or table number: \(candidates.prefix(12).joined(separator: ", "))",
                          id: "langkah disebut dengan id atau nomor tabelnya: \(candidates.prefix(12).joined(separator: ", "))"))
    }

    /// An actor by key or name (case-insensitive); nil stays nil.
    public static func actor(_ ref: String?, in g: ProcessGraph) throws(RuntimeError) -> Int? {
        guard let ref else { return nil }
        let folded = Engine.fold(ref)
        if let a = g.actors.first(where: { $0.key == ref || Engine.fold($0.name) == folded || Engine.fold($0.key) == folded }) { return a.index }
        let hint = NearMiss.best(for: ref, among: g.actors.map(\.key))
        throw RuntimeError(.unknownActor,
            Message(en: "no actor `\(ref)` in \(g.id)" + (hint.map { "; did you mean `\($0)`?" } ?? ""),
                    id: "tidak ada pelaksana `\(ref)` di \(g.id)" + (hint.map { "; maksud Anda `\($0)`?" } ?? "")),
            help: Message(en: "actors: \(g.actors.map(\.key).joined(separator: ", "))", id: "pelaksana: \(g.actors.map(\.key).joined(separator: ", "))"))
    }

    public static func document(_ name: String, in g: ProcessGraph) throws(RuntimeError) -> Int {
        let folded = Engine.fold(name)
        if let d = g.documents.first(where: { Engine.fold($0.name) == folded }) { return d.index }
        let hint = NearMiss.best(for: name, among: g.documents.map(\.name))
        throw RuntimeError(.unknownDocument,
            Message(en: "no document “\(name)” in \(g.id)" + (hint.map { "; did you mean “\($0)”?" } ?? ""),
                    id: "tidak ada dokumen “\(name)” di \(g.id)" + (hint.map { "; maksud Anda “\($0)”?" } ?? "")))
    }

    static func documents(_ names: [String], in g: ProcessGraph) throws(RuntimeError) -> [Int] {
        var out: [Int] = []
        for n in names { out.append(try document(n, in: g)) }
        return out
    }

    static func waivers(_ pairs: [(String, String)], in g: ProcessGraph) throws(RuntimeError) -> [Waiver] {
        var out: [Waiver] = []
        for (name, reason) in pairs { out.append(Waiver(document: try document(name, in: g), reason: reason)) }
        return out
    }
}
