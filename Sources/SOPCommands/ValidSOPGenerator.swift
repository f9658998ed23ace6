import Foundation

/// SplitMix64: a small seedable generator whose sequence is the same on every machine and
/// every Swift version (the standard library's `random(in:using:)` promises neither).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range` (inclusive), by modulo (the bias is irrelevant here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

/// Writes random SOPs that the checker accepts without an error (the property tests of
/// issue 17 assert it), seeded and reproducible: the same options give the same bytes.
///
/// Shapes: 1 to 200 actors, 1 to 20,000 steps; decisions with 2 to 50 branches (some to
/// `end`); nested and sibling parallel blocks; loops with an exit; timers (some counted
/// from the last response); `call` chains across a generated catalogue; recurring steps;
/// duration classes; drafts (steps without actor, printed numbers); very long texts; every
/// kind of Unicode and every character special to HTML, XML, DOT, Mermaid, Markdown, CSV
/// and JSON. Each shape can be switched off (`features`), which is how a failing case is
/// shrunk.
struct ValidSOPGenerator {
    /// What a generated SOP may contain.
    enum Feature: String, CaseIterable {
        case decisions, parallel, loops, timers, calls, recurring, classes, draft
        case longText = "long-text", unicode, specials, identity
        /// Named outcomes as ends of branches, timers and steps.
        case outcomes
        /// Conditional steps (`when`).
        case conditions
        /// Steps any of several actors perform (`actor: [a, b]`).
        case severalActors = "several-actors"
        /// Source lines, corrections, inferred cells, requirements met by another wording,
        /// durations counted from a step or that are another party's window.
        case provenance
    }

    struct Options {
        var seed: UInt64 = 1
        var steps = 50
        var actors = 5
        var maxBranches = 50
        var features = Set(Feature.allCases)
        /// How many SOPs the catalogue holds; each but the last calls the next one.
        var catalogue = 1
    }

    let options: Options

    /// The generated files: (catalogue id, YAML text), the caller first.
    func files() -> [(id: String, text: String)] {
        let count = max(1, options.catalogue)
        let ids = (0..<count).map { "generated/seed-\(options.seed)/sop-\($0)" }
        return ids.enumerated().map { i, id in
            var one = SOPBuilder(options: options, id: id, index: i,
                                 callee: options.features.contains(.calls) && i + 1 < count ? ids[i + 1] : nil,
                                 related: count > 1 ? ids[(i + 1) % count] : nil)
            return (id, one.build())
        }
    }
}

/// One generated SOP: blocks of steps built recursively, written in order.
private struct SOPBuilder {
    let options: ValidSOPGenerator.Options
    let id: String
    let callee: String?
    let related: String?
    var random: SplitMix64
    var steps: [Step] = []
    var documents = 0
    var counter = 0
    let isDraft: Bool
    let hasClasses: Bool
    let actorKeys: [String]
    /// Declared outcome ids (`hasil-1`, …), and the ids of the steps written so far.
    var outcomes: [String] = []

    struct Step {
        var id: String
        var action: String
        var actor: String?
        var requires: [String] = []
        var produces: [String] = []
        var duration: String?
        var via: String?
        var note: String?
        var next: String?
        var decision: (question: String, branches: [(String, String)])?
        var parallel: (branches: [String], join: String)?
        var call: String?
        var timeouts: [(after: String, goto: String, sinceResponse: Bool, label: String?)] = []
        var recurring: String?
        var end = false
        var number: String?
        var extraActors: [String] = []
        var when: String?
        /// The printed wording of the first requirement, met by `requires[0]` (`satisfied_by`).
        var printedRequirement: String?
        var durationFrom: String?
        var windowOf: String?
        var inferred: [(String, String)] = []
        var endOutcome: String?
        /// True for steps of the top level (outside every block's branches): timers may jump
        /// forward between them.
        var isTopLevel = false
    }

    init(options: ValidSOPGenerator.Options, id: String, index: Int, callee: String?, related: String?) {
        self.options = options
        self.id = id
        self.callee = callee
        self.related = related
        var random = SplitMix64(seed: options.seed &* 1_000_003 &+ UInt64(index))
        isDraft = options.features.contains(.draft) && random.chance(0.25)
        hasClasses = options.features.contains(.classes) && random.chance(0.5)
        actorKeys = (0..<max(1, min(200, options.actors))).map { "aktor-\($0 + 1)" }
        if options.features.contains(.outcomes), random.chance(0.5) {
            outcomes = (1...random.int(1...3)).map { "hasil-\($0)" }
        }
        self.random = random
    }

    /// Where a jump to the end goes: `end`, or sometimes a named outcome.
    mutating func endTarget() -> String {
        !outcomes.isEmpty && random.chance(0.6) ? random.pick(outcomes) : "end"
    }

    var has: (ValidSOPGenerator.Feature) -> Bool { { options.features.contains($0) } }

    // MARK: Texts

    static let words = ["Memeriksa", "berkas", "permohonan", "warga", "dan", "mencatat", "hasilnya", "dalam", "aplikasi",
                        "Kepala", "Dinas", "menerima", "laporan", "verifikasi", "menyampaikan", "surat", "kepada", "pemohon"]
    static let unicode = ["e\u{301}", "Ñ", "Z\u{324}\u{354}\u{367}\u{311}\u{313}", "مرحبا بالعالم", "שָׁלוֹם", "\u{202E}terbalik\u{202C}",
                          "👩‍👩‍👧‍👦", "🇮🇩", "👍🏽", "中文字符", "日本語のテキスト", "한국어", "ภาษาไทย", "नमस्ते", "Ἀθῆναι",
                          "a\u{200B}b", "x\u{00A0}y", "ﬁ", "𝕊𝕆ℙ", "\u{FEFF}bom", "kata\u{2028}baris", "\u{2029}", "ǅ", "İi"]
    static let specials = ["<script>alert(1)</script>", "&amp;", "&", "\"kutip\"", "'tunggal'", "a|b", "#35;", "%%", "`kode`",
                           "*tebal*", "_miring_", "[tautan](x)", "{kurung}", "\\", "\\n", "a,b", "x;y", "-->", "end", "subgraph",
                           "]]>", "<!--", "-->|x|", "\t", "baris\nbaru", "\r\n", "\\\"", "$x", "{{x}}", "<b>", "\u{7F}", "\u{1}",
                           "# judul", "> kutip", "1. daftar", "---", "~~coret~~", "=HYPERLINK(\"x\")", "@", "\"\"\"", "\\u0000"]

    /// Words, some of them Unicode samples or special characters; rarely a very long text
    /// unless `short` (a YAML key, such as a branch label, is at most 1,024 characters).
    mutating func text(words n: ClosedRange<Int>, short: Bool = false) -> String {
        var parts: [String] = []
        for _ in 0..<random.int(n) {
            if has(.unicode), random.chance(0.12) { parts.append(random.pick(Self.unicode)); continue }
            if has(.specials), random.chance(0.12) { parts.append(random.pick(Self.specials)); continue }
            parts.append(random.pick(Self.words))
        }
        if has(.longText), !short, random.chance(0.02) {
            // A very long text, and a very long word (no place to break).
            parts.append(String(repeating: "Sangatpanjang", count: random.int(20...200)))
            for _ in 0..<random.int(100...800) { parts.append(random.pick(Self.words)) }
        }
        let joined = parts.joined(separator: " ")
        return joined.isEmpty ? "Langkah" : joined
    }

    mutating func newID() -> String {
        counter += 1
        return "s\(counter)"
    }

    mutating func newDocument() -> String {
        documents += 1
        return "Dokumen \(documents) " + text(words: 0...2)
    }

    static let durations = ["5 menit", "1 x 24 jam", "Maks. 3 Hari", "2 hari kerja dapat diperpanjang 7 hari kerja", "1-3 hari",
                            "10 hari kerja", "NA", "-", "PT1H30M", "3 working days", "5 s.d. 10 hari", "paling lama 3 hari",
                            "15 detik", "1 minggu", "1 bulan", "P3D", "2 hours", "1 - 30 menit"]
    static let recurrences = ["Setiap hari kerja", "Setiap Awal Bulan di Hari Kerja", "Setiap hari selama 10 hari kerja sejak jawaban terakhir",
                              "Dilakukan Per Triwulan", "Setiap 2 minggu", "Dilakukan satu kali perbulan", "Dilakukan di setiap hari kerja"]
    static let printedDurations = ["Pada hari dan jam kerja untuk pemohon informasi secara langsung",
                                   "2 (dua) hari kerja dapat diperpanjang 7 hari kerja dengan menyampaikan pemberitahuan kepada Pemohon",
                                   "Diajukan dalam waktu paling lambat 14 (empat belas) hari kerja setelah diterimanya tanggapan"]
    static let classes = "Ringan (3) Hari Kerja; Sedang (10) Hari Kerja; Berat (30) Hari Kerja"

    // MARK: Steps

    /// A plain step that falls through to the next one written.
    mutating func plain(topLevel: Bool, previous: String?) -> Step {
        var s = Step(id: newID(), action: text(words: 1...12), actor: random.pick(actorKeys))
        if isDraft, random.chance(0.3) { s.actor = nil }
        if let previous, random.chance(0.6) { s.requires = [previous] }
        if random.chance(0.7) { s.produces = [newDocument()] }
        if random.chance(0.8) { s.duration = hasClasses && random.chance(0.3) ? Self.classes : random.pick(Self.durations) }
        if random.chance(0.3) { s.via = text(words: 1...3) }
        if random.chance(0.2) { s.note = text(words: 1...8) }
        if has(.recurring), random.chance(0.05) { s.recurring = random.pick(Self.recurrences) }
        if let callee, random.chance(0.05) { s.call = callee }
        if has(.conditions), random.chance(0.06) { s.when = "jika " + text(words: 1...4) }
        if has(.severalActors), actorKeys.count > 1, let first = s.actor, random.chance(0.06) {
            s.extraActors = [random.pick(actorKeys.filter { $0 != first })]
        }
        if has(.provenance) {
            if random.chance(0.1) { s.inferred.append(("actor", "disimpulkan dari teks " + text(words: 1...3))) }
            if !s.requires.isEmpty, random.chance(0.3) { s.printedRequirement = "Tercetak " + text(words: 1...4) }
            if random.chance(0.05) { s.duration = random.pick(Self.printedDurations) }
            if s.duration != nil, random.chance(0.1) {
                let days = random.int(1...20)
                // The anchor names an event: never only blanks (`sejak \t` is no duration, E0205;
                // found by `make bench-bpmn` on a generated 10,000-step SOP).
                let anchor = text(words: 1...3)
                s.duration = "\(days) hari kerja sejak " + (anchor.allSatisfy(\.isWhitespace) ? "Langkah" : anchor)
                s.durationFrom = steps.isEmpty || random.chance(0.3) ? "start" : random.pick(steps).id
            } else if s.duration != nil, let actor = s.actor, random.chance(0.05) {
                s.windowOf = actor
            }
        }
        s.isTopLevel = topLevel
        return s
    }

    /// A block of about `budget` steps that falls through at its end; `inParallel` keeps
    /// every path inside the block (a parallel branch must reach its join).
    mutating func block(budget: Int, depth: Int, inParallel: Bool) -> [Step] {
        var out: [Step] = []
        var remaining = max(1, budget)
        while remaining > 0 {
            let previous = out.last?.produces.first
            let roll = random.int(0...99)
            if has(.decisions), remaining >= 4, depth < 6, roll < 14 {
                let part = decision(budget: min(remaining, random.int(4...max(4, remaining / 2 + 1))), depth: depth, inParallel: inParallel)
                remaining -= part.count
                out += part
            } else if has(.parallel), remaining >= 4, depth < 6, roll < 24 {
                let part = parallel(budget: min(remaining, random.int(4...max(4, remaining / 2 + 1))), depth: depth)
                remaining -= part.count
                out += part
            } else if has(.loops), remaining >= 3, depth < 6, roll < 30 {
                let part = loop(budget: min(remaining, random.int(3...max(3, min(remaining, 12)))), depth: depth, inParallel: inParallel)
                remaining -= part.count
                out += part
            } else {
                out.append(plain(topLevel: depth == 0, previous: previous))
                remaining -= 1
            }
        }
        return out
    }

    /// A decision whose branches each run a short body, then meet at a merge step; outside
    /// parallel blocks some branches end the process instead.
    mutating func decision(budget: Int, depth: Int, inParallel: Bool) -> [Step] {
        let maxBranches = max(2, min(options.maxBranches, 50, budget - 2))
        let count = random.chance(0.7) ? 2 : random.int(2...maxBranches)
        var head = plain(topLevel: depth == 0, previous: nil)
        head.recurring = nil
        head.call = nil
        head.when = nil
        let merge = plain(topLevel: depth == 0, previous: nil)
        var labels: [String] = count == 2 && random.chance(0.6) ? ["ya", "tidak"] : []
        var used = Set<String>()
        while labels.count < count {
            var label = "pilihan \(labels.count + 1) dari \(count)"
            if has(.unicode) || has(.specials), random.chance(0.3) { label += " " + text(words: 1...2, short: true) }
            let key = label.lowercased()
            if used.insert(key).inserted { labels.append(label) }
        }
        var body: [Step] = []
        var branches: [(String, String)] = []
        var bodyBudget = max(0, budget - 2)
        for (k, label) in labels.enumerated() {
            let toEnd = !inParallel && k > 0 && random.chance(0.15)
            let straight = k == 0 ? random.chance(0.3) : random.chance(0.3)
            if toEnd {
                branches.append((label, endTarget()))
            } else if straight || bodyBudget == 0 {
                branches.append((label, merge.id))
            } else {
                let size = min(bodyBudget, random.int(1...max(1, bodyBudget / max(1, labels.count - k))))
                bodyBudget -= size
                var part = block(budget: size, depth: depth + 1, inParallel: inParallel)
                if !inParallel, random.chance(0.1), k > 0 {
                    part[part.count - 1].end = true
                    let target = endTarget()
                    if target != "end" { part[part.count - 1].endOutcome = target }
                } else {
                    part[part.count - 1].next = merge.id
                }
                branches.append((label, part[0].id))
                body += part
            }
        }
        head.decision = (text(words: 1...4) + "?", branches)
        return [head] + body + [merge]
    }

    /// A parallel split whose branches run (maybe nested) blocks and meet at the join.
    mutating func parallel(budget: Int, depth: Int) -> [Step] {
        var head = plain(topLevel: depth == 0, previous: nil)
        head.recurring = nil
        head.call = nil
        head.when = nil
        // Timers never jump to a join: a join waits for branches that would not have started.
        let join = plain(topLevel: false, previous: nil)
        let count = random.int(2...max(2, min(8, budget - 2)))
        var body: [Step] = []
        var starts: [String] = []
        var bodyBudget = max(count, budget - 2)
        for k in 0..<count {
            let size = max(1, min(bodyBudget - (count - k - 1), random.int(1...max(1, bodyBudget / (count - k)))))
            bodyBudget -= size
            var part = block(budget: size, depth: depth + 1, inParallel: true)
            part[part.count - 1].next = join.id
            starts.append(part[0].id)
            body += part
        }
        head.parallel = (starts, join.id)
        return [head] + body + [join]
    }

    /// Steps that repeat until a decision lets the case out.
    mutating func loop(budget: Int, depth: Int, inParallel: Bool) -> [Step] {
        var body = block(budget: max(1, budget - 2), depth: depth + 1, inParallel: true)
        if body.first?.decision != nil || body.first?.parallel != nil {
            body.insert(plain(topLevel: false, previous: nil), at: 0)
        }
        var check = plain(topLevel: false, previous: nil)
        check.recurring = nil
        check.call = nil
        check.when = nil
        let after = plain(topLevel: depth == 0, previous: nil)
        check.decision = ("Perlu diulang? " + text(words: 0...2), [("ulang", body[0].id), ("lanjut", after.id)])
        return body + [check, after]
    }

    // MARK: Writing

    mutating func build() -> String {
        let total = max(1, min(20_000, options.steps))
        steps = block(budget: total, depth: 0, inParallel: false)
        // Timers jump forward between top-level steps, or to the end.
        if has(.timers) {
            let top = steps.indices.filter { steps[$0].isTopLevel }
            for (k, i) in top.enumerated() where random.chance(0.25) && steps[i].decision == nil && steps[i].parallel == nil {
                let later = top[(k + 1)...]
                for _ in 0..<random.int(1...2) {
                    let target = later.isEmpty || random.chance(0.3) ? endTarget() : steps[random.pick(Array(later))].id
                    steps[i].timeouts.append((after: "\(random.int(1...60)) hari kerja", goto: target,
                                              sinceResponse: random.chance(0.3), label: random.chance(0.5) ? text(words: 1...4) : nil))
                }
            }
        }
        if isDraft, random.chance(0.5) {
            for i in steps.indices { steps[i].number = "\(8 + i / 9).\(i % 9 + 1)" }
        }
        return write()
    }

    mutating func write() -> String {
        var out = "# Generated by `sop debug generate --shape valid --seed \(options.seed)`; valid by construction.\n"
        out += "sop: 1\nid: \(id)\nname: \(q("SOP uji " + text(words: 1...6)))\n"
        if isDraft { out += "draft: true\n" }
        if has(.identity) {
            out += "number: \(q(text(words: 1...3) + " / \(options.seed)"))\n"
            out += "organization: {government: \(q(text(words: 1...4))), agency: \(q(text(words: 1...4))), division: \(q(text(words: 1...3))), unit: \(q(text(words: 1...3)))}\n"
            out += "activity: \(q(text(words: 1...5)))\nsub_activity: \(q(text(words: 1...5)))\n"
            out += "dates: {created: 2024-01-02, revised: 2025-02-28, effective: 2025-03-01}\n"
            out += "approved_by: {title: \(q(text(words: 1...4))), name: \(q(text(words: 1...3))), nip: \"19680822 199703 1 003\"}\n"
            out += "purpose: \(q(text(words: 3...12)))\n"
            for key in ["legal_basis", "qualifications", "equipment", "warnings", "records", "notes"] {
                out += "\(key): [\((0..<random.int(0...4)).map { _ in q(text(words: 1...10)) }.joined(separator: ", "))]\n"
            }
            out += "related:\n  - \(q(text(words: 1...5)))\n"
            if let related { out += "  - {name: \(q(text(words: 1...5))), id: \(related)}\n" }
            out += "inputs: [\(q("Berkas awal"))]\n"
            out += "outputs: [\(q(text(words: 1...3)))]\n"
            if random.chance(0.5) { out += "sla: \(random.int(1...400)) hari kerja\n" }
            let first = random.int(1...500)
            out += "source: {document: \(q(text(words: 1...2) + ".txt")), sop_number: \(random.int(1...9)), page: \(random.int(1...99))"
                + (has(.provenance) ? ", lines: [[\(first), \(first + random.int(0...80))]]" : "") + "}\n"
            if has(.provenance) {
                out += "corrections:\n"
                for _ in 0..<random.int(1...3) {
                    out += "  - {printed: \(q(text(words: 1...3))), reading: \(q(text(words: 1...3))), kind: \(random.pick(["ocr", "layout"]))\(random.chance(0.5) ? ", where: \(q(text(words: 1...2)))" : "")}\n"
                }
            }
        } else {
            out += "inputs: [\(q("Berkas awal"))]\n"
        }
        if !outcomes.isEmpty {
            out += "outcomes:\n"
            for o in outcomes { out += "  \(o): {name: \(q(text(words: 1...5)))}\n" }
        }
        out += "actors:\n"
        let kinds = ["person", "unit", "system", "external"]
        for key in actorKeys {
            out += "  \(key): {name: \(q(text(words: 1...5))), kind: \(random.pick(kinds))\(random.chance(0.1) ? ", note: \(q(text(words: 1...5)))" : "")}\n"
        }
        out += "steps:\n"
        for s in steps {
            out += "  - id: \(s.id)\n"
            out += "    action: \(q(s.action))\n"
            if let a = s.actor { out += s.extraActors.isEmpty ? "    actor: \(a)\n" : "    actor: [\(([a] + s.extraActors).joined(separator: ", "))]\n" }
            if let w = s.when { out += "    when: \(q(w))\n" }
            if let n = s.number { out += "    number: \(q(n))\n" }
            if !s.requires.isEmpty {
                var items = s.requires.map(q)
                if let printed = s.printedRequirement { items[0] = "{name: \(q(printed)), satisfied_by: \(items[0])}" }
                out += "    requires: [\(items.joined(separator: ", "))]\n"
            }
            if !s.produces.isEmpty { out += "    produces: [\(s.produces.map(q).joined(separator: ", "))]\n" }
            if let d = s.duration {
                if s.durationFrom != nil || s.windowOf != nil {
                    out += "    duration: {text: \(q(d))\(s.durationFrom.map { ", from: \($0)" } ?? "")\(s.windowOf.map { ", window_of: \($0)" } ?? "")}\n"
                } else {
                    out += "    duration: \(q(d))\n"
                }
            }
            if let v = s.via { out += "    via: \(q(v))\n" }
            if let n = s.note { out += "    note: \(q(n))\n" }
            if let r = s.recurring { out += "    recurring: \(q(r))\n" }
            if let c = s.call { out += "    call: \(c)\n" }
            if let n = s.next { out += "    next: \(n)\n" }
            if s.end { out += "    end: \(s.endOutcome ?? "true")\n" }
            if !s.inferred.isEmpty {
                out += "    inferred: {\(s.inferred.map { "\($0.0): \(q($0.1))" }.joined(separator: ", "))}\n"
            }
            if let d = s.decision {
                out += "    decision:\n      question: \(q(d.question))\n      branches:\n"
                for (label, target) in d.branches { out += "        \(q(label)): \(target)\n" }
            }
            if let p = s.parallel {
                out += "    parallel: {branches: [\(p.branches.joined(separator: ", "))], join: \(p.join)}\n"
            }
            if !s.timeouts.isEmpty {
                out += "    timeout:\n"
                for t in s.timeouts {
                    out += "      - {after: \(t.after), goto: \(t.goto)\(t.sinceResponse ? ", since: last-response" : "")\(t.label.map { ", label: \(q($0))" } ?? "")}\n"
                }
            }
        }
        return out
    }

    func q(_ text: String) -> String { yamlQuoted(text) }
}

/// A YAML double-quoted scalar: `\` and `"` escaped, and every character that is not
/// plainly printable (controls, line and paragraph separators, the BOM) as an escape.
func yamlQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || v == 0xFEFF {
                out += v <= 0xFF ? String(format: "\\x%02X", v) : String(format: "\\u%04X", v)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
