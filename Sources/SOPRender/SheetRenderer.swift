import SOPIR

/// The official SOP sheet of Permenpan RB 35/2012 as one self-contained HTML page (inline
/// CSS and SVG, no script, no network): the identity page, then the activity table drawn as
/// SVG, one A4-landscape page per group of rows.
///
/// The activity table has the columns No., *Aktivitas*, one *Pelaksana* column per actor,
/// *Mutu Baku* (*Kelengkapan*, *Waktu*, *Output*) and *Keterangan*. Each row's symbol sits
/// in its actor's column: a capsule for *Mulai* / *Selesai*, a rectangle for an activity,
/// a diamond for a decision. An arrow to the next row runs straight down (turning in the gap
/// under the symbol when the actor changes); every other arrow (branches, loops, timeouts)
/// leaves the symbol sideways and runs along a track in a gutter beside the lanes — going
/// down on the right, going back up on the left — so that no arrow crosses a symbol or a
/// text cell. An arrow that crosses a page break ends in a lettered off-page connector
/// (a pentagon) and starts again from the same letter on the other page.
public struct SheetRenderer {
    /// Links of the catalogue site shown above the sheet (never printed).
    public struct Navigation: Sendable {
        public var index: String
        public var files: [(label: String, href: String)]
        public var related: [(name: String, href: String?)]
        public init(index: String, files: [(label: String, href: String)], related: [(name: String, href: String?)]) {
            self.index = index
            self.files = files
            self.related = related
        }
    }

    public var navigation: Navigation?

    public init(navigation: Navigation? = nil) { self.navigation = navigation }

    public func render(_ graph: ProcessGraph) -> String {
        let drawing = Drawing(graph)
        var w = LineWriter(indentUnit: "  ")
        let title = [graph.name, graph.identity.number].compactMap { $0 }.joined(separator: " — ")
        w.writeLine("<!DOCTYPE html>")
        w.writeLine("<html lang=\"id\">")
        w.writeLine("<head>")
        w.writeLine("<meta charset=\"utf-8\">")
        w.writeLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        w.writeLine("<title>\(Escape.html(title))</title>")
        w.writeLine("<link rel=\"icon\" href=\"data:,\">")
        w.writeLine("<style>")
        for line in Sheet.css.split(separator: "\n") { w.writeLine(String(line)) }
        w.writeLine("</style>")
        w.writeLine("</head>")
        w.writeLine("<body>")
        if let navigation { writeNavigation(navigation, &w) }
        writePages(drawing, &w)
        w.writeLine("</body>")
        w.writeLine("</html>")
        return w.text
    }

    /// The sheet's pages alone, each a `<section class="page …">` that prints as one A4
    /// landscape page, for a document that holds several sheets (the training manual).
    /// Style them with `embeddedCSS(scope:)`.
    public func pages(_ graph: ProcessGraph) -> [String] {
        var w = LineWriter(indentUnit: "  ")
        writePages(Drawing(graph), &w)
        var pages: [String] = []
        var current: [String] = []
        for line in w.lines {
            current.append(line)
            if line == "</section>" { pages.append(current.joined(separator: "\n")); current = [] }
        }
        return pages
    }

    /// The sheet's CSS for its pages inside another document: every rule under `scope` (a
    /// selector), in its print form, without the page size (the host document sets it).
    public static func embeddedCSS(scope: String) -> String {
        var rules: [String] = []
        var inPrint = false
        for raw in Sheet.css.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("@media print") { inPrint = true; continue }
            if inPrint && line == "}" { inPrint = false; continue }
            guard let brace = line.firstIndex(of: "{"), !line.hasPrefix("@page") else { continue }
            let selectors = line[..<brace].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if selectors.contains(where: { $0 == "html" || $0.hasPrefix("html,") || $0 == "body" || $0.hasPrefix(".site-nav") || $0 == ":root" || $0 == "*" }) {
                if selectors == ["body"] || selectors == ["html", "body"] {
                    // The body's font becomes the scope's.
                    rules.append("\(scope) " + line[brace...].replacingOccurrences(of: "margin: 0; padding: 8mm 0; ", with: "").replacingOccurrences(of: "background: #fff; padding: 0; ", with: ""))
                }
                if selectors == [":root"] { rules.append("\(scope) " + line[brace...]) }
                continue
            }
            rules.append(selectors.map { "\(scope) \($0)" }.joined(separator: ", ") + " " + line[brace...])
        }
        return rules.joined(separator: "\n")
    }

    private func writePages(_ drawing: Drawing, _ w: inout LineWriter) {
        writeIdentityPage(drawing, &w)
        let layout = SheetLayout(drawing)
        if drawing.stepCount == 0 {
            w.writeLine("<section class=\"page flow\">")
            writePageHead(drawing, page: 2, of: 2, &w)
            w.writeLine("<p class=\"lost\">\(Escape.html(Sheet.lostTableNote))</p>")
            w.writeLine("</section>")
        } else {
            for i in layout.pages.indices {
                w.writeLine("<section class=\"page flow\">")
                writePageHead(drawing, page: i + 2, of: layout.pages.count + 1, &w)
                for line in layout.svg(page: i) { w.writeLine(line) }
                w.writeLine("</section>")
            }
        }
    }

    private func writeNavigation(_ nav: Navigation, _ w: inout LineWriter) {
        w.writeLine("<nav class=\"site-nav\">")
        var links = ["<a href=\"\(Escape.html(nav.index))\">← Katalog SOP</a>"]
        links += nav.files.map { "<a href=\"\(Escape.html($0.href))\">\(Escape.html($0.label))</a>" }
        w.writeLine(links.joined(separator: " · "))
        if !nav.related.isEmpty {
            let related = nav.related.map { r in
                r.href.map { "<a href=\"\(Escape.html($0))\">\(Escape.html(r.name))</a>" } ?? Escape.html(r.name)
            }
            w.writeLine("<br>SOP terkait: " + related.joined(separator: " · "))
        }
        w.writeLine("</nav>")
    }

    private func writePageHead(_ drawing: Drawing, page: Int, of pages: Int, _ w: inout LineWriter) {
        let g = drawing.graph
        var left = "<b>\(Escape.html(g.name))</b>"
        if let number = g.identity.number { left += " · Nomor SOP \(Escape.html(number))" }
        if g.isDraft { left += " <span class=\"draft\">\(Drawing.draftMark)</span>" }
        w.writeLine("<header class=\"page-head\"><span>\(left)</span><span>Halaman \(page) dari \(pages)</span></header>")
    }

    private func writeIdentityPage(_ drawing: Drawing, _ w: inout LineWriter) {
        let g = drawing.graph, id = g.identity
        let pages = drawing.stepCount == 0 ? 2 : SheetLayout(drawing).pages.count + 1
        w.writeLine("<section class=\"page identity\">")
        writePageHead(drawing, page: 1, of: pages, &w)
        if g.isDraft {
            w.writeLine("<p class=\"draft-banner\"><b>\(Drawing.draftMark)</b> — SOP ini masih draf: hanya yang terbaca dari sumbernya yang dicatat.</p>")
        }
        w.writeLine("<table class=\"id-table\">")
        w.writeLine("<colgroup><col style=\"width:46%\"><col style=\"width:17%\"><col style=\"width:37%\"></colgroup>")
        let rows = Sheet.headerRows(g)
        var organisation: [String] = []
        if let gov = id.government { organisation.append("<div class=\"gov\">\(Escape.html(gov.uppercased()))</div>") }
        for part in [id.agency, id.division, id.unit].compactMap({ $0 }) {
            organisation.append("<div class=\"org\">\(Escape.html(part.uppercased()))</div>")
        }
        if let activity = id.activity { organisation.append("<div class=\"act\">Kegiatan: \(Escape.html(activity))</div>") }
        if let sub = id.subActivity { organisation.append("<div class=\"act\">Sub Kegiatan: \(Escape.html(sub))</div>") }
        for (i, row) in rows.enumerated() {
            var line = "<tr>"
            if i == 0 { line += "<td class=\"org-cell\" rowspan=\"\(rows.count)\">\(organisation.joined())</td>" }
            line += "<th>\(row.label)</th><td>\(row.html)</td></tr>"
            w.writeLine(line)
        }
        let sections = Sheet.sections(g, relatedHTML: navigation?.related)
        for pair in stride(from: 0, to: sections.count, by: 2) {
            let a = sections[pair], b = sections[pair + 1]
            w.writeLine("<tr class=\"sec-head\"><th>\(a.title)</th><th colspan=\"2\">\(b.title)</th></tr>")
            w.writeLine("<tr class=\"sec\"><td>\(list(a.itemsHTML))</td><td colspan=\"2\">\(list(b.itemsHTML))</td></tr>")
        }
        w.writeLine("</table>")
        var source: [String] = ["Kode katalog: <code>\(Escape.html(g.id))</code>"]
        if let doc = id.sourceDocument {
            source.append("Sumber: \(Escape.html(doc))" + (id.sourceNumber.map { ", SOP ke-\($0)" } ?? ""))
        }
        w.writeLine("<p class=\"source\">\(source.joined(separator: " · "))</p>")
        w.writeLine("</section>")
    }

    private func list(_ items: [String]) -> String {
        if items.isEmpty { return "<span class=\"empty\">—</span>" }
        if items.count == 1 { return items[0] }
        return "<ol>" + items.map { "<li>\($0)</li>" }.joined() + "</ol>"
    }
}

/// The parts of the form shared by the sheet, the Markdown document and the site.
enum Sheet {
    static let lostTableNote = "Tabel aktivitas SOP ini hilang pada pindaian; belum ada langkah yang dicatat (draf). / The activity table of this SOP was lost in the scan; no step is encoded yet (draft)."

    static let months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                         "September", "Oktober", "November", "Desember"]

    /// "2018-01-02" → "2 Januari 2018"; anything else as written.
    static func date(_ text: String?) -> String {
        guard let text else { return "" }
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), parts[0].count == 4 else { return text }
        return "\(d) \(months[m - 1]) \(y)"
    }

    /// The identity rows beside the organisation cell, as (label, escaped HTML).
    static func headerRows(_ g: ProcessGraph) -> [(label: String, html: String)] {
        let id = g.identity
        var approval = ""
        if let a = id.approvedBy {
            var parts: [String] = []
            if let t = a.title { parts.append("<b>\(Escape.html(t))</b>") }
            parts.append("<span class=\"sign\"></span>")
            if let n = a.name { parts.append("<u>\(Escape.html(n))</u>") }
            if let nip = a.nip { parts.append("NIP. \(Escape.html(nip))") }
            approval = parts.joined(separator: "<br>")
        }
        return [
            ("Nomor SOP", Escape.html(id.number ?? "")),
            ("Tanggal Pembuatan", Escape.html(date(id.created))),
            ("Tanggal Revisi", Escape.html(date(id.revised))),
            ("Tanggal Efektif", Escape.html(date(id.effective))),
            ("Disahkan oleh", approval),
            ("Nama SOP", "<b>\(Escape.html(g.name))</b>"),
        ]
    }

    /// The identity block as plain (label, text) rows, for the Markdown document.
    static func identityRows(_ g: ProcessGraph) -> [(String, String)] {
        let id = g.identity
        var rows: [(String, String)] = [("Nama SOP", g.name), ("Nomor SOP", id.number ?? "—")]
        if let v = id.government { rows.append(("Pemerintah", v)) }
        if let v = id.agency { rows.append(("Perangkat Daerah", v)) }
        if let v = id.division { rows.append(("Bidang", v)) }
        if let v = id.unit { rows.append(("Unit", v)) }
        if let v = id.activity { rows.append(("Kegiatan", v)) }
        if let v = id.subActivity { rows.append(("Sub Kegiatan", v)) }
        rows.append(("Tanggal Pembuatan", id.created.map { date($0) } ?? "—"))
        rows.append(("Tanggal Revisi", id.revised.map { date($0) } ?? "—"))
        rows.append(("Tanggal Efektif", id.effective.map { date($0) } ?? "—"))
        if let a = id.approvedBy {
            rows.append(("Disahkan oleh", [a.title, a.name, a.nip.map { "NIP. \($0)" }].compactMap { $0 }.joined(separator: ", ")))
        } else {
            rows.append(("Disahkan oleh", "—"))
        }
        return rows
    }

    /// The six sections of the form in order, as plain text items.
    static func sections(_ g: ProcessGraph) -> [(String, [String])] {
        let id = g.identity
        return [
            ("Dasar Hukum", id.legalBasis),
            ("Kualifikasi Pelaksana", id.qualifications),
            ("Keterkaitan", id.related.map { r in r.id.map { "\(r.name) (`\($0)`)" } ?? r.name }),
            ("Peralatan/Perlengkapan", id.equipment),
            ("Peringatan", id.warnings),
            ("Pencatatan dan Pendataan", id.records),
        ]
    }

    /// The six sections as escaped HTML items; related SOPs linked when the site gives links.
    static func sections(_ g: ProcessGraph, relatedHTML: [(name: String, href: String?)]?) -> [(title: String, itemsHTML: [String])] {
        let id = g.identity
        let related: [String] = id.related.enumerated().map { i, r in
            if let links = relatedHTML, i < links.count, let href = links[i].href {
                return "<a href=\"\(Escape.html(href))\">\(Escape.html(r.name))</a>"
            }
            return Escape.html(r.name)
        }
        return [
            ("Dasar Hukum", id.legalBasis.map(Escape.html)),
            ("Kualifikasi Pelaksana", id.qualifications.map(Escape.html)),
            ("Keterkaitan", related),
            ("Peralatan/Perlengkapan", id.equipment.map(Escape.html)),
            ("Peringatan", id.warnings.map(Escape.html)),
            ("Pencatatan dan Pendataan", id.records.map(Escape.html)),
        ]
    }

    static let css = """
    :root { --ink: #111; --line: #222; --muted: #666; }
    * { box-sizing: border-box; }
    html { background: #d9d9d9; }
    body { margin: 0; padding: 8mm 0; font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: var(--ink); font-size: 9.5pt; }
    .page { width: 277mm; margin: 0 auto 8mm; padding: 6mm; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
    .page-head { display: flex; justify-content: space-between; align-items: baseline; gap: 8mm; font-size: 8.5pt; color: #333; border-bottom: 0.3mm solid #999; padding-bottom: 1.5mm; margin-bottom: 3mm; }
    .page-head span:last-child { white-space: nowrap; }
    .draft { display: inline-block; padding: 0 1.5mm; border: 0.3mm solid #b00020; color: #b00020; font-weight: bold; border-radius: 1mm; }
    .draft-banner { margin: 0 0 3mm; padding: 2mm 3mm; border: 0.4mm dashed #b00020; color: #b00020; }
    .id-table { width: 100%; border-collapse: collapse; table-layout: fixed; }
    .id-table th, .id-table td { border: 0.3mm solid var(--line); padding: 1.4mm 2mm; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
    .id-table th { font-weight: bold; background: #f0f0f0; }
    .org-cell { text-align: center !important; vertical-align: middle !important; }
    .org-cell .gov { font-weight: bold; font-size: 11pt; margin-bottom: 1.5mm; }
    .org-cell .org { font-weight: bold; margin-bottom: 1mm; }
    .org-cell .act { margin-top: 2mm; font-size: 9pt; }
    .sign { display: block; height: 9mm; }
    .sec-head th { text-align: left; }
    .sec td { min-height: 12mm; }
    .sec ol { margin: 0; padding-left: 5mm; }
    .empty { color: var(--muted); }
    .source { font-size: 8pt; color: var(--muted); margin: 2mm 0 0; }
    .lost { margin: 12mm 6mm; padding: 6mm; border: 0.4mm dashed #b00020; color: #b00020; font-size: 11pt; }
    .flow svg { display: block; width: 100%; height: auto; }
    .site-nav { width: 277mm; margin: 0 auto 4mm; font-size: 10pt; }
    .site-nav a { color: #0645ad; }
    @page { size: A4 landscape; margin: 8mm; }
    @media print {
      html, body { background: #fff; padding: 0; }
      .page { width: auto; margin: 0; padding: 0; box-shadow: none; break-after: page; }
      .page:last-of-type { break-after: auto; }
      .site-nav { display: none; }
      body { font-size: 8pt; }
      .id-table th, .id-table td { padding: 0.7mm 1.5mm; }
      .org-cell .gov { font-size: 10pt; }
      .sign { height: 6mm; }
      .page-head { margin-bottom: 2mm; }
    }
    """
}
