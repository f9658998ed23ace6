#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import SOPDiagnostics
import SOPIR
import SOPYAML

/// Turns the located YAML tree into an `SOPFile`, reporting unknown keys, wrong types,
/// missing required keys and malformed values (E02xx). It collects every problem and keeps
/// going: a key that is wrong is left out of the AST and the rest is still read.
public struct SOPParser {
    let path: String
    let diagnostics: DiagnosticSink
    /// The nearest allowed keys of the unknown keys of the mapping read last (see `fill`).
    let suggested = Suggested()

    final class Suggested {
        var keys: [String] = []
    }

    public init(path: String, diagnostics: DiagnosticSink) {
        self.path = path
        self.diagnostics = diagnostics
    }

    // The keys of each mapping, in documented order (also used for "did you mean").
    static let topKeys: [StaticString] = ["sop", "id", "name", "number", "draft", "organization", "activity", "sub_activity", "dates",
                          "approved_by", "purpose", "legal_basis", "qualifications", "related", "equipment", "warnings",
                          "records", "inputs", "outputs", "sla", "source", "notes", "corrections", "outcomes", "actors", "steps"]
    static let stepKeys: [StaticString] = ["id", "action", "actor", "requires", "produces", "duration", "via", "note", "next",
                           "decision", "parallel", "call", "timeout", "recurring", "end", "number", "when", "inferred"]
    static let organizationKeys: [StaticString] = ["government", "agency", "division", "unit"]
    static let dateKeys: [StaticString] = ["created", "revised", "effective"]
    static let approvalKeys: [StaticString] = ["title", "name", "nip"]
    static let sourceKeys: [StaticString] = ["document", "sop_number", "page", "lines"]
    static let correctionKeys: [StaticString] = ["printed", "reading", "kind", "where", "reason"]
    static let correctionKinds = ["ocr", "layout"]
    static let outcomeKeys: [StaticString] = ["name", "note"]
    static let requirementKeys: [StaticString] = ["name", "satisfied_by"]
    static let durationKeys: [StaticString] = ["text", "from", "window_of"]
    static let inferableFields: [StaticString] = ["actor", "decision", "when", "next", "requires", "produces", "duration"]
    static let actorKeys: [StaticString] = ["name", "kind", "note"]
    static let decisionKeys: [StaticString] = ["question", "branches"]
    static let parallelKeys: [StaticString] = ["branches", "join"]
    static let timeoutKeys: [StaticString] = ["after", "goto", "label", "since"]
    static let relatedKeys: [StaticString] = ["name", "id"]

    /// The keys allowed in a mapping, by the key that holds it (`""` for the top level,
    /// `steps` for a step, `actor` for an actor's entry): what an editor completes.
    public static func allowedKeys(under parent: String) -> [String] {
        let keys: [StaticString]
        switch parent {
        case "": keys = topKeys
        case "steps": keys = stepKeys
        case "organization": keys = organizationKeys
        case "dates": keys = dateKeys
        case "approved_by": keys = approvalKeys
        case "source": keys = sourceKeys
        case "corrections": keys = correctionKeys
        case "outcome": keys = outcomeKeys
        case "requires": keys = requirementKeys
        case "duration": keys = durationKeys
        case "inferred": keys = inferableFields
        case "actor": keys = actorKeys
        case "decision": keys = decisionKeys
        case "parallel": keys = parallelKeys
        case "timeout": keys = timeoutKeys
        case "related": keys = relatedKeys
        default: keys = []
        }
        return keys.map(\.description)
    }

    func range(_ node: YAMLNode) -> SourceRange { node.range(in: path) }

    func emit(_ message: LanguageMessage, _ node: YAMLNode, fixIts: [FixIt] = []) {
        diagnostics.emit(message.diagnostic(at: range(node), fixIts: fixIts))
    }

    /// Parses the root mapping. Never fails: what cannot be read is reported and left out.
    public func parse(_ root: YAMLNode) -> SOPFile {
        var file = SOPFile(path: path, document: root.document, range: range(root))
        let entries = entries(of: root, allowed: Self.topKeys, context: Message(en: "the SOP", id: "SOP"))
        // A misspelt key (`actros:`) was reported with its fix: not again as a missing key.
        let misspeltTop = Set(suggested.keys)
        if misspeltTop.contains("actors"), entries["actors"] == nil { file.misspeltKeys.insert("actors") }
        if misspeltTop.contains("steps"), entries["steps"] == nil { file.misspeltKeys.insert("steps") }
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
                                            page: s["page"].flatMap { integer($0, key: "page") },
                                            lines: s["lines"].map(lineRanges) ?? [])
        }
        file.notes = entries["notes"].map { texts($0, key: "notes") } ?? []
        file.corrections = entries["corrections"].map(corrections) ?? []
        file.outcomes = entries["outcomes"].map(outcomes) ?? []
        if let node = entries["actors"] { file.actors = actors(node) }
        if let node = entries["steps"] { steps(node, isDraft: file.isDraft, into: &file) }

        let context = Message(en: "the SOP", id: "SOP")
        let head = headRange(root)
        for key: StaticString in ["sop", "id", "name", "actors", "steps"] where entries[key] == nil && !misspeltTop.contains(key.description) {
            diagnostics.emit(LanguageMessage.missingKey(key: key.description, context: context)
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
        var slots: [Int32] = []
        guard entries(node.document, node.index, key: key, allowed: allowed, into: &slots) else { return nil }
        return Entries(allowed: allowed, document: node.document, slots: slots)
    }

    /// The values of a mapping by allowed key: a linear table, cheaper than hashing for the
    /// handful of keys a mapping has. Keys are compared as bytes (they are ASCII literals).
    struct Entries {
        let allowed: [StaticString]
        let document: YAMLDocument
        /// The value node of each allowed key, or -1.
        let slots: [Int32]

        subscript(key: StaticString) -> YAMLNode? {
            for (i, candidate) in allowed.enumerated() where Self.same(candidate, key) {
                return slots[i] >= 0 ? document.node(slots[i]) : nil
            }
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
        var slots: [Int32] = []
        fill(node.document, node.index, allowed: allowed, context: context, into: &slots)
        return Entries(allowed: allowed, document: node.document, slots: slots)
    }

    /// The value of each allowed key of mapping `i` into `slots` (-1 when absent; the first
    /// wins), after reporting unknown keys.
    func fill(_ doc: YAMLDocument, _ i: Int32, allowed: [StaticString], context: @autoclosure () -> Message, into slots: inout [Int32]) {
        suggested.keys.removeAll(keepingCapacity: true)
        if slots.count != allowed.count { slots = [Int32](repeating: -1, count: allowed.count) } else {
            for k in slots.indices { slots[k] = -1 }
        }
        let count = doc.childCount(i)
        var k = 0
        while k + 1 < count {
            let keyNode = doc.child(i, k)
            k += 2
            if let slot = doc.withScalarBytes(keyNode, { Self.slot(of: $0, in: allowed) }) {
                if slots[slot] < 0 { slots[slot] = doc.child(i, k - 1) }
                continue
            }
            reportUnknownKey(doc.node(keyNode), allowed: allowed, context: context())
        }
    }

    /// Reports a key that is not allowed, with a fix-it to the nearest allowed key.
    func reportUnknownKey(_ key: YAMLNode, allowed: [StaticString], context: Message) {
        let suggestion = NearMiss.best(for: key.scalar, among: allowed.map(\.description))
        if let suggestion { suggested.keys.append(suggestion) }
        var fixes: [FixIt] = []
        if let suggestion {
            fixes.append(fix("rename `\(key.scalar)` to `\(suggestion)`", "ganti `\(key.scalar)` menjadi `\(suggestion)`", key, suggestion))
        }
        diagnostics.emit(LanguageMessage.unknownKey(key: key.scalar, context: context, suggestion: suggestion)
            .diagnostic(at: range(key), fixIts: fixes))
    }

    /// A scalar that is not null, with its range (the identity block's reading of `text`).
    func text(_ node: YAMLNode, key: String) -> Located<String>? {
        text(node.document, node.index, key: key).map { _ in Located(node.scalar, range(node)) }
    }

    /// A text or a list of texts (a single text means a list of one).
    func texts(_ node: YAMLNode, key: String) -> [Located<String>] {
        var refs: [TextRef] = []
        _ = texts(node.document, node.index, key: key, into: &refs)
        return refs.map { Located(node.document.string($0.node), range(node.document, $0.node)) }
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
        switch DurationParser.parse(t.value) {
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
                diagnostics.emit(LanguageMessage.missingKey(key: "name", context: Message(en: "a related SOP", id: "SOP terkait")).diagnostic(at: headRange(item)))
                return nil
            }
            guard let name = text(nameNode, key: "name") else { return nil }
            return SOPFile.RelatedRef(name: name, id: m["id"].flatMap { catalogueID($0, key: "id") })
        }
    }

    /// `lines: [[first, last], …]`: 1-based inclusive line ranges.
    func lineRanges(_ node: YAMLNode) -> [Located<[Int]>] {
        let expected = Message(en: "a list of line ranges `[first, last]`", id: "daftar rentang baris `[awal, akhir]`")
        guard node.kind == .sequence else {
            emit(.wrongType(key: "lines", expected: expected, found: node.typeName), node)
            return []
        }
        return node.children.compactMap { item in
            let numbers = item.kind == .sequence ? item.children.compactMap { integer($0, key: "lines") } : []
            guard item.kind == .sequence, numbers.count == 2, item.childCount == 2, numbers[0].value >= 1, numbers[0].value <= numbers[1].value else {
                emit(.wrongType(key: "lines", expected: expected, found: item.typeName), item)
                return nil
            }
            return Located([numbers[0].value, numbers[1].value], range(item))
        }
    }

    /// `corrections:`, each `{printed, reading, kind, where?, reason?}`.
    func corrections(_ node: YAMLNode) -> [SOPFile.Correction] {
        guard node.kind == .sequence else {
            emit(.wrongType(key: "corrections", expected: Message(en: "a list of corrections", id: "daftar koreksi"), found: node.typeName), node)
            return []
        }
        return node.children.compactMap { item in
            guard let m = mapping(item, key: "corrections", allowed: Self.correctionKeys) else { return nil }
            var missing = false
            for key: StaticString in ["printed", "reading", "kind"] where m[key] == nil {
                diagnostics.emit(LanguageMessage.missingKey(key: key.description, context: Message(en: "a correction", id: "koreksi")).diagnostic(at: headRange(item)))
                missing = true
            }
            guard !missing, let printed = text(m["printed"]!, key: "printed"), let reading = text(m["reading"]!, key: "reading"),
                  let kind = text(m["kind"]!, key: "kind") else { return nil }
            guard Self.correctionKinds.contains(kind.value) else {
                let suggestion = NearMiss.best(for: kind.value, among: Self.correctionKinds)
                emit(.invalidValue(key: "kind", value: kind.value, allowed: Self.correctionKinds, suggestion: suggestion), m["kind"]!,
                     fixIts: suggestion.map { [.replacing(kind.value, at: kind.range, with: $0)] } ?? [])
                return nil
            }
            return SOPFile.Correction(range: range(item), printed: printed, reading: reading, kind: kind,
                                      where: m["where"].flatMap { text($0, key: "where") }, reason: m["reason"].flatMap { text($0, key: "reason") })
        }
    }

    /// `outcomes:`, a mapping of outcome ids to `{name, note?}` (or to the name alone).
    func outcomes(_ node: YAMLNode) -> [SOPFile.OutcomeDecl] {
        guard node.kind == .mapping else {
            emit(.wrongType(key: "outcomes", expected: Message(en: "a mapping of outcome ids to outcomes", id: "pemetaan id hasil ke hasil"),
                            found: node.typeName), node)
            return []
        }
        var result: [SOPFile.OutcomeDecl] = []
        for (keyNode, value) in node.pairs {
            guard let key = identifier(keyNode, key: "outcomes", what: Message(en: "outcome id", id: "id hasil")) else { continue }
            if keyNode.scalar == "end" {
                diagnostics.emit(LanguageMessage.invalidIdentifier(text: "end", what: Message(
                    en: "outcome id (`end` is the default outcome)", id: "id hasil (`end` adalah hasil bawaan)")).diagnostic(at: key.range))
                continue
            }
            var outcome = SOPFile.OutcomeDecl(key: key, ref: TextRef(node: keyNode.index), name: nil)
            if value.kind == .scalar, !value.isNull {
                outcome.name = Located(value.scalar, range(value))
            } else if let m = mapping(value, key: key.value, allowed: Self.outcomeKeys) {
                outcome.name = m["name"].flatMap { text($0, key: "name") }
                if m["name"] == nil {
                    diagnostics.emit(LanguageMessage.missingKey(key: "name", context: Message(en: "the outcome `\(key.value)`", id: "hasil akhir `\(key.value)`")).diagnostic(at: headRange(value)))
                }
            }
            result.append(outcome)
        }
        return result
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
            var actor = SOPFile.ActorDecl(key: key, ref: TextRef(node: keyNode.index), name: nil, kind: .person, note: nil)
            if value.kind == .scalar, !value.isNull {
                // Short form: `kadis: Kepala Dinas`.
                actor.name = Located(value.scalar, range(value))
            } else if let m = mapping(value, key: key.value, allowed: Self.actorKeys) {
                actor.name = m["name"].flatMap { text($0, key: "name") }
                if m["name"] == nil {
                    diagnostics.emit(LanguageMessage.missingKey(key: "name", context: Message(en: "the actor `\(key.value)`", id: "pelaksana `\(key.value)`")).diagnostic(at: headRange(value)))
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

    // MARK: Steps, by node index
    //
    // A file may have 100,000 steps: they are read by node index through one reference to
    // the document, into `SOPFile`'s flat tables, making a `String` only for a message.

    func range(_ doc: YAMLDocument, _ i: Int32) -> SourceRange { doc.range(i, in: path) }

    func emit(_ message: LanguageMessage, _ doc: YAMLDocument, _ i: Int32, fixIts: [FixIt] = []) {
        diagnostics.emit(message.diagnostic(at: range(doc, i), fixIts: fixIts))
    }

    /// The values of a mapping's allowed keys into `slots` (-1 when absent), after reporting
    /// unknown keys. False after reporting a node that is not a mapping.
    func entries(_ doc: YAMLDocument, _ i: Int32, key: String, allowed: [StaticString], into slots: inout [Int32]) -> Bool {
        guard doc.kind(i) == .mapping else {
            emit(.wrongType(key: key, expected: Message(en: "a mapping of keys", id: "pemetaan kunci"), found: doc.node(i).typeName), doc, i)
            return false
        }
        fill(doc, i, allowed: allowed, context: Message(en: "`\(key)`", id: "`\(key)`"), into: &slots)
        return true
    }

    /// The position of a key among `allowed`, compared as bytes: the allowed keys are
    /// lower-case ASCII letters and `_`, which no other text equals as a `String`.
    @inline(__always)
    static func slot(of key: UnsafeBufferPointer<UInt8>, in allowed: [StaticString]) -> Int? {
        for (slot, candidate) in allowed.enumerated() where candidate.utf8CodeUnitCount == key.count {
            if key.count == 0 || memcmp(candidate.utf8Start, key.baseAddress!, key.count) == 0 { return slot }
        }
        return nil
    }

    /// A scalar that is not null, or nil after reporting the wrong type.
    func text(_ doc: YAMLDocument, _ i: Int32, key: String) -> TextRef? {
        guard doc.kind(i) == .scalar, !doc.isNull(i) || doc.style(i) != .plain else {
            emit(.wrongType(key: key, expected: Message(en: "a text", id: "teks"), found: doc.node(i).typeName), doc, i)
            return nil
        }
        return TextRef(node: i)
    }

    /// A text or a list of texts (a single text means a list of one), appended to `list`;
    /// the positions they took.
    func texts(_ doc: YAMLDocument, _ i: Int32, key: String, into list: inout [TextRef]) -> Range<Int32> {
        let start = Int32(list.count)
        if doc.kind(i) == .scalar, !doc.isNull(i) {
            list.append(TextRef(node: i))
        } else if doc.kind(i) == .sequence {
            for k in 0..<doc.childCount(i) {
                if let t = text(doc, doc.child(i, k), key: key) { list.append(t) }
            }
        } else {
            emit(.wrongType(key: key, expected: Message(en: "a text or a list of texts", id: "teks atau daftar teks"), found: doc.node(i).typeName), doc, i)
        }
        return start..<Int32(list.count)
    }

    /// A step id (`[a-z0-9][a-z0-9_-]*`), checked on its bytes.
    func identifier(_ doc: YAMLDocument, _ i: Int32, key: String, what: Message) -> TextRef? {
        guard let t = text(doc, i, key: key) else { return nil }
        guard doc.withScalarBytes(i, Self.isIdentifier) else { return identifier(doc.node(i), key: key, what: what).map { _ in t } }
        return t
    }

    /// A catalogue id (ids separated by `/`), checked on its bytes.
    func catalogueID(_ doc: YAMLDocument, _ i: Int32, key: String) -> TextRef? {
        guard let t = text(doc, i, key: key) else { return nil }
        let valid = doc.withScalarBytes(i) { bytes in
            bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy { Self.isIdentifier(UnsafeBufferPointer(rebasing: $0)) }
        }
        guard valid else { return catalogueID(doc.node(i), key: key).map { _ in t } }
        return t
    }

    static func isIdentifier(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, isLowerAlnum(first) else { return false }
        return bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// A duration, parsed once per distinct text of the file.
    func duration(_ doc: YAMLDocument, _ i: Int32, key: String, memo: inout DurationMemo) -> TimedRef? {
        guard let t = text(doc, i, key: key) else { return nil }
        switch memo.parse(doc, i) {
        case let .success(index):
            return TimedRef(text: t, value: index)
        case let .failure(f):
            diagnostics.emit(LanguageMessage.invalidDuration(text: doc.string(i), found: f.found).diagnostic(at: range(doc, i)))
            return nil
        }
    }

    /// `true` or `false`, or nil after reporting another value.
    func bool(_ doc: YAMLDocument, _ i: Int32, key: String) -> Bool? {
        if doc.kind(i) == .scalar, doc.style(i) == .plain {
            for t: StaticString in ["true", "True", "TRUE"] where doc.scalar(i, equals: t) { return true }
            for f: StaticString in ["false", "False", "FALSE"] where doc.scalar(i, equals: f) { return false }
        }
        return bool(doc.node(i), key: key)
    }

    func steps(_ node: YAMLNode, isDraft: Bool, into file: inout SOPFile) {
        guard node.kind == .sequence else {
            if !node.isNull {
                emit(.wrongType(key: "steps", expected: Message(en: "a list of steps", id: "daftar langkah"), found: node.typeName), node)
            }
            return
        }
        let doc = node.document, list = node.index
        let count = doc.childCount(list)
        var memo = DurationMemo()
        var m: [Int32] = []
        var steps: [SOPFile.Step] = []
        steps.reserveCapacity(count)
        file.mentions.reserveCapacity(2 * count)
        for itemIndex in 0..<count {
            let item = doc.child(list, itemIndex)
            guard entries(doc, item, key: "steps", allowed: Self.stepKeys, into: &m) else { continue }
            // Required keys written misspelt were reported with their fix: not again as missing.
            let misspelt = suggested.keys
            // Slots in the order of `stepKeys`.
            let (kID, kAction, kActor, kRequires, kProduces, kDuration, kVia, kNote, kNext) = (0, 1, 2, 3, 4, 5, 6, 7, 8)
            let (kDecision, kParallel, kCall, kTimeout, kRecurring, kEnd, kNumber, kWhen, kInferred) = (9, 10, 11, 12, 13, 14, 15, 16, 17)
            var step = SOPFile.Step(index: steps.count, node: item)
            let label = Message(en: "step \(steps.count + 1)", id: "langkah \(steps.count + 1)")
            if m[kID] >= 0, let id = identifier(doc, m[kID], key: "id", what: Message(en: "step id", id: "id langkah")) {
                if doc.scalar(id.node, equals: "end") {
                    diagnostics.emit(LanguageMessage.invalidIdentifier(text: "end", what: Message(
                        en: "step id (`end` is reserved for \"the process ends\")", id: "id langkah (`end` dicadangkan untuk \"proses berakhir\")"))
                        .diagnostic(at: range(doc, id.node)))
                } else {
                    step.id = id
                }
            }
            if m[kID] < 0, misspelt.contains("id") { file.misspeltKeys.insert("step.id") }
            if m[kActor] < 0, misspelt.contains("actor") { file.misspeltKeys.insert("step.actor") }
            if m[kAction] >= 0 { step.action = text(doc, m[kAction], key: "action") } else if !misspelt.contains("action") {
                diagnostics.emit(LanguageMessage.missingKey(key: "action", context: label).diagnostic(at: file.headRange(ofNode: item)))
            }
            if m[kActor] >= 0, doc.kind(m[kActor]) == .sequence {
                // `actor: [a, b]`: any of several actors performs the step.
                var refs: [TextRef] = []
                _ = texts(doc, m[kActor], key: "actor", into: &refs)
                if refs.isEmpty {
                    emit(.wrongType(key: "actor", expected: Message(en: "an actor id or a list of actor ids", id: "id pelaksana atau daftar id pelaksana"),
                                    found: Message(en: "an empty list", id: "daftar kosong")), doc, m[kActor])
                } else {
                    step.actor = refs[0]
                    let first = Int32(file.extraActors.count)
                    file.extraActors.append(contentsOf: refs.dropFirst())
                    step.extraActors = first..<Int32(file.extraActors.count)
                }
            } else if m[kActor] >= 0 { step.actor = text(doc, m[kActor], key: "actor") } else if !isDraft, m[kCall] < 0, !misspelt.contains("actor") {
                diagnostics.emit(LanguageMessage.missingKey(key: "actor", context: label).diagnostic(
                    at: file.headRange(ofNode: item),
                    notes: [Message(en: "only a draft (`draft: true`) may leave the actor unknown",
                                    id: "hanya draf (`draft: true`) yang boleh tanpa pelaksana")]))
            }
            if m[kRequires] >= 0 { step.requires = requirements(doc, m[kRequires], into: &file) }
            if m[kProduces] >= 0 { step.produces = texts(doc, m[kProduces], key: "produces", into: &file.mentions) }
            if m[kDuration] >= 0 {
                if doc.kind(m[kDuration]) == .mapping {
                    var d: [Int32] = []
                    if entries(doc, m[kDuration], key: "duration", allowed: Self.durationKeys, into: &d) {
                        if d[0] >= 0 { step.duration = duration(doc, d[0], key: "text", memo: &memo) } else {
                            diagnostics.emit(LanguageMessage.missingKey(key: "text", context: Message(en: "the duration", id: "durasi")).diagnostic(at: file.headRange(ofNode: m[kDuration])))
                        }
                        if d[1] >= 0 { step.durationFrom = identifier(doc, d[1], key: "from", what: Message(en: "step id", id: "id langkah")) }
                        if d[2] >= 0 { step.durationWindowOf = identifier(doc, d[2], key: "window_of", what: Message(en: "actor id", id: "id pelaksana")) }
                    }
                } else {
                    step.duration = duration(doc, m[kDuration], key: "duration", memo: &memo)
                }
            }
            if m[kWhen] >= 0 { step.when = text(doc, m[kWhen], key: "when") }
            if m[kInferred] >= 0 { step.inferred = inferences(doc, m[kInferred], into: &file.inferences) }
            if m[kVia] >= 0 { step.via = text(doc, m[kVia], key: "via") }
            if m[kNote] >= 0 { step.note = text(doc, m[kNote], key: "note") }
            if m[kNext] >= 0 { step.next = text(doc, m[kNext], key: "next") }
            if m[kCall] >= 0 { step.call = catalogueID(doc, m[kCall], key: "call") }
            if m[kRecurring] >= 0 { step.recurring = duration(doc, m[kRecurring], key: "recurring", memo: &memo) }
            if m[kEnd] >= 0 {
                // `end: true`, or `end: OUTCOME` for a named end.
                let e = m[kEnd]
                if doc.kind(e) == .scalar, doc.style(e) == .plain, doc.withScalarBytes(e, Self.isIdentifier),
                   !["true", "false"].contains(doc.string(e).lowercased()) {
                    step.isEnd = true
                    step.endOutcome = TextRef(node: e)
                } else if let value = bool(doc, e, key: "end") {
                    step.isEnd = value
                }
            }
            if m[kNumber] >= 0, let number = text(doc, m[kNumber], key: "number") {
                if isDraft { step.number = number } else { emit(.numberOutsideDraft, doc, m[kNumber]) }
            }
            if m[kDecision] >= 0, let d = decision(doc, m[kDecision]) {
                step.decision = Int32(file.decisions.count)
                file.decisions.append(d)
            }
            if m[kParallel] >= 0, let p = parallel(doc, m[kParallel]) {
                step.parallel = Int32(file.parallels.count)
                file.parallels.append(p)
            }
            if m[kTimeout] >= 0 {
                let first = Int32(file.timeouts.count)
                timeouts(doc, m[kTimeout], memo: &memo, into: &file.timeouts)
                step.timeouts = first..<Int32(file.timeouts.count)
            }
            steps.append(step)
        }
        file.steps = steps
        file.durations = memo.durations
    }

    /// `requires`: texts, or `{name, satisfied_by}` mappings, into `file.mentions`.
    func requirements(_ doc: YAMLDocument, _ i: Int32, into file: inout SOPFile) -> Range<Int32> {
        guard doc.kind(i) == .sequence else { return texts(doc, i, key: "requires", into: &file.mentions) }
        let start = Int32(file.mentions.count)
        var m: [Int32] = []
        for k in 0..<doc.childCount(i) {
            let item = doc.child(i, k)
            if doc.kind(item) == .mapping {
                guard entries(doc, item, key: "requires", allowed: Self.requirementKeys, into: &m) else { continue }
                guard m[0] >= 0, let name = text(doc, m[0], key: "name") else {
                    if m[0] < 0 {
                        diagnostics.emit(LanguageMessage.missingKey(key: "name", context: Message(en: "a requirement", id: "kelengkapan")).diagnostic(at: headRange(doc.node(item))))
                    }
                    continue
                }
                if m[1] >= 0, let by = text(doc, m[1], key: "satisfied_by") { file.satisfiedBy[Int32(file.mentions.count)] = by }
                file.mentions.append(name)
            } else if let t = text(doc, item, key: "requires") {
                file.mentions.append(t)
            }
        }
        return start..<Int32(file.mentions.count)
    }

    /// `inferred: {field: reason, …}`.
    func inferences(_ doc: YAMLDocument, _ i: Int32, into list: inout [(field: TextRef, reason: TextRef)]) -> Range<Int32> {
        let start = Int32(list.count)
        guard doc.kind(i) == .mapping else {
            emit(.wrongType(key: "inferred", expected: Message(en: "a mapping of fields to reasons", id: "pemetaan kolom ke alasan"),
                            found: doc.node(i).typeName), doc, i)
            return start..<start
        }
        var k = 0
        while k + 1 < doc.childCount(i) {
            let field = doc.child(i, k), reason = doc.child(i, k + 1)
            k += 2
            guard doc.withScalarBytes(field, { Self.slot(of: $0, in: Self.inferableFields) }) != nil else {
                reportUnknownKey(doc.node(field), allowed: Self.inferableFields, context: Message(en: "`inferred`", id: "`inferred`"))
                continue
            }
            if let r = text(doc, reason, key: doc.string(field)) { list.append((field: TextRef(node: field), reason: r)) }
        }
        return start..<Int32(list.count)
    }

    func decision(_ doc: YAMLDocument, _ i: Int32) -> SOPFile.Decision? {
        var m: [Int32] = []
        guard entries(doc, i, key: "decision", allowed: Self.decisionKeys, into: &m) else { return nil }
        var decision = SOPFile.Decision(node: i, question: m[0] >= 0 ? text(doc, m[0], key: "question") : nil, branches: [])
        if m[0] < 0 {
            diagnostics.emit(LanguageMessage.missingKey(key: "question", context: Message(en: "the decision", id: "keputusan")).diagnostic(at: headRange(doc.node(i))))
        }
        let b = m[1]
        if b >= 0 {
            if doc.kind(b) == .mapping {
                var k = 0
                while k + 1 < doc.childCount(b) {
                    let label = doc.child(b, k), target = doc.child(b, k + 1)
                    k += 2
                    // The label names the key in a message about its target.
                    let t = doc.kind(target) == .scalar && (!doc.isNull(target) || doc.style(target) != .plain)
                        ? TextRef(node: target) : text(doc, target, key: doc.string(label))
                    if let t { decision.branches.append(SOPFile.Branch(label: TextRef(node: label), target: t)) }
                }
            } else {
                emit(.wrongType(key: "branches", expected: Message(en: "a mapping of labels to step ids", id: "pemetaan label ke id langkah"),
                                found: doc.node(b).typeName), doc, b)
            }
        } else {
            diagnostics.emit(LanguageMessage.missingKey(key: "branches", context: Message(en: "the decision", id: "keputusan")).diagnostic(at: headRange(doc.node(i))))
        }
        return decision
    }

    func parallel(_ doc: YAMLDocument, _ i: Int32) -> SOPFile.Parallel? {
        var m: [Int32] = []
        guard entries(doc, i, key: "parallel", allowed: Self.parallelKeys, into: &m) else { return nil }
        var result = SOPFile.Parallel(node: i, branches: [], join: m[1] >= 0 ? text(doc, m[1], key: "join") : nil)
        let b = m[0]
        if b >= 0 {
            if doc.kind(b) == .sequence {
                for k in 0..<doc.childCount(b) {
                    if let t = text(doc, doc.child(b, k), key: "branches") { result.branches.append(t) }
                }
            } else {
                emit(.wrongType(key: "branches", expected: Message(en: "a list of step ids", id: "daftar id langkah"), found: doc.node(b).typeName), doc, b)
            }
        } else {
            diagnostics.emit(LanguageMessage.missingKey(key: "branches", context: Message(en: "the parallel block", id: "blok paralel")).diagnostic(at: headRange(doc.node(i))))
        }
        return result
    }

    /// `since: activation | last-response`.
    func anchor(_ doc: YAMLDocument, _ i: Int32) -> ProcessGraph.TimerAnchor? {
        guard let value = text(doc, i, key: "since") else { return nil }
        let written = doc.string(value.node)
        if let a = ProcessGraph.TimerAnchor(rawValue: written) { return a }
        let allowed = ProcessGraph.TimerAnchor.allCases.map(\.rawValue)
        let suggestion = NearMiss.best(for: written, among: allowed)
        emit(.invalidValue(key: "since", value: written, allowed: allowed, suggestion: suggestion), doc, i,
             fixIts: suggestion.map { [.replacing(written, at: range(doc, i), with: $0)] } ?? [])
        return nil
    }

    func timeouts(_ doc: YAMLDocument, _ i: Int32, memo: inout DurationMemo, into list: inout [SOPFile.Timeout]) {
        let items: [Int32] = doc.kind(i) == .sequence ? (0..<doc.childCount(i)).map { doc.child(i, $0) } : [i]
        var m: [Int32] = []
        for item in items {
            guard entries(doc, item, key: "timeout", allowed: Self.timeoutKeys, into: &m) else { continue }
            list.append(SOPFile.Timeout(node: item,
                                        after: m[0] >= 0 ? duration(doc, m[0], key: "after", memo: &memo) : nil,
                                        target: m[1] >= 0 ? text(doc, m[1], key: "goto") : nil,
                                        label: m[2] >= 0 ? text(doc, m[2], key: "label") : nil,
                                        since: m[3] >= 0 ? anchor(doc, m[3]) : nil,
                                        hasAfter: m[0] >= 0, hasTarget: m[1] >= 0))
        }
    }
}

/// The durations of one file's steps, each distinct text parsed once: SOPs write the same
/// few *Waktu* values again and again, and `DurationParser.parse` is a pure function of
/// the text. Texts are compared as bytes (equal bytes, equal result).
struct DurationMemo {
    private var texts = ByteTable()
    /// Per text: an index into `durations`, or `-1 - k` for `failures[k]`.
    private var results: [Int32] = []
    private var failures: [DurationParser.Failure] = []
    private(set) var durations: [Duration] = []

    mutating func parse(_ doc: YAMLDocument, _ i: Int32) -> Result<Int32, DurationParser.Failure> {
        let (id, inserted) = doc.withScalarBytes(i) { texts.insert($0) }
        if inserted {
            switch DurationParser.parse(doc.string(i)) {
            case let .success(d):
                results.append(Int32(durations.count))
                durations.append(d)
            case let .failure(f):
                results.append(-1 - Int32(failures.count))
                failures.append(f)
            }
        }
        let r = results[id]
        return r >= 0 ? .success(r) : .failure(failures[Int(-1 - r)])
    }
}
