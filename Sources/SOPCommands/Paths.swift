import ArgumentParser
import Foundation
import SOPAnalysis
import SOPDiagnostics
import SOPIR
import SOPTraining

/// `sop paths FILE [--cover | --all [--limit N]] [--format text|markdown|json] [--scenarios DIR]`:
/// the ways a case can go through an SOP, told for a trainer, and written as scenarios the
/// runtime runs. Exit status: 0 written, 1 the SOP has errors, 2 usage or unreadable input,
/// unwritable output, or a path that cannot be a scenario.
struct Paths: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The ways a case goes through an SOP: training paths, their durations and outcomes, and scenarios.",
        discussion: """
        --cover (the default) chooses the fewest paths that take every step, branch (the ya / \
        tidak of conditional steps too), timer and end at least once: a greedy set cover, each \
        next path the one that takes the most not yet taken, found in time linear in the SOP.
        --all lists every path in which each loop is taken at most once, up to --limit paths, \
        and says so when the limit cuts the list. Durations are in working days (shortest and \
        longest). The narrative is in Indonesian unless --lang en.
        --scenarios DIR writes each path as a scenario: `sop run FILE --script DIR/NAME.yaml`.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json }

    @Argument(help: "The SOP file.")
    var file: String

    @Flag(name: .long, help: "The fewest paths that take every step, branch and timer (the default).")
    var cover = false

    @Flag(name: .long, help: "Every path, each loop taken at most once, up to --limit.")
    var all = false

    @Option(name: .long, help: "With --all: at most this many paths.")
    var limit: Int = 100

    @Option(name: .long, help: "text, markdown or json.")
    var format: Format = .text

    @Option(name: .long, help: "Write each path as a scenario file for `sop run --script` into this folder.")
    var scenarios: String?

    @Option(name: .long, help: "Language of the narrative and messages: id (default) or en.")
    var lang: String?

    func validate() throws {
        if cover && all { throw ValidationError("choose one of --cover and --all") }
        if limit < 1 { throw ValidationError("--limit must be at least 1, not \(limit)") }
    }

    func run() throws {
        let language = try lang.map { try parseLanguage($0) } ?? .id
        let graph = try compileOne(file, language: language)
        let report = PathReport(graph: graph, mode: all ? .all(limit: limit) : .cover)
        let text: String
        switch format {
        case .text: text = report.narrative(language, markdown: false)
        case .markdown: text = report.narrative(language, markdown: true)
        case .json: text = report.json()
        }
        FileHandle.standardOutput.write(Data(text.utf8))
        if let scenarios {
            let writer = ScenarioWriter(graph: graph, sopPath: file, language: language)
            for (i, path) in report.paths.enumerated() {
                let yaml: String
                do { yaml = try writer.scenario(path, number: i + 1, total: report.paths.count) } catch {
                    printError(Self.message(error, path: i + 1).text(language) + "\n")
                    throw ExitCode(2)
                }
                try RenderCommands.write(yaml, to: (scenarios as NSString).appendingPathComponent(writer.fileName(i + 1)), language: language)
            }
            printError(Message(en: "wrote \(report.paths.count) scenario(s) to \(scenarios)/; run one with `sop run \(file) --script \(scenarios)/\(writer.fileName(1))`",
                               id: "\(report.paths.count) skenario ditulis ke \(scenarios)/; jalankan dengan `sop run \(file) --script \(scenarios)/\(writer.fileName(1))`").text(language) + "\n")
        }
    }

    static func message(_ failure: ScenarioWriter.Failure, path: Int) -> Message {
        switch failure {
        case let .calendar(text):
            return Message(en: "sop: the working-day calendar cannot place path \(path): \(text)",
                           id: "sop: kalender hari kerja tidak dapat menempatkan jalur \(path): \(text)")
        }
    }
}
