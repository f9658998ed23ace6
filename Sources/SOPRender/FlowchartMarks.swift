/// A case's place on its SOP's drawing: the SVG that Graphviz drew from `DOTRenderer` with
/// `namesNodes` set, with the symbols of open steps marked `current` and those of completed
/// steps `done` (classes a style sheet colours). The drawing of an SOP is made once; marking
/// it for a case is a pass over its text, so a page can show every case on its flowchart.
public enum FlowchartMarks {
    /// The SVG id of an IR node's symbol.
    public static func svgID(of node: Int) -> String { "sop_node_\(node)" }

    /// The drawing as an inline `<svg>` element for an HTML page (the XML declaration and
    /// DOCTYPE Graphviz writes before it removed), its nodes in `current` and `done` marked.
    /// A node in both sets is current.
    public static func mark(svg: String, current: Set<Int>, done: Set<Int>) -> String {
        var text = Substring(svg)
        if let start = text.range(of: "<svg") { text = text[start.lowerBound...] }
        guard !current.isEmpty || !done.isEmpty else { return String(text) }
        var out = ""
        out.reserveCapacity(text.utf8.count + 64)
        let opening = "<g id=\"sop_node_"
        while let r = text.range(of: opening) {
            out += text[..<r.upperBound]
            text = text[r.upperBound...]
            // `<g id="sop_node_12" class="node">`
            let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
            guard let node = Int(digits) else { continue }
            let classPrefix = "\" class=\"node"
            let rest = text[digits.endIndex...]
            guard rest.hasPrefix(classPrefix) else { continue }
            let mark = current.contains(node) ? " current" : done.contains(node) ? " done" : ""
            out += digits + classPrefix + mark
            text = rest.dropFirst(classPrefix.count)
        }
        out += text
        return out
    }
}
