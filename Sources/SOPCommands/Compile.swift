import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPLanguage
import SOPWorkspace

/// `sop compile FILE [-o OUT.json]`: lower one SOP to the `ProcessGraph` IR as sorted JSON.
struct Compile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile one SOP to its executable graph (ProcessGraph IR) as JSON.")

    @Argument(help: "The SOP file.")
    var file: String

    @Option(name: .shortAndLong, help: "Write the JSON here instead of standard output.")
    var output: String?

    @OptionGroup var options: OutputOptions

    func run() throws {
        let language = try options.language()
        let source: SourceFile
        do { source = try Workspace.load(file) } catch let error as Workspace.InputError {
            printError(error.description + "\n")
            throw ExitCode(2)
        }
        let sink = DiagnosticSink()
        let result = Compiler().compile(source, diagnostics: sink)
        let diagnostics = sink.sorted
        if !diagnostics.isEmpty || result.graph == nil {
            let text = Check.report(diagnostics, files: 1, sources: [file: source], format: options.format,
                                    language: language, color: options.useColor)
            printError(text)
        }
        guard let graph = result.graph else { throw ExitCode(1) }
        let data = try graph.prettyJSON()
        if let output {
            do { try data.write(to: URL(fileURLWithPath: output)) } catch {
                printError("sop: cannot write `\(output)`: \(error.localizedDescription)\n")
                throw ExitCode(2)
            }
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
