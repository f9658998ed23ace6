import SOPAnalysis
import SOPDiagnostics
import SOPIR
import SOPRuntime

/// Writes a training path as a scenario that `sop run FILE --script SCENARIO.yaml` runs
/// (the format of `Tests/Scenarios`): the case starts on Monday 3 March 2025 at 08:00 local
/// time; each step is completed (or decided, `decide: "8.4?"` for a condition) by its first
/// actor 30 minutes after it opened, supplying the required documents the case does not
/// hold yet; a timer fires by moving the clock (`advance`) to the instant it falls due on the
/// working-day calendar of the SOP's region — after one response, for a timer counted from
/// the last response; the scenario ends by expecting the case completed at the path's end.
/// A path through a `call` step ends at that step: the called SOP runs as a case of its own
/// (a child case the scenario does not drive), so the scenario expects the case still running.
public struct ScenarioWriter: Sendable {
    /// Why a path cannot be written as a scenario.
    public enum Failure: Error, Equatable, Sendable {
        /// The calendar has no data for the dates the scenario needs.
        case calendar(String)
    }

    public let graph: ProcessGraph
    /// The SOP's path as the scenario's `sop:` line gives it.
    public let sopPath: String
    public let language: Language
    /// Local time the case starts.
    public var start = "2025-03-03 08:00"
    /// The SOPs `call` steps name, by id (for `verify`: the runtime starts their child cases).
    public var resolveSOP: @Sendable (String) throws -> ProcessGraph? = { _ in nil }

    public init(graph: ProcessGraph, sopPath: String, language: Language) {
        self.graph = graph
        self.sopPath = sopPath
        self.language = language
    }

    /// The file name of path `number` (1-based): `pengaduan-lapor-sp4n-path-02.yaml`.
    public func fileName(_ number: Int) -> String {
        let slug = graph.id.split(separator: "/").last.map(String.init) ?? "sop"
        return "\(slug)-path-\(number < 10 ? "0" : "")\(number).yaml"
    }

    /// One action of a scenario, in the order it runs.
    public enum Action: Hashable, Sendable {
        case complete(at: Instant, step: String, by: String?, documents: [String], last: Bool)
        case decide(at: Instant, step: String, branch: String, by: String?, documents: [String])
        case respond(at: Instant, step: String, by: String?, note: String)
        /// The clock moves to the instant a timer falls due (`timer` in `ProcessGraph.timers`).
        case advance(to: Instant, timer: Int)
        /// The case is completed at this end: an outcome id, or nil for the default end.
        case expectCompleted(outcome: String?)
        /// The case waits at this `call` step for the called SOP's own case: the path ends here.
        case expectWaiting(step: String)
    }

    /// The actions that take a case along `path`.
    public func actions(_ path: TrainingPath) throws(Failure) -> [Action] {
        let settings = CalendarSettings.forSOP(graph.id)
        let calendar = WorkingCalendar(settings)
        guard var clock = settings.offset.parse(start) else { throw .calendar(start) }
        var out: [Action] = []
        var have = Set<Int>()
        var activated = clock
        for hop in path.hops {
            let node = graph.nodes[hop.node]
            guard node.isActivity else { continue }
            let ref = PathNarrative.ref(node, in: graph)
            if node.kind == .call {
                out.append(.expectWaiting(step: ref))
                return out
            }
            let by = node.allActors.first.map { graph.actors[$0].key }
            if case let .timer(id)? = hop.exit {
                let timer = graph.timers[id]
                var anchor = activated
                if timer.since == .lastResponse {
                    clock = clock + gap(node)
                    out.append(.respond(at: clock, step: ref, by: by, note: language == .id ? "tanggapan pertama" : "first response"))
                    anchor = clock
                }
                guard let span = timer.after.maximum else { continue }
                let due: Instant
                do { due = try calendar.deadline(after: span, from: anchor) } catch { throw .calendar("\(error)") }
                out.append(.advance(to: due, timer: id))
                clock = due
                activated = clock
                continue
            }
            clock = clock + gap(node)
            var missing: [Int] = []
            for d in node.requires {
                let satisfied = [d] + (graph.documents[d].satisfiedBy.map { [$0] } ?? [])
                if !satisfied.contains(where: have.contains) { missing.append(d) }
            }
            let documents = missing.map { graph.documents[$0].name }
            switch hop.exit {
            case let .branch(_, label)?:
                out.append(.decide(at: clock, step: ref, branch: label, by: by, documents: documents))
            default:
                out.append(.complete(at: clock, step: ref, by: by, documents: documents, last: node.recurrence != nil))
            }
            have.formUnion(missing)
            have.formUnion(node.produces)
            activated = clock
        }
        out.append(.expectCompleted(outcome: graph.nodes[path.end].key))
        return out
    }

    /// The scenario of `path`, the `number`-th of `total`, as YAML.
    public func scenario(_ path: TrainingPath, number: Int, total: Int) throws(Failure) -> String {
        let offset = CalendarSettings.forSOP(graph.id).offset
        let narrative = PathNarrative(graph: graph, language: language)
        let t = { (en: String, id: String) in language == .id ? id : en }
        let range = WorkingDayRange.of(path, in: graph)
        let actions = try actions(path)

        var out: [String] = []
        out.append("# " + Self.oneLine(t("Path \(number) of \(total)", "Jalur \(number) dari \(total)") + " — " + graph.name + " — "
                   + t("ends: ", "berakhir: ") + narrative.outcomeName(path) + " (" + narrative.duration(range) + ")"))
        out.append("# " + t("Written by `sop paths --scenarios`; run it with `sop run FILE --script THIS.yaml`.",
                            "Ditulis oleh `sop paths --scenarios`; jalankan dengan `sop run FILE --script BERKAS_INI.yaml`."))
        for (i, line) in narrative.lines(path).enumerated() {
            out.append("#   \(i + 1). \(line.title) · " + Self.oneLine(narrative.sentence(line)))
        }
        out.append("sop: " + Self.quoted(sopPath))
        out.append("start: " + Self.quoted(start))
        if let first = Self.durationClasses(graph).first { out.append("class: " + Self.quoted(first)) }
        out.append("actions:")
        func by(_ b: String?) -> String { b.map { ", by: " + Self.quoted($0) } ?? "" }
        func docs(_ d: [String]) -> String { d.isEmpty ? "" : ", documents: [" + d.map(Self.quoted).joined(separator: ", ") + "]" }
        for action in actions {
            switch action {
            case let .complete(at, step, who, documents, last):
                out.append("  - {at: \(Self.quoted(offset.format(at))), complete: \(Self.quoted(step))\(by(who))\(docs(documents))\(last ? ", last: true" : "")}")
            case let .decide(at, step, branch, who, documents):
                out.append("  - {at: \(Self.quoted(offset.format(at))), decide: \(Self.quoted(step)), branch: \(Self.quoted(branch))\(by(who))\(docs(documents))}")
            case let .respond(at, step, who, note):
                out.append("  - {at: \(Self.quoted(offset.format(at))), respond: \(Self.quoted(step))\(by(who)), note: \(Self.quoted(note))}")
            case let .advance(to, timer):
                out.append("  - {advance: \(Self.quoted(offset.format(to)))}   # " + t("the timer fires: ", "batas waktu berjalan: ") + Self.oneLine(graph.timers[timer].after.text))
            case let .expectCompleted(outcome):
                out.append("  - {expect: {status: completed, open: [], outcome: \(Self.quoted(outcome ?? "none"))}}")
            case let .expectWaiting(step):
                out.append("  - {expect: {status: running}}   # " + Self.oneLine(t("step \(step) calls another SOP, whose case runs on its own: the exercise ends here",
                                                                                    "langkah \(step) memanggil SOP lain, yang berjalan sebagai kasusnya sendiri: latihan berakhir di sini")))
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The first `call` step on `path`, where its scenario ends (nil when it has none).
    public func callStop(_ path: TrainingPath) -> String? {
        path.hops.lazy.map { self.graph.nodes[$0.node] }.first { $0.kind == .call }.map { PathNarrative.ref($0, in: self.graph) }
    }

    /// Runs the actions of `path` on the runtime (in memory, on a virtual clock): nil when the
    /// case completes at the path's end, else what went wrong.
    public func verify(_ path: TrainingPath) -> String? {
        let settings = CalendarSettings.forSOP(graph.id)
        let actions: [Action]
        do { actions = try self.actions(path) } catch {
            switch error {
            case let .calendar(text):
                return (language == .id ? "kalender: " : "calendar: ") + text
            }
        }
        guard let startAt = settings.offset.parse(start) else { return "bad start" }
        let clock = VirtualClock(startAt)
        let service = CaseService(store: MemoryCaseStore(), clock: clock, resolveSOP: resolveSOP, calendarFor: { _ in settings })
        service.cachesStates = true
        do {
            let caseID = try service.start(graph, durationClass: Self.durationClasses(graph).first)
            for action in actions {
                switch action {
                case let .complete(at, step, by, documents, last):
                    clock.advance(to: at)
                    _ = try service.complete(caseID, step: step, by: by, documents: documents, last: last)
                case let .decide(at, step, branch, by, documents):
                    clock.advance(to: at)
                    _ = try service.decide(caseID, step: step, branch: branch, by: by, documents: documents)
                case let .respond(at, step, by, note):
                    clock.advance(to: at)
                    _ = try service.respond(caseID, step: step, by: by, note: note)
                case let .advance(to, _):
                    clock.advance(to: to)
                    _ = try service.advance()
                case let .expectCompleted(outcome):
                    let (state, _) = try service.load(caseID)
                    guard state.status == .completed else { return "status \(state.status.rawValue)" }
                    let got = state.outcome.flatMap { graph.nodes[$0].key }
                    guard got == outcome else { return "outcome \(got ?? "none")" }
                case let .expectWaiting(step):
                    let (state, _) = try service.load(caseID)
                    let node = try CaseService.node(step, in: graph)
                    guard state.status == .running, state.openTask(node)?.child != nil else {
                        return "status \(state.status.rawValue), step \(step) not waiting for its called SOP"
                    }
                }
            }
        } catch let error as RuntimeError {
            return error.render(language)
        } catch {
            return "\(error)"
        }
        return nil
    }

    /// Seconds between a step opening and its completion: 30 minutes, less when the step has
    /// a shorter timer (which would otherwise fire first).
    func gap(_ node: ProcessGraph.Node) -> Int64 {
        let shortest = graph.timers.filter { $0.node == node.id }.compactMap { $0.after.maximum?.estimatedHours }.min()
        guard let shortest else { return 1800 }
        return max(60, min(1800, Int64(shortest * 3600 / 2)))
    }

    static func durationClasses(_ graph: ProcessGraph) -> [String] {
        var seen: [String] = []
        for n in graph.nodes {
            if case let .classes(classes) = n.duration?.value {
                for c in classes where !seen.contains(c.name) { seen.append(c.name) }
            }
        }
        return seen
    }

    /// One line of text for a YAML comment: line breaks become spaces, and what YAML does not
    /// allow unescaped (control characters, the byte order mark, line separators) becomes `?`.
    static func oneLine(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" { out += " "; continue }
            out.unicodeScalars.append(isPlain(scalar) ? scalar : "?")
        }
        return out
    }

    /// YAML's printable characters, less the byte order mark and the line breaks.
    static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        // U+0085, U+2028 and U+2029 break lines in YAML 1.1 (libyaml): a comment would end there.
        return (0x20...0x7E).contains(v) || ((0xA0...0xD7FF).contains(v) && v != 0x2028 && v != 0x2029)
            || ((0xE000...0xFFFD).contains(v) && v != 0xFEFF) || (0x10000...0x10FFFF).contains(v)
    }

    /// A YAML double-quoted scalar; what is not printable is escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if isPlain(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFF {
                    out += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(2)
                } else if scalar.value <= 0xFFFF {
                    out += "\\u" + String(scalar.value, radix: 16, uppercase: true).leftPadded(4)
                } else {
                    out += "\\U" + String(scalar.value, radix: 16, uppercase: true).leftPadded(8)
                }
            }
        }
        return out + "\""
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: Swift.max(0, width - count)) + self }
}
