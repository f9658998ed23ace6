import ArgumentParser
import Foundation
import SOPDiagnostics

/// The `sop` command line. The executable only calls `main()`; tests run the commands here.
public struct SOPCommand: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "sop",
        abstract: "Check, compile, draw and explain Standard Operating Procedures (SOP) written in YAML.",
        discussion: """
        Language reference: grammar/LANGUAGE.md. Diagnostic codes: `sop explain --list`.
        Messages follow LANG (Indonesian for id_*); override with --lang en|id.
        """,
        version: version,
        subcommands: [Check.self, Compile.self, Render.self, Catalog.self, Run.self, CaseCommand.self, Explain.self, List.self, Debug.self]
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

    func language() throws -> Language {
        guard let lang else { return Language.fromEnvironment(ProcessInfo.processInfo.environment) }
        guard let l = Language(rawValue: lang.lowercased()) else {
            throw ValidationError("--lang must be `en` or `id`, not `\(lang)`")
        }
        return l
    }

    var useColor: Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            let env = ProcessInfo.processInfo.environment
            if let noColor = env["NO_COLOR"], !noColor.isEmpty { return false }
            if env["TERM"] == "dumb" { return false }
            return isatty(STDOUT_FILENO) == 1
        }
    }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}
