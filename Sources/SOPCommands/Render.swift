import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRender

/// `sop render FILE --format mermaid|dot|svg|html|markdown|bpmn [--engine E] [-o OUT]`: draw one SOP from
/// its compiled IR. Exit status: 0 drawn, 1 the SOP has errors (printed as `sop check`
/// prints them), 2 unreadable input, unwritable output or Graphviz missing.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw one SOP: Mermaid, Graphviz DOT or SVG, the official sheet (HTML), Markdown or BPMN 2.0.",
        discussion: """
        mermaid   flowchart TD, one subgraph (swimlane) per actor
        dot       Graphviz, one cluster (swimlane) per actor
        svg       the DOT drawn by Graphviz `dot` (install graphviz)
        html      the official SOP sheet (Permenpan RB 35/2012), printable on A4 landscape
        markdown  the SOP as a document with its Mermaid drawing
        bpmn      BPMN 2.0 XML with its diagram (pool, a lane per actor); conditions and
                  timers in the language of --engine (neutral, spiff, camunda7)
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case mermaid, dot, svg, html, markdown, bpmn
        var renderFormat: RenderFormat { RenderFormat(rawValue: rawValue)! }
    }

    @Argument(help: "The SOP file.")
    var file: String

    @Option(name: .long, help: "The drawing to make.")
    var format: Format

    @Option(name: .long, help: "BPMN only: the engine whose expression language conditions and timers use (neutral, spiff, camunda7).")
    var engine: String?

    @Option(name: .shortAndLong, help: "Write the drawing here instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Message language: en or id (default from LANG).")
    var lang: String?

    func run() throws {
        let language = try parseLanguage(lang)
        var bpmnEngine = BPMNEngine.neutral
        if let engine {
            guard format == .bpmn, let chosen = BPMNEngine(rawValue: engine) else {
                printError(Message(
                    en: "sop: --engine `\(engine)` is not known for --format \(format.rawValue); use --format bpmn with one of: \(BPMNEngine.allCases.map(\.rawValue).joined(separator: ", ")).",
                    id: "sop: --engine `\(engine)` tidak dikenal untuk --format \(format.rawValue); pakai --format bpmn dengan salah satu dari: \(BPMNEngine.allCases.map(\.rawValue).joined(separator: ", ")).").text(language) + "\n")
                throw ExitCode(2)
            }
            bpmnEngine = chosen
        }
        let graph = try compileOne(file, language: language)
        let text: String
        do {
            text = format == .bpmn ? BPMNRenderer(engine: bpmnEngine).render(graph) : try Renderer.render(graph, as: format.renderFormat)
        } catch let failure as Graphviz.Failure {
            printError(RenderCommands.message(failure).text(language) + "\n")
            throw ExitCode(2)
        }
        if let output {
            try RenderCommands.write(text, to: output, language: language)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// What `sop render` and `sop catalog` share: compiling, messages and writing files.
enum RenderCommands {
    /// Writes text to a file, creating its folder; exits 2 when it cannot.
    static func write(_ text: String, to path: String, language: Language) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        } catch {
            printError(Message(en: "sop: cannot write `\(path)`: \(error.localizedDescription)",
                               id: "sop: tidak dapat menulis `\(path)`: \(error.localizedDescription)").text(language) + "\n")
            throw ExitCode(2)
        }
    }

    static func message(_ failure: Graphviz.Failure) -> Message {
        switch failure {
        case .notInstalled:
            return Message(
                en: "sop: SVG needs Graphviz `dot`, which is not installed. Install it with `sudo apt-get install graphviz` (Debian, Ubuntu), `brew install graphviz` (macOS) or from graphviz.org, or use `--format dot`.",
                id: "sop: SVG memerlukan Graphviz `dot`, yang belum terpasang. Pasang dengan `sudo apt-get install graphviz` (Debian, Ubuntu), `brew install graphviz` (macOS) atau dari graphviz.org, atau pakai `--format dot`.")
        case let .failed(status, text):
            return Message(en: "sop: Graphviz `dot` failed (exit \(status)): \(text)",
                           id: "sop: Graphviz `dot` gagal (status \(status)): \(text)")
        }
    }
}
