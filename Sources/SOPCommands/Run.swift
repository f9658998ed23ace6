import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIR
import SOPRuntime
import SOPStore
import SOPWorkspace

/// `sop run FILE`: follow one case of an SOP at the terminal; `--script` runs a scenario
/// on a virtual clock and prints its trace.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a case of an SOP: interactively, or from a scenario on a virtual clock.",
        discussion: """
        Interactive: shows the open steps, asks who acts, which documents, which branch.
        With --start the clock is virtual and `a TIME` (or `a +3d`, `a +2h`) moves it.
        With --script SCENARIO.yaml: runs the scenario's actions, prints a trace with times, \
        deadlines and SLA status; exits 1 when an action breaks a rule or an expectation fails.
        """)

    @Argument(help: "The SOP file.")
    var file: String

    @Option(name: .long, help: "A scenario file to run non-interactively on a virtual clock.")
    var script: String?

    @Option(name: .long, help: "Keep the case in this store: a SQLite file or postgres://USER@HOST:PORT/DATABASE (default: in memory).")
    var db: String?

    @Option(name: .long, help: "Start on a virtual clock at this local time (YYYY-MM-DD HH:MM).")
    var start: String?

    @Option(name: .long, help: "The duration class of the case (ringan, sedang, berat) when the SOP has classes.")
    var `class`: String?

    @Option(name: .long, help: "Catalogue folder for `call` steps (default: found from the file's id).")
    var catalog: String?

    @OptionGroup var calendar: CalendarOptions
    @OptionGroup var options: OutputOptions

    func run() throws {
        let language = try options.language()
        let graph = try compileOne(file, language: language, format: options.format, color: options.useColor)
        if let script {
            throw try runScript(script, graph: graph, language: language)
        }
        try interactive(graph: graph, language: language)
    }

    private func makeStore() throws -> CaseStore {
        guard let db else { return MemoryCaseStore() }
        return try StoreLocation(parsing: db).openCaseStore()
    }

    private func resolver(_ graph: ProcessGraph) -> (String) throws -> ProcessGraph? {
        catalogResolver(root: catalog ?? catalogRoot(of: file, id: graph.id))
    }

    // MARK: Scenario

    func runScript(_ path: String, graph: ProcessGraph, language: Language) throws -> ExitCode {
        let source: SourceFile
        do { source = try Workspace.load(path) } catch let error as Workspace.InputError {
            printError(error.description + "\n")
            return ExitCode(2)
        }
        let sink = DiagnosticSink()
        let report = { printError(Check.report(sink.sorted, files: 1, sources: [path: source], format: options.format, language: language, color: options.useColor)) }
        guard let scenario = Scenario.read(source, sink: sink) else { report(); return ExitCode(1) }

        var settings = try calendar.settings(for: graph)
        func bad(_ range: SourceRange?, _ en: String, _ id: String) {
            sink.emit(Diagnostic(severity: .error, code: "S0001", message: Message(en: en, id: id), range: range))
        }
        if let w = scenario.week {
            if let week = CalendarSettings.Week(rawValue: w) { settings.week = week } else { bad(scenario.startRange, "calendar.week must be working-days or every-day", "calendar.week harus working-days atau every-day") }
        }
        if let c = scenario.cutiBersama { settings.cutiBersamaIsWorking = c == "working" }
        if let tz = scenario.timezone {
            if let o = UTCOffset(tz) { settings.offset = o } else { bad(scenario.startRange, "calendar.timezone must be WIB, WITA, WIT or ±HH:MM", "calendar.timezone harus WIB, WITA, WIT atau ±HH:MM") }
        }
        let offset = settings.offset
        guard let startText = scenario.start, let startAt = offset.parse(startText) else {
            bad(scenario.startRange, "`start` must be a time like 2025-03-03 09:00", "`start` harus berupa waktu seperti 2025-03-03 09:00")
            report()
            return ExitCode(1)
        }
        if sink.hasErrors { report(); return ExitCode(1) }

        let clock = VirtualClock(startAt)
        let service = CaseService(store: try makeStore(), clock: clock, resolveSOP: resolver(graph), calendarFor: { _ in settings })
        service.cachesStates = db == nil
        let printer = EventPrinter(service: service, language: language)
        let trace = Trace(graph: graph, offset: offset, language: language)
        let t = { (en: String, id: String) in language == .id ? id : en }

        print("sop run \(graph.id) (\(graph.contentHash.prefix(19))…)")
        print(t("calendar: ", "kalender: ") + "\(settings.week.rawValue), cuti bersama \(settings.cutiBersamaIsWorking ? "working" : "off"), UTC\(offset)")
        var failures = 0
        let caseID: String
        do {
            caseID = try service.start(graph, durationClass: self.class ?? scenario.durationClass)
            printer.print(try service.store.events(of: caseID))
        } catch {
            _ = fail(error, language: language)
            return ExitCode(1)
        }
        for action in scenario.actions {
            let where_ = "\(path):\(action.range.start.line)"
            if let atText = action.at {
                guard let at = offset.parse(atText) else {
                    print("  ✗ \(where_): " + t("`at` is not a time: ", "`at` bukan waktu: ") + atText)
                    failures += 1
                    continue
                }
                if at < clock.now() {
                    print("  ✗ \(where_): " + t("time goes back to ", "waktu mundur ke ") + atText)
                    failures += 1
                    continue
                }
                clock.advance(to: at)
            }
            do {
                switch action.kind {
                case let .complete(step, by, documents, waivers, note, last):
                    printer.print(try service.complete(caseID, step: step, by: by, documents: documents, waivers: waivers, note: note, last: last))
                case let .decide(step, branch, by, documents, waivers, note):
                    printer.print(try service.decide(caseID, step: step, branch: branch, by: by, documents: documents, waivers: waivers, note: note))
                case let .respond(step, by, note):
                    printer.print(try service.respond(caseID, step: step, by: by, note: note))
                case let .advance(to):
                    guard let at = offset.parse(to), at >= clock.now() else {
                        print("  ✗ \(where_): " + t("cannot advance to ", "tidak dapat maju ke ") + to)
                        failures += 1
                        continue
                    }
                    clock.advance(to: at)
                    printer.print(try service.advance())
                case let .cancel(reason, by):
                    printer.print(try service.cancel(caseID, reason: reason, by: by))
                case let .expect(e):
                    try service.advance()
                    let (state, _) = try service.load(caseID)
                    let problems = check(e, state: state, graph: graph, now: clock.now())
                    if problems.isEmpty {
                        print("\(offset.format(clock.now()))  " + t("expect ok", "harapan terpenuhi") + " (\(where_))")
                    } else {
                        for p in problems { print("  ✗ \(where_): " + t("expected ", "diharapkan ") + p) }
                        failures += 1
                    }
                }
                if let code = action.refused {
                    print("  ✗ \(where_): " + t("expected the runtime to refuse this with ", "runtime seharusnya menolak ini dengan ") + code)
                    failures += 1
                }
            } catch let error as RuntimeError {
                let expected = action.refused == error.code.rawValue
                print((expected ? "  refused as expected: " : "  ✗ \(where_): ") + error.render(language).replacingOccurrences(of: "\n", with: "\n    "))
                if !expected { failures += 1 }
            }
        }
        let (state, _) = try service.load(caseID)
        print("== " + trace.status(state, now: clock.now()).joined(separator: "\n== "))
        if failures > 0 {
            print(t("scenario: \(failures) action(s) broke a rule or an expectation", "skenario: \(failures) tindakan melanggar aturan atau harapan"))
            return ExitCode(1)
        }
        return ExitCode.success
    }

    private func check(_ e: Scenario.Expectation, state: CaseState, graph: ProcessGraph, now: Instant) -> [String] {
        var out: [String] = []
        if let s = e.status, s != state.status.rawValue { out.append("status \(s), got \(state.status.rawValue)") }
        if let open = e.open {
            let want = Set(open.compactMap { try? CaseService.node($0, in: graph) })
            let got = Set(state.openTasks.map(\.node))
            if want != got || want.count != open.count {
                let names = state.openTasks.map { graph.nodes[$0.node].key ?? graph.nodes[$0.node].number ?? "#\($0.node)" }
                out.append("open [\(open.joined(separator: ", "))], got [\(names.joined(separator: ", "))]")
            }
        }
        if let sla = e.sla {
            let got = state.breachedSLA(now: now) ? "breached" : "met"
            if sla != got { out.append("sla \(sla), got \(got)") }
        }
        if let outcome = e.outcome {
            let got = state.outcome.flatMap { graph.nodes[$0].key } ?? "none"
            if outcome != got { out.append("outcome \(outcome), got \(got)") }
        }
        if let late = e.late {
            let want = late.compactMap { try? CaseService.node($0, in: graph) }.sorted()
            let got = state.breachedSteps.sorted()
            if want != got || want.count != late.count {
                out.append("late [\(late.joined(separator: ", "))], got [\(got.map { graph.nodes[$0].key ?? graph.nodes[$0].number ?? "#\($0)" }.joined(separator: ", "))]")
            }
        }
        return out
    }

    // MARK: Interactive

    func interactive(graph: ProcessGraph, language: Language) throws {
        let t = { (en: String, id: String) in language == .id ? id : en }
        let settings = try calendar.settings(for: graph)
        let offset = settings.offset
        let clock: Clock
        var virtual: VirtualClock?
        if let start {
            guard let at = offset.parse(start) else { throw ValidationError("--start must be a time like 2025-03-03 09:00") }
            virtual = VirtualClock(at)
            clock = virtual!
        } else {
            clock = SystemClock()
        }
        let service = CaseService(store: try makeStore(), clock: clock, resolveSOP: resolver(graph), calendarFor: { _ in settings })
        let printer = EventPrinter(service: service, language: language, indent: "  ")
        let trace = Trace(graph: graph, offset: offset, language: language)

        func ask(_ prompt: String) -> String? {
            print(prompt, terminator: " ")
            fflush(nil)
            return readLine()?.trimmingCharacters(in: .whitespaces)
        }

        print("\(graph.name) — \(graph.id)" + (graph.isDraft ? t(" (DRAFT: the source table is incomplete)", " (DRAF: tabel sumber tidak lengkap)") : ""))
        let caseID: String
        do {
            var cls = self.class
            let classes = Engine(graph: graph, calendar: WorkingCalendar(settings)).durationClasses
            if cls == nil, !classes.isEmpty {
                cls = ask(t("Duration class (\(classes.joined(separator: "/"))):", "Kelas waktu (\(classes.joined(separator: "/"))):"))
            }
            caseID = try service.start(graph, durationClass: cls)
            printer.print(try service.store.events(of: caseID))
        } catch {
            throw fail(error, language: language)
        }
        while true {
            if let fired = try? service.advance(), !fired.isEmpty { printer.print(fired) }
            let (state, engine) = try service.load(caseID)
            print("")
            for l in trace.status(state, now: clock.now()) { print(l) }
            guard state.status == .running else { return }
            let tasks = state.openTasks
            for (i, task) in tasks.enumerated() { print("  \(i + 1)) \(trace.step(task.node))") }
            let menu = t("Choose a step (number)", "Pilih langkah (nomor)") + (virtual != nil ? t(", a TIME to move the clock", ", a WAKTU untuk memajukan jam") : "")
                + t(", r NUMBER to record a response without finishing, c to cancel the case, q to quit:",
                    ", r NOMOR untuk mencatat tanggapan tanpa menyelesaikan, c untuk membatalkan kasus, q untuk keluar:")
            guard let answer = ask(menu) else { print(""); return }
            if answer == "q" { return }
            do {
                if answer == "c" {
                    let reason = ask(t("Reason:", "Alasan:")) ?? ""
                    printer.print(try service.cancel(caseID, reason: reason.isEmpty ? "-" : reason, by: nil))
                    continue
                }
                if answer.hasPrefix("a "), let v = virtual {
                    let arg = String(answer.dropFirst(2)).trimmingCharacters(in: .whitespaces)
                    guard let to = Self.moveTime(arg, from: v.now(), offset: offset) else {
                        print(t("  not a time: ", "  bukan waktu: ") + arg)
                        continue
                    }
                    v.advance(to: to)
                    continue
                }
                if answer.hasPrefix("r "), let n = Int(answer.dropFirst(2).trimmingCharacters(in: .whitespaces)), n >= 1, n <= tasks.count {
                    let node = tasks[n - 1].node
                    let by = ask(t("Who responds?", "Siapa yang menanggapi?")) ?? ""
                    let note = ask(t("  Note (optional):", "  Catatan (opsional):")) ?? ""
                    printer.print(try service.respond(caseID, step: "#\(node)", by: by.isEmpty ? nil : by, note: note.isEmpty ? nil : note))
                    continue
                }
                guard let n = Int(answer), n >= 1, n <= tasks.count else {
                    print(t("  choose one of the numbers above", "  pilih salah satu nomor di atas"))
                    continue
                }
                let node = tasks[n - 1].node
                let g = engine.graph
                let step = "#\(node)"
                let owner = g.nodes[node].actor.map { g.actors[$0] }
                let by = ask(t("Who acts?", "Siapa yang bertindak?") + (owner.map { " (\($0.key) = \($0.name))" } ?? "") + " ") ?? ""
                var docs: [String] = []
                var waivers: [(String, String)] = []
                for d in g.nodes[node].requires where !state.documents.contains(d) {
                    let name = g.documents[d].name
                    let a = ask(t("  “\(name)” supplied? [y]es / [w]aive / [n]o:", "  “\(name)” diserahkan? [y]a / [w] kecualikan / [n] tidak:")) ?? ""
                    if a.lowercased().hasPrefix("y") { docs.append(name) }
                    if a.lowercased().hasPrefix("w") { waivers.append((name, ask(t("    reason:", "    alasan:")) ?? "-")) }
                }
                if g.nodes[node].kind == .decision {
                    let labels = g.edges.filter { $0.from == node && $0.kind == .branch }.compactMap(\.label)
                    if let q = g.nodes[node].question { print("  \(q)") }
                    for (i, l) in labels.enumerated() { print("    \(i + 1)) \(l)") }
                    let b = ask(t("  Branch:", "  Cabang:")) ?? ""
                    let branch = Int(b).flatMap { $0 >= 1 && $0 <= labels.count ? labels[$0 - 1] : nil } ?? b
                    printer.print(try service.decide(caseID, step: step, branch: branch, by: by.isEmpty ? nil : by, documents: docs, waivers: waivers))
                } else {
                    var last = false
                    if g.nodes[node].recurrence != nil {
                        last = (ask(t("  Last occurrence? [y/N]", "  Kali terakhir? [y/N]")) ?? "").lowercased().hasPrefix("y")
                    }
                    let note = ask(t("  Note (optional):", "  Catatan (opsional):")) ?? ""
                    printer.print(try service.complete(caseID, step: step, by: by.isEmpty ? nil : by, documents: docs, waivers: waivers,
                                                       note: note.isEmpty ? nil : note, last: last))
                }
            } catch let error as RuntimeError {
                print("  ✗ " + error.render(language).replacingOccurrences(of: "\n", with: "\n    "))
            }
        }
    }

    /// `+3d`, `+2h`, `+30m` or a local time.
    static func moveTime(_ text: String, from now: Instant, offset: UTCOffset) -> Instant? {
        if text.hasPrefix("+"), let unit = text.last, let n = Int64(text.dropFirst().dropLast()) {
            switch unit {
            case "d": return now + n * 86_400
            case "h": return now + n * 3_600
            case "m": return now + n * 60
            default: return nil
            }
        }
        return offset.parse(text)
    }
}
