import Foundation
import SOPAnalysis
import SOPDiagnostics
import SOPIR
import SOPRender

/// The training manual of a catalogue (or of the SOPs a role takes part in) as one HTML
/// document made to be printed to PDF by headless Chromium: a cover, a table of contents
/// with page numbers, then per SOP its official sheet (A4 landscape, as `sop render --format
/// html` draws it), its flowchart (the Graphviz drawing) and its training paths as exercises
/// with the expected course of events, each run on the runtime first; then a guide per role
/// (every actor name of the catalogue): the SOPs and steps it performs, with their *Waktu*.
///
/// Pagination: every printed page is a fixed-size box (`.mpage`, A4 portrait, or landscape
/// for sheets and flowcharts). Sheets and flowcharts have their pages already; the flowing
/// parts (contents, exercises, guides) are laid into boxes by a small script in the page,
/// which moves a block to a new box when it would overflow (the browser measures its own
/// text), then numbers the boxes and fills the page numbers of the table of contents. So a
/// box is a printed page, and the contents' numbers are the PDF's page numbers.
public struct TrainingManual {
    public let graphs: [ProcessGraph]
    public let language: Language
    /// The role the manual is for (its guide and the SOPs it takes part in), or nil for all.
    public let role: Role?
    /// DOT → SVG (Graphviz); nil or a nil result leaves a note instead of the drawing.
    public var svg: ((String) -> String?)?

    /// A role: every actor of the catalogue with the same name (letter case and spacing aside).
    public struct Role: Sendable, Hashable {
        /// The name as most SOPs write it.
        public var name: String
        public var key: String
        /// Per SOP id, the actor indices of the role.
        public var actors: [String: [Int]]
    }

    /// A training path that failed on the runtime (the manual marks it).
    public struct Failure: Sendable, Hashable {
        public var sop: String
        public var path: Int
        public var reason: String
    }

    public init(graphs: [ProcessGraph], language: Language, role: Role? = nil) {
        let sorted = graphs.sorted { $0.id < $1.id }
        self.graphs = role.map { r in sorted.filter { r.actors[$0.id] != nil } } ?? sorted
        self.language = language
        self.role = role
    }

    func t(_ en: String, _ id: String) -> String { language == .id ? id : en }

    // MARK: Roles

    /// Every role of the catalogue, by name.
    public static func roles(_ graphs: [ProcessGraph]) -> [Role] {
        var spellings: [String: [String: Int]] = [:]
        var actors: [String: [String: [Int]]] = [:]
        for g in graphs.sorted(by: { $0.id < $1.id }) {
            for a in g.actors where !a.name.trimmingCharacters(in: .whitespaces).isEmpty {
                let key = roleKey(a.name)
                spellings[key, default: [:]][a.name, default: 0] += 1
                actors[key, default: [:]][g.id, default: []].append(a.index)
            }
        }
        return actors.keys.map { key in
            // The most frequent spelling; among equals, one not in capitals, then the first.
            let names = spellings[key]!.sorted { a, b in
                if a.value != b.value { return a.value > b.value }
                let ca = a.key == a.key.uppercased(), cb = b.key == b.key.uppercased()
                if ca != cb { return !ca }
                return a.key < b.key
            }
            return Role(name: names[0].key, key: key, actors: actors[key]!)
        }.sorted { ($0.name.lowercased(), $0.key) < ($1.name.lowercased(), $1.key) }
    }

    /// "Call  Taker" and "CALL TAKER" are one role: lower case, single spaces, no space
    /// around a slash.
    public static func roleKey(_ name: String) -> String {
        let words = name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return words.replacingOccurrences(of: " / ", with: "/").replacingOccurrences(of: "/ ", with: "/").replacingOccurrences(of: " /", with: "/")
    }

    /// The role `query` names (its name in any case, or an actor key of the catalogue).
    public static func findRole(_ query: String, in graphs: [ProcessGraph]) -> Role? {
        let all = roles(graphs)
        let key = roleKey(query)
        if let r = all.first(where: { $0.key == key }) { return r }
        // An actor key (`call-taker`) names the role of that actor.
        for g in graphs.sorted(by: { $0.id < $1.id }) {
            if let a = g.actors.first(where: { $0.key.lowercased() == query.lowercased() }) {
                return all.first { $0.key == roleKey(a.name) }
            }
        }
        return nil
    }

    // MARK: The document

    /// The manual's HTML, and the training paths that failed on the runtime.
    public func html() -> (html: String, failures: [Failure]) {
        var body: [String] = []
        var toc: [String] = []
        var failures: [Failure] = []
        let roles = role.map { [$0] } ?? Self.roles(graphs)
        let title = role.map { t("Role guide and SOPs: \($0.name)", "Panduan peran dan SOP: \($0.name)") } ?? t("SOP training manual", "Manual pelatihan SOP")

        // Cover.
        let governments = Array(Set(graphs.compactMap(\.identity.government))).sorted()
        let agencies = Array(Set(graphs.compactMap(\.identity.agency))).sorted()
        var cover = "<section class=\"mpage portrait cover\"><div class=\"content\">"
        cover += "<p class=\"kicker\">\(e(t("Standard Operating Procedures", "Standar Operasional Prosedur")))</p>"
        cover += "<h1>\(e(title))</h1>"
        let subtitle = role == nil
            ? t("Official sheets, flowcharts, exercises checked on the runtime, and a guide for each role", "Lembar resmi, diagram alir, latihan yang diperiksa pada runtime, dan panduan untuk setiap peran")
            : t("The role's guide, then the official sheet, flowchart and exercises of every SOP it takes part in", "Panduan peran, lalu lembar resmi, diagram alir dan latihan setiap SOP yang diikutinya")
        cover += "<p class=\"sub\">\(e(subtitle))</p>"
        cover += "<table class=\"facts\">"
        cover += "<tr><th>\(e(t("SOPs", "Jumlah SOP")))</th><td>\(graphs.count)" + (graphs.contains(where: \.isDraft) ? " (\(graphs.filter(\.isDraft).count) \(e(t("drafts", "draf"))))" : "") + "</td></tr>"
        if role == nil { cover += "<tr><th>\(e(t("Roles", "Peran")))</th><td>\(roles.count)</td></tr>" }
        cover += "<tr><th>\(e(t("Governments", "Pemerintah daerah")))</th><td>\(governments.map(e).joined(separator: "<br>"))</td></tr>"
        cover += "<tr><th>\(e(t("Agencies", "Perangkat daerah")))</th><td>\(agencies.map(e).joined(separator: "<br>"))</td></tr>"
        cover += "</table>"
        cover += "<p class=\"how\">\(code(t("Each exercise is a training path of its SOP: `sop paths FILE --scenarios DIR` writes it as a scenario that `sop run FILE --script` replays.", "Setiap latihan adalah jalur pelatihan SOP-nya: `sop paths BERKAS --scenarios FOLDER` menuliskannya sebagai skenario yang diputar ulang oleh `sop run BERKAS --script`.")))</p>"
        cover += "</div></section>"
        body.append(cover)

        // Contents (filled below, laid out by the script).
        var sections: [String] = []
        for (i, g) in graphs.enumerated() {
            let anchor = "sop-\(i + 1)"
            let name = g.name + (g.isDraft ? " (\(t("draft", "draf")))" : "")
            toc.append(tocLine(name, target: anchor + "-sheet", level: 1, number: "\(i + 1)."))
            toc.append(tocLine(t("Official sheet", "Lembar SOP"), target: anchor + "-sheet", level: 2))
            toc.append(tocLine(t("Flowchart", "Diagram alir"), target: anchor + "-flow", level: 2))
            toc.append(tocLine(t("Exercises", "Latihan"), target: anchor + "-ex", level: 2))
            // Sheet.
            for (p, page) in SheetRenderer().pages(g).enumerated() {
                sections.append("<section class=\"mpage landscape sheet\"\(p == 0 ? " id=\"\(anchor)-sheet\"" : "")><div class=\"content\">\(page)</div></section>")
            }
            // Flowchart.
            var flow = "<section class=\"mpage landscape flowchart\" id=\"\(anchor)-flow\"><div class=\"content\">"
            flow += "<h2>\(e(g.name)) — \(e(t("flowchart", "diagram alir")))</h2>"
            if let svg, let drawn = svg(DOTRenderer().render(g)) {
                let alt = e(t("Flowchart of ", "Diagram alir ") + g.name)
                let data = Data(drawn.utf8).base64EncodedString()
                flow += "<div class=\"drawing\"><img alt=\"\(alt)\" src=\"data:image/svg+xml;base64,\(data)\"></div>"
            } else {
                flow += "<p class=\"note\">\(e(t("Graphviz `dot` is not installed: the drawing is left out (the sheet's table above is also a flowchart).", "Graphviz `dot` belum terpasang: gambar tidak disertakan (tabel pada lembar SOP juga diagram alir).")))</p>"
            }
            flow += "</div></section>"
            sections.append(flow)
            // Exercises.
            let (exercises, failed) = exerciseFlow(g, anchor: anchor + "-ex")
            sections.append(exercises)
            failures += failed
        }
        var guideLines = [tocLine(t("Role guides", "Panduan per peran"), target: "roles", level: 1, number: "")]
        var guides: [String] = []
        for (i, r) in roles.enumerated() {
            guideLines.append(tocLine(r.name, target: "role-\(i + 1)", level: 2))
            guides.append(roleFlow(r, anchor: "role-\(i + 1)", first: i == 0))
        }
        toc = role != nil ? guideLines + toc : toc + guideLines
        body.append("<div class=\"mflow\" data-page=\"portrait\" data-title=\"\(e(t("Contents", "Daftar isi")))\"><h1 class=\"blk\">\(e(t("Contents", "Daftar isi")))</h1>\(toc.joined())</div>")
        // A role's own manual opens with its guide; the catalogue's ends with the guides.
        if role != nil {
            body += guides
            body += sections
        } else {
            body += sections
            body += guides
        }

        var out = "<!DOCTYPE html>\n<html lang=\"\(language == .id ? "id" : "en")\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<title>\(e(title))</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>\n"
        out += SheetRenderer.embeddedCSS(scope: ".sheet .content") + "\n" + Self.css + "\n</style>\n</head>\n<body>\n"
        out += body.joined(separator: "\n")
        out += "\n<script>\n" + script + "\n</script>\n</body>\n</html>\n"
        return (out, failures)
    }

    func tocLine(_ text: String, target: String, level: Int, number: String? = nil) -> String {
        let label = (number.map { $0.isEmpty ? "" : $0 + " " } ?? "") + text
        return "<div class=\"blk toc l\(level)\"><span class=\"t\">\(e(label))</span><span class=\"dots\"></span><span class=\"n\" data-toc=\"\(target)\">000</span></div>"
    }

    /// The exercises of one SOP: its covering paths, each run on the runtime.
    func exerciseFlow(_ g: ProcessGraph, anchor: String) -> (String, [Failure]) {
        let report = PathReport(graph: g, mode: .cover)
        let n = PathNarrative(graph: g, language: language)
        var writer = ScenarioWriter(graph: g, sopPath: g.id, language: language)
        let byID = Dictionary(graphs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        writer.resolveSOP = { byID[$0] }
        var blocks: [String] = []
        var failures: [Failure] = []
        let heading = t("Exercises", "Latihan") + ": " + g.name
        blocks.append("<h2 class=\"blk keep\" id=\"\(anchor)\">\(e(heading))</h2>")
        var intro = t("\(report.paths.count) exercise\(report.paths.count == 1 ? "" : "s") that together take every step, branch, timer and end of the SOP.",
                      "\(report.paths.count) latihan yang bersama-sama menempuh setiap langkah, cabang, batas waktu dan akhir SOP ini.")
        if g.isDraft { intro += " " + t("The SOP is a draft: the exercises follow what is known of it.", "SOP ini masih draf: latihan mengikuti apa yang diketahui darinya.") }
        blocks.append("<p class=\"blk intro\">\(e(intro))</p>")
        for (i, path) in report.paths.enumerated() {
            let verdict = writer.verify(path)
            if let verdict { failures.append(Failure(sop: g.id, path: i + 1, reason: verdict)) }
            blocks.append("<h3 class=\"blk keep\">\(e(t("Exercise", "Latihan"))) \(i + 1) — \(e(t("ends", "berakhir"))): \(e(n.outcomeName(path)))</h3>")
            let situation = situationText(path, g, n)
            blocks.append("<p class=\"blk keep situ\"><b>\(e(t("Situation", "Situasi"))):</b> \(e(situation))<br><b>\(e(t("Question", "Pertanyaan"))):</b> \(e(t("who does what, in which order, within which time, and how does the case end?", "siapa melakukan apa, dalam urutan apa, dalam waktu berapa lama, dan bagaimana kasus berakhir?")))</p>")
            blocks.append("<p class=\"blk keep expect\"><b>\(e(t("Expected course of events", "Jalannya yang diharapkan"))):</b></p>")
            for (k, line) in n.lines(path).enumerated() {
                blocks.append("<div class=\"blk step\"><span class=\"k\">\(k + 1).</span><span class=\"s\"><b>\(e(line.title))</b> · \(e(n.sentence(line)))</span></div>")
            }
            let check: String
            if let verdict {
                check = "✗ " + t("fails on the runtime: ", "gagal pada runtime: ") + verdict
            } else if let call = writer.callStop(path) {
                check = "✓ " + t("checked on the runtime up to step \(call), which starts the called SOP as a case of its own (scenario \(writer.fileName(i + 1)))",
                                 "diperiksa pada runtime sampai langkah \(call), yang memulai SOP yang dipanggil sebagai kasusnya sendiri (skenario \(writer.fileName(i + 1)))")
            } else {
                check = "✓ " + t("checked on the runtime: the case completes at this end (scenario \(writer.fileName(i + 1)))", "diperiksa pada runtime: kasus selesai pada akhir ini (skenario \(writer.fileName(i + 1)))")
            }
            blocks.append("<p class=\"blk end\"><b>\(e(t("Ends", "Berakhir"))):</b> \(e(n.outcomeName(path))) · <b>\(e(t("Time", "Waktu"))):</b> \(e(n.duration(report.durations[i])))<br><span class=\"\(verdict == nil ? "ok" : "bad")\">\(e(check))</span></p>")
        }
        return ("<div class=\"mflow\" data-page=\"portrait\" data-title=\"\(e(heading))\">\(blocks.joined())</div>", failures)
    }

    /// "Sesuai kewenangan instansi? ya; Pejabat Penghubung tidak selesai dalam 60 hari kerja."
    func situationText(_ path: TrainingPath, _ g: ProcessGraph, _ n: PathNarrative) -> String {
        var parts: [String] = []
        for line in n.lines(path) where line.choice != nil {
            if line.isTimer {
                let who = line.actor ?? t("the actor", "pelaksana")
                parts.append(line.afterResponse
                    ? t("\(line.title): after a response, no answer within \(line.choice!)", "\(line.title): setelah ditanggapi, tidak ada tanggapan lagi dalam \(line.choice!)")
                    : t("\(who) does not finish \(line.title.lowercased()) within \(line.choice!)", "\(who) tidak menyelesaikan \(line.title.lowercased()) dalam \(line.choice!)"))
            } else if line.isCondition {
                parts.append("\(line.title) (\(line.action)): \(line.choice!)")
            } else {
                parts.append((line.question ?? t("\(line.title), decision", "\(line.title), keputusan")) + " " + line.choice!)
            }
        }
        if parts.isEmpty { return t("a case that goes through every step in order, with no decision to take.", "kasus yang melewati setiap langkah berurutan, tanpa keputusan yang harus diambil.") }
        return parts.joined(separator: "; ") + "."
    }

    /// The guide of one role: per SOP, the steps it performs, with their *Waktu*.
    func roleFlow(_ r: Role, anchor: String, first: Bool) -> String {
        var blocks: [String] = []
        let sops = graphs.filter { r.actors[$0.id] != nil }
        let steps = sops.reduce(0) { sum, g in sum + g.nodes.filter { $0.isActivity && !Set($0.allActors).isDisjoint(with: r.actors[g.id]!) }.count }
        blocks.append("<h1 class=\"blk keep\" id=\"\(anchor)\"\(first ? " data-also=\"roles\"" : "")>\(e(t("Role guide", "Panduan peran"))): \(e(r.name))</h1>")
        blocks.append("<p class=\"blk intro\">\(e(t("Takes part in \(sops.count) SOP\(sops.count == 1 ? "" : "s") and performs \(steps) step\(steps == 1 ? "" : "s") (decisions and conditions included).", "Terlibat dalam \(sops.count) SOP dan melakukan \(steps) langkah (termasuk keputusan dan syarat).")))</p>")
        for g in sops {
            let mine = Set(r.actors[g.id]!)
            let n = PathNarrative(graph: g, language: language)
            blocks.append("<h3 class=\"blk keep\">\(e(g.name))" + (g.identity.number.map { " <span class=\"num\">\(e($0))</span>" } ?? "") + "</h3>")
            let nodes = g.nodes.filter { $0.isActivity && !Set($0.allActors).isDisjoint(with: mine) }
            if nodes.isEmpty {
                blocks.append("<p class=\"blk muted\">\(e(t("Named as an actor; no step of the table is this role's.", "Disebut sebagai pelaksana; tidak ada langkah tabel yang menjadi tugas peran ini.")))</p>")
                continue
            }
            for node in nodes {
                let title = n.title(node)
                var meta: [String] = []
                meta.append(t("Time", "Waktu") + ": " + (node.duration?.text ?? "—"))
                let others = node.allActors.filter { !mine.contains($0) }.map { g.actors[$0].name }
                if !others.isEmpty { meta.append(t("or ", "atau ") + others.joined(separator: t(" or ", " atau "))) }
                if !node.requires.isEmpty { meta.append(t("Needs", "Memerlukan") + ": " + node.requires.map { g.documents[$0].name }.joined(separator: "; ")) }
                if !node.produces.isEmpty { meta.append(t("Produces", "Menghasilkan") + ": " + node.produces.map { g.documents[$0].name }.joined(separator: "; ")) }
                let branches = g.edges.filter { $0.from == node.id && $0.kind == .branch }.map { b -> String in
                    let to = g.nodes[b.to]
                    let target = to.kind == .end ? (to.key == nil ? t("end", "selesai") : to.label) : t("step ", "langkah ") + (to.conditionOf.map { (g.nodes[$0].number ?? "") + "?" } ?? to.number ?? to.key ?? "")
                    return "\(b.label ?? "") → \(target)"
                }
                if !branches.isEmpty { meta.append((node.question.map { $0 + " " } ?? "") + branches.joined(separator: ", ")) }
                for timer in g.timers where timer.node == node.id {
                    meta.append(t("Time limit", "Batas waktu") + ": " + timer.after.text + (timer.since == .lastResponse ? t(" after the last response", " sejak tanggapan terakhir") : "") + (timer.label.map { " — " + $0 } ?? ""))
                }
                let action = node.conditionOf != nil ? (node.question ?? node.label) : node.label
                blocks.append("<div class=\"blk rstep\"><b>\(e(title))</b> · \(e(action))<div class=\"meta\">\(meta.map(e).joined(separator: " · "))</div></div>")
            }
        }
        return "<div class=\"mflow\" data-page=\"portrait\" data-title=\"\(e(t("Role guide", "Panduan peran"))): \(e(r.name))\">\(blocks.joined())</div>"
    }

    /// Escaped, with `…` spans set as code.
    func code(_ s: String) -> String {
        e(s).split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset % 2 == 1 ? "<code>\($0.element)</code>" : String($0.element) }.joined()
    }

    func e(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static let css = """
    @page { size: A4 portrait; margin: 0; }
    @page landscape { size: A4 landscape; margin: 0; }
    html, body { margin: 0; padding: 0; background: #fff; }
    body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #111; font-size: 10.5pt; line-height: 1.35; }
    .mpage { position: relative; overflow: hidden; break-after: page; box-sizing: border-box; }
    .mpage.portrait { width: 210mm; height: 296.5mm; padding: 16mm 17mm 0; }
    .mpage.landscape { page: landscape; width: 297mm; height: 209.5mm; padding: 8mm 8mm 0; }
    .mpage.portrait > .content { height: 258mm; overflow: hidden; }
    .mpage.landscape > .content { height: 193mm; overflow: hidden; }
    .foot { position: absolute; left: 17mm; right: 17mm; bottom: 9mm; font-size: 8.5pt; color: #555; display: flex; justify-content: space-between; border-top: 0.3mm solid #bbb; padding-top: 1.5mm; }
    .mpage.landscape .foot { left: 8mm; right: 8mm; bottom: 2mm; border-top: none; padding-top: 0; }
    .cover .content { display: flex; flex-direction: column; justify-content: center; }
    .cover .kicker { font-size: 13pt; letter-spacing: 0.08em; text-transform: uppercase; color: #555; margin: 0 0 4mm; }
    .cover h1 { font-size: 30pt; line-height: 1.15; margin: 0 0 6mm; border-bottom: 1.2mm solid #1f3b63; padding-bottom: 5mm; }
    .cover .sub { font-size: 13pt; color: #333; margin: 0 0 12mm; }
    .facts { border-collapse: collapse; font-size: 11pt; margin-bottom: 12mm; }
    .facts th { text-align: left; padding: 2mm 8mm 2mm 0; vertical-align: top; color: #444; font-weight: normal; white-space: nowrap; }
    .facts td { padding: 2mm 0; }
    .how { font-size: 10pt; color: #444; }
    h1 { font-size: 18pt; margin: 0 0 5mm; }
    h2 { font-size: 14pt; margin: 0 0 3mm; color: #1f3b63; }
    h3 { font-size: 11.5pt; margin: 5mm 0 1.5mm; }
    .num { font-weight: normal; color: #555; font-size: 9.5pt; }
    .cont { font-size: 9pt; color: #666; margin-bottom: 3mm; }
    .toc { display: flex; align-items: flex-end; gap: 2mm; margin: 0; }
    .toc .dots { margin-bottom: 1.2mm; }
    .toc.l1 { font-weight: bold; margin-top: 2.2mm; }
    .toc.l2 { padding-left: 7mm; font-size: 9.5pt; color: #333; }
    .toc .t { max-width: 150mm; }
    .toc .dots { flex: 1; border-bottom: 0.3mm dotted #888; min-width: 8mm; }
    .toc .n { min-width: 9mm; text-align: right; }
    .intro { color: #333; margin: 0 0 2mm; }
    .situ { margin: 1mm 0; }
    .expect { margin: 2mm 0 1mm; }
    .step { display: flex; gap: 2mm; margin: 0 0 1mm 2mm; font-size: 9.8pt; }
    .step .k { min-width: 6mm; text-align: right; color: #555; }
    .end { margin: 2mm 0 3mm; padding: 2mm 3mm; background: #f1f4f8; border-left: 1mm solid #1f3b63; }
    .ok { color: #1b5e20; font-size: 9pt; }
    .bad { color: #b00020; font-weight: bold; }
    .rstep { margin: 0 0 2mm; font-size: 9.8pt; }
    .rstep .meta { color: #444; font-size: 9pt; margin-left: 4mm; }
    .muted { color: #777; }
    .note { color: #b00020; }
    .flowchart h2 { margin-bottom: 2mm; }
    .flowchart .drawing { height: 180mm; display: flex; align-items: center; justify-content: center; }
    .flowchart .drawing img { max-width: 100%; max-height: 100%; }
    .sheet .content .page { break-after: auto !important; }
    @media screen {
      html, body { background: #d9d9d9; }
      .mpage { margin: 0 auto 6mm; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
    }
    """

    /// Lays the flowing parts into page boxes, numbers every box, fills the contents.
    var script: String {
        let continued = t(" (continued)", " (lanjutan)")
        let footer = role.map { t("Role guide: \($0.name)", "Panduan peran: \($0.name)") } ?? t("SOP training manual", "Manual pelatihan SOP")
        let pageWord = t("page", "halaman"), ofWord = t("of", "dari")
        return """
        (function () {
          function box(kind) {
            var page = document.createElement('section');
            page.className = 'mpage ' + kind;
            var content = document.createElement('div');
            content.className = 'content';
            page.appendChild(content);
            return page;
          }
          function overflows(c) { return c.scrollHeight > c.clientHeight + 1; }
          Array.prototype.slice.call(document.querySelectorAll('.mflow')).forEach(function (flow) {
            var kind = flow.getAttribute('data-page') || 'portrait';
            var title = flow.getAttribute('data-title') || '';
            var blocks = Array.prototype.slice.call(flow.children);
            var page = box(kind), content = page.firstChild, count = 0;
            flow.parentNode.insertBefore(page, flow);
            blocks.forEach(function (b) {
              content.appendChild(b);
              count += 1;
              if (overflows(content) && count > 1) {
                content.removeChild(b);
                // Headings and lead-ins go with what follows them.
                var carry = [b];
                while (content.lastChild && content.lastChild.classList && content.lastChild.classList.contains('keep') && content.children.length > 1) {
                  carry.unshift(content.lastChild);
                  content.removeChild(content.lastChild);
                }
                var next = box(kind);
                flow.parentNode.insertBefore(next, flow);
                page = next; content = page.firstChild; count = 0;
                if (title) {
                  var head = document.createElement('div');
                  head.className = 'cont';
                  head.textContent = title + \(jsString(continued));
                  content.appendChild(head);
                }
                carry.forEach(function (c) { content.appendChild(c); count += 1; });
              }
            });
            flow.parentNode.removeChild(flow);
          });
          var pages = Array.prototype.slice.call(document.querySelectorAll('.mpage'));
          pages.forEach(function (page, i) {
            if (i === 0) { return; }
            var foot = document.createElement('div');
            foot.className = 'foot';
            var left = document.createElement('span');
            left.textContent = \(jsString(footer));
            var right = document.createElement('span');
            right.textContent = \(jsString(pageWord)) + ' ' + (i + 1) + ' ' + \(jsString(ofWord)) + ' ' + pages.length;
            foot.appendChild(left);
            foot.appendChild(right);
            page.appendChild(foot);
          });
          document.querySelectorAll('[data-toc]').forEach(function (n) {
            var id = n.getAttribute('data-toc');
            var target = document.getElementById(id) || document.querySelector('[data-also="' + id + '"]');
            var page = target ? target.closest('.mpage') : null;
            n.textContent = page ? String(pages.indexOf(page) + 1) : '?';
          });
          document.documentElement.setAttribute('data-pages', String(pages.length));
        })();
        """
    }

    func jsString(_ s: String) -> String {
        var out = "'"
        for c in s.unicodeScalars {
            switch c {
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "<": out += "\\u003c"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "'"
    }
}
