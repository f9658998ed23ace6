import Foundation
import SOPDiagnostics
import SOPRuntime
import SOPYAML

/// A scripted run of one case on a virtual clock (`sop run FILE --script SCENARIO.yaml`):
///
/// ```yaml
/// start: 2025-03-03 09:00        # the case starts then (local time of the SOP's unit)
/// class: sedang                  # optional: the duration class
/// calendar: {week: working-days, cuti_bersama: off, timezone: WIB}   # optional overrides
/// actions:
///   - {at: 2025-03-03 09:30, complete: terima, by: admin, documents: [Laporan]}
///   - {at: 2025-03-04 10:00, decide: verifikasi, branch: ya, by: admin}
///   - {at: 2025-03-05 11:00, respond: respon, by: penghubung, note: respon awal}
///   - {advance: 2025-06-30}      # the clock moves; due timers fire
///   - {at: 2025-03-05 12:00, complete: respon, by: admin, refused: R001}   # a rule shown
///   - {expect: {status: completed, open: [], sla: met, late: [3], outcome: ombudsman}}
/// ```
struct Scenario {
    struct Action {
        enum Kind {
            case complete(step: String, by: String?, documents: [String], waivers: [(String, String)], note: String?, last: Bool)
            case decide(step: String, branch: String, by: String?, documents: [String], waivers: [(String, String)], note: String?)
            case respond(step: String, by: String?, note: String?)
            case advance(to: String)
            case cancel(reason: String, by: String?)
            case expect(Expectation)
        }
        var at: String?
        var kind: Kind
        var range: SourceRange
        /// The code the runtime must refuse this action with (a rule the scenario shows).
        var refused: String?
    }

    struct Expectation {
        var status: String?
        var open: [String]?
        var sla: String?
        var late: [String]?
        /// The named end the case reached (an outcome id), or `none` for the default end.
        var outcome: String?
    }

    var start: String?
    var startRange: SourceRange?
    var durationClass: String?
    var week: String?
    var cutiBersama: String?
    var timezone: String?
    var actions: [Action] = []

    /// Reads a scenario; problems go to `sink` as located diagnostics (code S0001).
    static func read(_ source: SourceFile, sink: DiagnosticSink) -> Scenario? {
        guard let root = YAMLReader().read(source, diagnostics: sink) else { return nil }
        let scenario = Reader(file: source.path, sink: sink).scenario(root)
        return sink.hasErrors ? nil : scenario
    }

    private struct Reader {
        let file: String
        let sink: DiagnosticSink

        func error(_ node: YAMLNode, _ en: String, _ id: String, help: Message? = nil) {
            sink.emit(Diagnostic(severity: .error, code: "S0001", message: Message(en: en, id: id), range: node.range(in: file), help: help))
        }

        func string(_ node: YAMLNode, _ key: String) -> String? {
            guard node.kind == .scalar, !node.isNull else {
                error(node, "`\(key)` must be text", "`\(key)` harus berupa teks")
                return nil
            }
            return node.scalar
        }

        func strings(_ node: YAMLNode, _ key: String) -> [String] {
            if node.kind == .scalar { return string(node, key).map { [$0] } ?? [] }
            guard node.kind == .sequence else {
                error(node, "`\(key)` must be a list", "`\(key)` harus berupa daftar")
                return []
            }
            return node.children.compactMap { string($0, key) }
        }

        func mapping(_ node: YAMLNode, _ what: String) -> [(key: YAMLNode, value: YAMLNode)]? {
            guard node.kind == .mapping else {
                error(node, "\(what) must be a mapping of keys", "\(what) harus berupa pemetaan kunci")
                return nil
            }
            return node.pairs
        }

        func unknown(_ key: YAMLNode, known: [String]) {
            let hint = NearMiss.best(for: key.scalar, among: known)
            error(key, "unknown key `\(key.scalar)`" + (hint.map { "; did you mean `\($0)`?" } ?? ""),
                  "kunci `\(key.scalar)` tidak dikenal" + (hint.map { "; maksud Anda `\($0)`?" } ?? ""),
                  help: Message(en: "known keys: \(known.joined(separator: ", "))", id: "kunci yang dikenal: \(known.joined(separator: ", "))"))
        }

        func scenario(_ root: YAMLNode) -> Scenario {
            var s = Scenario()
            let known = ["start", "class", "calendar", "actions", "sop", "description"]
            for (k, v) in root.pairs {
                switch k.scalar {
                case "start": s.start = string(v, "start"); s.startRange = v.range(in: file)
                case "class": s.durationClass = string(v, "class")
                case "sop", "description": break
                case "calendar":
                    for (ck, cv) in mapping(v, "`calendar`") ?? [] {
                        switch ck.scalar {
                        case "week": s.week = string(cv, "week")
                        case "cuti_bersama": s.cutiBersama = string(cv, "cuti_bersama")
                        case "timezone": s.timezone = string(cv, "timezone")
                        default: unknown(ck, known: ["week", "cuti_bersama", "timezone"])
                        }
                    }
                case "actions":
                    guard v.kind == .sequence else { error(v, "`actions` must be a list", "`actions` harus berupa daftar"); continue }
                    s.actions = v.children.compactMap(action)
                default: unknown(k, known: known)
                }
            }
            if s.start == nil { error(root, "a scenario needs `start:`, the time the case starts", "skenario memerlukan `start:`, waktu kasus dimulai") }
            return s
        }

        func action(_ node: YAMLNode) -> Action? {
            guard let pairs = mapping(node, "an action") else { return nil }
            var at: String?
            var fields: [String: YAMLNode] = [:]
            let verbs = ["complete", "decide", "respond", "advance", "cancel", "expect"]
            let known = verbs + ["at", "by", "documents", "waive", "note", "branch", "last", "reason", "refused"]
            var refused: String?
            var sawUnknown = false
            for (k, v) in pairs {
                if k.scalar == "at" { at = string(v, "at"); continue }
                if k.scalar == "refused" { refused = string(v, "refused"); continue }
                guard known.contains(k.scalar) else { unknown(k, known: known); sawUnknown = true; continue }
                fields[k.scalar] = v
            }
            let present = verbs.filter { fields[$0] != nil }
            guard present.count == 1, let verb = present.first, let value = fields[verb] else {
                // A misspelt verb is already reported; one message is enough.
                if sawUnknown && present.isEmpty { return nil }
                error(node, "an action needs exactly one of \(verbs.joined(separator: ", "))",
                      "sebuah tindakan memerlukan tepat satu dari \(verbs.joined(separator: ", "))")
                return nil
            }
            let by = fields["by"].flatMap { string($0, "by") }
            let documents = fields["documents"].map { strings($0, "documents") } ?? []
            let note = fields["note"].flatMap { string($0, "note") }
            var waivers: [(String, String)] = []
            if let w = fields["waive"] {
                for (k, v) in mapping(w, "`waive`") ?? [] { waivers.append((k.scalar, string(v, "waive") ?? "")) }
            }
            let range = node.range(in: file)
            guard var action = make(verb, value, fields, at: at, by: by, documents: documents, note: note, waivers: waivers, node: node, range: range) else { return nil }
            action.refused = refused
            return action
        }

        func make(_ verb: String, _ value: YAMLNode, _ fields: [String: YAMLNode], at: String?, by: String?, documents: [String],
                  note: String?, waivers: [(String, String)], node: YAMLNode, range: SourceRange) -> Action? {
            switch verb {
            case "complete":
                guard let step = string(value, verb) else { return nil }
                let last = fields["last"].map { $0.scalar == "true" || $0.scalar == "yes" } ?? false
                return Action(at: at, kind: .complete(step: step, by: by, documents: documents, waivers: waivers, note: note, last: last), range: range)
            case "decide":
                guard let step = string(value, verb) else { return nil }
                guard let branch = fields["branch"].flatMap({ string($0, "branch") }) else {
                    error(node, "`decide` needs `branch:`", "`decide` memerlukan `branch:`")
                    return nil
                }
                return Action(at: at, kind: .decide(step: step, branch: branch, by: by, documents: documents, waivers: waivers, note: note), range: range)
            case "respond":
                guard let step = string(value, verb) else { return nil }
                return Action(at: at, kind: .respond(step: step, by: by, note: note), range: range)
            case "advance":
                guard let to = string(value, verb) else { return nil }
                return Action(at: at, kind: .advance(to: to), range: range)
            case "cancel":
                guard let reason = string(value, verb) else { return nil }
                return Action(at: at, kind: .cancel(reason: reason, by: by), range: range)
            default:
                guard let pairs = mapping(value, "`expect`") else { return nil }
                var e = Expectation()
                for (k, v) in pairs {
                    switch k.scalar {
                    case "status": e.status = string(v, "status")
                    case "open": e.open = strings(v, "open")
                    case "sla": e.sla = string(v, "sla")
                    case "late": e.late = strings(v, "late")
                    case "outcome": e.outcome = string(v, "outcome")
                    default: unknown(k, known: ["status", "open", "sla", "late", "outcome"])
                    }
                }
                return Action(at: at, kind: .expect(e), range: range)
            }
        }
    }
}
