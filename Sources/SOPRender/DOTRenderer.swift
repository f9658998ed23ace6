import SOPIR

/// Graphviz DOT: a cluster per actor (a swimlane), laid out left to right in the SOP's actor
/// order, each row one rank so that the flow runs top to bottom one step per row. Start and
/// end are rounded boxes (capsules), activities boxes, decisions diamonds; each symbol shows
/// its step number, its wrapped text, its duration and output. Decision branches carry their
/// labels; timeout edges are dashed and labelled with their duration.
///
/// Layout rules: the drawing is a grid of lanes and rows. Graphviz keeps rank order but
/// may reorder nodes within a rank, so the lanes are the ranks (`rankdir=LR`, one cluster
/// per lane, all its cells on one rank) and the rows are the order within a rank (an
/// invisible chain of cells, top to bottom). A lane's cell in a row that is not its own is
/// an invisible point; heavy invisible edges between a row's cells, all in one `group`,
/// keep each row level across the lanes. Flow edges do not constrain the ranks.
public struct DOTRenderer {
    /// Characters per line of an activity's text.
    public var wrapWidth = 30
    /// Show each step's duration and output under its text.
    public var showsDetails = true
    /// Gives each symbol an SVG id, `sop_node_<IR node id>` (Graphviz writes it on the
    /// symbol's `<g>`), so that a page can mark nodes of the drawing (`FlowchartMarks`).
    public var namesNodes = false

    public init() {}

    static let font = "Liberation Sans,Arial,Helvetica,sans-serif"

    public func render(_ graph: ProcessGraph) -> String {
        let drawing = Drawing(graph)
        var w = LineWriter()
        w.writeLine("digraph \"\(Escape.dotString(graph.id.isEmpty ? "sop" : graph.id))\" {")
        w.withIndent { w in
            // Lanes are ranks: with rankdir=LR each rank is a column, so the lane order is
            // the rank order and can never be shuffled by Graphviz's crossing reduction.
            w.writeLine("graph [label=<\(graphLabel(drawing))>, labelloc=t, fontname=\"\(Self.font)\", fontsize=14, rankdir=LR, newrank=true, nodesep=0.3, ranksep=0.45, pad=0.25];")
            w.writeLine("node [fontname=\"\(Self.font)\", fontsize=10, margin=\"0.12,0.06\", penwidth=1.2, style=filled, fillcolor=\"#ffffff\"];")
            w.writeLine("edge [fontname=\"\(Self.font)\", fontsize=9, arrowsize=0.7];")
            // A grid: every lane holds one cell per row, its own symbol or an invisible
            // point, all on the lane's rank and chained top to bottom in row order; the
            // cells of a row are chained left to right with heavy edges, so rows stay level.
            func id(_ lane: Int, _ row: Drawing.Row) -> String { row.lane == lane ? "N\(row.index)" : "P\(lane)_\(row.index)" }
            for lane in drawing.lanes {
                w.writeLine("subgraph cluster_L\(lane.index) {")
                w.withIndent { w in
                    w.writeLine("label=<<b>\(Escape.html(lane.name))</b>>; labelloc=t; style=filled; fillcolor=\"\(lane.isPlaceholder ? "#fff4e5" : "#f4f4f4")\"; color=\"#9a9a9a\"; fontsize=11;")
                    for row in drawing.rows {
                        w.writeLine(row.lane == lane.index ? node(row, drawing) : "\(id(lane.index, row)) [group=r\(row.index), shape=point, style=invis, width=0.01, height=0.01];")
                    }
                    let column = drawing.rows.map { id(lane.index, $0) }
                    w.writeLine("{ rank=same; \(column.joined(separator: "; ")); }")
                    // In a left-to-right layout a rank's order runs bottom to top, so the
                    // chain that puts row 0 on top goes from the last row to the first.
                    if column.count > 1 { w.writeLine("\(column.reversed().joined(separator: " -> ")) [style=invis];") }
                }
                w.writeLine("}")
            }
            if drawing.lanes.count > 1 {
                for row in drawing.rows {
                    w.writeLine("\(drawing.lanes.map { id($0.index, row) }.joined(separator: " -> ")) [style=invis, weight=100];")
                }
            }
            // The flow.
            for link in drawing.links { for line in edge(link, drawing) { w.writeLine(line) } }
        }
        w.writeLine("}")
        return w.text
    }

    func graphLabel(_ drawing: Drawing) -> String {
        let g = drawing.graph
        var parts = ["<b>\(Escape.html(g.name))</b>"]
        if let number = g.identity.number { parts.append("<font point-size=\"10\">Nomor SOP: \(Escape.html(number))</font>") }
        if g.isDraft { parts.append("<font point-size=\"11\" color=\"#b00020\"><b>\(Drawing.draftMark)</b></font>") }
        if drawing.stepCount == 0 {
            parts.append("<font point-size=\"10\" color=\"#b00020\">Tabel aktivitas hilang pada pindaian; belum ada langkah.</font>")
        }
        return parts.joined(separator: "<br/>")
    }

    func node(_ row: Drawing.Row, _ drawing: Drawing) -> String {
        let n = row.node
        let width = row.symbol == .decision ? max(14, wrapWidth - 10) : wrapWidth
        var lines = TextWrap.lines(Drawing.symbolText(of: n), width: width).map(Escape.html)
        if let number = n.number, n.isStep { lines[0] = "<b>\(Escape.html(number)).</b> " + lines[0] }
        else if n.conditionOf != nil { lines[0] = "<b>\(Escape.html(Drawing.conditionMark(n)))</b> " + lines[0] }
        var label = lines.joined(separator: "<br/>")
        if showsDetails, n.isStep {
            var details: [String] = []
            if let d = n.duration { details.append("Waktu: \(d.text)") }
            let outputs = drawing.documentNames(n.produces)
            if !outputs.isEmpty { details.append("Output: \(outputs.joined(separator: "; "))") }
            let detailLines = details.flatMap { TextWrap.lines($0, width: width + 4) }.map(Escape.html)
            if !detailLines.isEmpty {
                label += "<br/><font point-size=\"8\" color=\"#555555\">\(detailLines.joined(separator: "<br/>"))</font>"
            }
        }
        let shape: String
        switch row.symbol {
        case .terminator: shape = "shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", penwidth=1.6"
        case .process: shape = "shape=box"
        case .decision: shape = "shape=diamond, margin=\"0.02,0.02\""
        }
        let id = namesNodes ? ", id=\"\(FlowchartMarks.svgID(of: n.id))\"" : ""
        return "N\(row.index) [group=r\(row.index)\(id), \(shape), label=<\(label)>];"
    }

    /// A flow edge. One that skips lanes passes through the invisible cells of the lanes
    /// between, in the source's row, so that Graphviz routes it straight across them
    /// instead of around the lanes' clusters; only its last segment has an arrowhead. A
    /// segment going to a lane on the left is written the other way round with `dir=back`,
    /// so that Graphviz routes it like any other edge between neighbouring lanes.
    func edge(_ link: Drawing.Link, _ drawing: Drawing) -> [String] {
        var common: [String] = []
        if link.isTimeout { common.append("style=dashed"); common.append("fontcolor=\"#444444\"") }
        common.append("constraint=false")
        let a = drawing.rows[link.from].lane, b = drawing.rows[link.to].lane
        let between = a < b ? Array((a + 1)..<b) : a > b ? Array(((b + 1)..<a).reversed()) : []
        var points = [("N\(link.from)", a)] + between.map { ("P\($0)_\(link.from)", $0) } + [("N\(link.to)", b)]
        // A jump down its own lane to an end over the rows between (a decision's two ends, one
        // under the other) runs through the neighbouring lane's cells instead: drawn straight
        // down its own lane, the edge made Graphviz lift the decision above earlier rows.
        // Only a decision's branch, and only through a lane with no symbol of its own in those rows.
        if a == b, link.kind == .branch, link.to > link.from + 1, drawing.rows[link.to].symbol == .terminator,
           let side = [a + 1, a - 1].first(where: { lane in
               lane >= 0 && lane < drawing.lanes.count && !(link.from...link.to).contains { drawing.rows[$0].lane == lane }
           }) {
            points = [("N\(link.from)", a)] + (link.from...link.to).map { ("P\(side)_\($0)", side) } + [("N\(link.to)", b)]
        }
        var lines: [String] = []
        for (i, (tail, head)) in zip(points, points.dropFirst()).enumerated() {
            let isFirst = i == 0, isLast = i == points.count - 2
            let backward = tail.1 > head.1
            var attributes: [String] = []
            if isFirst, let label = link.label { attributes.append("label=\"\(Escape.dotString(label))\"") }
            attributes += common
            if !isLast { attributes.append("dir=none") } else if backward { attributes.append("dir=back") }
            // No gap where segments meet at an invisible cell.
            if !isLast { attributes.append(backward ? "tailclip=false" : "headclip=false") }
            if !isFirst { attributes.append(backward ? "headclip=false" : "tailclip=false") }
            let (from, to) = backward ? (head.0, tail.0) : (tail.0, head.0)
            lines.append("\(from) -> \(to) [\(attributes.joined(separator: ", "))];")
        }
        return lines
    }
}
