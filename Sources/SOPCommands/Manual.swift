import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIR
import SOPRender
import SOPTraining
import SOPWorkspace

/// `sop manual [DIR...] -o manual.pdf [--role NAME] [--lang id|en] [--html FILE]`: the whole
/// catalogue (or the SOPs a role takes part in) as one printable training manual, printed to
/// PDF by headless Chromium. Exit status: 0 written; 1 some SOP has errors, or an exercise
/// failed on the runtime (the manual is written and marks it); 2 usage, unreadable input,
/// unwritable output, an unknown role, or Chromium missing or failing.
struct Manual: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the catalogue as a training manual (PDF): sheets, flowcharts, exercises, a guide per role.",
        discussion: """
        The manual has a cover, a table of contents with page numbers, then per SOP its official \
        sheet (A4 landscape), its flowchart (Graphviz) and its training paths as exercises with the \
        expected course of events, each run on the runtime first; then a guide per role: the SOPs \
        and steps each actor name performs, with their time limits. --role NAME keeps the SOPs that \
        role takes part in and its guide. Printed by headless Chromium (install chromium); \
        --html FILE also writes the HTML it prints.
        """)

    @Argument(help: "Folders or files (default: sops).")
    var paths: [String] = []

    @Option(name: .shortAndLong, help: "The PDF to write.")
    var output: String = "manual.pdf"

    @Option(name: .long, help: "Only the SOPs this role (an actor name or key) takes part in, and its guide.")
    var role: String?

    @Option(name: .long, help: "Also write the HTML that is printed here.")
    var html: String?

    @Option(name: .long, help: "Language of the manual and messages: id (default) or en.")
    var lang: String?

    func run() throws {
        let language = try lang.map { try parseLanguage($0) } ?? .id
        let (files, result) = try checkCatalog(paths)
        let diagnostics = result.diagnostics.sorted
        guard result.outputs.allSatisfy({ $0.graph != nil }), !diagnostics.contains(where: { $0.severity == .error }) else {
            printError(Check.report(diagnostics.filter { $0.severity == .error }, files: files.count, sources: result.sources,
                                    format: .human, language: language, color: terminalWantsColor(STDERR_FILENO)))
            throw ExitCode(1)
        }
        let graphs = result.outputs.compactMap(\.graph)
        var chosen: TrainingManual.Role?
        if let role {
            guard let found = TrainingManual.findRole(role, in: graphs) else {
                let names = TrainingManual.roles(graphs).map(\.name)
                let hint = NearMiss.best(for: role, among: names)
                printError(Message(en: "sop: no role `\(role)` in the catalogue" + (hint.map { "; did you mean `\($0)`?" } ?? "") + "\nroles: " + names.joined(separator: ", "),
                                   id: "sop: tidak ada peran `\(role)` di katalog" + (hint.map { "; maksud Anda `\($0)`?" } ?? "") + "\nperan: " + names.joined(separator: ", ")).text(language) + "\n")
                throw ExitCode(2)
            }
            chosen = found
        }
        var manual = TrainingManual(graphs: graphs, language: language, role: chosen)
        if Graphviz.isAvailable {
            let drawings = manual.graphs.map { DOTRenderer().render($0) }
            let drawn = Workspace.concurrentMap(drawings.indices) { [drawings] i in try? Graphviz.svg(fromDOT: drawings[i], timeout: Graphviz.buildTimeout) }
            let byDOT = Dictionary(zip(drawings, drawn), uniquingKeysWith: { a, _ in a })
            manual.svg = { byDOT[$0] ?? nil }
            Catalog.noteUndrawn(zip(manual.graphs, drawn).filter { $0.1 == nil }.map { $0.0.id }, language: language)
        } else {
            printError(Message(en: "note: Graphviz `dot` is not installed, so the manual has no flowchart drawings (install graphviz to add them).",
                               id: "catatan: Graphviz `dot` belum terpasang, jadi manual tanpa gambar diagram alir (pasang graphviz untuk menambahkannya).").text(language) + "\n")
        }
        let (text, failures) = manual.html()
        let htmlPath = html ?? (output as NSString).deletingPathExtension + ".html"
        var keepHTML = html != nil
        try RenderCommands.write(text, to: htmlPath, language: language)
        defer { if !keepHTML { try? FileManager.default.removeItem(atPath: htmlPath) } }
        do {
            try ChromiumPrinter.printPDF(html: URL(fileURLWithPath: htmlPath), to: URL(fileURLWithPath: output))
        } catch {
            if error == .notInstalled {
                // Keep the HTML: it can be printed from any browser.
                keepHTML = true
                printError(Message(
                    en: "sop: the manual is printed to PDF by headless Chromium, which is not installed. Install it with `sudo apt-get install chromium` (Debian, Ubuntu) or from chromium.org (or point SOP_CHROMIUM at it). The HTML is written to \(htmlPath): open it in a browser and print it to PDF.",
                    id: "sop: manual dicetak ke PDF oleh Chromium headless, yang belum terpasang. Pasang dengan `sudo apt-get install chromium` (Debian, Ubuntu) atau dari chromium.org (atau arahkan SOP_CHROMIUM ke sana). HTML-nya ditulis ke \(htmlPath): buka di peramban dan cetak ke PDF.").text(language) + "\n")
                throw ExitCode(2)
            }
            printError(Self.message(error).text(language) + "\n")
            throw ExitCode(2)
        }
        for f in failures {
            printError(Message(en: "warning: exercise \(f.path) of \(f.sop) fails on the runtime: \(f.reason)",
                               id: "peringatan: latihan \(f.path) dari \(f.sop) gagal pada runtime: \(f.reason)").text(language) + "\n")
        }
        let roles = chosen.map { _ in 1 } ?? TrainingManual.roles(manual.graphs).count
        print(Message(en: "wrote the training manual of \(manual.graphs.count) SOPs and \(roles) role guide(s) to \(output)",
                      id: "manual pelatihan \(manual.graphs.count) SOP dan \(roles) panduan peran ditulis ke \(output)").text(language))
        if !failures.isEmpty { throw ExitCode(1) }
    }

    static func message(_ failure: ChromiumPrinter.Failure) -> Message {
        switch failure {
        case .notInstalled:
            return Message(en: "sop: Chromium is not installed", id: "sop: Chromium belum terpasang")
        case let .failed(status, text):
            return Message(en: "sop: Chromium failed to print the manual (exit \(status)): \(text)",
                           id: "sop: Chromium gagal mencetak manual (status \(status)): \(text)")
        case let .timedOut(seconds):
            return Message(en: "sop: Chromium did not finish printing within \(seconds) s and was stopped",
                           id: "sop: Chromium tidak selesai mencetak dalam \(seconds) detik dan dihentikan")
        }
    }
}
