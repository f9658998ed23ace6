import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRender
import SOPRuntime
import SOPTraining
import SOPWorkspace

/// `sop catalog DIR -o SITE`: the catalogue site of every SOP under the folders: an index
/// grouped by government and agency, and per SOP its sheet and drawings. Exit status: 0
/// written, 1 some SOP has errors (printed as `sop check` prints them), 2 unreadable input
/// or unwritable output.
struct Catalog: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the catalogue site: an index of every SOP, each SOP's sheet and drawings.")

    @Argument(help: "Folders or files (default: sops).")
    var paths: [String] = []

    @Option(name: .shortAndLong, help: "The site's folder.")
    var output: String = "site"

    @Option(name: .long, help: "Message language: en or id (default from LANG).")
    var lang: String?

    @Flag(name: .long, help: "Also print the training manual to manual.pdf with headless Chromium.")
    var pdf = false

    /// Says which SOPs Graphviz could not draw (failed, or over `Graphviz.buildTimeout`).
    static func noteUndrawn(_ ids: [String], language: Language) {
        guard !ids.isEmpty else { return }
        printError(Message(
            en: "note: Graphviz could not draw \(ids.joined(separator: ", ")) within \(Int(Graphviz.buildTimeout)) s; the sheet is shown without that drawing.",
            id: "catatan: Graphviz tidak dapat menggambar \(ids.joined(separator: ", ")) dalam \(Int(Graphviz.buildTimeout)) detik; lembarnya ditampilkan tanpa gambar itu.").text(language) + "\n")
    }

    func run() throws {
        let language = try parseLanguage(lang)
        let (files, result) = try checkCatalog(paths)
        let diagnostics = result.diagnostics.sorted
        guard result.outputs.allSatisfy({ $0.graph != nil }), !diagnostics.contains(where: { $0.severity == .error }) else {
            printError(Check.report(diagnostics.filter { $0.severity == .error }, files: files.count, sources: result.sources,
                                    format: .human, language: language, color: terminalWantsColor(STDERR_FILENO)))
            throw ExitCode(1)
        }
        let graphs = result.outputs.compactMap(\.graph)
        let svg: ((String) -> String?)?
        if Graphviz.isAvailable {
            // One `dot` process per SOP, as many at a time as there are cores.
            let drawings = graphs.map { DOTRenderer().render($0) }
            let results = Workspace.concurrentMap(drawings.indices) { [drawings] i in try? Graphviz.svg(fromDOT: drawings[i], timeout: Graphviz.buildTimeout) }
            let byDOT = Dictionary(zip(drawings, results), uniquingKeysWith: { a, _ in a })
            svg = { byDOT[$0] ?? nil }
            Self.noteUndrawn(zip(graphs, results).filter { $0.1 == nil }.map { $0.0.id }, language: language)
        } else {
            svg = nil
            printError(Message(
                en: "note: Graphviz `dot` is not installed, so the site has no SVG drawings (install graphviz to add them).",
                id: "catatan: Graphviz `dot` belum terpasang, jadi situs tanpa gambar SVG (pasang graphviz untuk menambahkannya).").text(language) + "\n")
        }
        // For trainers: the manual (HTML, and PDF with --pdf) and each role's guide.
        let roles = TrainingManual.roles(graphs)
        var slugs: [String] = []
        var taken: Set<String> = []
        for r in roles {
            let base = Self.slug(r.name)
            var slug = base
            var n = 2
            while taken.contains(slug) { slug = base + "-\(n)"; n += 1 }
            taken.insert(slug)
            slugs.append(slug)
        }
        var manual = TrainingManual(graphs: graphs, language: .id)
        manual.svg = svg
        let manualPath = (output as NSString).appendingPathComponent("manual.html")
        try RenderCommands.write(manual.html().html, to: manualPath, language: language)
        for (r, slug) in zip(roles, slugs) {
            var guide = TrainingManual(graphs: graphs, language: .id, role: r)
            guide.svg = svg
            try RenderCommands.write(guide.html().html, to: (output as NSString).appendingPathComponent("peran/\(slug).html"), language: language)
        }
        var printed = false
        if pdf {
            do {
                try ChromiumPrinter.printPDF(html: URL(fileURLWithPath: manualPath), to: URL(fileURLWithPath: (output as NSString).appendingPathComponent("manual.pdf")))
                printed = true
            } catch {
                printError(Message(en: "note: the manual is not printed to PDF (\(Manual.message(error).en)); the site links its HTML.",
                                   id: "catatan: manual tidak dicetak ke PDF (\(Manual.message(error).id)); situs menautkan HTML-nya.").text(language) + "\n")
            }
        }
        let training = CatalogueSite.Training(
            manualPDF: printed ? "manual.pdf" : nil, manualHTML: "manual.html",
            roles: zip(roles, slugs).map { .init(name: $0.name, href: "peran/\($1).html", sops: $0.actors.count) })
        let site = CatalogueSite(graphs: graphs, training: training)
        for file in site.files(svg: svg) {
            try RenderCommands.write(file.contents, to: (output as NSString).appendingPathComponent(file.path), language: language)
        }
        // The working calendar the BPMN files' `sop_due` timers are evaluated with.
        try RenderCommands.write(CalendarExport.json(), to: (output as NSString).appendingPathComponent("calendar.json"), language: language)
        let index = URL(fileURLWithPath: (output as NSString).appendingPathComponent("index.html")).standardizedFileURL
        let drafts = graphs.filter(\.isDraft).count
        print(Message(en: "wrote the catalogue site of \(graphs.count) SOPs (\(drafts) drafts) to \(output)/; open \(index.absoluteString)",
                      id: "situs katalog \(graphs.count) SOP (\(drafts) draf) ditulis ke \(output)/; buka \(index.absoluteString)").text(language))
    }

    /// "Call Taker" → `call-taker`: ASCII letters and digits, dashes between, at most
    /// `maxSlug` characters (a file name has at most 255 bytes; a role name has no limit).
    static func slug(_ name: String) -> String {
        var out = ""
        for c in name.lowercased().unicodeScalars where out.count < maxSlug {
            if (c >= "a" && c <= "z") || (c >= "0" && c <= "9") { out.unicodeScalars.append(c) } else if !out.hasSuffix("-") && !out.isEmpty { out += "-" }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "peran" : out
    }

    static let maxSlug = 60
}
