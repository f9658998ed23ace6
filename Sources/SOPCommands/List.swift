import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage

/// `sop list [DIR]`: the catalogue as a table (id, name, agency, year, steps, actors, draft),
/// read from the compiled IR of every SOP. The README's catalogue table is its output.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the SOPs of a folder as a table (Markdown, TSV or JSON).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, tsv, json }

    @Argument(help: "Folders or files (default: sops).")
    var paths: [String] = []

    @Option(name: .long, help: "markdown, tsv or json.")
    var format: Format = .markdown

    struct Row: Codable {
        var id: String
        var name: String
        var agency: String
        var year: String
        var steps: Int
        var actors: Int
        var draft: Bool
        var file: String
    }

    func run() throws {
        let (_, result) = try checkCatalog(paths)
        var rows: [Row] = []
        for output in result.outputs {
            guard let graph = output.graph else {
                printError("sop: `\(output.source.path)` has errors; run `sop check \(output.source.path)`\n")
                throw ExitCode(1)
            }
            let year = [graph.identity.effective, graph.identity.revised, graph.identity.created]
                .compactMap { $0 }.first.map { String($0.prefix(4)) } ?? "—"
            rows.append(Row(id: graph.id, name: graph.name,
                            agency: [graph.identity.agency, graph.identity.government].compactMap { $0 }.joined(separator: ", "),
                            year: year, steps: graph.nodes.filter(\.isStep).count, actors: graph.actors.count,
                            draft: graph.isDraft, file: output.source.path))
        }
        rows.sort { $0.id < $1.id }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        case .tsv:
            print(["id", "name", "agency", "year", "steps", "actors", "draft"].joined(separator: "\t"))
            for r in rows { print([r.id, r.name, r.agency, r.year, String(r.steps), String(r.actors), r.draft ? "draft" : ""].joined(separator: "\t")) }
        case .markdown:
            func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
            print("| id | name | agency | year | steps | actors | draft |")
            print("| --- | --- | --- | --- | ---: | ---: | --- |")
            for r in rows {
                print("| `\(r.id)` | \(cell(r.name)) | \(cell(r.agency)) | \(r.year) | \(r.steps) | \(r.actors) | \(r.draft ? "draft" : "") |")
            }
            print("\n\(rows.count) SOPs, \(rows.filter(\.draft).count) drafts.")
        }
    }
}
