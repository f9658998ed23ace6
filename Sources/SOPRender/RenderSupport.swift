import SOPIR

/// The drawings `sop render` can produce. Every format reads the IR only.
public enum RenderFormat: String, CaseIterable, Sendable {
    /// Mermaid `flowchart TD`, lanes as subgraphs.
    case mermaid
    /// Graphviz DOT, a cluster per actor.
    case dot
    /// SVG drawn by Graphviz `dot` from the DOT output.
    case svg
    /// The official SOP sheet (Permenpan RB 35/2012) as one self-contained HTML page.
    case html
    /// The SOP as a Markdown document with its Mermaid drawing.
    case markdown
    /// BPMN 2.0 XML with its diagram interchange (engine-neutral expressions).
    case bpmn

    /// The file name extension of the format (without the dot).
    public var fileExtension: String {
        switch self {
        case .mermaid: return "mmd"
        case .dot: return "dot"
        case .svg: return "svg"
        case .html: return "html"
        case .markdown: return "md"
        case .bpmn: return "bpmn"
        }
    }
}

/// Renders a graph to text in a format that needs no external program (every format but SVG).
public enum Renderer {
    /// The text of `graph` in `format`; SVG runs Graphviz and may throw `Graphviz.Failure`.
    public static func render(_ graph: ProcessGraph, as format: RenderFormat) throws -> String {
        switch format {
        case .mermaid: return MermaidRenderer().render(graph)
        case .dot: return DOTRenderer().render(graph)
        case .svg: return try Graphviz.svg(fromDOT: DOTRenderer().render(graph))
        case .html: return SheetRenderer().render(graph)
        case .markdown: return MarkdownRenderer().render(graph)
        case .bpmn: return BPMNRenderer().render(graph)
        }
    }
}

/// A small line writer shared by every text renderer: lines joined by `\n`, indented by
/// `withIndent`, the result always ending in one newline.
struct LineWriter {
    private(set) var lines: [String] = []
    private var indent = 0
    let indentUnit: String

    init(indentUnit: String = "    ") { self.indentUnit = indentUnit }

    mutating func writeLine(_ line: String = "") {
        lines.append(line.isEmpty ? "" : String(repeating: indentUnit, count: indent) + line)
    }

    mutating func withIndent(_ body: (inout LineWriter) -> Void) {
        indent += 1
        body(&self)
        indent -= 1
    }

    var text: String { lines.joined(separator: "\n") + "\n" }
}

/// Escaping for each target syntax; every renderer escapes through these, never by hand.
package enum Escape {
    /// `mermaid(_:)`, for the tests.
    package static func mermaidForTests(_ text: String) -> String { mermaid(text) }

    /// Text inside HTML or XML (SVG, Graphviz's HTML labels) elements and attribute values.
    /// Control characters, which XML forbids, are shown by their Control Pictures (U+2401 …).
    static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: appendVisible(c, to: &out)
            }
        }
        return out
    }

    /// The title in Mermaid's front matter, a single-quoted YAML scalar that Mermaid shows as
    /// text without entity codes: `&`, `<` and `>` replaced, the quote doubled, line breaks and
    /// tabs as spaces, and what YAML does not allow in a document (control characters, DEL, the
    /// C1 block, the byte order mark, U+FFFE/U+FFFF) as its Control Picture or U+FFFD (found by
    /// the property tests: a U+0001 in an SOP's name failed mermaid.js's front-matter parser).
    static func mermaidTitle(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x26: out += "dan"
            case 0x3C: out += "‹"
            case 0x3E: out += "›"
            case 0x27: out += "''"
            case 0x09, 0x0A, 0x0D, 0x85, 0x2028, 0x2029: out += " "
            case 0x00..<0x20: out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F: out += "\u{2421}"
            case 0x80...0x9F, 0xFEFF, 0xFFFE, 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Appends `c`, with each control character other than tab, line feed and carriage
    /// return replaced by its Control Picture (U+0001 → ␁), which every format accepts.
    static func appendVisible(_ c: Character, to out: inout String) {
        guard c.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" }) else {
            out.append(c)
            return
        }
        for scalar in c.unicodeScalars {
            if scalar.value < 0x20, scalar != "\t", scalar != "\n", scalar != "\r", let picture = Unicode.Scalar(0x2400 + scalar.value) {
                out.unicodeScalars.append(picture)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }

    /// Text inside a Mermaid `"…"` label: the characters Mermaid would read as syntax or as
    /// HTML become its `#name;` / `#code;` entity codes, so quotes, brackets, slashes, `#`,
    /// `;`, `<` and `&` all render as written.
    static func mermaid(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "&": out += "#amp;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "`": out += "#96;"
            case "\n", "\r", "\t": out += " "
            default: appendVisible(c, to: &out)
            }
        }
        return out
    }

    /// A Graphviz quoted string ("…"): backslash and quote escaped, line ends as spaces.
    static func dotString(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n", "\r", "\t": out += " "
            default: appendVisible(c, to: &out)
            }
        }
        return out
    }

    /// A cell of a Markdown table: pipes escaped, line ends as spaces.
    static func markdownCell(_ text: String) -> String {
        html(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}

/// `TextWrap`, for the tests.
package enum TextWrapForTests {
    package static func lines(_ text: String, width: Int) -> [String] { TextWrap.lines(text, width: width) }
    package static func lines(_ text: String, maxWidth: Double, fontSize: Double, bold: Bool) -> [String] {
        TextWrap.lines(text, maxWidth: maxWidth, fontSize: fontSize, bold: bold)
    }
    package static func truncated(_ text: String, maxWidth: Double, fontSize: Double, bold: Bool) -> String {
        TextWrap.truncated(text, maxWidth: maxWidth, fontSize: fontSize, bold: bold)
    }
    package static func width(_ text: String, fontSize: Double, bold: Bool) -> Double {
        TextMetrics.width(text, fontSize: fontSize, bold: bold)
    }
}

/// Word wrapping, by character count (for Mermaid and DOT, which size their own boxes) or
/// by estimated width in pixels (for the sheet's SVG, which we lay out ourselves).
enum TextWrap {
    /// Splits `text` into lines of at most `width` characters, breaking at spaces; a word
    /// longer than `width` is broken after a `/` or `-` when it has one, else cut.
    static func lines(_ text: String, width: Int) -> [String] {
        lines(text, units: { _ in 1 }, fits: { $0 <= width })
    }

    /// Splits `text` into lines whose estimated width at `fontSize` is at most `maxWidth`.
    static func lines(_ text: String, maxWidth: Double, fontSize: Double, bold: Bool = false) -> [String] {
        lines(text, units: { TextMetrics.units($0.unicodeScalars) },
              fits: { TextMetrics.width(units: $0, fontSize: fontSize, bold: bold) <= maxWidth })
    }

    /// The measure of a text is the sum of its characters' `units`; `fits` says whether a
    /// line of so many units fits. Every measure is a running sum, so a long word broken into
    /// many pieces (a name of thousands of characters in a narrow lane) costs one pass, not
    /// one measure of each prefix of what is left (found by the property tests: minutes for a
    /// catalogue of 70 lanes).
    private static func lines(_ text: String, units: (Character) -> Int, fits: (Int) -> Bool) -> [String] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        let space = units(" ")
        var result: [String] = []
        var current = ""
        var currentUnits = 0
        for word in words {
            let wordUnits = word.reduce(0) { $0 + units($1) }
            let candidate = current.isEmpty ? wordUnits : currentUnits + space + wordUnits
            if fits(candidate) {
                current = current.isEmpty ? String(word) : current + " " + word
                currentUnits = candidate
                continue
            }
            if !current.isEmpty { result.append(current); current = "" }
            let chars = Array(word)
            var start = 0
            var restUnits = wordUnits
            // Each piece takes at least one character, so this ends even when nothing fits.
            while start < chars.count, !fits(restUnits) {
                // The longest prefix that fits, preferring one that ends after `/` or `-`.
                var n = 1
                var pieceUnits = units(chars[start])
                while start + n < chars.count {
                    let next = pieceUnits + units(chars[start + n])
                    if !fits(next) { break }
                    pieceUnits = next
                    n += 1
                }
                if let cut = chars[start..<(start + n)].lastIndex(where: { $0 == "/" || $0 == "-" }), cut > start, cut + 1 < start + n {
                    n = cut - start + 1
                }
                result.append(String(chars[start..<(start + n)]))
                for k in start..<(start + n) { restUnits -= units(chars[k]) }
                start += n
            }
            current = String(chars[start...])
            currentUnits = restUnits
        }
        if !current.isEmpty { result.append(current) }
        return result.isEmpty ? [""] : result
    }

    /// `text` on one line: as it is when it fits, else its longest prefix that fits with "…".
    static func truncated(_ text: String, maxWidth: Double, fontSize: Double, bold: Bool = false) -> String {
        if TextMetrics.width(text, fontSize: fontSize, bold: bold) <= maxWidth { return text }
        // One pass, summing the characters' advance units (the width of a prefix is the sum of
        // its characters'): measuring every prefix anew took seconds for a name of a few
        // thousand characters (found by the property tests).
        let ellipsis = TextMetrics.units("…")
        var units = 0
        var prefix = ""
        for c in text {
            let next = units + TextMetrics.units(c.unicodeScalars)
            if TextMetrics.width(units: next + ellipsis, fontSize: fontSize, bold: bold) > maxWidth { break }
            units = next
            prefix.append(c)
        }
        return prefix.trimmingTrailingSpaces + "…"
    }
}

extension String {
    /// The text without trailing spaces.
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Width estimates for the sheet's text, from the Helvetica / Arial (Liberation Sans)
/// advance widths in 1/1000 em, with a safety margin so that a wider fallback font still
/// fits. Characters outside ASCII count as 0.6 em.
enum TextMetrics {
    private static let ascii: [Int] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space … /
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 … ?
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ … O
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P … _
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` … o
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 600, // p … DEL
    ]
    static let safety = 1.1

    static func width(_ text: String, fontSize: Double, bold: Bool = false) -> Double {
        width(units: units(text.unicodeScalars), fontSize: fontSize, bold: bold)
    }

    /// The advance of `scalars` in 1/1000 em, before the font size.
    static func units<S: Sequence>(_ scalars: S) -> Int where S.Element == Unicode.Scalar {
        var units = 0
        for scalar in scalars {
            let v = Int(scalar.value)
            units += (32..<128).contains(v) ? ascii[v - 32] : 600
        }
        return units
    }

    static func units(_ text: String) -> Int { units(text.unicodeScalars) }

    static func width(units: Int, fontSize: Double, bold: Bool = false) -> Double {
        Double(units) / 1000 * fontSize * (bold ? 1.08 : 1) * safety
    }
}

/// The graph as every drawing sees it: lanes (the actors, in the SOP's order), rows (the
/// start, each step in written order, the end) and links between rows. Parallel gateways
/// are not symbols of the official form, so links pass through them.
struct Drawing {
    struct Lane: Equatable {
        var index: Int
        var name: String
        /// True for the extra lane of steps whose actor the SOP does not name (drafts).
        var isPlaceholder: Bool
    }

    enum Symbol { case terminator, process, decision }

    struct Row {
        var index: Int
        var node: ProcessGraph.Node
        var lane: Int
        var symbol: Symbol
        /// The lanes of the step's other actors (`actor: [a, b]`): any of them may act.
        var otherLanes: [Int] = []
        var isStep: Bool { node.isStep }
        /// Inferred cells of this row: the step's own, and for a condition its step's `when`.
        var inferences: [ProcessGraph.Inference] = []
    }

    struct Link: Hashable {
        var from: Int
        var to: Int
        var kind: ProcessGraph.EdgeKind
        var label: String?
        var isTimeout: Bool { kind == .timeout }
    }

    static let placeholderLaneName = "Pelaksana belum ditentukan"

    var graph: ProcessGraph
    var lanes: [Lane]
    var rows: [Row]
    /// Links between rows, in the IR's edge order, without duplicates.
    var links: [Link]
    /// The indices of the links leaving each row, in link order.
    var linksFrom: [[Int]]

    init(_ graph: ProcessGraph) {
        self.graph = graph
        var lanes = graph.actors.sorted { $0.index < $1.index }.enumerated().map {
            Lane(index: $0.offset, name: $0.element.name, isPlaceholder: false)
        }
        let laneOfActor = Dictionary(graph.actors.sorted { $0.index < $1.index }.enumerated().map { ($0.element.index, $0.offset) },
                                     uniquingKeysWith: { a, _ in a })
        let visible = graph.nodes.filter { $0.kind == .start || $0.isActivity || $0.kind == .end }
            .sorted { Self.order($0) < Self.order($1) }
        var rowOfNode: [Int: Int] = [:]
        for (i, node) in visible.enumerated() { rowOfNode[node.id] = i }

        // Links, following edges through parallel gateways.
        var links: [Link] = []
        let outgoing = Dictionary(grouping: graph.edges, by: \.from)
        func targets(of edge: ProcessGraph.Edge, seen: Set<Int>) -> [(Int, ProcessGraph.EdgeKind)] {
            if let row = rowOfNode[edge.to] { return [(row, edge.kind)] }
            guard !seen.contains(edge.to) else { return [] }
            return (outgoing[edge.to] ?? []).flatMap { next in
                targets(of: next, seen: seen.union([edge.to])).map { ($0.0, next.kind == .parallel ? .parallel : edge.kind) }
            }
        }
        var seenLinks = Set<Link>()
        for edge in graph.edges {
            guard let from = rowOfNode[edge.from] else { continue }
            for (to, kind) in targets(of: edge, seen: []) {
                let link = Link(from: from, to: to, kind: kind, label: edge.label)
                if seenLinks.insert(link).inserted { links.append(link) }
            }
        }
        var linksFrom = [[Int]](repeating: [], count: visible.count)
        for (i, link) in links.enumerated() { linksFrom[link.from].append(i) }

        // Lanes of rows: a step's actor; steps without one share a placeholder lane; the
        // start sits in the lane of the row it leads to, the end in the lane of the last row
        // leading to it.
        let placeholder = lanes.count
        var stepLane: [Int: Int] = [:]
        for (i, node) in visible.enumerated() where node.isActivity {
            stepLane[i] = node.actor.flatMap { laneOfActor[$0] } ?? placeholder
        }
        if lanes.isEmpty || stepLane.values.contains(placeholder) {
            lanes.append(Lane(index: placeholder, name: Self.placeholderLaneName, isPlaceholder: true))
        }
        var rows: [Row] = []
        for (i, node) in visible.enumerated() {
            var lane = stepLane[i] ?? 0
            if node.kind == .start {
                lane = linksFrom[i].compactMap { stepLane[links[$0].to] }.first ?? 0
            } else if node.kind == .end {
                lane = links.filter { $0.to == i }.map(\.from).sorted().compactMap { stepLane[$0] }.last ?? (rows.last?.lane ?? 0)
            }
            let symbol: Symbol = node.kind == .decision ? .decision : node.isActivity ? .process : .terminator
            var row = Row(index: i, node: node, lane: lane, symbol: symbol)
            row.otherLanes = (node.actors ?? []).dropFirst().compactMap { laneOfActor[$0] }.filter { $0 != lane }
            if let step = node.conditionOf {
                row.inferences = graph.nodes[step].inferred?.filter { $0.field == "when" } ?? []
            } else {
                row.inferences = node.inferred?.filter { $0.field != "when" } ?? []
            }
            rows.append(row)
        }
        self.lanes = lanes
        self.rows = rows
        self.links = links
        self.linksFrom = linksFrom
    }

    /// Start first, steps by number order (their node id), each condition just before its
    /// step, the ends last (named outcomes in declared order, then the default end).
    private static func order(_ node: ProcessGraph.Node) -> Int {
        switch node.kind {
        case .start: return -1
        case .end: return Int.max / 2 + node.id
        default: return node.conditionOf.map { 2 * $0 - 1 } ?? 2 * node.id
        }
    }

    var stepCount: Int { rows.filter(\.isStep).count }

    /// "1. Memverifikasi …": the step number and its activity, or "Mulai" / "Selesai".
    static func title(of node: ProcessGraph.Node) -> String {
        guard let number = node.number, node.isStep else { return node.label }
        return "\(number). \(node.label)"
    }

    /// What a drawing's symbol says: a decision shows its question (or its activity).
    static func symbolText(of node: ProcessGraph.Node) -> String {
        if node.kind == .decision, let q = node.question, !q.isEmpty { return q }
        if node.kind == .call, let callee = node.callee { return node.label.isEmpty ? "SOP \(callee)" : node.label }
        return node.label
    }

    /// The names of a node's documents, in order.
    func documentNames(_ indices: [Int]) -> [String] {
        indices.compactMap { i in
            graph.documents.indices.contains(i) && graph.documents[i].index == i
                ? graph.documents[i].name : graph.documents.first { $0.index == i }?.name
        }
    }

    /// How the table refers to a row: its number ("8.4?" for the condition of step 8.4), or
    /// "Mulai" / "Selesai".
    func reference(_ row: Int) -> String {
        let node = rows[row].node
        if node.conditionOf != nil { return Self.conditionMark(node) }
        return node.isStep ? (node.number ?? node.label) : node.label
    }

    /// "8.4?": the condition of a conditional step, as the sheet labels its diamond and as
    /// `sop case decide` names it.
    static func conditionMark(_ node: ProcessGraph.Node) -> String { (node.number ?? "") + "?" }

    /// The *Keterangan* of a row: decision branches, timeouts, recurrence, channel, called
    /// SOP and the step's note, each one line.
    func remarks(_ row: Row) -> [String] {
        var out: [String] = []
        let n = row.node
        let leaving = linksFrom[row.index].map { links[$0] }
        for link in leaving where link.kind == .branch {
            out.append("\(link.label ?? "?") → \(reference(link.to))")
        }
        for link in leaving where link.isTimeout {
            out.append("Lewat \(link.label ?? "batas waktu") → \(reference(link.to))")
        }
        if let actors = n.actors, actors.count > 1, n.conditionOf == nil {
            out.append("Pelaksana: " + actors.map { graph.actors[$0].name }.joined(separator: " atau "))
        }
        if let r = n.recurrence { out.append("Berulang: \(r.text)") }
        if let via = n.via { out.append("Melalui: \(via)") }
        if let callee = n.callee { out.append("Menjalankan SOP \(callee)") }
        if let note = n.note { out.append(note) }
        return out
    }

    /// "DRAF / DRAFT" for drafts, shown on every drawing of one.
    static let draftMark = "DRAF / DRAFT"
}
