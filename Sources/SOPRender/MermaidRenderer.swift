import SOPIR

/// Mermaid `flowchart TD`: one `subgraph` per lane in the SOP's actor order, a stadium for
/// start and end, a rectangle per activity, a rhombus per decision; decision branches carry
/// their labels, timeouts are dotted arrows labelled with their duration. Every label is a
/// `"…"` string escaped by `Escape.mermaid`, wrapped by Mermaid itself.
public struct MermaidRenderer {
    public init() {}

    public func render(_ graph: ProcessGraph) -> String {
        let drawing = Drawing(graph)
        var w = LineWriter()
        let title = graph.isDraft ? "\(graph.name) (\(Drawing.draftMark))" : graph.name
        w.writeLine("---")
        w.writeLine("title: '\(Escape.mermaidTitle(title))'")
        w.writeLine("---")
        w.writeLine("flowchart TD")
        w.withIndent { w in
            for lane in drawing.lanes {
                let rows = drawing.rows.filter { $0.lane == lane.index }
                guard !rows.isEmpty else {
                    // An actor with no step still gets its lane, with an empty marker.
                    w.writeLine("subgraph L\(lane.index)[\"\(Escape.mermaid(lane.name))\"]")
                    w.withIndent { $0.writeLine("L\(lane.index)_empty[\" \"]:::empty") }
                    w.writeLine("end")
                    continue
                }
                w.writeLine("subgraph L\(lane.index)[\"\(Escape.mermaid(lane.name))\"]")
                w.withIndent { w in
                    for row in rows { w.writeLine(node(row)) }
                }
                w.writeLine("end")
            }
            for link in drawing.links {
                let arrow = link.isTimeout ? "-.->" : "-->"
                let label = link.label.map { "|\"\(Escape.mermaid($0))\"|" } ?? ""
                w.writeLine("N\(link.from) \(arrow)\(label) N\(link.to)")
            }
            w.writeLine("classDef terminator fill:#ffffff,stroke:#222222,stroke-width:1.5px")
            w.writeLine("classDef process fill:#ffffff,stroke:#222222")
            w.writeLine("classDef decision fill:#ffffff,stroke:#222222")
            w.writeLine("classDef empty fill:none,stroke:none")
            for lane in drawing.lanes { w.writeLine("style L\(lane.index) fill:#f6f6f6,stroke:#999999") }
        }
        return w.text
    }

    /// One node line: its id, shape and escaped, wrapped label.
    func node(_ row: Drawing.Row) -> String {
        let n = row.node
        // Mermaid wraps a label to its own width; only the duration gets a line of its own.
        var lines = [Drawing.symbolText(of: n)]
        if let number = n.number, n.isStep { lines[0] = "\(number). " + lines[0] }
        else if n.conditionOf != nil { lines[0] = Drawing.conditionMark(n) + " " + lines[0] }
        if let d = n.duration, n.isStep { lines.append("(\(d.text))") }
        let text = lines.map(Escape.mermaid).joined(separator: "<br/>")
        switch row.symbol {
        case .terminator: return "N\(row.index)([\"\(text)\"]):::terminator"
        case .process: return "N\(row.index)[\"\(text)\"]:::process"
        case .decision: return "N\(row.index){\"\(text)\"}:::decision"
        }
    }
}
