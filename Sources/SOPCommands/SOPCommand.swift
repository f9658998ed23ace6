import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPWorkspace

/// The `sop` command line. The executable only calls `runMain()`; tests run the commands here.
public struct SOPCommand: ParsableCommand {
    public static let version = "0.1.0"

    /// Runs the command line. A usage mistake (unknown option, bad `--format` value, missing
    /// argument) exits 2 like an unreadable path, as `sop check` documents (0 clean, 1
    /// errors, 2 usage or I/O), rather than the argument parser's 64.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    public static let configuration = CommandConfiguration(
        commandName: "sop",
        abstract: "Check, compile, draw and explain Standard Operating Procedures (SOP) written in YAML.",
        discussion: """
        Language reference: grammar/LANGUAGE.md. Diagnostic codes: `sop explain --list`.
        Messages follow LANG (Indonesian for id_*); override with --lang en|id.
        """,
        version: version,
        subcommands: [Check.self, Compile.self, Render.self, Catalog.self, CalendarCommand.self, ImportCommand.self, Run.self, CaseCommand.self, Serve.self, UserCommand.self, StoreCommand.self, Paths.self, Simulate.self, Manual.self, DiffCommand.self, LSP.self, Explain.self, List.self, Debug.self]
    )

    public init() {}
}

/// Options shared by commands that print diagnostics.
struct OutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case human, json, sarif, github }
    enum ColorChoice: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

    @Option(name: .long, help: "Output format: human, json, sarif (2.1.0) or github (workflow annotations).")
    var format: Format = .human

    @Option(name: .long, help: "Message language: en or id (default from LANG).")
    var lang: String?

    @Option(name: .long, help: "Colour: auto (only on a terminal, honours NO_COLOR), always, never.")
    var color: ColorChoice = .auto

    func language() throws -> Language { try parseLanguage(lang) }

    var useColor: Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto: return terminalWantsColor(STDOUT_FILENO)
        }
    }
}

/// `--lang en|id`, or the language of LANG when not given.
func parseLanguage(_ lang: String?) throws -> Language {
    guard let lang else { return Language.fromEnvironment(ProcessInfo.processInfo.environment) }
    guard let l = Language(rawValue: lang.lowercased()) else {
        throw ValidationError("--lang must be `en` or `id`, not `\(lang)`")
    }
    return l
}

/// Colour on a terminal unless NO_COLOR is set or TERM is dumb.
func terminalWantsColor(_ fd: Int32) -> Bool {
    let env = ProcessInfo.processInfo.environment
    if let noColor = env["NO_COLOR"], !noColor.isEmpty { return false }
    if env["TERM"] == "dumb" { return false }
    return isatty(fd) == 1
}

/// Lists, checks and lowers the files of the given paths (default `sops`) as one catalogue;
/// exits 2 when a path cannot be read.
func checkCatalog(_ paths: [String]) throws -> (files: [String], result: Workspace.CheckResult) {
    do {
        let files = try Workspace.discover(paths.isEmpty ? ["sops"] : paths).files
        return (files, try Workspace.check(files: files, asCatalog: true, lower: true))
    } catch let error as Workspace.InputError {
        printError(error.description + "\n")
        throw ExitCode(2)
    }
}

/// Compiles one SOP; prints its diagnostics on standard error and exits 1 when it has
/// errors, 2 when it cannot be read. Warnings (drafts have many) are left to `sop check`.
func compileOne(_ path: String, language: Language, format: OutputOptions.Format = .human,
                color: Bool = terminalWantsColor(STDERR_FILENO)) throws -> ProcessGraph {
    let source: SourceFile
    do { source = try Workspace.load(path) } catch let error as Workspace.InputError {
        printError(error.description + "\n")
        throw ExitCode(2)
    }
    let sink = DiagnosticSink()
    guard let graph = Compiler().compile(source, diagnostics: sink).graph, !sink.hasErrors else {
        printError(Check.report(sink.sorted, files: 1, sources: [path: source], format: format, language: language, color: color))
        throw ExitCode(1)
    }
    return graph
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}
