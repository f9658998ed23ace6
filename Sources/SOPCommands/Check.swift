import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPLanguage
import SOPWorkspace

/// `sop check [PATH...]`: validate SOP files. Exit 0 clean, 1 errors (or warnings with
/// `--strict`), 2 usage or I/O problems.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check SOP files or folders (recursively) and report problems.",
        discussion: "Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage or unreadable input.")

    @Argument(help: "Files or folders to check (default: the current folder).")
    var paths: [String] = []

    @Flag(name: .long, help: "Treat warnings as failures.")
    var strict = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let language = try output.language()
        let result: Workspace.CheckResult
        let files: [String]
        do {
            let found = try Workspace.discover(paths.isEmpty ? ["."] : paths)
            files = found.files
            result = try Workspace.check(files: files, asCatalog: found.sawDirectory)
        } catch let error as Workspace.InputError {
            printError(error.description + "\n")
            throw ExitCode(2)
        }
        let diagnostics = result.diagnostics.sorted
        let text = Self.report(diagnostics, files: files.count, sources: result.sources, format: output.format,
                               language: language, color: output.useColor)
        FileHandle.standardOutput.write(Data(text.utf8))
        let errors = result.diagnostics.count(.error), warnings = result.diagnostics.count(.warning)
        if errors > 0 || (strict && warnings > 0) { throw ExitCode(1) }
    }

    /// The report in the chosen format (human output ends with the one-line summary).
    static func report(_ diagnostics: [Diagnostic], files: Int, sources: [String: SourceFile], format: OutputOptions.Format,
                       language: Language, color: Bool) -> String {
        switch format {
        case .json:
            return MachineRenderer.json(diagnostics, files: files, language: language)
        case .sarif:
            return MachineRenderer.sarif(diagnostics, rules: DiagnosticCatalog.sarifRules, version: SOPCommand.version, language: language)
        case .github:
            return MachineRenderer.github(diagnostics, language: language) + summary(diagnostics, files: files, language: language) + "\n"
        case .human:
            // A quoted line fits the terminal (`COLUMNS`, else 160), less the gutter.
            let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 160
            let renderer = HumanRenderer(language: language, useColor: color, lineWidth: columns - 10) { sources[$0] }
            var out = diagnostics.map(renderer.render).joined(separator: "\n")
            if !out.isEmpty { out += "\n" }
            return out + summary(diagnostics, files: files, language: language) + "\n"
        }
    }

    /// "checked 28 files: 0 errors, 2 warnings, 1 note".
    static func summary(_ diagnostics: [Diagnostic], files: Int, language: Language) -> String {
        let e = diagnostics.filter { $0.severity == .error }.count
        let w = diagnostics.filter { $0.severity == .warning }.count
        let n = diagnostics.filter { $0.severity == .note }.count
        func plural(_ k: Int, _ word: String) -> String { "\(k) \(word)\(k == 1 ? "" : "s")" }
        switch language {
        case .en:
            return "checked \(plural(files, "file")): \(plural(e, "error")), \(plural(w, "warning")), \(plural(n, "note"))"
        case .id:
            return "memeriksa \(files) berkas: \(e) galat, \(w) peringatan, \(n) catatan"
        }
    }
}
