import SOPIR

/// The SOP as a Markdown document: the identity block, its sections, the Mermaid drawing in
/// a fenced `mermaid` block (GitHub draws it) and the activity table. Labels are the
/// Indonesian ones of the official form.
public struct MarkdownRenderer {
    public init() {}

    public func render(_ graph: ProcessGraph) -> String {
        let drawing = Drawing(graph)
        var w = LineWriter()
        w.writeLine("# \(Escape.html(graph.name))")
        w.writeLine()
        if graph.isDraft {
            w.writeLine("> **\(Drawing.draftMark)** — SOP ini masih draf: hanya yang diketahui dari sumbernya yang dicatat. / This SOP is a draft: only what its source shows is encoded.")
            w.writeLine()
        }
        w.writeLine("| | |")
        w.writeLine("| --- | --- |")
        for (label, value) in Sheet.identityRows(graph) {
            w.writeLine("| \(label) | \(Escape.markdownCell(value)) |")
        }
        w.writeLine("| Kode katalog | `\(graph.id)` |")
        w.writeLine()
        for (title, items) in Sheet.sections(graph) {
            w.writeLine("## \(title)")
            w.writeLine()
            if items.isEmpty { w.writeLine("—") }
            for (i, item) in items.enumerated() {
                w.writeLine(items.count == 1 ? Escape.html(item) : "\(i + 1). \(Escape.html(item))")
            }
            w.writeLine()
        }
        w.writeLine("## Diagram alir")
        w.writeLine()
        w.writeLine("```mermaid")
        for line in MermaidRenderer().render(graph).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            w.writeLine(String(line))
        }
        w.writeLine("```")
        w.writeLine()
        w.writeLine("## Aktivitas")
        w.writeLine()
        if drawing.stepCount == 0 {
            w.writeLine("*\(Sheet.lostTableNote)*")
        } else {
            w.writeLine("| No. | Aktivitas | Pelaksana | Kelengkapan | Waktu | Output | Keterangan |")
            w.writeLine("| ---: | --- | --- | --- | --- | --- | --- |")
            for row in drawing.rows where row.isStep {
                let n = row.node
                let cells = [
                    n.number ?? "", n.label, drawing.lanes[row.lane].name,
                    drawing.documentNames(n.requires).joined(separator: "; "), n.duration?.text ?? "",
                    drawing.documentNames(n.produces).joined(separator: "; "), drawing.remarks(row).joined(separator: "; "),
                ]
                w.writeLine("| " + cells.map(Escape.markdownCell).joined(separator: " | ") + " |")
            }
        }
        if let sla = graph.sla {
            w.writeLine()
            w.writeLine("Waktu penyelesaian (SLA): \(Escape.html(sla.text))")
        }
        return w.text
    }
}
