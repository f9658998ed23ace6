import Foundation

/// Writes a `ProcessGraph` as JSON, byte for byte what `JSONEncoder` writes with
/// `[.sortedKeys, .withoutEscapingSlashes]` (and `.prettyPrinted` for `sop compile`), without
/// `Codable`'s dynamic containers: the content hash of a 100,000-step SOP is computed in a
/// fraction of the time. `IRJSONTests` compares the two on the catalogue and on graphs that
/// use every field; a field added to the IR must be added here, in key order.
struct IRJSONWriter {
    private(set) var out: [UInt8] = []
    let pretty: Bool
    /// Per open container: how many entries it has so far.
    private var counts: [Int] = []

    init(pretty: Bool, capacity: Int = 1 << 16) {
        self.pretty = pretty
        out.reserveCapacity(capacity)
    }

    // MARK: Structure

    private mutating func newline() {
        out.append(0x0A)
        for _ in 0..<counts.count { out.append(0x20); out.append(0x20) }
    }

    /// Before an entry of the innermost container: the comma and, pretty, the new line.
    private mutating func entry() {
        if counts[counts.count - 1] > 0 { out.append(UInt8(ascii: ",")) }
        counts[counts.count - 1] += 1
        if pretty { newline() }
    }

    private mutating func open(_ bracket: UInt8) {
        out.append(bracket)
        counts.append(0)
    }

    private mutating func close(_ bracket: UInt8) {
        let count = counts.removeLast()
        if pretty {
            // `JSONEncoder` writes an empty container as a blank line between its brackets.
            if count == 0 { out.append(0x0A) }
            newline()
        }
        out.append(bracket)
    }

    mutating func object(_ body: (inout IRJSONWriter) -> Void) {
        open(UInt8(ascii: "{"))
        body(&self)
        close(UInt8(ascii: "}"))
    }

    mutating func array<C: Collection>(_ items: C, _ item: (inout IRJSONWriter, C.Element) -> Void) {
        open(UInt8(ascii: "["))
        for element in items {
            entry()
            item(&self, element)
        }
        close(UInt8(ascii: "]"))
    }

    /// A key of the innermost object; the caller writes the value next. Keys must come in
    /// sorted order (byte order of these ASCII names).
    mutating func key(_ name: StaticString) {
        entry()
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        if pretty { out.append(0x20); out.append(UInt8(ascii: ":")); out.append(0x20) } else { out.append(UInt8(ascii: ":")) }
    }

    // MARK: Values

    mutating func string(_ s: String) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            // Most texts need no escape: copied in one go.
            if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                out.append(contentsOf: bytes)
                return
            }
            for b in bytes { escape(b) }
        }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ b: UInt8) {
        func two(_ c: Character) { out.append(0x5C); out.append(c.asciiValue!) }
        switch b {
        case UInt8(ascii: "\""): two("\"")
        case UInt8(ascii: "\\"): two("\\")
        case 0x0A: two("n")
        case 0x0D: two("r")
        case 0x09: two("t")
        case 0x08: two("b")
        case 0x0C: two("f")
        case 0..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
        default: out.append(b)
        }
    }

    mutating func int(_ v: Int) { out.append(contentsOf: String(v).utf8) }

    mutating func bool(_ v: Bool) { out.append(contentsOf: (v ? "true" : "false").utf8) }

    mutating func double(_ v: Double) {
        if v == v.rounded(), abs(v) < 1e15 {
            int(Int(v))
        } else {
            // Anything else as `JSONEncoder` itself writes it (rare: halves and thirds).
            let data = (try? JSONEncoder().encode([v])) ?? Data("[0]".utf8)
            out.append(contentsOf: data.dropFirst().dropLast())
        }
    }

    // MARK: Optional fields (left out when nil, as synthesized `Codable` does)

    mutating func string(_ name: StaticString, _ v: String?) {
        guard let v else { return }
        key(name)
        string(v)
    }

    mutating func int(_ name: StaticString, _ v: Int?) {
        guard let v else { return }
        key(name)
        int(v)
    }

    mutating func ints(_ name: StaticString, _ v: [Int]) {
        key(name)
        array(v) { $0.int($1) }
    }

    mutating func strings(_ name: StaticString, _ v: [String]) {
        key(name)
        array(v) { $0.string($1) }
    }
}

extension IRJSONWriter {
    mutating func write(_ g: ProcessGraph) {
        object { w in
            w.key("actors"); w.array(g.actors) { w, a in
                w.object { w in
                    w.int("index", a.index); w.string("key", a.key); w.string("kind", a.kind.rawValue); w.string("name", a.name)
                }
            }
            w.string("contentHash", g.contentHash)
            w.key("documents"); w.array(g.documents) { w, d in
                w.object { w in w.int("index", d.index); w.string("key", d.key); w.string("name", d.name); w.int("satisfiedBy", d.satisfiedBy) }
            }
            w.key("edges"); w.array(g.edges) { w, e in
                w.object { w in
                    w.int("from", e.from); w.string("kind", e.kind.rawValue); w.string("label", e.label); w.int("timer", e.timer); w.int("to", e.to)
                }
            }
            w.int("formatVersion", g.formatVersion)
            w.string("id", g.id)
            w.key("identity"); w.write(g.identity)
            w.ints("inputs", g.inputs)
            w.key("isDraft"); w.bool(g.isDraft)
            w.string("name", g.name)
            w.key("nodes"); w.array(g.nodes) { w, n in w.write(n) }
            w.ints("outputs", g.outputs)
            if let sla = g.sla { w.key("sla"); w.write(sla) }
            w.key("timers"); w.array(g.timers) { w, t in
                w.object { w in
                    w.key("after"); w.write(t.after)
                    w.int("id", t.id); w.string("label", t.label); w.int("node", t.node); w.string("since", t.since?.rawValue); w.int("target", t.target)
                }
            }
        }
    }

    mutating func write(_ i: ProcessGraph.Identity) {
        object { w in
            w.string("activity", i.activity)
            w.string("agency", i.agency)
            if let a = i.approvedBy {
                w.key("approvedBy")
                w.object { w in w.string("name", a.name); w.string("nip", a.nip); w.string("title", a.title) }
            }
            if let corrections = i.corrections {
                w.key("corrections"); w.array(corrections) { w, c in
                    w.object { w in
                        w.string("kind", c.kind); w.string("printed", c.printed); w.string("reading", c.reading)
                        w.string("reason", c.reason); w.string("where", c.where)
                    }
                }
            }
            w.string("created", i.created)
            w.string("division", i.division)
            w.string("effective", i.effective)
            w.strings("equipment", i.equipment)
            w.string("government", i.government)
            w.strings("legalBasis", i.legalBasis)
            w.strings("notes", i.notes)
            w.string("number", i.number)
            w.string("purpose", i.purpose)
            w.strings("qualifications", i.qualifications)
            w.strings("records", i.records)
            w.key("related"); w.array(i.related) { w, r in w.object { w in w.string("id", r.id); w.string("name", r.name) } }
            w.string("revised", i.revised)
            w.string("sourceDocument", i.sourceDocument)
            if let lines = i.sourceLines { w.key("sourceLines"); w.array(lines) { w, r in w.array(r) { $0.int($1) } } }
            w.int("sourceNumber", i.sourceNumber)
            w.string("subActivity", i.subActivity)
            w.string("unit", i.unit)
            w.strings("warnings", i.warnings)
        }
    }

    mutating func write(_ n: ProcessGraph.Node) {
        object { w in
            w.int("actor", n.actor)
            if let actors = n.actors { w.ints("actors", actors) }
            w.string("callee", n.callee)
            w.int("conditionOf", n.conditionOf)
            if let d = n.duration { w.key("duration"); w.write(d) }
            w.int("durationFrom", n.durationFrom)
            w.int("durationWindowOf", n.durationWindowOf)
            w.int("id", n.id)
            if let inferred = n.inferred {
                w.key("inferred"); w.array(inferred) { w, f in w.object { w in w.string("field", f.field); w.string("reason", f.reason) } }
            }
            w.string("key", n.key)
            w.string("kind", n.kind.rawValue)
            w.string("label", n.label)
            w.string("note", n.note)
            w.string("number", n.number)
            w.ints("produces", n.produces)
            w.string("question", n.question)
            if let r = n.recurrence { w.key("recurrence"); w.write(r) }
            w.ints("requires", n.requires)
            if let s = n.source {
                w.key("source")
                w.object { w in
                    w.int("column", s.column); w.int("endColumn", s.endColumn); w.int("endLine", s.endLine); w.string("file", s.file); w.int("line", s.line)
                }
            }
            w.string("via", n.via)
        }
    }

    mutating func write(_ d: Duration) {
        object { w in
            w.string("condition", d.condition)
            w.string("hours", d.hours)
            w.string("since", d.since)
            w.string("text", d.text)
            w.key("value")
            w.object { w in
                switch d.value {
                case let .amount(span, atMost, ext):
                    w.key("amount")
                    w.object { w in
                        w.key("atMost"); w.bool(atMost)
                        if let ext { w.key("extension"); w.write(ext) }
                        w.key("span"); w.write(span)
                    }
                case let .classes(classes):
                    w.key("classes")
                    w.object { w in
                        w.key("classes")
                        w.array(classes) { w, c in w.object { w in w.string("name", c.name); w.key("span"); w.write(c.span) } }
                    }
                case let .recurring(r):
                    w.key("recurring")
                    w.object { w in
                        w.key("recurrence")
                        w.object { w in
                            w.string("anchor", r.anchor)
                            w.string("every", r.every.rawValue)
                            w.int("interval", r.interval)
                            if let lasting = r.lasting { w.key("lasting"); w.write(lasting) }
                            w.key("onWorkingDays"); w.bool(r.onWorkingDays)
                            w.string("since", r.since)
                        }
                    }
                case .notApplicable:
                    w.key("notApplicable")
                    w.object { _ in }
                case .serviceHours:
                    w.key("serviceHours")
                    w.object { _ in }
                }
            }
        }
    }

    mutating func write(_ s: TimeSpan) {
        object { w in
            w.key("max"); w.double(s.max)
            w.key("min"); w.double(s.min)
            w.string("unit", s.unit.rawValue)
        }
    }
}
