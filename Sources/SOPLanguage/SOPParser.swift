import SOPDiagnostics
import SOPIR
import SOPYAML

/// Turns the located YAML tree into an `SOPFile`, reporting unknown keys, wrong types,
/// missing required keys and malformed values (E02xx). It collects every problem and keeps
/// going: a key that is wrong is left out of the AST and the rest is still read.
public struct SOPParser {
    let path: String
    let diagnostics: DiagnosticSink
    /// Durations already parsed in this file, by text: SOPs write the same few *Waktu*
    /// values again and again, and `DurationParser.parse` is a pure function of the text.
    let durations = DurationCache()

    public init(path: String, diagnostics: DiagnosticSink) {
        self.path = path
        self.diagnostics = diagnostics
    }

    // The keys of each mapping, in documented order (also used for "did you mean").
    static let topKeys: [StaticString] = ["sop", "id", "name", "number", "draft", "organization", "activity", "sub_activity", "dates",
                          "approved_by", "purpose", "legal_basis", "qualifications", "related", "equipment", "warnings",
                          "records", "inputs", "outputs", "sla", "source", "notes", "actors", "steps"]
    static let stepKeys: [StaticString] = ["id", "action", "actor", "requires", "produces", "duration", "via", "note", "next",
                           "decision", "parallel", "call", "timeout", "recurring", "end", "number"]
    static let organizationKeys: [StaticString] = ["government", "agency", "division", "unit"]
    static let dateKeys: [StaticString] = ["created", "revised", "effective"]
    static let approvalKeys: [StaticString] = ["title", "name", "nip"]
    static let sourceKeys: [StaticString] = ["document", "sop_number", "page"]
    static let actorKeys: [StaticString] = ["name", "kind", "note"]
    static let decisionKeys: [StaticString] = ["question", "branches"]
    static let parallelKeys: [StaticString] = ["branches", "join"]
    static let timeoutKeys: [StaticString] = ["after", "goto", "label", "since"]
    static let relatedKeys: [StaticString] = ["name", "id"]

    func range(_ node: YAMLNode) -> SourceRange { node.range(in: path) }

    func emit(_ message: LanguageMessage, _ node: YAMLNode, fixIts: [FixIt] = []) {
        diagnostics.emit(message.diagnostic(at: range(node), fixIts: fixIts))
    }

    /// Parses the root mapping. Never fails: what cannot be read is reported and left out.
    public func parse(_ root: YAMLNode) -> SOPFile {
        var file = SOPFile(path: path, range: range(root))
        let entries = entries(of: root, allowed: Self.topKeys, context: Message(en: "the SOP", id: "SOP"))
        // `draft` first: it changes what else is required.
        if let node = entries["draft"] { file.isDraft = bool(node, key: "draft") ?? false }
        if let node = entries["sop"] {
            if node.kind == .scalar, node.style == .plain, node.scalar == "1" {
                file.version = Located(1, range(node))
            } else if node.kind == .scalar {
                emit(.unsupportedVersion(node.scalar), node, fixIts: [.replacing(node.scalar, at: range(node), with: "1")])
            } else {
                emit(.wrongType(key: "sop", expected: Message(en: "the number 1", id: "angka 1"), found: node.typeName), node)
            }
        }
        file.id = entries["id"].flatMap { catalogueID($0, key: "id") }
        file.name = entries["name"].flatMap { text($0, key: "name") }
        file.number = entries["number"].flatMap { text($0, key: "number") }
        if let node = entries["organization"], let org = mapping(node, key: "organization", allowed: Self.organizationKeys) {
            file.organization = SOPFile.Organization(
                government: org["government"].flatMap { text($0, key: "government") },
                agency: org["agency"].flatMap { text($0, key: "agency") },
                division: org["division"].flatMap { text($0, key: "division") },
                unit: org["unit"].flatMap { text($0, key: "unit") })
        }
        file.activity = entries["activity"].flatMap { text($0, key: "activity") }
        file.subActivity = entries["sub_activity"].flatMap { text($0, key: "sub_activity") }
        if let node = entries["dates"], let dates = mapping(node, key: "dates", allowed: Self.dateKeys) {
            file.dates = SOPFile.Dates(created: dates["created"].flatMap { date($0, key: "created") },
                                       revised: dates["revised"].flatMap { date($0, key: "revised") },
                                       effective: dates["effective"].flatMap { date($0, key: "effective") })
        }
        if let node = entries["approved_by"], let a = mapping(node, key: "approved_by", allowed: Self.approvalKeys) {
            file.approvedBy = SOPFile.Approval(title: a["title"].flatMap { text($0, key: "title") },
                                               name: a["name"].flatMap { text($0, key: "name") },
                                               nip: a["nip"].flatMap { text($0, key: "nip") })
        }
        file.purpose = entries["purpose"].flatMap { text($0, key: "purpose") }
        file.legalBasis = entries["legal_basis"].map { texts($0, key: "legal_basis") } ?? []
        file.qualifications = entries["qualifications"].map { texts($0, key: "qualifications") } ?? []
        file.related = entries["related"].map(related) ?? []
        file.equipment = entries["equipment"].map { texts($0, key: "equipment") } ?? []
        file.warnings = entries["warnings"].map { texts($0, key: "warnings") } ?? []
        file.records = entries["records"].map { texts($0, key: "records") } ?? []
        file.inputs = entries["inputs"].map { texts($0, key: "inputs") } ?? []
        file.outputs = entries["outputs"].map { texts($0, key: "outputs") } ?? []
        file.sla = entries["sla"].flatMap { duration($0, key: "sla") }
        if let node = entries["source"], let s = mapping(node, key: "source", allowed: Self.sourceKeys) {
            file.source = SOPFile.SourceRef(document: s["document"].flatMap { text($0, key: "document") },
                                            sopNumber: s["sop_number"].flatMap { integer($0, key: "sop_number") },
                                            page: s["page"].flatMap { integer($0, key: "page") })
        }
        file.notes = entries["notes"].map { texts($0, key: "notes") } ?? []
        if let node = entries["actors"] { file.actors = actors(node) }
        if let node = entries["steps"] { file.steps = steps(node, isDraft: file.isDraft) }

        let context = Message(en: "the SOP", id: "SOP")
        let head = headRange(root)
        for key: StaticString in ["sop", "id", "name", "actors", "steps"] where entries[key] == nil {
            diagnostics.emit(LanguageMessage.missingKey(key: key.description, context: context.en)
                .diagnostic(at: head, notes: [Message(en: "required keys: sop, id, name, actors, steps",
                                                      id: "kunci wajib: sop, id, name, actors, steps")]))
        }
        return file
    }

    /// The first line of a mapping, where "missing key" errors point.
    func headRange(_ node: YAMLNode) -> SourceRange {
        let end = node.childCount > 0 ? node.child(0).end : node.start
        return SourceRange(file: path, start: node.start, end: end)
    }

    func fix(_ en: String, _ id: String, _ node: YAMLNode, _ replacement: String) -> FixIt {
        FixIt(message: Message(en: en, id: id), edits: [TextEdit(range: range(node), replacement: replacement)])
    }

    /// The entries of a mapping by key, after reporting unknown keys (with a fix-it to the
    /// nearest allowed key). Nil after reporting a node that is not a mapping.
    func mapping(_ node: YAMLNode, key: String, allowed: [StaticString]) -> Entries? {
        guard node.kind == .mapping else {
            emit(.wrongType(key: key, expected: Message(en: "a mapping of keys", id: "pemetaan kunci"), found: node.typeName), node)
            return nil
        }
        return entries(of: node, allowed: allowed, context: Message(en: "`\(key)`", id: "`\(key)`"))
    }

    /// The values of a mapping by allowed key: a linear table, cheaper than hashing for the
    /// handful of keys a mapping has. Keys are compared as bytes (they are ASCII literals).
    struct Entries {
        let allowed: [StaticString]
        var values: [YAMLNode?]

        subscript(key: StaticString) -> YAMLNode? {
            for (i, candidate) in allowed.enumerated() where Self.same(candidate, key) { return values[i] }
            return nil
        }

        @inline(__always) static func same(_ a: StaticString, _ b: StaticString) -> Bool {
            let n = a.utf8CodeUnitCount
            guard n == b.utf8CodeUnitCount else { return false }
            let p = a.utf8Start, q = b.utf8Start
            if p == q { return true }
            for i in 0..<n where p[i] != q[i] { return false }
            return true
        }
    }

    func entries(of node: YAMLNode, allowed: [StaticString], context: Message) -> Entries {
        var result = Entries(allowed: allowed, values: [YAMLNode?](repeating: nil, count: allowed.count))
        var i = 0
        let count = node.childCount
        while i + 1 < count {
            let key = node.child(i)
            i += 2
            if let slot = allowed.firstIndex(where: { key.scalarEquals($0) }) {
                if result.values[slot] == nil { result.values[slot] = node.child(i - 1) }
                continue
            }
            let suggestion = NearMiss.best(for: key.scalar, among: allowed.map(\.description))
            var fixes: [FixIt] = []
            if let suggestion {
                fixes.append(fix("rename `\(key.scalar)` to `\(suggestion)`", "ganti `\(key.scalar)` menjadi `\(suggestion)`", key, suggestion))
            }
            diagnostics.emit(LanguageMessage.unknownKey(key: key.scalar, context: context.en, suggestion: suggestion)
                .diagnostic(at: range(key), fixIts: fixes))
        }
        return result
    }

    func text(_ node: YAMLNode, key: String) -> Located<String>? {
        guard node.kind == .scalar, !node.isNull || node.style != .plain else {
            emit(.wrongType(key: key, expected: Message(en: "a text", id: "teks"), found: node.typeName), node)
            return nil
        }
        return Located(node.scalar, range(node))
    }

    /// A text or a list of texts (a single text means a list of one).
    func texts(_ node: YAMLNode, key: String) -> [Located<String>] {
        if node.kind == .scalar, !node.isNull { return [Located(node.scalar, range(node))] }
        guard node.kind == .sequence else {
            emit(.wrongType(key: key, expected: Message(en: "a text or a list of texts", id: "teks atau daftar teks"), found: node.typeName), node)
            return []
        }
        return (0..<node.childCount).compactMap { text(node.child($0), key: key) }
    }

    func bool(_ node: YAMLNode, key: String) -> Bool? {
        guard node.kind == .scalar, node.style == .plain else {
            emit(.wrongType(key: key, expected: Message(en: "`true` or `false`", id: "`true` atau `false`"), found: node.typeName), node)
            return nil
        }
        switch node.scalar {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            let suggestion = NearMiss.best(for: node.scalar, among: ["true", "false"])
                ?? (["ya", "yes", "y"].contains(node.scalar.lowercased()) ? "true" : ["tidak", "no", "n"].contains(node.scalar.lowercased()) ? "false" : nil)
            emit(.invalidValue(key: key, value: node.scalar, allowed: ["true", "false"], suggestion: suggestion), node)
            return nil
        }
    }

    func integer(_ node: YAMLNode, key: String) -> Located<Int>? {
        guard node.kind == .scalar, node.style == .plain, let value = Int(node.scalar) else {
            emit(.wrongType(key: key, expected: Message(en: "a whole number", id: "bilangan bulat"), found: node.typeName), node)
            return nil
        }
        return Located(value, range(node))
    }

    func date(_ node: YAMLNode, key: String) -> Located<String>? {
        guard let t = text(node, key: key) else { return nil }
        let parts = t.value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              y >= 1900, (1...12).contains(m), d >= 1, d <= Self.daysIn(month: m, year: y) else {
            emit(.invalidDate(t.value), node)
            return nil
        }
        return t
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isIdentifier(_ s: Substring) -> Bool {
        guard let first = s.utf8.first, isLowerAlnum(first) else { return false }
        return s.utf8.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    @inline(__always) static func isLowerAlnum(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    /// A step or actor id: `[a-z0-9][a-z0-9_-]*`.
    func identifier(_ node: YAMLNode, key: String, what: Message) -> Located<String>? {
        guard let t = text(node, key: key) else { return nil }
        guard Self.isIdentifier(Substring(t.value)) else {
            let fixed = Self.slug(t.value)
            let fixes = fixed.isEmpty ? [] : [FixIt.replacing(t.value, at: t.range, with: fixed)]
            emit(.invalidIdentifier(text: t.value, what: what), node, fixIts: fixes)
            return nil
        }
        return t
    }

    /// A catalogue id: ids separated by `/`.
    func catalogueID(_ node: YAMLNode, key: String) -> Located<String>? {
        guard let t = text(node, key: key) else { return nil }
        let parts = t.value.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy(Self.isIdentifier) else {
            let fixed = t.value.split(separator: "/").map { Self.slug(String($0)) }.filter { !$0.isEmpty }.joined(separator: "/")
            let fixes = fixed.isEmpty ? [] : [FixIt.replacing(t.value, at: t.range, with: fixed)]
            emit(.invalidIdentifier(text: t.value, what: Message(en: "catalogue id (such as `kota-cirebon/dkis/konferensi-pers`)",
                                                                  id: "id katalog (seperti `kota-cirebon/dkis/konferensi-pers`)")), node, fixIts: fixes)
            return nil
        }
        return t
    }

    /// Lower-case letters and digits joined by `-`: the suggested spelling of a bad id.
    static func slug(_ s: String) -> String {
        var out = ""
        var dash = false
        for c in s.lowercased().unicodeScalars {
            if ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "_" {
                if dash, !out.isEmpty { out.append("-") }
                out.unicodeScalars.append(c)
                dash = false
            } else {
                dash = true
            }
        }
        return out
    }

    func duration(_ node: YAMLNode, key: String) -> Located<Duration>? {
        guard let t = text(node, key: key) else { return nil }
        switch durations.parse(t.value) {
        case let .success(d):
            return Located(d, t.range)
        case let .failure(f):
            diagnostics.emit(LanguageMessage.invalidDuration(text: t.value, found: f.found).diagnostic(at: t.range))
            return nil
        }
    }

    func related(_ node: YAMLNode) -> [SOPFile.RelatedRef] {
        let items: [YAMLNode]
        if node.kind == .sequence { items = node.children }
        else if node.kind == .scalar, !node.isNull { items = [node] }
        else {
            emit(.wrongType(key: "related", expected: Message(en: "a list", id: "daftar"), found: node.typeName), node)
            return []
        }
        return items.compactMap { item in
            if item.kind == .scalar, let t = text(item, key: "related") { return SOPFile.RelatedRef(name: t, id: nil) }
            guard let m = mapping(item, key: "related", allowed: Self.relatedKeys) else { return nil }
            guard let nameNode = m["name"] else {
                diagnostics.emit(LanguageMessage.missingKey(key: "name", context: "a related SOP").diagnostic(at: headRange(item)))
                return nil
            }
            guard let name = text(nameNode, key: "name") else { return nil }
            return SOPFile.RelatedRef(name: name, id: m["id"].flatMap { catalogueID($0, key: "id") })
        }
    }

    func actors(_ node: YAMLNode) -> [SOPFile.ActorDecl] {
        guard node.kind == .mapping else {
            emit(.wrongType(key: "actors", expected: Message(en: "a mapping of actor ids to actors", id: "pemetaan id pelaksana ke pelaksana"),
                            found: node.typeName), node)
            return []
        }
        var result: [SOPFile.ActorDecl] = []
        for (keyNode, value) in node.pairs {
            // An invalid key is reported, but the actor is kept so steps naming it are not also errors.
            let key = identifier(keyNode, key: "actors", what: Message(en: "actor id", id: "id pelaksana"))
                ?? Located(keyNode.scalar, range(keyNode))
            var actor = SOPFile.ActorDecl(key: key, name: nil, kind: .person, note: nil)
            if value.kind == .scalar, !value.isNull {
                // Short form: `kadis: Kepala Dinas`.
                actor.name = Located(value.scalar, range(value))
            } else if let m = mapping(value, key: key.value, allowed: Self.actorKeys) {
                actor.name = m["name"].flatMap { text($0, key: "name") }
                if m["name"] == nil {
                    diagnostics.emit(LanguageMessage.missingKey(key: "name", context: "the actor `\(key.value)`").diagnostic(at: headRange(value)))
                }
                actor.note = m["note"].flatMap { text($0, key: "note") }
                if let kindNode = m["kind"], let kind = text(kindNode, key: "kind") {
                    if let k = ProcessGraph.ActorKind(rawValue: kind.value) {
                        actor.kind = k
                    } else {
                        let allowed = ProcessGraph.ActorKind.allCases.map(\.rawValue)
                        let suggestion = NearMiss.best(for: kind.value, among: allowed)
                        emit(.invalidValue(key: "kind", value: kind.value, allowed: allowed, suggestion: suggestion), kindNode,
                             fixIts: suggestion.map { [.replacing(kind.value, at: kind.range, with: $0)] } ?? [])
                    }
                }
            }
            result.append(actor)
        }
        return result
    }

    func steps(_ node: YAMLNode, isDraft: Bool) -> [SOPFile.Step] {
        guard node.kind == .sequence else {
            if !node.isNull {
                emit(.wrongType(key: "steps", expected: Message(en: "a list of steps", id: "daftar langkah"), found: node.typeName), node)
            }
            return []
        }
        var result: [SOPFile.Step] = []
        result.reserveCapacity(node.childCount)
        for itemIndex in 0..<node.childCount {
            let item = node.child(itemIndex)
            guard let m = mapping(item, key: "steps", allowed: Self.stepKeys) else { continue }
            let step = SOPFile.Step(index: result.count, range: range(item))
            step.id = m["id"].flatMap { identifier($0, key: "id", what: Message(en: "step id", id: "id langkah")) }
            if let id = step.id, id.value == "end" {
                diagnostics.emit(LanguageMessage.invalidIdentifier(text: "end", what: Message(
                    en: "step id (`end` is reserved for \"the process ends\")", id: "id langkah (`end` dicadangkan untuk \"proses berakhir\")"))
                    .diagnostic(at: id.range))
                step.id = nil
            }
            step.action = m["action"].flatMap { text($0, key: "action") }
            if m["action"] == nil {
                diagnostics.emit(LanguageMessage.missingKey(key: "action", context: "step \(result.count + 1)").diagnostic(at: headRange(item)))
            }
            step.actor = m["actor"].flatMap { text($0, key: "actor") }
            if m["actor"] == nil, !isDraft, m["call"] == nil {
                diagnostics.emit(LanguageMessage.missingKey(key: "actor", context: "step \(result.count + 1)").diagnostic(
                    at: headRange(item),
                    notes: [Message(en: "only a draft (`draft: true`) may leave the actor unknown",
                                    id: "hanya draf (`draft: true`) yang boleh tanpa pelaksana")]))
            }
            step.requires = m["requires"].map { texts($0, key: "requires") } ?? []
            step.produces = m["produces"].map { texts($0, key: "produces") } ?? []
            step.duration = m["duration"].flatMap { duration($0, key: "duration") }
            step.via = m["via"].flatMap { text($0, key: "via") }
            step.note = m["note"].flatMap { text($0, key: "note") }
            step.next = m["next"].flatMap { text($0, key: "next") }
            step.call = m["call"].flatMap { catalogueID($0, key: "call") }
            step.recurring = m["recurring"].flatMap { duration($0, key: "recurring") }
            if let e = m["end"], let value = bool(e, key: "end") { step.end = Located(value, range(e)) }
            if let n = m["number"], let number = text(n, key: "number") {
                if isDraft { step.number = number } else { emit(.numberOutsideDraft, n) }
            }
            if let d = m["decision"] { step.decision = decision(d) }
            if let p = m["parallel"] { step.parallel = parallel(p) }
            if let t = m["timeout"] { step.timeouts = timeouts(t) }
            result.append(step)
        }
        return result
    }

    func decision(_ node: YAMLNode) -> SOPFile.Decision? {
        guard let m = mapping(node, key: "decision", allowed: Self.decisionKeys) else { return nil }
        var decision = SOPFile.Decision(keyRange: headRange(node), question: m["question"].flatMap { text($0, key: "question") }, branches: [])
        if m["question"] == nil {
            diagnostics.emit(LanguageMessage.missingKey(key: "question", context: "the decision").diagnostic(at: headRange(node)))
        }
        if let b = m["branches"] {
            if b.kind == .mapping {
                for (label, target) in b.pairs {
                    if let t = text(target, key: label.scalar) {
                        decision.branches.append(SOPFile.Branch(label: Located(label.scalar, range(label)), target: t))
                    }
                }
            } else {
                emit(.wrongType(key: "branches", expected: Message(en: "a mapping of labels to step ids", id: "pemetaan label ke id langkah"),
                                found: b.typeName), b)
            }
        } else {
            diagnostics.emit(LanguageMessage.missingKey(key: "branches", context: "the decision").diagnostic(at: headRange(node)))
        }
        return decision
    }

    func parallel(_ node: YAMLNode) -> SOPFile.Parallel? {
        guard let m = mapping(node, key: "parallel", allowed: Self.parallelKeys) else { return nil }
        var result = SOPFile.Parallel(keyRange: headRange(node), branches: [], join: m["join"].flatMap { text($0, key: "join") })
        if let b = m["branches"] {
            if b.kind == .sequence { result.branches = (0..<b.childCount).compactMap { text(b.child($0), key: "branches") } }
            else { emit(.wrongType(key: "branches", expected: Message(en: "a list of step ids", id: "daftar id langkah"), found: b.typeName), b) }
        } else {
            diagnostics.emit(LanguageMessage.missingKey(key: "branches", context: "the parallel block").diagnostic(at: headRange(node)))
        }
        return result
    }

    /// `since: activation | last-response`.
    func anchor(_ node: YAMLNode) -> Located<ProcessGraph.TimerAnchor>? {
        guard let value = text(node, key: "since") else { return nil }
        if let a = ProcessGraph.TimerAnchor(rawValue: value.value) { return Located(a, value.range) }
        let allowed = ProcessGraph.TimerAnchor.allCases.map(\.rawValue)
        let suggestion = NearMiss.best(for: value.value, among: allowed)
        emit(.invalidValue(key: "since", value: value.value, allowed: allowed, suggestion: suggestion), node,
             fixIts: suggestion.map { [.replacing(value.value, at: value.range, with: $0)] } ?? [])
        return nil
    }

    func timeouts(_ node: YAMLNode) -> [SOPFile.Timeout] {
        let items = node.kind == .sequence ? node.children : [node]
        return items.compactMap { item in
            guard let m = mapping(item, key: "timeout", allowed: Self.timeoutKeys) else { return nil }
            return SOPFile.Timeout(range: headRange(item),
                                   after: m["after"].flatMap { duration($0, key: "after") },
                                   target: m["goto"].flatMap { text($0, key: "goto") },
                                   label: m["label"].flatMap { text($0, key: "label") },
                                   since: m["since"].flatMap { anchor($0) },
                                   hasAfter: m["after"] != nil, hasTarget: m["goto"] != nil)
        }
    }
}

/// A bounded memo of `DurationParser.parse` for one file.
final class DurationCache {
    /// Beyond this many distinct texts, new ones are parsed without being kept.
    static let capacity = 256
    private var results: [String: Result<Duration, DurationParser.Failure>] = [:]

    func parse(_ text: String) -> Result<Duration, DurationParser.Failure> {
        if let known = results[text] { return known }
        let result = DurationParser.parse(text)
        if results.count < Self.capacity { results[text] = result }
        return result
    }
}
