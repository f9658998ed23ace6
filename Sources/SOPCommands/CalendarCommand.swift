import ArgumentParser
import Foundation
import SOPRuntime

/// `sop calendar [-o FILE]`: the working calendar as JSON (holidays, cuti bersama, the
/// per-organisation settings), for engines that run an exported BPMN process.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Write the working calendar (holidays, cuti bersama, settings) as JSON for BPMN engines.")

    @Option(name: .shortAndLong, help: "Write here instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Message language: en or id (default from LANG).")
    var lang: String?

    func run() throws {
        let language = try parseLanguage(lang)
        let text = CalendarExport.json()
        if let output {
            try RenderCommands.write(text, to: output, language: language)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
