import SOPIR

/// Mermaid `flowchart TD`: one `subgraph` per lane in the SOP's actor order, a stadium for
/// start and end, a rectangle per activity, a rhombus per decision; decision branches carry
/// their labels, timeouts are dotted arrows labelled with their duration. Every label is a
/// `"…"` string escaped by `Escape.mermaid`, wrapped by Mermaid itself.
///
/// A link back to an earlier row (a loop's `ulang`, a timeout back to an earlier step) ends
/// at a connector circle in its source's lane, labelled with the target's number, instead of
/// an arrow up the drawing: the drawing has no cycle. Mermaid's layout (dagre) fails on some
/// cycles through several lanes ("Cannot set properties of undefined (setting 'order')",
/// found by the property tests; fixture `Tests/Render/Fixtures/loop-across-lanes.yaml`),
/// and a connector is what the official sheet draws for a jump too.
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
        // The connector of each link back to an earlier row, by link index, in its source's lane.
        let backLinks = drawing.links.indices.filter { drawing.links[$0].to <= drawing.links[$0].from }
        let connectorsOfLane = Dictionary(grouping: backLinks, by: { drawing.rows[drawing.links[$0].from].lane })
        w.withIndent { w in
            // Beyond `maxLanes` lanes the actors are named in each symbol instead of drawn as
            // subgraphs: Mermaid's layout (dagre) failed on such drawings even without a cycle
            // ("Cannot set properties of undefined (setting 'order')", the property tests'
            // 19-lane SOP); every drawing of the catalogue has far fewer lanes.
            if drawing.lanes.count > Self.maxLanes {
                for row in drawing.rows { w.writeLine(node(row, actor: drawing.lanes[row.lane].name)) }
                for i in backLinks {
                    w.writeLine("K\(i)((\"\(Escape.mermaid(drawing.reference(drawing.links[i].to)))\")):::connector")
                }
            }
            for lane in drawing.lanes where drawing.lanes.count <= Self.maxLanes {
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
                    for i in connectorsOfLane[lane.index] ?? [] {
                        w.writeLine("K\(i)((\"\(Escape.mermaid(drawing.reference(drawing.links[i].to)))\")):::connector")
                    }
                }
                w.writeLine("end")
            }
            for (i, link) in drawing.links.enumerated() {
                let arrow = link.isTimeout ? "-.->" : "-->"
                let label = link.label.map { "|\"\(Escape.mermaid($0))\"|" } ?? ""
                let target = link.to <= link.from ? "K\(i)" : "N\(link.to)"
                w.writeLine("N\(link.from) \(arrow)\(label) \(target)")
            }
            w.writeLine("classDef terminator fill:#ffffff,stroke:#222222,stroke-width:1.5px")
            w.writeLine("classDef process fill:#ffffff,stroke:#222222")
            w.writeLine("classDef decision fill:#ffffff,stroke:#222222")
            w.writeLine("classDef empty fill:none,stroke:none")
            if !backLinks.isEmpty { w.writeLine("classDef connector fill:#ffffff,stroke:#222222") }
            for lane in drawing.lanes where drawing.lanes.count <= Self.maxLanes { w.writeLine("style L\(lane.index) fill:#f6f6f6,stroke:#999999") }
        }
        return w.text
    }

    /// The most lanes drawn as subgraphs (see `render`).
    static let maxLanes = 12

    /// One node line: its id, shape and escaped, wrapped label; `actor` first when the lanes
    /// are not drawn.
    func node(_ row: Drawing.Row, actor: String? = nil) -> String {
        let n = row.node
        // Mermaid wraps a label to its own width; only the duration gets a line of its own.
        var lines = [Drawing.symbolText(of: n)]
        if let number = n.number, n.isStep { lines[0] = "\(number). " + lines[0] }
        else if n.conditionOf != nil { lines[0] = Drawing.conditionMark(n) + " " + lines[0] }
        if let d = n.duration, n.isStep { lines.append("(\(d.text))") }
        if let actor, n.isActivity { lines.insert("[\(actor)]", at: 0) }
        let text = lines.map(Escape.mermaid).joined(separator: "<br/>")
        switch row.symbol {
        case .terminator: return "N\(row.index)([\"\(text)\"]):::terminator"
        case .process: return "N\(row.index)[\"\(text)\"]:::process"
        case .decision: return "N\(row.index){\"\(text)\"}:::decision"
        }
    }
}
