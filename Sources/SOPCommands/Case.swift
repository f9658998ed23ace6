import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIR
import SOPRuntime
import SOPStore
import SOPWorkspace

/// `sop case …`: cases in a store (SQLite, or PostgreSQL), one command at a time, for scripts and operators.
struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Start, list, show and act on cases kept in a store (SQLite, or PostgreSQL).",
        discussion: """
        Every command takes --db PATH (default sop.db, created on first use; or \
        postgres://USER@HOST:PORT/DATABASE, the store several `sop serve` nodes share) and --at TIME to \
        act at a given local time instead of now (for scripts on a virtual clock). Steps are \
        named by their id or table number; actors by key or name.
        """,
        subcommands: [Start.self, List.self, Show.self, Complete.self, Decide.self, Respond.self, Advance.self, Cancel.self,
                      Export.self, Watch.self, Apply.self])
}

/// Options every `sop case` command shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The case store: a SQLite file (created on first use) or postgres://USER@HOST:PORT/DATABASE.")
    var db: String = "sop.db"

    @Option(name: .long, help: "Act at this local time (YYYY-MM-DD HH:MM, WIB unless ±HH:MM is given) instead of now.")
    var at: String?

    @Option(name: .long, help: "Catalogue folder, for `call` steps.")
    var catalog: String = "sops"

    @Option(name: .long, help: "Message language: en or id (default from LANG).")
    var lang: String?

    /// Diagnostics of an SOP that does not compile: human format, in `--lang`.
    var output: OutputOptions {
        var o = OutputOptions()
        o.lang = lang
        return o
    }

    func language() throws -> Language { try output.language() }

    /// The service on the store; the clock is `--at` (virtual) or the system's.
    func service(offset: UTCOffset = .wib, store: CaseStore? = nil) throws -> CaseService {
        let opened: CaseStore
        do { opened = try store ?? openStore() } catch { throw fail(error, language: try language()) }
        return CaseService(store: opened, clock: try clock(offset), resolveSOP: catalogResolver(root: catalog))
    }

    /// The store `--db` names (SQLite file or PostgreSQL URL).
    func openStore() throws -> DeskStore {
        try StoreLocation(parsing: db).openCaseStore()
    }

    func clock(_ offset: UTCOffset) throws -> Clock {
        guard let at else { return SystemClock() }
        guard let instant = offset.parse(at) else { throw ValidationError("--at must be a time like 2025-03-03 09:00, not `\(at)`") }
        return VirtualClock(instant)
    }

    /// Runs a command on one case, with the clock in the case's own local time.
    func onCase<T>(_ caseID: String, _ body: (CaseService) throws -> T) throws -> T {
        let language = try self.language()
        do {
            // `--at` is read in the case's local time, recorded in its first event.
            let store = try openStore()
            guard case let .caseStarted(start)? = try store.events(of: caseID).first?.body else {
                return try body(try service(store: store))   // the service reports the unknown case
            }
            return try body(try service(offset: start.calendar.offset, store: store))
        } catch let e as ValidationError { throw e } catch { throw fail(error, language: language) }
    }
}

extension CaseCommand {
    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a case of an SOP; prints its id.")
        @Argument(help: "The SOP file.") var file: String
        @Option(name: .long, help: "The duration class (ringan, sedang, berat) when the SOP has classes.") var `class`: String?
        @OptionGroup var calendar: CalendarOptions
        @OptionGroup var store: StoreOptions

        func run() throws {
            let language = try store.language()
            let graph = try compileOne(file, language: language)
            let settings = try calendar.settings(for: graph)
            do {
                let service = try store.service(offset: settings.offset)
                service.calendarFor = { _ in settings }
                let id = try service.start(graph, durationClass: self.class)
                EventPrinter(service: service, language: language).print(try service.store.events(of: id))
                print(id)
            } catch { throw fail(error, language: language) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cases: open steps by actor, overdue cases.")
        @Option(name: .long, help: "Only cases with an open step of this actor (key).") var actor: String?
        @Flag(name: .long, help: "Only cases with an overdue step or past their SLA.") var overdue = false
        @Option(name: .long, help: "Only cases with this status: running, completed, cancelled.") var status: String?
        @Option(name: .long, help: "Only cases of this SOP id.") var sop: String?
        @Flag(name: .long, help: "One JSON object per line.") var json = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            let language = try store.language()
            let t = { (en: String, id: String) in language == .id ? id : en }
            var st: CaseState.Status?
            if let status {
                guard let s = CaseState.Status(rawValue: status) else { throw ValidationError("--status must be running, completed or cancelled") }
                st = s
            }
            do {
                let service = try store.service()
                let now = service.clock.now()
                let cases = try service.store.summaries(CaseFilter(status: st, sopID: sop, actor: actor, overdueAt: overdue ? now : nil))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                encoder.keyEncodingStrategy = .convertToSnakeCase
                for c in cases {
                    let offset = c.offset
                    if json {
                        let row = ListRow(case: c.id, sop: c.sopID, status: c.status.rawValue, slaBreached: c.slaBreached(now: now),
                                          open: c.tasks.map { ListRow.Task(step: $0.step, actor: $0.actorKey, deadline: $0.deadline.map { offset.format($0, withOffset: true) },
                                                                           overdue: $0.isOverdue(now: now)) })
                        print(String(decoding: try encoder.encode(row), as: UTF8.self))
                        continue
                    }
                    var line = "\(c.id)  \(c.status.rawValue)  \(c.sopID)"
                    if c.slaBreached(now: now) { line += "  " + t("SLA BREACHED", "SLA TERLAMPAUI") }
                    print(line)
                    for task in c.tasks where actor == nil || task.actorKey == actor {
                        var l = "    \(task.step) \(task.label.prefix(60)) [\(task.actorName ?? "-")]"
                        if let d = task.deadline { l += t(" due ", " batas ") + offset.format(d) + " " + offset.zoneName + (task.isOverdue(now: now) ? t(" OVERDUE", " LEWAT BATAS") : "") }
                        print(l)
                    }
                }
                if !json { print(t("\(cases.count) case(s)", "\(cases.count) kasus")) }
            } catch { throw fail(error, language: language) }
        }
    }

    /// One line of `sop case list --json`.
    struct ListRow: Encodable {
        struct Task: Encodable {
            var step: String
            var actor: String?
            var deadline: String?
            var overdue: Bool
        }
        var `case`: String
        var sop: String
        var status: String
        var slaBreached: Bool
        var open: [Task]
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a case: its history, open steps, deadlines and SLA.")
        @Argument(help: "The case id.") var caseID: String
        @OptionGroup var store: StoreOptions

        func run() throws {
            let language = try store.language()
            try store.onCase(caseID) { service in
                let (state, engine) = try service.load(caseID)
                let trace = Trace(graph: engine.graph, offset: engine.calendar.settings.offset, language: language)
                print("\(engine.graph.name) — \(engine.graph.id) (\(engine.graph.contentHash.prefix(19))…)")
                for l in trace.lines(try service.store.events(of: caseID)) { print(l) }
                for l in trace.status(state, now: service.clock.now()) { print(l) }
            }
        }
    }

    /// Options of a completion or decision.
    struct ActOptions: ParsableArguments {
        @Option(name: .long, help: "Who acts: the actor's key or name.") var by: String?
        @Option(name: .customLong("doc"), help: "A document supplied (repeat for several).") var documents: [String] = []
        @Option(name: .customLong("waive"), help: "NAME=REASON: a required document not supplied, and why.") var waive: [String] = []
        @Option(name: .long, help: "A note kept with the step.") var note: String?

        func waivers() throws -> [(String, String)] {
            try waive.map { w in
                guard let eq = w.firstIndex(of: "="), !w[w.index(after: eq)...].isEmpty else {
                    throw ValidationError("--waive needs NAME=REASON, not `\(w)`")
                }
                return (String(w[..<eq]), String(w[w.index(after: eq)...]))
            }
        }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Complete an open step of a case.")
        @Argument(help: "The case id.") var caseID: String
        @Argument(help: "The step: its id or table number.") var step: String
        @Flag(name: .long, help: "For a recurring step: this is its last occurrence.") var last = false
        @OptionGroup var act: ActOptions
        @OptionGroup var store: StoreOptions

        func run() throws {
            let language = try store.language()
            let waivers = try act.waivers()
            try store.onCase(caseID) { service in
                EventPrinter(service: service, language: language).print(
                    try service.complete(caseID, step: step, by: act.by, documents: act.documents, waivers: waivers, note: act.note, last: last))
            }
        }
    }

    struct Decide: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a branch of an open decision step.")
        @Argument(help: "The case id.") var caseID: String
        @Argument(help: "The decision step: its id or table number.") var step: String
        @Argument(help: "The branch label (ya, tidak…).") var branch: String
        @OptionGroup var act: ActOptions
        @OptionGroup var store: StoreOptions

        func run() throws {
            let language = try store.language()
            let waivers = try act.waivers()
            try store.onCase(caseID) { service in
                EventPrinter(service: service, language: language).print(
                    try service.decide(caseID, step: step, branch: branch, by: act.by, documents: act.documents, waivers: waivers, note: act.note))
            }
        }
    }

    struct Respond: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a response on an open step without finishing it (re-arms `since: last-response` timers).")
        @Argument(help: "The case id.") var caseID: String
        @Argument(help: "The step: its id or table number.") var step: String
        @Option(name: .long, help: "Who responds: the actor's key or name.") var by: String?
        @Option(name: .long, help: "What was answered.") var note: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let language = try store.language()
            try store.onCase(caseID) { service in
                EventPrinter(service: service, language: language).print(try service.respond(caseID, step: step, by: by, note: note))
            }
        }
    }

    struct Advance: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fire every timer due by a time (--to, default now) in every case.")
        @Option(name: .long, help: "Local time to move to (YYYY-MM-DD HH:MM).") var to: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let language = try store.language()
            var s = store
            if let to { s.at = to }
            do {
                let service = try s.service()
                let fired = try service.advance()
                EventPrinter(service: service, language: language).print(fired)
                print(language == .id ? "\(fired.count) kejadian" : "\(fired.count) event(s)")
            } catch let e as ValidationError { throw e } catch { throw fail(error, language: language) }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a running case.")
        @Argument(help: "The case id.") var caseID: String
        @Option(name: .long, help: "Why.") var reason: String
        @Option(name: .long, help: "Who cancels.") var by: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let language = try store.language()
            try store.onCase(caseID) { service in
                EventPrinter(service: service, language: language).print(try service.cancel(caseID, reason: reason, by: by))
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export the case log for process mining: XES (pm4py, ProM) or CSV.")
        @Option(name: .long, help: "xes or csv.") var format: Format = .xes
        @Option(name: .shortAndLong, help: "Write here instead of standard output.") var output: String?
        @Option(name: .long, help: "Only cases of this SOP id.") var sop: String?
        @OptionGroup var store: StoreOptions

        enum Format: String, ExpressibleByArgument { case xes, csv }

        func run() throws {
            let language = try store.language()
            do {
                let service = try store.service()
                var byCase: [String: [Event]] = [:]
                for e in try service.store.allEvents() { byCase[e.caseID, default: []].append(e) }
                var cases: [EventLog.Case] = []
                for id in byCase.keys.sorted() {
                    let (_, engine) = try service.load(id)
                    if let sop, engine.graph.id != sop { continue }
                    cases.append(EventLog.Case(events: byCase[id]!, graph: engine.graph))
                }
                let text = format == .xes ? EventLog.xes(cases) : EventLog.csv(cases)
                if let output {
                    do { try Data(text.utf8).write(to: URL(fileURLWithPath: output)) } catch {
                        printError("sop: cannot write `\(output)`: \(error.localizedDescription)\n")
                        throw ExitCode(2)
                    }
                } else {
                    FileHandle.standardOutput.write(Data(text.utf8))
                }
            } catch let e as ExitCode { throw e } catch { throw fail(error, language: language) }
        }
    }

    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Keep running and fire due timers by themselves (Ctrl-C stops).")
        @Option(name: .long, help: "At most this many seconds between looks at the store (sooner when a timer falls due).") var interval: Double = 30
        @Option(name: .long, help: "Stop after this many rounds (default: never).") var rounds: Int?
        @OptionGroup var store: StoreOptions

        func run() throws {
            let language = try store.language()
            do {
                let service = try store.service()
                var round = 0
                while rounds.map({ round < $0 }) ?? true {
                    let fired = try service.advance()
                    EventPrinter(service: service, language: language).print(fired)
                    fflush(nil)
                    round += 1
                    if rounds.map({ round >= $0 }) ?? false { break }
                    // Wake when the earliest timer falls due, or after `interval` at the latest
                    // (another process may start a case with an earlier timer meanwhile).
                    var wait = interval
                    if let due = try service.store.earliestDue() {
                        wait = min(wait, max(0.05, Double(due.seconds - service.clock.now().seconds)))
                    }
                    Thread.sleep(forTimeInterval: wait)
                }
            } catch { throw fail(error, language: language) }
        }
    }
}
