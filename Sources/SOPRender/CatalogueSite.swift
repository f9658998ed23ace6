import SOPIR

/// The catalogue site: `index.html` (every SOP grouped by government and agency, searchable
/// in the page, drafts badged) and, per SOP, its sheet `<id>.html` (with links to its
/// drawings and related SOPs), `<id>.mmd`, `<id>.dot`, `<id>.md`, `<id>.bpmn` (BPMN 2.0,
/// neutral expressions) and, when Graphviz is available, `<id>.svg`. Self-contained: inline CSS and script, relative links, no network.
public struct CatalogueSite {
    /// One file of the site: a path relative to the site's folder, and its text.
    public struct File: Sendable, Equatable {
        public var path: String
        public var contents: String
    }

    public let graphs: [ProcessGraph]

    /// What the index links for trainers: the training manual and a guide per role (files
    /// the caller writes beside the site's own).
    public struct Training: Sendable, Equatable {
        /// The manual as PDF, when printed; as HTML (printable from the browser).
        public var manualPDF: String?
        public var manualHTML: String
        /// Each role's guide: its name, the page, how many SOPs it takes part in.
        public var roles: [Role]
        public struct Role: Sendable, Equatable {
            public var name: String
            public var href: String
            public var sops: Int
            public init(name: String, href: String, sops: Int) {
                self.name = name
                self.href = href
                self.sops = sops
            }
        }
        public init(manualPDF: String?, manualHTML: String, roles: [Role]) {
            self.manualPDF = manualPDF
            self.manualHTML = manualHTML
            self.roles = roles
        }
    }

    /// Links for trainers on the index; nil leaves the index as it was.
    public var training: Training?

    /// The graphs, in any order; the site lists them sorted.
    public init(graphs: [ProcessGraph], training: Training? = nil) {
        self.graphs = graphs.sorted { $0.id < $1.id }
        self.training = training
    }

    /// Every file of the site, sorted by path. `svg` turns a DOT drawing into SVG, or
    /// returns nil when it cannot (the site then has no SVG files).
    public func files(svg: ((String) -> String?)? = nil) -> [File] {
        var files: [File] = []
        let known = Set(graphs.map { Self.path(of: $0.id) })
        var hasSVG: [String: Bool] = [:]
        for graph in graphs {
            let base = Self.path(of: graph.id)
            let dot = DOTRenderer().render(graph)
            files.append(File(path: base + ".mmd", contents: MermaidRenderer().render(graph)))
            files.append(File(path: base + ".dot", contents: dot))
            files.append(File(path: base + ".md", contents: MarkdownRenderer().render(graph)))
            files.append(File(path: base + ".bpmn", contents: BPMNRenderer().render(graph)))
            if let svg, let drawn = svg(dot) {
                files.append(File(path: base + ".svg", contents: drawn))
                hasSVG[graph.id] = true
            }
        }
        for graph in graphs {
            let base = Self.path(of: graph.id)
            let up = Self.up(from: base)
            let name = String(base.split(separator: "/").last ?? "sop")
            var links: [(label: String, href: String)] = []
            if hasSVG[graph.id] == true { links.append(("Gambar SVG", name + ".svg")) }
            links += [("Mermaid", name + ".mmd"), ("Graphviz DOT", name + ".dot"), ("Markdown", name + ".md"), ("BPMN 2.0", name + ".bpmn")]
            let related: [(name: String, href: String?)] = graph.identity.related.map { r in
                guard let id = r.id, known.contains(Self.path(of: id)) else { return (r.name, nil) }
                return (r.name, up + Self.path(of: id) + ".html")
            }
            let navigation = SheetRenderer.Navigation(index: up + "index.html", files: links, related: related)
            files.append(File(path: base + ".html", contents: SheetRenderer(navigation: navigation).render(graph)))
        }
        files.append(File(path: "index.html", contents: index(hasSVG: hasSVG)))
        return files.sorted { $0.path < $1.path }
    }

    /// The site path of an id: its `/`-separated segments, each kept to letters, digits,
    /// `.`, `_` and `-` (others become `-`), never `.` or `..`.
    public static func path(of id: String) -> String {
        let segments = id.split(separator: "/").compactMap { segment -> String? in
            let cleaned = String(segment.map { c -> Character in
                c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "_" || c == "-") ? c : "-"
            })
            return cleaned == "." || cleaned == ".." || cleaned.isEmpty ? nil : cleaned
        }
        return segments.isEmpty ? "sop" : segments.joined(separator: "/")
    }

    /// "../../" from a file at `path` back to the site's root.
    static func up(from path: String) -> String {
        String(repeating: "../", count: path.split(separator: "/").count - 1)
    }

    func index(hasSVG: [String: Bool]) -> String {
        var w = LineWriter(indentUnit: "  ")
        let drafts = graphs.filter(\.isDraft).count
        w.writeLine("<!DOCTYPE html>")
        w.writeLine("<html lang=\"id\">")
        w.writeLine("<head>")
        w.writeLine("<meta charset=\"utf-8\">")
        w.writeLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        w.writeLine("<title>Katalog SOP</title>")
        w.writeLine("<link rel=\"icon\" href=\"data:,\">")
        w.writeLine("<style>")
        for line in Self.css.split(separator: "\n") { w.writeLine(String(line)) }
        w.writeLine("</style>")
        w.writeLine("</head>")
        w.writeLine("<body>")
        w.writeLine("<header>")
        w.writeLine("<h1>Katalog SOP</h1>")
        w.writeLine("<p>\(graphs.count) SOP, \(drafts) di antaranya draf. Setiap SOP: lembar resmi (Permenpan RB 35/2012, siap cetak A4 lanskap), diagram alir (SVG, Mermaid, Graphviz DOT) dan dokumen Markdown.</p>")
        w.writeLine("<label for=\"q\">Cari SOP</label>")
        w.writeLine("<input id=\"q\" type=\"search\" placeholder=\"nama, nomor, perangkat daerah…\" autocomplete=\"off\">")
        w.writeLine("<p id=\"count\" aria-live=\"polite\">\(graphs.count) SOP ditampilkan</p>")
        w.writeLine("</header>")
        if let training { writeTraining(training, &w) }
        w.writeLine("<main>")
        let byGovernment = Dictionary(grouping: graphs) { $0.identity.government ?? "Pemerintah daerah tidak disebut" }
        for government in byGovernment.keys.sorted() {
            w.writeLine("<section class=\"gov\">")
            w.writeLine("<h2>\(Escape.html(government))</h2>")
            let byAgency = Dictionary(grouping: byGovernment[government]!) { $0.identity.agency ?? "Perangkat daerah tidak disebut" }
            for agency in byAgency.keys.sorted() {
                w.writeLine("<div class=\"agency\">")
                w.writeLine("<h3>\(Escape.html(agency))</h3>")
                w.writeLine("<table>")
                w.writeLine("<thead><tr><th>Nomor SOP</th><th>Nama SOP</th><th class=\"n\">Langkah</th><th>Gambar</th><th>SOP terkait</th></tr></thead>")
                w.writeLine("<tbody>")
                let sops = byAgency[agency]!.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
                for graph in sops { w.writeLine(row(graph, hasSVG: hasSVG[graph.id] == true)) }
                w.writeLine("</tbody>")
                w.writeLine("</table>")
                w.writeLine("</div>")
            }
            w.writeLine("</section>")
        }
        w.writeLine("<p id=\"none\" hidden>Tidak ada SOP yang cocok.</p>")
        w.writeLine("</main>")
        w.writeLine("<script>")
        for line in Self.script.split(separator: "\n") { w.writeLine(String(line)) }
        w.writeLine("</script>")
        w.writeLine("</body>")
        w.writeLine("</html>")
        return w.text
    }

    func writeTraining(_ t: Training, _ w: inout LineWriter) {
        w.writeLine("<section id=\"pelatihan\" class=\"training\">")
        w.writeLine("<h2>Untuk pelatih</h2>")
        var manual = "<p><b>Manual pelatihan</b> (sampul, daftar isi, lembar SOP, diagram alir, latihan yang diperiksa pada runtime, panduan per peran): "
        if let pdf = t.manualPDF { manual += "<a href=\"\(Escape.html(pdf))\">PDF</a> · " }
        manual += "<a href=\"\(Escape.html(t.manualHTML))\">HTML siap cetak</a></p>"
        w.writeLine(manual)
        if !t.roles.isEmpty {
            w.writeLine("<details><summary>Panduan per peran (\(t.roles.count)): SOP dan langkah setiap pelaksana, dengan waktunya</summary>")
            w.writeLine("<ul class=\"roles\">")
            for r in t.roles { w.writeLine("<li><a href=\"\(Escape.html(r.href))\">\(Escape.html(r.name))</a> <span class=\"muted\">(\(r.sops) SOP)</span></li>") }
            w.writeLine("</ul>")
            w.writeLine("</details>")
        }
        w.writeLine("</section>")
    }

    func row(_ graph: ProcessGraph, hasSVG: Bool) -> String {
        let base = Self.path(of: graph.id)
        let steps = graph.nodes.filter(\.isStep).count
        let search = [graph.name, graph.identity.number ?? "", graph.identity.agency ?? "", graph.identity.government ?? "",
                      graph.identity.unit ?? "", graph.id, graph.isDraft ? "draf draft" : ""].joined(separator: " ").lowercased()
        var name = "<a href=\"\(Escape.html(base)).html\">\(Escape.html(graph.name))</a>"
        if graph.isDraft { name += " <span class=\"badge\">DRAF</span>" }
        name += "<br><code>\(Escape.html(graph.id))</code>"
        var drawings: [String] = []
        if hasSVG { drawings.append("<a href=\"\(Escape.html(base)).svg\">SVG</a>") }
        drawings += [("Mermaid", "mmd"), ("DOT", "dot"), ("Markdown", "md"), ("BPMN", "bpmn")].map { "<a href=\"\(Escape.html(base)).\($0.1)\">\($0.0)</a>" }
        let known = Set(graphs.map { Self.path(of: $0.id) })
        let related = graph.identity.related.map { r -> String in
            if let id = r.id, known.contains(Self.path(of: id)) {
                return "<a href=\"\(Escape.html(Self.path(of: id))).html\">\(Escape.html(r.name))</a>"
            }
            return Escape.html(r.name)
        }
        let relatedCell = related.isEmpty ? "<span class=\"muted\">—</span>" : related.joined(separator: "<br>")
        return "<tr data-search=\"\(Escape.html(search))\"><td>\(Escape.html(graph.identity.number ?? "—"))</td><td>\(name)</td><td class=\"n\">\(steps)</td><td>\(drawings.joined(separator: " · "))</td><td class=\"rel\">\(relatedCell)</td></tr>"
    }

    static let css = """
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 1200px; padding: 16px 20px 40px; font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #111; font-size: 14px; }
    h1 { margin: 0 0 6px; font-size: 24px; }
    h2 { margin: 28px 0 6px; font-size: 19px; border-bottom: 2px solid #333; padding-bottom: 3px; }
    h3 { margin: 16px 0 6px; font-size: 15px; color: #333; }
    label { font-weight: bold; margin-right: 8px; }
    input[type=search] { width: min(520px, 100%); padding: 6px 8px; font-size: 15px; border: 1px solid #888; border-radius: 4px; }
    table { width: 100%; border-collapse: collapse; table-layout: fixed; }
    th, td { border: 1px solid #bbb; padding: 5px 7px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
    th { background: #f0f0f0; }
    th:nth-child(1) { width: 16%; } th:nth-child(2) { width: 40%; } th:nth-child(3) { width: 7%; } th:nth-child(4) { width: 17%; }
    .n { text-align: right; }
    code { font-size: 11.5px; color: #555; }
    a { color: #0645ad; }
    .badge { display: inline-block; padding: 0 5px; border: 1px solid #b00020; color: #b00020; border-radius: 3px; font-size: 11px; font-weight: bold; }
    .muted { color: #888; }
    .rel { font-size: 12.5px; }
    #count { color: #555; margin: 6px 0 0; }
    .training { margin: 18px 0 0; padding: 8px 12px; border: 1px solid #bbb; border-radius: 4px; background: #f7f9fc; }
    .training h2 { margin: 0 0 6px; border: none; font-size: 17px; }
    .training p { margin: 4px 0; }
    .roles { columns: 3 220px; margin: 6px 0 0; padding-left: 18px; }
    """

    /// Filters rows by every word typed (or given as `index.html?q=…`), hides empty groups,
    /// and counts what is shown.
    static let script = """
    (function () {
      var input = document.getElementById('q');
      var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-search]'));
      function update() {
        var words = input.value.toLowerCase().split(/\\s+/).filter(function (w) { return w.length > 0; });
        var shown = 0;
        rows.forEach(function (row) {
          var text = row.getAttribute('data-search');
          var match = words.every(function (w) { return text.indexOf(w) >= 0; });
          row.hidden = !match;
          if (match) { shown += 1; }
        });
        document.querySelectorAll('.agency, .gov').forEach(function (group) {
          group.hidden = group.querySelectorAll('tr[data-search]:not([hidden])').length === 0;
        });
        document.getElementById('count').textContent = shown + ' SOP ditampilkan';
        document.getElementById('none').hidden = shown > 0;
      }
      input.addEventListener('input', update);
      var query = new URLSearchParams(window.location.search).get('q');
      if (query) { input.value = query; }
      update();
    })();
    """
}
