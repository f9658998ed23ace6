import Foundation
import SOPDiagnostics

/// A BPMN construct or a file the importer refuses, with where it stands: 1-based line and
/// column of the element (as the XML parser reports them) and the element's id when it has one.
public struct BPMNImportError: Error, Sendable {
    public var line: Int
    public var column: Int
    public var element: String?
    public var message: Message

    /// `FILE:LINE:COLUMN: error: message`, as `sop check` prints a located error.
    public func text(file: String, _ language: Language) -> String {
        let label = language == .id ? "galat" : "error"
        return "\(file):\(line):\(column): \(label): \(message.text(language))"
    }
}

/// Turns a BPMN 2.0 process into SOP YAML (`sop import`): lanes → actors, tasks → steps,
/// exclusive gateways → decisions (the task before the gateway decides), parallel gateway
/// pairs → `parallel` blocks, interrupting boundary timers → `timeout`, call activities →
/// `call`, data input / output associations → `requires` / `produces`, documentation →
/// `note`. What `sop render --format bpmn` keeps in its `urn:sop:bpmn:1` extension elements
/// (numbers, keys, *Waktu* texts, the identity block, outcomes) is read back, so the
/// catalogue round-trips. Anything SOP YAML cannot say is refused with the element's id.
public struct BPMNImporter {
    static let bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL"
    static let sop = "urn:sop:bpmn:1"
    static let di = "http://www.omg.org/spec/BPMN/20100524/DI"
    static let dc = "http://www.omg.org/spec/DD/20100524/DC"

    /// The catalogue id to give a foreign model (ours carry their own).
    public var sopID: String?

    public init(sopID: String? = nil) { self.sopID = sopID }

    /// The SOP YAML of the file's process.
    public func convert(_ data: Data) throws(BPMNImportError) -> String {
        let root: XMLElementNode
        do { root = try XMLTreeReader.read(data) } catch let failure as XMLTreeReader.Failure {
            throw BPMNImportError(line: failure.line, column: failure.column, element: nil, message: Message(
                en: "the file is not well-formed XML: \(failure.reason)",
                id: "berkas ini bukan XML yang benar: \(failure.reason)"))
        } catch {
            throw BPMNImportError(line: 1, column: 1, element: nil, message: Message(en: "the file cannot be read as XML", id: "berkas tidak dapat dibaca sebagai XML"))
        }
        var reader = Reader(root: root, sopID: sopID)
        return try reader.yaml()
    }
}

/// One import: the tree, its indexes and the YAML it builds.
private struct Reader {
    typealias E = XMLElementNode
    let root: E
    let sopID: String?
    var byID: [String: E] = [:]

    init(root: E, sopID: String?) {
        self.root = root
        self.sopID = sopID
        for e in root.descendants() { if let id = e["id"] { byID[id] = e } }
    }

    func fail(_ e: E?, _ en: String, _ id: String) -> BPMNImportError {
        BPMNImportError(line: e?.line ?? 1, column: e?.column ?? 1, element: e?["id"], message: Message(en: en, id: id))
    }

    func named(_ e: E) -> String { e["id"].map { "`\($0)`" } ?? "<\(e.name)>" }

    static let stepKinds: Set<String> = ["task", "userTask", "manualTask", "serviceTask", "scriptTask", "sendTask",
                                         "receiveTask", "businessRuleTask", "callActivity"]

    enum Target: Equatable { case step(String), end(String), split(String), fork(String), join(String) }

    // MARK: - Reading the process

    mutating func yaml() throws(BPMNImportError) -> String {
        guard root.namespace == BPMNImporter.bpmn, root.name == "definitions" else {
            throw fail(root, "the root element is <\(root.name)>, not BPMN 2.0 <definitions> (namespace \(BPMNImporter.bpmn))",
                       "elemen akar adalah <\(root.name)>, bukan <definitions> BPMN 2.0 (namespace \(BPMNImporter.bpmn))")
        }
        let processes = root.children(BPMNImporter.bpmn, "process")
        guard let process = processes.first else {
            throw fail(root, "the file has no <process>", "berkas tidak memuat <process>")
        }
        guard processes.count == 1 else {
            throw fail(processes[1], "the file has \(processes.count) processes (\(processes.compactMap { $0["id"] }.joined(separator: ", "))); an SOP is one process: split the file",
                       "berkas memuat \(processes.count) proses (\(processes.compactMap { $0["id"] }.joined(separator: ", "))); satu SOP adalah satu proses: pisahkan berkasnya")
        }
        return try convert(process)
    }

    func sopExt(_ e: E, _ name: String) -> E? { e.child(BPMNImporter.bpmn, "extensionElements")?.child(BPMNImporter.sop, name) }

    func resolveRef(_ from: E, _ attribute: String, _ what: String) throws(BPMNImportError) -> E {
        guard let ref = from[attribute] else {
            throw fail(from, "\(named(from)) has no \(attribute)", "\(named(from)) tidak memiliki \(attribute)")
        }
        guard let target = byID[ref] else {
            throw fail(from, "\(named(from)) refers to \(what) `\(ref)`, which the file does not define", "\(named(from)) merujuk ke \(what) `\(ref)` yang tidak ada di berkas")
        }
        return target
    }

    // swiftlint:disable:next function_body_length
    mutating func convert(_ process: E) throws(BPMNImportError) -> String {
        let B = BPMNImporter.bpmn
        var steps: [E] = [], ends: [E] = [], starts: [E] = [], gateways: [String: E] = [:], boundaries: [E] = [], flows: [E] = []
        for e in process.children where e.namespace == B {
            switch e.name {
            case let k where Self.stepKinds.contains(k):
                steps.append(e)
            case "startEvent":
                if e.children.contains(where: { $0.name.hasSuffix("EventDefinition") }) {
                    throw fail(e, "start event \(named(e)) has a trigger; an SOP starts when a case is opened (use a plain start event)",
                               "start event \(named(e)) memiliki pemicu; SOP dimulai saat kasus dibuka (pakai start event biasa)")
                }
                starts.append(e)
            case "endEvent":
                if let d = e.children.first(where: { $0.name.hasSuffix("EventDefinition") && $0.name != "terminateEventDefinition" }) {
                    throw fail(d, "end event \(named(e)) throws a <\(d.name)>, which an SOP cannot express", "end event \(named(e)) melempar <\(d.name)>, yang tidak dapat dinyatakan SOP")
                }
                ends.append(e)
            case "exclusiveGateway", "parallelGateway":
                gateways[e["id"] ?? ""] = e
            case "boundaryEvent":
                guard e.child(B, "timerEventDefinition") != nil else {
                    throw fail(e, "boundary event \(named(e)) is not a timer; an SOP has only timeouts", "boundary event \(named(e)) bukan timer; SOP hanya mengenal batas waktu (timeout)")
                }
                guard e["cancelActivity"] != "false" else {
                    throw fail(e, "boundary timer \(named(e)) does not interrupt its task; an SOP timeout moves the case on", "timer \(named(e)) tidak menghentikan tugasnya; timeout SOP memindahkan kasus")
                }
                boundaries.append(e)
            case "sequenceFlow":
                flows.append(e)
            case "dataObject", "dataObjectReference", "dataStoreReference", "laneSet", "documentation", "extensionElements",
                 "textAnnotation", "association", "property", "ioSpecification":
                continue
            default:
                throw fail(e, "<\(e.name)> \(named(e)) cannot be expressed in an SOP (tasks, call activities, exclusive and parallel gateways, boundary timers, start and end events only)",
                           "<\(e.name)> \(named(e)) tidak dapat dinyatakan dalam SOP (hanya task, call activity, gateway eksklusif dan paralel, timer batas, start dan end event)")
            }
        }
        guard starts.count == 1 else {
            throw fail(starts.count > 1 ? starts[1] : process, "the process has \(starts.count) start events; an SOP has exactly one",
                       "proses memiliki \(starts.count) start event; SOP memiliki tepat satu")
        }
        // Every reference resolves.
        var outgoing: [String: [E]] = [:], incoming: [String: [E]] = [:]
        for f in flows {
            let s = try resolveRef(f, "sourceRef", "the source")
            let t = try resolveRef(f, "targetRef", "the target")
            outgoing[s["id"]!, default: []].append(f)
            incoming[t["id"]!, default: []].append(f)
        }
        for b in boundaries { _ = try resolveRef(b, "attachedToRef", "the task") }
        guard (outgoing[starts[0]["id"] ?? ""] ?? []).count == 1 else {
            throw fail(starts[0], "the start event \(named(starts[0])) must have exactly one outgoing flow", "start event \(named(starts[0])) harus memiliki tepat satu alur keluar")
        }
        for ref in process.descendants() where ref.name == "flowNodeRef" {
            guard byID[ref.trimmedText] != nil else {
                throw fail(ref, "the lane lists `\(ref.trimmedText)`, which the file does not define", "lane mencantumkan `\(ref.trimmedText)` yang tidak ada di berkas")
            }
        }

        // Where a flow leads: through converging exclusive gateways to a step, an end, or a
        // gateway that splits or joins.
        func target(_ id: String, _ seen: Set<String> = []) throws(BPMNImportError) -> Target {
            guard let e = byID[id] else { throw fail(nil, "unknown element `\(id)`", "elemen `\(id)` tidak dikenal") }
            if Self.stepKinds.contains(e.name) { return .step(id) }
            if e.name == "endEvent" { return .end(id) }
            guard let g = gateways[id] else {
                throw fail(e, "a flow leads to <\(e.name)> \(named(e)), which an SOP cannot express", "sebuah alur menuju <\(e.name)> \(named(e)), yang tidak dapat dinyatakan SOP")
            }
            let outs = outgoing[id] ?? []
            if outs.count > 1 && (incoming[id]?.count ?? 0) > 1 {
                throw fail(g, "gateway \(named(g)) both joins and splits; give it two gateways", "gateway \(named(g)) menggabung sekaligus memecah; pakai dua gateway")
            }
            if g.name == "parallelGateway" { return outs.count > 1 ? .fork(id) : .join(id) }
            if outs.count > 1 { return .split(id) }
            guard let next = outs.first, !seen.contains(id) else {
                throw fail(g, "gateway \(named(g)) leads nowhere", "gateway \(named(g)) tidak menuju ke mana pun")
            }
            return try target(next["targetRef"]!, seen.union([id]))
        }
        func single(_ e: E) throws(BPMNImportError) -> Target? {
            let outs = outgoing[e["id"]!] ?? []
            guard outs.count <= 1 else {
                throw fail(outs[1], "\(named(e)) has \(outs.count) outgoing flows without a gateway; put an exclusive or parallel gateway after it",
                           "\(named(e)) memiliki \(outs.count) alur keluar tanpa gateway; letakkan gateway eksklusif atau paralel sesudahnya")
            }
            return try outs.first.map { f throws(BPMNImportError) in try target(f["targetRef"]!) }
        }

        // Actors: the lanes, in order.
        var actorKeys: [String] = [], actorOfLane: [String: String] = [:], laneOfNode: [String: String] = [:]
        var actorLines: [String] = []
        var usedKeys: Set<String> = []
        let lanes = process.descendants().filter { $0.name == "lane" && $0.namespace == B && $0.children(B, "childLaneSet").isEmpty }
        for lane in lanes {
            let ext = sopExt(lane, "actor")
            if ext == nil && lane["id"] == "Lane_unassigned" { continue }
            let name = lane["name"] ?? lane["id"] ?? "Pelaksana"
            var key = ext?["key"] ?? Self.slug(name, fallback: "pelaksana")
            var n = 2
            while usedKeys.contains(key) { key = (ext?["key"] ?? Self.slug(name, fallback: "pelaksana")) + "-\(n)"; n += 1 }
            usedKeys.insert(key)
            let refs = lane.children(B, "flowNodeRef").map(\.trimmedText)
            let allSystem = !refs.isEmpty && refs.allSatisfy { byID[$0]?.name == "serviceTask" || byID[$0]?.name == "scriptTask" || !Self.stepKinds.contains(byID[$0]?.name ?? "") }
                && refs.contains { byID[$0]?.name == "serviceTask" || byID[$0]?.name == "scriptTask" }
            let kind = ext?["kind"] ?? (allSystem ? "system" : "person")
            actorKeys.append(key)
            actorOfLane[lane["id"] ?? name] = key
            for r in refs { laneOfNode[r] = key }
            actorLines.append("  \(key): {name: \(Self.q(name))" + (kind == "person" ? "" : ", kind: \(kind)") + "}")
        }
        let sopBlock = sopExt(process, "sop")
        let isDraft = sopBlock?["draft"] == "true"
        if actorKeys.isEmpty && !isDraft {
            let participant = root.descendants().first { $0.name == "participant" }?["name"]
            actorKeys = ["pelaksana"]
            actorLines = ["  pelaksana: {name: \(Self.q(participant ?? process["name"] ?? "Pelaksana"))}"]
            for s in steps { laneOfNode[s["id"]!] = "pelaksana" }
        }

        // Outcomes: end events.
        var outcomeOf: [String: String?] = [:]   // end event id -> outcome key (nil: the default end)
        var outcomeLines: [String] = []
        let declared = sopExt(process, "sop")?.children(BPMNImporter.sop, "outcome") ?? []
        for o in declared {
            guard let key = o["key"] else { throw fail(o, "an outcome has no key", "sebuah hasil akhir tidak memiliki key") }
            outcomeLines.append("  \(key): {name: \(Self.q(o.exactText))}")
        }
        let foreignNamed = ends.count > 1 && ends.allSatisfy { sopExt($0, "outcome") == nil }
        for (i, end) in ends.enumerated() {
            if let key = sopExt(end, "outcome")?["key"] {
                outcomeOf[end["id"]!] = key
                if declared.isEmpty { outcomeLines.append("  \(key): {name: \(Self.q(end["name"] ?? key))}") }
            } else if foreignNamed && i > 0 {
                var key = Self.slug(end["name"] ?? end["id"]!, fallback: "hasil")
                while usedKeys.contains(key) || outcomeLines.contains(where: { $0.hasPrefix("  \(key):") }) { key += "-\(i)" }
                outcomeOf[end["id"]!] = key
                outcomeLines.append("  \(key): {name: \(Self.q(end["name"] ?? key))}")
            } else {
                outcomeOf[end["id"]!] = .some(nil)
            }
        }

        // Conditions of conditional steps: a task marked condition="true" followed by a
        // split whose "ya" leads to the step and "tidak" past it.
        var conditionOf: [String: String] = [:]   // condition task -> its step
        var whenOf: [String: String] = [:]        // step -> condition text
        var conditionInferred: [String: [E]] = [:]
        for s in steps where sopExt(s, "step")?["condition"] == "true" {
            guard case let .split(gw)? = try single(s) else {
                throw fail(s, "condition \(named(s)) is not followed by its ya/tidak gateway", "syarat \(named(s)) tidak diikuti gateway ya/tidak")
            }
            var ya: String?
            for f in outgoing[gw] ?? [] where Self.branchLabel(f)?.lowercased() == "ya" {
                if case let .step(t) = try target(f["targetRef"]!) { ya = t }
            }
            guard let step = ya else {
                throw fail(byID[gw], "the condition's gateway \(named(byID[gw]!)) has no `ya` flow to a task", "gateway syarat \(named(byID[gw]!)) tidak memiliki alur `ya` ke sebuah task")
            }
            conditionOf[s["id"]!] = step
            let stepExt = sopExt(s, "step")
            whenOf[step] = stepExt?.child(BPMNImporter.sop, "question")?.exactText ?? stepExt?.child(BPMNImporter.sop, "action")?.exactText ?? s["name"] ?? ""
            conditionInferred[step] = stepExt?.children(BPMNImporter.sop, "inferred") ?? []
        }
        func stepOf(_ t: Target) -> Target {
            if case let .step(id) = t, let real = conditionOf[id] { return .step(real) }
            return t
        }

        // Written order: by number when every step has one, else left to right in the diagram.
        let realSteps = steps.filter { conditionOf[$0["id"]!] == nil }
        let numbers = realSteps.map { sopExt($0, "step")?["number"] }
        var ordered = realSteps
        if !numbers.contains(where: { $0 == nil }) {
            ordered = zip(realSteps, numbers).sorted { Self.numberKey($0.1!).lexicographicallyPrecedes(Self.numberKey($1.1!)) }.map(\.0)
        } else {
            var x: [String: Double] = [:]
            for shape in root.descendants() where shape.name == "BPMNShape" {
                if let el = shape["bpmnElement"], let b = shape.child(BPMNImporter.dc, "Bounds"), let v = Double(b["x"] ?? "") { x[el] = v }
            }
            if realSteps.allSatisfy({ x[$0["id"]!] != nil }) {
                ordered = realSteps.enumerated().sorted { (x[$0.element["id"]!]!, $0.offset) < (x[$1.element["id"]!]!, $1.offset) }.map(\.element)
            }
        }
        let position = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($0.element["id"]!, $0.offset) })

        // Step ids: the exported key, else a generated one when something refers to the step.
        var stepID: [String: String] = [:]
        for (i, s) in ordered.enumerated() {
            var key = sopExt(s, "step")?["key"] ?? "langkah-\(i + 1)"
            while usedKeys.contains(key) || outcomeOf.values.contains(where: { $0 == key }) { key += "-b" }
            usedKeys.insert(key)
            stepID[s["id"]!] = key
        }
        var referenced: Set<String> = Set(ordered.compactMap { sopExt($0, "step")?["key"] != nil ? $0["id"] : nil })
        func ref(_ t: Target, from index: Int) throws(BPMNImportError) -> String {
            switch stepOf(t) {
            case let .step(id): referenced.insert(id); return stepID[id]!
            case let .end(id): return (outcomeOf[id] ?? nil) ?? "end"
            case let .join(j):
                guard let next = outgoing[j]?.first else { throw fail(byID[j], "join \(named(byID[j]!)) leads nowhere", "join \(named(byID[j]!)) tidak menuju ke mana pun") }
                return try ref(target(next["targetRef"]!), from: index)
            case let .split(g), let .fork(g):
                throw fail(byID[g], "gateway \(named(byID[g]!)) does not follow a task; in an SOP the step before a split decides or forks",
                           "gateway \(named(byID[g]!)) tidak mengikuti sebuah task; dalam SOP langkah sebelum percabangan yang memutuskan")
            }
        }

        // Each step's YAML.
        var stepBlocks: [[String]] = []
        for (i, s) in ordered.enumerated() {
            let id = s["id"]!
            let ext = sopExt(s, "step")
            var lines: [String] = []
            func add(_ key: String, _ value: String) { lines.append("\(key): \(value)") }
            if isDraft, let number = ext?["number"] { add("number", Self.q(number)) }
            add("action", Self.q(ext?.child(BPMNImporter.sop, "action")?.exactText ?? Self.strippedName(s["name"] ?? "")))
            let actors = ext?.children(BPMNImporter.sop, "actor").compactMap { $0["key"] } ?? []
            if actors.count > 1 {
                add("actor", "[" + actors.joined(separator: ", ") + "]")
            } else if let a = actors.first ?? laneOfNode[id] {
                add("actor", a)
            }
            if let w = whenOf[id] { add("when", Self.q(w)) }
            // Documents.
            var requires: [String] = [], produces: [String] = []
            let satisfied = Dictionary((ext?.children(BPMNImporter.sop, "satisfiedBy") ?? []).compactMap { e -> (String, String)? in
                guard let d = e["document"], let by = e["by"] else { return nil }
                return (d, by)
            }, uniquingKeysWith: { a, _ in a })
            for a in s.children(B, "dataInputAssociation") {
                for src in a.children(B, "sourceRef") {
                    let (name, object) = try documentName(src)
                    if let by = satisfied[object] { requires.append("{name: \(Self.q(name)), satisfied_by: \(Self.q(by))}") } else { requires.append(Self.q(name)) }
                }
            }
            for a in s.children(B, "dataOutputAssociation") {
                for t in a.children(B, "targetRef") { produces.append(Self.q(try documentName(t).0)) }
            }
            if !requires.isEmpty { add("requires", "[" + requires.joined(separator: ", ") + "]") }
            if let d = ext?.child(BPMNImporter.sop, "duration") {
                if d["from"] == nil && d["windowOf"] == nil {
                    add("duration", Self.q(d.exactText))
                } else {
                    var parts = ["text: \(Self.q(d.exactText))"]
                    if let from = d["from"] {
                        let fromID = from == "start" ? "start" : (ordered.first { sopExt($0, "step")?["key"] == from || sopExt($0, "step")?["number"] == from }.map { s2 -> String in
                            referenced.insert(s2["id"]!); return stepID[s2["id"]!]! } ?? from)
                        parts.append("from: \(fromID)")
                    }
                    if let w = d["windowOf"] { parts.append("window_of: \(w)") }
                    add("duration", "{" + parts.joined(separator: ", ") + "}")
                }
            }
            if !produces.isEmpty { add("produces", "[" + produces.joined(separator: ", ") + "]") }
            if let v = ext?.child(BPMNImporter.sop, "via")?.exactText { add("via", Self.q(v)) }
            if let n = ext?.child(BPMNImporter.sop, "note")?.exactText {
                add("note", Self.q(n))
            } else if ext == nil, let doc = s.child(B, "documentation")?.trimmedText, !doc.isEmpty {
                add("note", Self.q(doc))
            }
            if s.name == "callActivity" {
                let callee = ext?.child(BPMNImporter.sop, "call")?.exactText ?? Self.calleeID(s["calledElement"] ?? "")
                guard !callee.isEmpty else { throw fail(s, "call activity \(named(s)) names no calledElement", "call activity \(named(s)) tidak menyebut calledElement") }
                add("call", Self.q(callee))
            }
            if let r = ext?.child(BPMNImporter.sop, "recurrence")?.exactText {
                add("recurring", Self.q(r))
            } else if s.child(B, "standardLoopCharacteristics") != nil || s.child(B, "multiInstanceLoopCharacteristics") != nil {
                throw fail(s, "\(named(s)) loops without a period; an SOP repeats a step `Setiap …` (add the sop:recurrence extension or remove the loop)",
                           "\(named(s)) berulang tanpa periode; SOP mengulang langkah `Setiap …` (tambahkan ekstensi sop:recurrence atau hapus pengulangan)")
            }
            // Timers.
            var timers: [String] = []
            for b in boundaries where b["attachedToRef"] == id {
                guard let out = outgoing[b["id"]!]?.first else { throw fail(b, "timer \(named(b)) leads nowhere", "timer \(named(b)) tidak menuju ke mana pun") }
                let t = sopExt(b, "timer")
                let after: String
                if let text = t?["after"] { after = text } else { after = try timerText(b) }
                var parts = ["after: \(Self.q(after))", "goto: \(try ref(target(out["targetRef"]!), from: i))"]
                if let since = t?["since"] { parts.append("since: \(since)") }
                if let label = t?["label"] ?? (t == nil ? b["name"] : nil) { parts.append("label: \(Self.q(label))") }
                timers.append("{" + parts.joined(separator: ", ") + "}")
            }
            if timers.count == 1 { add("timeout", timers[0]) } else if !timers.isEmpty { add("timeout", "[" + timers.joined(separator: ", ") + "]") }
            // Where the step goes.
            let next = stepOf(try single(s) ?? .end(""))
            switch next {
            case let .split(g):
                let gw = byID[g]!
                var branches: [String] = []
                for f in outgoing[g] ?? [] {
                    guard let label = Self.branchLabel(f) else {
                        throw fail(f, "flow \(named(f)) of decision \(named(gw)) has no name or condition to take as its branch label",
                                   "alur \(named(f)) dari keputusan \(named(gw)) tidak memiliki nama atau kondisi sebagai label cabang")
                    }
                    branches.append("\(Self.q(label)): \(try ref(target(f["targetRef"]!), from: i))")
                }
                let question = ext?.child(BPMNImporter.sop, "question")?.exactText ?? gw["name"]
                add("decision", "{" + (question.map { "question: \(Self.q($0)), " } ?? "") + "branches: {" + branches.joined(separator: ", ") + "}}")
            case let .fork(g):
                var branchIDs: [String] = []
                var join: String?
                for f in outgoing[g] ?? [] {
                    let t = stepOf(try target(f["targetRef"]!))
                    guard case let .step(b) = t else {
                        throw fail(f, "parallel branch \(named(f)) does not start with a task", "cabang paralel \(named(f)) tidak dimulai dengan sebuah task")
                    }
                    referenced.insert(b)
                    branchIDs.append(stepID[b]!)
                    if join == nil { join = try findJoin(from: b, target: target, single: single) }
                }
                guard let j = join, let after = outgoing[j]?.first else {
                    throw fail(byID[g], "parallel gateway \(named(byID[g]!)) has no joining gateway its branches reach", "gateway paralel \(named(byID[g]!)) tidak memiliki gateway penggabung")
                }
                add("parallel", "{branches: [" + branchIDs.joined(separator: ", ") + "], join: \(try ref(target(after["targetRef"]!), from: i))}")
            case .step, .join:
                if case let .step(t) = stepOf(next), position[t] == i + 1 { break }
                if case let .join(j) = next, let after = outgoing[j]?.first, case let .step(t) = stepOf(try target(after["targetRef"]!)), position[t] == i + 1 { break }
                add("next", try ref(next, from: i))
            case let .end(e):
                if e.isEmpty || (outcomeOf[e] ?? nil) == nil {
                    if i + 1 < ordered.count { add("end", "true") }
                } else {
                    add("end", (outcomeOf[e] ?? nil)!)
                }
            }
            var inferred = (ext?.children(BPMNImporter.sop, "inferred") ?? []) + (conditionInferred[id] ?? [])
            inferred = inferred.filter { $0["field"] != nil }
            if !inferred.isEmpty {
                add("inferred", "{" + inferred.map { "\($0["field"]!): \(Self.q($0.exactText))" }.joined(separator: ", ") + "}")
            }
            stepBlocks.append(lines)
        }

        // The file.
        var out: [String] = ["sop: 1"]
        let name = process["name"] ?? root.descendants().first { $0.name == "participant" }?["name"] ?? process["id"] ?? "SOP"
        let id = sopBlock?["id"] ?? sopID ?? "imported/" + Self.slug(process["id"] ?? name, fallback: "sop")
        out.append("id: \(Self.q(id))")
        out.append("name: \(Self.q(name))")
        func field(_ key: String, _ ext: String) { if let v = sopBlock?.child(BPMNImporter.sop, ext)?.exactText { out.append("\(key): \(Self.q(v))") } }
        func list(_ key: String, _ ext: String) {
            let values = sopBlock?.children(BPMNImporter.sop, ext).map { Self.q($0.exactText) } ?? []
            if !values.isEmpty { out.append("\(key):"); out += values.map { "  - \($0)" } }
        }
        field("number", "number")
        if isDraft { out.append("draft: true") }
        if let block = sopBlock, let gov = block.child(BPMNImporter.sop, "government")?.exactText {
            var parts = ["government: \(Self.q(gov))"]
            for k in ["agency", "division", "unit"] { if let v = block.child(BPMNImporter.sop, k)?.exactText { parts.append("\(k): \(Self.q(v))") } }
            out.append("organization: {" + parts.joined(separator: ", ") + "}")
        }
        field("activity", "activity")
        field("sub_activity", "subActivity")
        let dates = ["created", "revised", "effective"].compactMap { k in sopBlock?.child(BPMNImporter.sop, k).map { "\(k): \($0.exactText)" } }
        if !dates.isEmpty { out.append("dates: {" + dates.joined(separator: ", ") + "}") }
        if let a = sopBlock?.child(BPMNImporter.sop, "approvedBy") {
            let parts = ["title", "name", "nip"].compactMap { k in a[k].map { "\(k): \(Self.q($0))" } }
            out.append("approved_by: {" + parts.joined(separator: ", ") + "}")
        }
        field("purpose", "purpose")
        list("legal_basis", "legalBasis")
        list("qualifications", "qualification")
        let related = sopBlock?.children(BPMNImporter.sop, "related") ?? []
        if !related.isEmpty {
            out.append("related:")
            for r in related { out.append("  - " + (r["id"].map { "{name: \(Self.q(r.exactText)), id: \($0)}" } ?? Self.q(r.exactText))) }
        }
        list("equipment", "equipment")
        list("warnings", "warning")
        list("records", "record")
        func documentList(_ key: String, _ ext: String) throws(BPMNImportError) {
            let refs = sopBlock?.children(BPMNImporter.sop, ext) ?? []
            guard !refs.isEmpty else { return }
            var names: [String] = []
            for r in refs {
                guard let d = r["document"], let object = byID[d] else { throw fail(r, "\(key) names a document the file does not define", "\(key) menyebut dokumen yang tidak ada di berkas") }
                names.append(Self.q(object["name"] ?? d))
            }
            out.append("\(key): [" + names.joined(separator: ", ") + "]")
        }
        try documentList("inputs", "input")
        try documentList("outputs", "output")
        field("sla", "sla")
        if let s = sopBlock?.child(BPMNImporter.sop, "source") {
            var parts: [String] = []
            if let d = s["document"] { parts.append("document: \(Self.q(d))") }
            if let n = s["sopNumber"] { parts.append("sop_number: \(n)") }
            if let l = s["lines"] { parts.append("lines: [" + l.split(separator: ",").map { "[" + $0.split(separator: "-").joined(separator: ", ") + "]" }.joined(separator: ", ") + "]") }
            out.append("source: {" + parts.joined(separator: ", ") + "}")
        }
        let corrections = sopBlock?.children(BPMNImporter.sop, "correction") ?? []
        if !corrections.isEmpty {
            out.append("corrections:")
            for c in corrections {
                let parts = ["printed", "reading", "kind", "where", "reason"].compactMap { k in c[k].map { "\(k): \(Self.q($0))" } }
                out.append("  - {" + parts.joined(separator: ", ") + "}")
            }
        }
        list("notes", "note")
        if !outcomeLines.isEmpty { out.append("outcomes:"); out += outcomeLines }
        out.append(actorLines.isEmpty ? "actors: {}" : "actors:")
        out += actorLines
        if stepBlocks.isEmpty {
            out.append("steps: []")
        } else {
            out.append("steps:")
            for (i, block) in stepBlocks.enumerated() {
                var lines = block
                if referenced.contains(ordered[i]["id"]!) { lines.insert("id: \(stepID[ordered[i]["id"]!]!)", at: 0) }
                out.append("  - " + lines[0])
                out += lines.dropFirst().map { "    " + $0 }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The joining parallel gateway a branch reaches, following steps and decisions.
    func findJoin(from step: String, target: (String, Set<String>) throws(BPMNImportError) -> Target,
                  single: (E) throws(BPMNImportError) -> Target?) throws(BPMNImportError) -> String? {
        var queue = [step], seen: Set<String> = []
        while let s = queue.first {
            queue.removeFirst()
            guard seen.insert(s).inserted, let e = byID[s] else { continue }
            var nexts: [Target] = []
            if let t = try single(e) { nexts.append(t) }
            for t in nexts {
                switch t {
                case let .join(j): return j
                case let .step(n): queue.append(n)
                case let .split(g), let .fork(g):
                    for f in root.descendants() where f.name == "sequenceFlow" && f["sourceRef"] == g {
                        if case let .step(n) = try target(f["targetRef"]!, []) { queue.append(n) }
                        if case let .join(j) = try target(f["targetRef"]!, []) { return j }
                    }
                case .end: continue
                }
            }
        }
        return nil
    }

    /// A data reference's document name and its data object id.
    func documentName(_ ref: E) throws(BPMNImportError) -> (String, String) {
        guard let r = byID[ref.trimmedText] else {
            throw fail(ref, "the association refers to `\(ref.trimmedText)`, which the file does not define", "asosiasi merujuk ke `\(ref.trimmedText)` yang tidak ada di berkas")
        }
        if r.name == "dataObjectReference", let objectID = r["dataObjectRef"] {
            guard let object = byID[objectID] else {
                throw fail(r, "\(named(r)) refers to data object `\(objectID)`, which the file does not define", "\(named(r)) merujuk ke data object `\(objectID)` yang tidak ada di berkas")
            }
            return (object["name"] ?? r["name"] ?? objectID, objectID)
        }
        return (r["name"] ?? r["id"] ?? "Dokumen", r["id"] ?? "")
    }

    /// A timer's duration as an SOP *Waktu*: our `sop_due(N, "unit", …)`, or an ISO 8601
    /// duration, which the SOP language reads as written.
    func timerText(_ b: E) throws(BPMNImportError) -> String {
        let def = b.child(BPMNImporter.bpmn, "timerEventDefinition")!
        if let d = def.child(BPMNImporter.bpmn, "timeDuration")?.trimmedText {
            let iso = d.trimmingCharacters(in: CharacterSet(charactersIn: "\"'${}= "))
            if iso.hasPrefix("P") { return iso }
        }
        let expr = def.child(BPMNImporter.bpmn, "timeDate")?.trimmedText ?? ""
        if let open = expr.range(of: "sop_due("), let comma = expr[open.upperBound...].firstIndex(of: ",") {
            let amount = expr[open.upperBound..<comma].trimmingCharacters(in: .whitespaces)
            let rest = expr[expr.index(after: comma)...]
            let unit = rest.split(separator: "\"").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
            let words = ["workingDay": "hari kerja", "day": "hari", "hour": "jam", "minute": "menit", "second": "detik",
                         "week": "minggu", "month": "bulan", "year": "tahun"]
            if let w = words[unit] { return "\(amount) \(w)" }
        }
        throw fail(b, "timer \(named(b)) has no duration an SOP can read (an ISO 8601 timeDuration such as P3D, or sop_due(…))",
                   "timer \(named(b)) tidak memiliki durasi yang dapat dibaca SOP (timeDuration ISO 8601 seperti P3D, atau sop_due(…))")
    }

    // MARK: - Texts

    /// A branch's label: the flow's name, else the string its condition compares with.
    static func branchLabel(_ flow: E) -> String? {
        if let n = flow["name"], !n.isEmpty { return n }
        guard let c = flow.child(BPMNImporter.bpmn, "conditionExpression")?.trimmedText else { return nil }
        let parts = c.split(separator: "\"")
        if parts.count >= 2 { return String(parts[1]) }
        let single = c.split(separator: "'")
        return single.count >= 2 ? String(single[1]) : nil
    }

    /// "1. Menerima …" → "Menerima …" (our exported names carry the number).
    static func strippedName(_ name: String) -> String {
        let head = name.prefix { $0.isNumber || $0 == "." }
        if !head.isEmpty, head.last == ".", name.dropFirst(head.count).hasPrefix(" ") { return String(name.dropFirst(head.count + 1)) }
        return name
    }

    static func calleeID(_ processID: String) -> String {
        guard processID.hasPrefix("sop.") else { return processID }
        return String(processID.dropFirst(4)).split(separator: ".").joined(separator: "/")
    }

    static func numberKey(_ number: String) -> [Int] { number.split(separator: ".").map { Int($0) ?? 0 } }

    static func slug(_ text: String, fallback: String) -> String {
        var out = ""
        for c in text.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) { out.append(c) } else if !out.isEmpty && out.last != "-" { out.append("-") }
        }
        while out.last == "-" { out.removeLast() }
        return out.isEmpty ? fallback : String(out.prefix(40))
    }

    /// A YAML scalar: plain when it reads back as the same text, else double-quoted, with
    /// every character YAML may not hold literally (controls, line and paragraph separators,
    /// NEL, a byte order mark) written as an escape.
    static func q(_ s: String) -> String {
        let special: Set<Character> = ["{", "}", "[", "]", ",", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "#", ":", "?", "-", "\\"]
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]
        func printable(_ u: Unicode.Scalar) -> Bool {
            let v = u.value
            return (0x20...0x7E).contains(v) || ((0xA0...0xFFFD).contains(v) && v != 0x2028 && v != 0x2029 && v != 0xFEFF
                && !(0xD800...0xDFFF).contains(v)) || v >= 0x10000
        }
        let plain = !s.isEmpty && s.first!.isLetter && !s.contains(": ") && !s.contains(" #") && !s.hasSuffix(":")
            && s.unicodeScalars.allSatisfy(printable)
            && !s.hasSuffix(" ") && !special.contains(s.first!) && !reserved.contains(s.lowercased())
            && !s.contains(where: { "{}[],\"'`".contains($0) })
        if plain { return s }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if printable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                }
            }
        }
        return out + "\""
    }
}
