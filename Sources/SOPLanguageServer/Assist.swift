import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRuntime
import SOPWorkspace

/// Completion and hover: what the cursor stands on, read from the text of its line and the
/// lines above (a half-typed file is not YAML yet), and answered from the outline.
extension LanguageServer {
    /// Duration forms the compiler reads, offered after `duration:`, `after:` and `sla:`.
    public static let durationForms = [
        "15 menit", "1 jam", "1 hari kerja", "3 hari kerja", "Maks. 5 hari kerja", "1-3 hari kerja",
        "1 hari", "7 hari", "1 minggu", "1 bulan", "Setiap hari kerja", "NA",
    ]

    /// The keys the line's key path leads to: `["steps"]` on a step, `["steps", "decision"]`
    /// in a step's decision, `[]` at the top; from indentation, so a broken file still works.
    static func keyPath(lines: [String], line: Int, indent: Int) -> [String] {
        var path: [String] = []
        var want = indent
        var k = line - 1
        while k >= 0, want > 0 {
            let text = lines[k]
            let trimmed = text.drop { $0 == " " }
            let lead = text.count - trimmed.count
            if trimmed.isEmpty || trimmed.hasPrefix("#") { k -= 1; continue }
            if trimmed.hasPrefix("- ") {
                // A list item: its keys start two columns after the dash.
                if lead + 2 <= want, lead < want {
                    if lead + 2 == want || lead < want {
                        let key = Self.key(of: String(trimmed.dropFirst(2)))
                        if lead + 2 < want, let key { path.insert(key, at: 0) }
                        want = lead
                        k -= 1
                        // The item belongs to the list's key, further up.
                        while k >= 0 {
                            let t = lines[k], tt = t.drop { $0 == " " }
                            if tt.isEmpty || tt.hasPrefix("#") || (t.count - tt.count) > lead || ((t.count - tt.count) == lead && tt.hasPrefix("- ")) { k -= 1; continue }
                            if let key = Self.key(of: String(tt)) { path.insert(key, at: 0) }
                            want = t.count - tt.count
                            break
                        }
                        continue
                    }
                }
            } else if lead < want, let key = Self.key(of: String(trimmed)) {
                path.insert(key, at: 0)
                want = lead
            }
            k -= 1
        }
        return path
    }

    /// The key of a `key: value` line, or nil.
    static func key(of text: String) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let key = text[..<colon].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }) else { return nil }
        return key
    }

    /// The parent whose keys apply to a mapping at `path` (`actors.petugas` → `actor`).
    static func keysParent(_ path: [String]) -> String? {
        guard let last = path.last else { return "" }
        if path.count >= 2, path[path.count - 2] == "actors" { return "actor" }
        if path.count >= 2, path[path.count - 2] == "outcomes" { return "outcome" }
        if last == "actors" || last == "outcomes" { return nil }
        return last
    }

    func completion(_ params: JSON) throws -> JSON {
        let (open, offset) = try target(params)
        let doc = open.document
        let prefix = doc.linePrefix(upTo: offset)
        let (lineNumber, _) = doc.position(ofOffset: offset)
        let outline = open.outline
        var items: [JSON] = []
        func item(_ label: String, kind: Int, detail: String? = nil, sort: Int) {
            var o: [String: JSON] = ["label": .string(label), "kind": .int(kind), "sortText": .string(String(format: "%04d", sort))]
            if let detail { o["detail"] = .string(detail) }
            items.append(.object(o))
        }
        let trimmed = prefix.drop { $0 == " " || $0 == "-" }
        let valueKey: String?
        if let colon = trimmed.firstIndex(of: ":") {
            valueKey = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
        } else {
            valueKey = nil
        }
        // In a flow mapping of branches (`branches: {ya: |`) the value is a step id.
        let inBranches = prefix.contains("branches:") && prefix.last(where: { ":,{[".contains($0) }) == ":"
        let inFlowList = prefix.contains("[") && !prefix.contains("]")
        let step = outline?.step(at: offset)
        if let valueKey {
            // Keys whose value means something only in one place.
            let key: String
            switch valueKey {
            case "branches": key = inBranches ? "next" : ""
            case "name": key = inFlowList ? "requires" : ""
            case "id": key = Self.keyPath(lines: lines(doc), line: lineNumber, indent: indentation(prefix)).last == "related" ? "call" : ""
            default: key = valueKey
            }
            switch key {
            case "actor", "window_of":
                for (i, a) in (outline?.actors ?? []).enumerated() { item(a.key, kind: 6, detail: a.name, sort: i) }
            case "next", "goto", "join", "from":
                var n = 0
                for s in outline?.steps ?? [] where s.id != nil && s.index != step?.index {
                    item(s.id!, kind: 18, detail: "\(language == .id ? "langkah" : "step") \(s.number): " + Self.shorten(s.action ?? ""), sort: n)
                    n += 1
                }
                if key != "from" && key != "join" {
                    for o in outline?.outcomes ?? [] { item(o.value, kind: 20, detail: language == .id ? "hasil akhir" : "outcome", sort: n); n += 1 }
                    item("end", kind: 14, detail: language == .id ? "proses berakhir" : "the process ends", sort: n)
                }
            case "requires", "produces":
                // Documents produced upstream (and the SOP's inputs) for `requires`; every
                // document of the SOP for `produces`.
                var seen = Set<String>()
                var n = 0
                if let outline {
                    for s in outline.steps where key == "produces" || step == nil || s.index < step!.index {
                        for d in s.produces where seen.insert(DocumentName.key(d)).inserted {
                            item(d, kind: 17, detail: "\(language == .id ? "dihasilkan langkah" : "produced by step") \(s.number)", sort: n)
                            n += 1
                        }
                    }
                    for input in outline.inputs where seen.insert(DocumentName.key(input)).inserted {
                        item(input, kind: 17, detail: language == .id ? "masukan SOP" : "input of the SOP", sort: n)
                        n += 1
                    }
                }
            case "duration", "after", "sla", "recurring", "text":
                for (i, form) in Self.durationForms.enumerated() { item(form, kind: 12, detail: describe(form), sort: i) }
            case "call":
                for (i, id) in index.ids.sorted().enumerated() {
                    item(id, kind: 9, detail: index.outline(id: id)?.name?.value, sort: i)
                }
            case "kind":
                let parentPath = Self.keyPath(lines: lines(doc), line: lineNumber, indent: indentation(prefix))
                let kinds = parentPath.last == "corrections" ? ["ocr", "layout"] : ProcessGraph.ActorKind.allCases.map(\.rawValue)
                for (i, k) in kinds.enumerated() { item(k, kind: 20, sort: i) }
            case "draft", "end":
                item("true", kind: 12, sort: 0)
                if key == "draft" { item("false", kind: 12, sort: 1) } else {
                    for (i, o) in (outline?.outcomes ?? []).enumerated() { item(o.value, kind: 20, sort: i + 1) }
                }
            default:
                break
            }
            return .object(["isIncomplete": .bool(false), "items": .array(items)])
        }
        // A key: the keys allowed in the mapping the cursor is in, less those written.
        let indent = indentation(prefix)
        let allLines = lines(doc)
        let path = Self.keyPath(lines: allLines, line: lineNumber, indent: indent)
        guard let parent = Self.keysParent(path) else { return .object(["isIncomplete": .bool(false), "items": .array([])]) }
        let written = siblingKeys(lines: allLines, line: lineNumber, indent: indent)
        for (i, key) in SOPParser.allowedKeys(under: parent).enumerated() where !written.contains(key) {
            item(key, kind: 10, detail: parent.isEmpty ? nil : parent, sort: i)
        }
        return .object(["isIncomplete": .bool(false), "items": .array(items)])
    }

    func lines(_ doc: TextDocument) -> [String] { (0..<doc.lineStarts.count).map(doc.line) }

    /// The column keys start at on a line being typed (after `- ` of a list item).
    func indentation(_ prefix: String) -> Int {
        var n = 0
        for c in prefix { if c == " " || c == "-" { n += 1 } else { break } }
        return n
    }

    /// Keys already written at the same indentation in the same mapping.
    func siblingKeys(lines: [String], line: Int, indent: Int) -> Set<String> {
        var keys = Set<String>()
        func lead(_ s: String) -> (Int, Substring) {
            let t = s.drop { $0 == " " }
            return (s.count - t.count, t)
        }
        // Upwards to the start of the mapping, then downwards to its end.
        var k = line
        while k >= 0 {
            let (n, t) = lead(lines[k])
            if k != line, !t.isEmpty, !t.hasPrefix("#") {
                if n < indent, !(t.hasPrefix("- ") && n + 2 == indent) { break }
                if n == indent, let key = Self.key(of: String(t)) { keys.insert(key) }
                if t.hasPrefix("- "), n + 2 == indent {
                    if let key = Self.key(of: String(t.dropFirst(2))) { keys.insert(key) }
                    break
                }
            }
            k -= 1
        }
        k = line + 1
        while k < lines.count {
            let (n, t) = lead(lines[k])
            if !t.isEmpty, !t.hasPrefix("#") {
                if n < indent || (n == indent - 2 && t.hasPrefix("- ")) { break }
                if n == indent, let key = Self.key(of: String(t)) { keys.insert(key) }
            }
            k += 1
        }
        return keys
    }

    // MARK: Hover

    func hover(_ params: JSON) throws -> JSON {
        let (open, offset) = try target(params)
        var sections: [String] = []
        var range: SourceRange?
        let id = language == .id
        // A diagnostic here: its code's explanation.
        for d in open.diagnostics {
            guard let r = d.range, r.start.offset <= offset, offset <= max(r.end.offset, r.start.offset + 1),
                  let entry = DiagnosticCatalog.entry(d.code) else { continue }
            sections.append("**\(d.code)** `\(entry.name)`: \(entry.summary.text(language))\n\n\(entry.explanation.text(language))\n\n"
                            + (id ? "Perbaikan: " : "Fix: ") + entry.fix.text(language))
            range = range ?? r
        }
        if let outline = open.outline {
            if let site = outline.site(at: offset) {
                range = site.range
                switch site.kind {
                case .step:
                    if let s = outline.step(id: site.name) {
                        sections.insert(stepHover(s, outline: outline), at: 0)
                    } else if outline.outcomes.contains(where: { $0.value == site.name }) {
                        sections.insert((id ? "Hasil akhir " : "Outcome ") + "`\(site.name)`", at: 0)
                    }
                case .actor:
                    if let a = outline.actor(key: site.name) {
                        let kind = id ? ["person": "orang", "unit": "unit kerja", "system": "sistem", "external": "pihak luar"][a.kind.rawValue] ?? a.kind.rawValue : a.kind.rawValue
                        let steps = a.steps.map { outline.steps[$0].number }.joined(separator: ", ")
                        sections.insert("**\(a.name ?? a.key)** (`\(a.key)`, \(kind))\n\n"
                                        + (id ? "Langkah: " : "Steps: ") + (steps.isEmpty ? (id ? "tidak ada" : "none") : steps), at: 0)
                    }
                case .document:
                    let name = outline.documentNames[site.name] ?? site.name
                    let producers = outline.producers(of: site.name).map(\.number).joined(separator: ", ")
                    let consumers = outline.consumers(of: site.name).map(\.number).joined(separator: ", ")
                    let none = id ? "tidak ada" : "none"
                    sections.insert("**\(name)**\n\n" + (id ? "Dihasilkan oleh langkah: " : "Produced by steps: ") + (producers.isEmpty ? none : producers)
                                    + "\n\n" + (id ? "Dibutuhkan oleh langkah: " : "Required by steps: ") + (consumers.isEmpty ? none : consumers), at: 0)
                case .sop:
                    if let other = index.outline(id: site.name) ?? (outline.id?.value == site.name ? outline : nil) {
                        sections.insert("**\(other.name?.value ?? site.name)**\n\n`\(site.name)`, \(other.steps.count) " + (id ? "langkah" : "steps"), at: 0)
                    } else {
                        sections.insert((id ? "Tidak ada SOP katalog dengan id " : "No catalogue SOP has the id ") + "`\(site.name)`", at: 0)
                    }
                }
            } else if let s = outline.step(at: offset), let r = s.durationRange, r.start.offset <= offset, offset <= r.end.offset, let text = s.duration {
                range = r
                sections.insert("*Waktu* `\(text)`: " + describe(text), at: 0)
            } else if let s = outline.step(at: offset), offset <= s.head.end.offset || s.id == nil && s.head.start.offset <= offset {
                sections.insert(stepHover(s, outline: outline), at: 0)
            }
        }
        guard !sections.isEmpty else { return .null }
        var out: [String: JSON] = ["contents": .object(["kind": .string("markdown"), "value": .string(sections.joined(separator: "\n\n---\n\n"))])]
        if let range { out["range"] = lspRange(range, in: open.document) }
        return .object(out)
    }

    func stepHover(_ s: Outline.Step, outline: Outline) -> String {
        let id = language == .id
        var lines = ["**\(id ? "Langkah" : "Step") \(s.number)**" + (s.id.map { " (`\($0)`)" } ?? "") + (s.action.map { ": " + Self.shorten($0, to: 200) } ?? "")]
        let actors = s.actors.map { key in outline.actor(key: key).map { "\($0.name ?? key) (`\(key)`)" } ?? "`\(key)`" }
        lines.append((id ? "Pelaksana: " : "Actor: ") + (actors.isEmpty ? "—" : actors.joined(separator: ", ")))
        if let d = s.duration { lines.append("*Waktu*: \(d) — " + describe(d)) }
        if let c = s.call { lines.append((id ? "Memanggil SOP " : "Calls the SOP ") + "`\(c)`") }
        return lines.joined(separator: "\n\n")
    }

    /// A duration's meaning in words; for working days, an example deadline from today.
    public func describe(_ text: String) -> String {
        let id = language == .id
        guard case let .success(d) = DurationParser.parse(text) else {
            return id ? "bukan durasi yang dipahami kompilator" : "not a duration the compiler understands"
        }
        switch d.value {
        case let .amount(span, atMost, ext):
            var s = (atMost ? (id ? "paling lama " : "at most ") : "") + spanText(span)
            if let ext { s += id ? ", dapat diperpanjang \(spanText(ext))" : ", extendable by \(spanText(ext))" }
            if let max = d.maximum, max.unit == .workingDay, let example = deadline(workingDays: Int(max.max.rounded(.up))) {
                s += id ? ". Contoh: dimulai hari ini (\(today)), batas waktunya \(example)" : ". For example: started today (\(today)), due on \(example)"
            }
            return s
        case let .classes(classes):
            return (id ? "menurut kelas: " : "by class: ") + classes.map { "\($0.name) \(spanText($0.span))" }.joined(separator: ", ")
        case let .recurring(r):
            return (id ? "berulang setiap " : "recurring every ") + r.every.rawValue + (r.onWorkingDays ? (id ? " (hari kerja)" : " (working days)") : "")
        case .notApplicable:
            return id ? "tidak berlaku" : "not applicable"
        case .serviceHours:
            return id ? "jam layanan, bukan lama waktu" : "service hours, not a length of time"
        }
    }

    func spanText(_ span: TimeSpan) -> String {
        func n(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
        let amount = span.min == span.max ? n(span.max) : "\(n(span.min))–\(n(span.max))"
        let unit: String
        if language == .id {
            unit = ["second": "detik", "minute": "menit", "hour": "jam", "day": "hari kalender", "workingDay": "hari kerja",
                    "week": "minggu", "month": "bulan", "year": "tahun"][span.unit.rawValue] ?? span.unit.rawValue
        } else {
            let one = span.min == span.max && span.max == 1
            unit = ["second": "second", "minute": "minute", "hour": "hour", "day": "calendar day", "workingDay": "working day",
                    "week": "week", "month": "month", "year": "year"][span.unit.rawValue].map { one ? $0 : $0 + "s" } ?? span.unit.rawValue
        }
        return "\(amount) \(unit)"
    }

    /// The date `n` working days after today on the national calendar, or nil outside it.
    func deadline(workingDays n: Int) -> String? {
        guard n > 0, n < 2000, let day = try? calendar.workingDay(n, after: today.dayNumber) else { return nil }
        return CivilDate(dayNumber: day).description
    }
}
