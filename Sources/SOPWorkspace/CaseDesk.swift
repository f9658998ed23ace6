import Foundation
import SOPDiagnostics
import SOPIR
import SOPPostgres
import SOPRuntime
import SOPStore

/// A refusal because of who asks: not allowed (403, naming who may act).
public struct AccessError: Error, Sendable, CustomStringConvertible {
    public var message: Message
    /// The actors (names) who may do it, or the role (`admin`).
    public var allowed: [String]
    public init(_ message: Message, allowed: [String]) {
        self.message = message
        self.allowed = allowed
    }
    public var description: String { message.en }
}

/// What a person does to a case.
public enum DeskCommand: Sendable {
    case complete(step: String, documents: [String], waivers: [(String, String)], note: String?, last: Bool)
    case decide(step: String, branch: String, documents: [String], waivers: [(String, String)], note: String?)
    case respond(step: String, note: String?)
    case cancel(reason: String)
}

/// The case desk: cases on one store (SQLite, or PostgreSQL shared by several nodes) acted
/// on by people, shared by the server (and any long-running front end). Commands go through
/// writer lanes: each lane is one thread with its own connection and its own `CaseService`,
/// running the commands waiting for it in group-committed batches. SQLite has one lane (one
/// writer lock); PostgreSQL may have several (`--writers`), so that one node keeps several
/// transactions in flight while each waits on the network. A case always goes to the same
/// lane (by a hash of its id), so a node never races itself on a case; a new case goes to
/// the lanes in turn; timers fire on the first lane. Reads (task lists, case pages) go
/// through another store without waiting for writers. Every command checks the person's
/// roles first: only a holder of the step's actor completes, decides or responds; only an
/// admin starts or cancels. The person is recorded on the events of their command in the
/// same transaction.
public final class CaseDesk: @unchecked Sendable {
    public let catalogue: Catalogue
    public let clock: Clock
    /// Used only for reads that touch no shared state (`openTasks`, `summary`, `events`, `people`).
    private let reader: DeskStore
    /// Where the store is.
    public let location: StoreLocation
    private let calendars: [String: WorkingCalendar]
    private let cacheLock = NSLock()
    /// The open steps read for a set of actor keys (nil: all), kept while nothing is committed
    /// to the store (`DeskStore.changeStamp`; on PostgreSQL nothing is kept).
    private let openTaskCache = StampedCache<[String]?, [TaskRow]>(limit: 1024)
    private var keysByRoles: [[String]: [String]] = [:]
    private let lanes: [Lane]
    private var nextLane = 0
    /// How many writer lanes (threads, each with its own connection) this desk runs.
    public var writers: Int { lanes.count }

    public convenience init(catalogue: Catalogue, dbPath: String, clock: Clock) throws {
        try self.init(catalogue: catalogue, location: .sqlite(path: dbPath), clock: clock)
    }

    /// The writer lanes a store takes when none is asked for: SQLite 1, PostgreSQL 4.
    public static func defaultWriters(for location: StoreLocation) -> Int { location.isShared ? 4 : 1 }

    /// `writers`: how many writer lanes (nil: `defaultWriters`); SQLite takes only 1.
    public init(catalogue: Catalogue, location: StoreLocation, clock: Clock, writers: Int? = nil) throws {
        let count = writers ?? Self.defaultWriters(for: location)
        guard count >= 1, count <= 64, location.isShared || count == 1 else {
            throw RuntimeError(.storage,
                Message(en: location.isShared ? "the number of writers must be 1 to 64, not \(count)"
                                              : "a SQLite store has one writer (it has one write lock), not \(count)",
                        id: location.isShared ? "jumlah penulis harus 1 sampai 64, bukan \(count)"
                                              : "penyimpanan SQLite punya satu penulis (satu kunci tulis), bukan \(count)"),
                help: Message(en: "several writers need --db postgres://…", id: "beberapa penulis memerlukan --db postgres://…"))
        }
        self.catalogue = catalogue
        self.clock = clock
        self.location = location
        var lanes: [Lane] = []
        for i in 0..<count {
            let store = try location.openCaseStore()
            let service = CaseService(store: store, clock: clock, resolveSOP: { [catalogue] id in catalogue.resolve(id) })
            service.cachesStates = false
            // Every SOP of the catalogue kept in the store up front, so that no command's
            // savepoint has to (a rolled-back graph row would be remembered as saved).
            if i == 0 { try store.inTransaction { for g in catalogue.graphs { try store.saveGraph(g) } } }
            // On PostgreSQL, once more outside a transaction (rows already there, nothing
            // written) so that each lane remembers them and a start does not ask again.
            if location.isShared { for g in catalogue.graphs { try store.saveGraph(g) } }
            lanes.append(Lane(store: store, service: service))
        }
        self.lanes = lanes
        reader = try location.openCaseStore()
        var calendars: [String: WorkingCalendar] = [:]
        var bySettings: [CalendarSettings: WorkingCalendar] = [:]
        for g in catalogue.graphs {
            let s = CalendarSettings.forSOP(g.id)
            let c = bySettings[s] ?? WorkingCalendar(s)
            bySettings[s] = c
            calendars[g.id] = c
        }
        self.calendars = calendars
        // The desk lives as long as the process (the threads keep it).
        for (i, lane) in lanes.enumerated() {
            let thread = Thread { lane.loop() }
            thread.name = "sop-writer-\(i)"
            thread.start()
        }
    }

    // MARK: The writers: group commit, one lane per thread

    /// A command waiting for a writer thread.
    private final class Job: @unchecked Sendable {
        /// The case the command acts on (its events are read with the batch's).
        let caseID: String?
        let run: () -> Void
        let complete: (Error?) -> Void
        init(caseID: String?, run: @escaping () -> Void, complete: @escaping (Error?) -> Void) {
            self.caseID = caseID
            self.run = run
            self.complete = complete
        }
    }

    private final class Box<T>: @unchecked Sendable { var result: Result<T, Error>? }

    /// One writer: a thread, its connection (`store`) and its service, and the commands
    /// waiting for it.
    private final class Lane: @unchecked Sendable {
        let store: DeskStore
        let service: CaseService
        let queue = NSCondition()
        var jobs: [Job] = []
        /// On PostgreSQL, the events of the cases the batch's commands act on, read in one
        /// round trip as the transaction's first statement (the snapshot every later statement
        /// of the transaction sees). A command takes its case's events from here once; a case
        /// something in the batch wrote since is dropped (read again).
        private var prefetched: [String: [Event]] = [:]

        /// The case's events as read with the batch, unless the batch changed them since.
        func events(of caseID: String) throws -> [Event] {
            if let e = prefetched.removeValue(forKey: caseID) { return e }
            return try store.events(of: caseID)
        }

        /// Something in the batch wrote these events: their cases are read again next time.
        func wrote(_ events: [Event]) {
            guard !prefetched.isEmpty else { return }
            for e in events { prefetched[e.caseID] = nil }
        }

        init(store: DeskStore, service: CaseService) {
            self.store = store
            self.service = service
        }

        /// Takes every command waiting, runs them one after the other in one transaction
        /// (each in its own savepoint, so a refused command leaves no trace), commits once
        /// (one fsync for the batch), then answers each. A command is acknowledged only after
        /// the commit that made it durable; when the commit fails, every command of the batch
        /// gets that failure (nothing of the batch is durable).
        func loop() {
            while true {
                queue.lock()
                while jobs.isEmpty { queue.wait() }
                let batch = jobs
                jobs.removeAll()
                queue.unlock()
                var failure: Error?
                do {
                    try store.inTransaction {
                        let ids = Array(Set(batch.compactMap(\.caseID))).sorted()
                        if ids.count > 1, let pg = store as? PostgresCaseStore {
                            // One round trip for every case of the batch instead of one each.
                            prefetched = try pg.events(ofCases: ids)
                        }
                        defer { prefetched = [:] }
                        for job in batch { job.run() }
                    }
                } catch {
                    failure = error
                }
                for job in batch { job.complete(failure) }
            }
        }

        func enqueue<T>(_ caseID: String?, _ body: @escaping (Lane) throws -> T, deliver: @escaping (Result<T, Error>) -> Void) {
            let box = Box<T>()
            let job = Job(caseID: caseID, run: { [self] in box.result = Result { try store.inSavepoint { try body(self) } } },
                          complete: { failure in
                              if let failure { deliver(.failure(failure)) } else { deliver(box.result ?? .failure(CancellationError())) }
                          })
            queue.lock()
            jobs.append(job)
            queue.signal()
            queue.unlock()
        }
    }

    /// Where a command goes: a case's lane by a hash of its id (FNV-1a, the same in every
    /// process), a new case's in turn.
    private func lane(for caseID: String?) -> Lane {
        guard lanes.count > 1 else { return lanes[0] }
        guard let caseID else {
            let i = cacheLock.withLock { () -> Int in
                nextLane = (nextLane + 1) % lanes.count
                return nextLane
            }
            return lanes[i]
        }
        return lanes[Self.laneIndex(of: caseID, lanes: lanes.count)]
    }

    /// The lane of a case among `lanes`.
    public static func laneIndex(of caseID: String, lanes: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in caseID.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return Int(h % UInt64(max(lanes, 1)))
    }

    /// Runs `body` on a writer thread and waits for its commit (blocking the caller).
    private func serially<T>(_ lane: Lane, caseID: String? = nil, _ body: @escaping (Lane) throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let box = Box<T>()
        lane.enqueue(caseID, body) { r in box.result = r; done.signal() }
        done.wait()
        return try box.result!.get()
    }

    /// Runs `body` on a writer thread; resumes once it is committed (no thread blocked).
    private func onWriter<T>(_ lane: Lane, caseID: String? = nil, _ body: @escaping (Lane) throws -> T) async throws -> T {
        let box = Box<T>()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lane.enqueue(caseID, body) { r in
                box.result = r
                c.resume()
            }
        }
        return try box.result!.get()
    }

    // MARK: Commands

    /// Starts a case of SOP `sopID` (admins only); returns its id.
    public func start(sopID: String, durationClass: String?, by person: Person) throws -> String {
        let graph = try checkStart(sopID: sopID, by: person)
        return try serially(lane(for: nil), startBody(graph, durationClass, person))
    }

    private func checkStart(sopID: String, by person: Person) throws -> ProcessGraph {
        guard person.isAdmin else {
            throw AccessError(Message(en: "only an admin starts cases", id: "hanya admin yang memulai kasus"), allowed: [Role.admin])
        }
        guard let graph = catalogue.byID[sopID] else {
            throw RuntimeError(.unknownSOP, Message(en: "no SOP `\(sopID)` in the catalogue", id: "tidak ada SOP `\(sopID)` di katalog"))
        }
        return graph
    }

    /// `start` without blocking a thread while the case is committed.
    public func startAsync(sopID: String, durationClass: String?, by person: Person) async throws -> String {
        let graph = try checkStart(sopID: sopID, by: person)
        return try await onWriter(lane(for: nil), startBody(graph, durationClass, person))
    }

    private func startBody(_ graph: ProcessGraph, _ durationClass: String?, _ person: Person) -> (Lane) throws -> String {
        { lane in
            let id = try lane.service.start(graph, durationClass: durationClass)
            try lane.store.recordPerson(person.name, caseID: id, sequences: [1])
            return id
        }
    }

    /// Runs a command on a case as `person`. `expectedVersion`, when given, is the version the
    /// person saw: if the case moved since, nothing is done (`R006`, another user acted first).
    @discardableResult
    public func act(_ caseID: String, _ command: DeskCommand, by person: Person, expectedVersion: Int? = nil) throws -> [Event] {
        try serially(lane(for: caseID), caseID: caseID, actBody(caseID, command, person, expectedVersion)).events
    }

    /// `act` without blocking a thread while the command is committed: commands arriving
    /// together are committed together.
    @discardableResult
    public func actAsync(_ caseID: String, _ command: DeskCommand, by person: Person, expectedVersion: Int? = nil) async throws -> [Event] {
        try await onWriter(lane(for: caseID), caseID: caseID, actBody(caseID, command, person, expectedVersion)).events
    }

    /// `actAsync`, and the case as it is after the command, from what the writer read and
    /// wrote in the command's transaction (no second read of the case). The view's people
    /// are those of this command's events only (`view` has all of them).
    public func actViewing(_ caseID: String, _ command: DeskCommand, by person: Person, expectedVersion: Int? = nil,
                           language: Language) async throws -> (events: [Event], view: CaseView) {
        let done = try await onWriter(lane(for: caseID), caseID: caseID, actBody(caseID, command, person, expectedVersion))
        // The case's events: those read before the command, then the command's own (and any
        // its settling appended to it). Anything else (a gap, another writer): read it again.
        let after = done.before + done.events.filter { $0.caseID == caseID }
        guard case let .caseStarted(start)? = after.first?.body,
              after.enumerated().allSatisfy({ $0.element.sequence == $0.offset + 1 }) else {
            return (done.events, try view(caseID, language: language))
        }
        var people: [Int: String] = [:]
        for s in done.mine { people[s] = person.name }
        let v = CaseView(id: caseID, graph: done.graph, events: after, people: people, start: start, now: clock.now(),
                         calendar: calendars[done.graph.id] ?? WorkingCalendar(start.calendar), language: language)
        return (done.events, v)
    }

    /// What a command did: its events, the sequences the person caused, the case's events as
    /// read before it, and the SOP version the case follows.
    private struct Acted {
        var events: [Event]
        var mine: [Int]
        var before: [Event]
        var graph: ProcessGraph
    }

    private func actBody(_ caseID: String, _ command: DeskCommand, _ person: Person, _ expectedVersion: Int?) -> (Lane) throws -> Acted {
        { lane in
            let (service, writer) = (lane.service, lane.store)
            let before = try lane.events(of: caseID)
            let (state, engine) = try service.load(caseID, events: before)
            if let expectedVersion, expectedVersion != state.version {
                throw RuntimeError.conflict(caseID, expected: expectedVersion, actual: state.version)
            }
            let g = engine.graph
            var actorKey: String?
            switch command {
            case .cancel:
                guard person.isAdmin else {
                    throw AccessError(Message(en: "only an admin cancels cases", id: "hanya admin yang membatalkan kasus"), allowed: [Role.admin])
                }
            case let .complete(step, _, _, _, _), let .decide(step, _, _, _, _), let .respond(step, _):
                let node = try CaseService.node(step, in: g)
                actorKey = try Self.actor(of: node, in: g, for: person)
            }
            // The service's own load of the case is the state just read (same transaction).
            let events: [Event] = try service.withLoaded(caseID, state, engine) {
                switch command {
                case let .complete(step, documents, waivers, note, last):
                    return try service.complete(caseID, step: step, by: actorKey, documents: documents, waivers: waivers, note: note, last: last)
                case let .decide(step, branch, documents, waivers, note):
                    return try service.decide(caseID, step: step, branch: branch, by: actorKey, documents: documents, waivers: waivers, note: note)
                case let .respond(step, note):
                    return try service.respond(caseID, step: step, by: actorKey, note: note)
                case let .cancel(reason):
                    return try service.cancel(caseID, reason: reason, by: person.name)
                }
            }
            let mine = events.filter { e in
                guard e.caseID == caseID else { return false }
                switch e.body {
                case .taskCompleted, .decisionTaken, .responseRecorded, .occurrenceCompleted, .caseCancelled: return true
                default: return false
                }
            }.map(\.sequence)
            try writer.recordPerson(person.name, caseID: caseID, sequences: mine)
            lane.wrote(events)
            return Acted(events: events, mine: mine, before: before, graph: g)
        }
    }

    /// The actor key `person` acts as on `node`, or an `AccessError` naming who may act.
    static func actor(of node: Int, in g: ProcessGraph, for person: Person) throws -> String? {
        let n = g.nodes[node]
        let actors = n.allActors.map { g.actors[$0] }
        if actors.isEmpty {
            guard !person.actorRoles.isEmpty || person.isAdmin else {
                throw AccessError(Message(en: "a viewer does not act on cases", id: "peninjau tidak bertindak pada kasus"), allowed: [])
            }
            return nil
        }
        if let a = actors.first(where: { person.holds(actorKey: $0.key, name: $0.name, sopID: g.id) }) { return a.key }
        let names = actors.map(\.name)
        let list = names.joined(separator: ", ")
        throw AccessError(Message(en: "only \(list) may act on this step; \(person.name) does not hold that role",
                                  id: "hanya \(list) yang boleh bertindak pada langkah ini; \(person.name) tidak memegang peran itu"),
                          allowed: names)
    }

    /// Fires every timer due by now in every case (the server's background task).
    @discardableResult
    public func fireDueTimers() throws -> [Event] {
        var all: [Event] = []
        for (i, lane) in lanes.enumerated() { all += try serially(lane, fireBody(i)) }
        return all
    }

    /// `fireDueTimers` without blocking a thread.
    @discardableResult
    public func fireDueTimersAsync() async throws -> [Event] {
        var all: [Event] = []
        for (i, lane) in lanes.enumerated() { all += try await onWriter(lane, fireBody(i)) }
        return all
    }

    /// Each due case of lane `index` (a case's timers fire on the lane its commands take, so
    /// a node never races itself on a case), each in a savepoint of its own. Firing appends
    /// with the version read, so when another node fired the same timer first the append is
    /// refused (`R006`) and this node drops it: a timer fires once however many nodes wake
    /// for it.
    private func fireBody(_ index: Int) -> (Lane) throws -> [Event] {
        { [clock, count = lanes.count] lane in
            let now = clock.now()
            var all: [Event] = []
            for id in try lane.store.dueCases(upTo: now) where count == 1 || Self.laneIndex(of: id, lanes: count) == index {
                do {
                    let fired = try lane.store.inSavepoint { try lane.service.fireDue(id, now: now) }
                    lane.wrote(fired)
                    all += fired
                } catch let e as RuntimeError where e.code == .conflict {
                    continue
                }
            }
            return all
        }
    }

    /// When the next timer of any case falls due.
    public func earliestDue() throws -> Instant? { try reader.earliestDue() }

    // MARK: Reads

    /// An open step as a person sees it in "Tugas saya".
    public struct Task: Sendable {
        public var task: TaskSummary
        public var sopID: String
        public var sopName: String
        public var offset: UTCOffset
        public var caseVersion: Int
        public var deadline: Deadline?
    }

    /// The open steps `person` may act on (admins and viewers: all), by deadline.
    public func tasks(for person: Person, now: Instant? = nil) throws -> [Task] {
        let now = now ?? clock.now()
        let everything = person.isAdmin || person.roles.contains(Role.viewer)
        // The actor keys the person holds in some SOP of the catalogue: the query reads only
        // their steps (by the `tasks_actor` index); `holds` then decides per SOP.
        let keys = everything ? [] : actorKeys(of: person.roles)
        var out: [Task] = []
        let only = everything ? nil : keys
        let rows = try openTaskCache.value(only, stamp: reader.changeStamp()) { try reader.openTasks(actorKeys: only) }
        for open in rows {
            let (task, sopID, offset, version) = (open.task, open.sopID, open.offset, open.version)
            if !everything && !person.holds(actorKey: task.actorKey, name: task.actorName, sopID: sopID) { continue }
            let due = task.deadline.map { self.deadline(of: $0, sopID: sopID, offset: offset, now: now) }
            out.append(Task(task: task, sopID: sopID, sopName: catalogue.byID[sopID]?.name ?? sopID, offset: offset,
                            caseVersion: version, deadline: due))
        }
        return out
    }

    /// Open steps of running cases, and the cases they belong to.
    public func openTaskCount() throws -> (tasks: Int, cases: Int) {
        let all = try reader.openTasks()
        return (all.count, Set(all.map(\.task.caseID)).count)
    }

    /// The actor keys a set of roles holds somewhere in the catalogue (remembered per set).
    private func actorKeys(of roles: [String]) -> [String] {
        cacheLock.lock()
        let known = keysByRoles[roles]
        cacheLock.unlock()
        if let known { return known }
        let person = Person(name: "", roles: roles)
        var keys: Set<String> = []
        for g in catalogue.graphs {
            for a in g.actors where person.holds(actorKey: a.key, name: a.name, sopID: g.id) { keys.insert(a.key) }
        }
        let sorted = keys.sorted()
        cacheLock.lock()
        if keysByRoles.count > 1000 { keysByRoles.removeAll() }
        keysByRoles[roles] = sorted
        cacheLock.unlock()
        return sorted
    }

    public func summaries(_ filter: CaseFilter) throws -> [CaseSummary] { try reader.summaries(filter) }

    /// A deadline as shown: a date in words and working days left.
    public func deadline(of instant: Instant, sopID: String, offset: UTCOffset, now: Instant) -> Deadline {
        let calendar = calendars[sopID] ?? WorkingCalendar(CalendarSettings(offset: offset))
        return Deadline(instant: instant, offset: offset, now: now, calendar: calendar)
    }

    /// A case as a page shows it.
    public func view(_ caseID: String, language: Language) throws -> CaseView {
        let events = try reader.events(of: caseID)
        guard case let .caseStarted(start)? = events.first?.body else {
            throw RuntimeError(.unknownCase, Message(en: "no case `\(caseID)`", id: "tidak ada kasus `\(caseID)`"))
        }
        var pinned = catalogue.graphs.first(where: { $0.contentHash == start.contentHash })
        if pinned == nil { pinned = try serially(lanes[0]) { lane in try lane.store.graph(hash: start.contentHash) } }
        guard let graph = pinned else {
            throw RuntimeError(.unknownSOP, Message(en: "case \(caseID) is pinned to an SOP version this store does not hold",
                                                    id: "kasus \(caseID) terikat pada versi SOP yang tidak ada di penyimpanan ini"))
        }
        let people = try reader.people(of: caseID)
        return CaseView(id: caseID, graph: graph, events: events, people: people, start: start, now: clock.now(),
                        calendar: calendars[graph.id] ?? WorkingCalendar(start.calendar), language: language)
    }

    /// A case's events and the graph they follow (for the XES export and the events API).
    public func events(_ caseID: String) throws -> (events: [Event], people: [Int: String], graph: ProcessGraph) {
        let v = try view(caseID, language: .en)
        return (v.events, v.people, v.graph)
    }
}

/// A deadline for people: "Jumat, 8 Mei 2026 16.00 WIB", working days left, overdue or not.
public struct Deadline: Sendable {
    public var instant: Instant
    public var offset: UTCOffset
    /// Working days from today to the deadline's day (0: today; negative: days overdue).
    public var workingDaysLeft: Int
    public var isOverdue: Bool

    public init(instant: Instant, offset: UTCOffset, now: Instant, calendar: WorkingCalendar) {
        self.instant = instant
        self.offset = offset
        isOverdue = now > instant
        let today = offset.day(of: now), due = offset.day(of: instant)
        var count = 0
        let (lo, hi) = today <= due ? (today, due) : (due, today)
        if hi - lo <= 3660 {
            for d in (lo + 1)...max(lo + 1, hi) where d <= hi {
                if (try? calendar.isWorkingDay(CivilDate(dayNumber: d))) ?? true { count += 1 }
            }
        } else {
            count = hi - lo
        }
        workingDaysLeft = today <= due ? count : -count
    }

    static let daysID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    static let daysEN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let monthsID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]
    static let monthsEN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// "Jumat, 8 Mei 2026" / "Friday, 8 May 2026".
    public func date(_ language: Language) -> String { Self.date(instant, offset: offset, language) }

    public static func date(_ instant: Instant, offset: UTCOffset, _ language: Language) -> String {
        let day = CivilDate(dayNumber: offset.day(of: instant))
        let weekday = (language == .id ? daysID : daysEN)[day.isoWeekday - 1]
        let month = (language == .id ? monthsID : monthsEN)[day.month - 1]
        return "\(weekday), \(day.day) \(month) \(day.year)"
    }

    /// "16.00 WIB" (Indonesian) / "16:00 WIB".
    public func time(_ language: Language) -> String {
        let minutes = Int((instant.seconds + Int64(offset.minutes) * 60) % 86_400 + 86_400) % 86_400 / 60
        let hh = minutes / 60 < 10 ? "0\(minutes / 60)" : "\(minutes / 60)"
        let mm = minutes % 60 < 10 ? "0\(minutes % 60)" : "\(minutes % 60)"
        return hh + (language == .id ? "." : ":") + mm + " " + offset.zoneName
    }

    /// "3 hari kerja lagi" / "terlambat 2 hari kerja" / "hari ini".
    public func left(_ language: Language) -> String {
        if isOverdue {
            let n = max(-workingDaysLeft, 0)
            if n == 0 { return language == .id ? "lewat batas hari ini" : "overdue today" }
            return language == .id ? "terlambat \(n) hari kerja" : "\(n) working day\(n == 1 ? "" : "s") overdue"
        }
        if workingDaysLeft <= 0 { return language == .id ? "hari ini" : "today" }
        return language == .id ? "\(workingDaysLeft) hari kerja lagi" : "\(workingDaysLeft) working day\(workingDaysLeft == 1 ? "" : "s") left"
    }
}

/// A case as a page or the API shows it: history (one line per event, with the person),
/// open steps with deadlines and what may be done on each, the SLA.
public struct CaseView: Sendable {
    public struct HistoryLine: Sendable {
        public var sequence: Int
        public var kind: String
        public var at: Instant
        public var text: String
        public var person: String?
    }
    public struct OpenStep: Sendable {
        public var node: Int
        /// The step's key, else its number (as the runtime's task lists name it).
        public var step: String
        /// The table number, as printed.
        public var number: String?
        public var label: String
        public var actorKeys: [String]
        public var actorNames: [String]
        public var isDecision: Bool
        public var branches: [String]
        public var documents: [String]
        public var deadline: Deadline?
        public var waitsForChild: String?
    }

    public var id: String
    public var graph: ProcessGraph
    public var events: [Event]
    public var people: [Int: String]
    public var state: CaseState
    public var history: [HistoryLine]
    public var open: [OpenStep]
    public var sla: Deadline?
    public var slaBreached: Bool
    public var statusLines: [String]

    init(id: String, graph g: ProcessGraph, events: [Event], people: [Int: String], start: CaseStart, now: Instant,
         calendar: WorkingCalendar, language: Language) {
        self.id = id
        graph = g
        self.events = events
        self.people = people
        let offset = start.calendar.offset
        let trace = Trace(graph: g, offset: offset, language: language)
        let tables = FoldTables(g)
        var state = CaseState(id: id)
        var history: [HistoryLine] = []
        for e in events {
            if let line = trace.line(e, state: state) {
                history.append(HistoryLine(sequence: e.sequence, kind: e.kind, at: e.at, text: line, person: people[e.sequence]))
            }
            state.apply(e, tables: tables)
        }
        self.state = state
        self.history = history
        open = state.openTasks.map { t in
            let n = g.nodes[t.node]
            let actors = n.allActors.map { g.actors[$0] }
            let branches = n.kind == .decision ? g.edges.filter { $0.from == t.node && $0.kind == .branch }.compactMap(\.label) : []
            return OpenStep(node: t.node, step: n.key ?? n.number ?? "#\(t.node)", number: n.number, label: n.label,
                            actorKeys: actors.map(\.key), actorNames: actors.map(\.name), isDecision: n.kind == .decision,
                            branches: branches, documents: n.requires.map { g.documents[$0].name },
                            deadline: t.deadline.map { Deadline(instant: $0, offset: offset, now: now, calendar: calendar) },
                            waitsForChild: t.child)
        }
        sla = start.slaDeadline.map { Deadline(instant: $0, offset: offset, now: state.finishedAt ?? now, calendar: calendar) }
        slaBreached = state.breachedSLA(now: now)
        statusLines = trace.status(state, now: now)
    }
}
