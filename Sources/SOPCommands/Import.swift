import ArgumentParser
import Foundation
import SOPBPMN
import SOPDiagnostics
import SOPLanguage

/// `sop import FILE.bpmn [-o FILE.yaml]`: a BPMN 2.0 process as SOP YAML, checked by the
/// compiler before it is written. Exit status: 0 written, 1 the model cannot be expressed or
/// the YAML it gives does not check (located errors), 2 unreadable input or unwritable output.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a BPMN 2.0 process into SOP YAML (lanes → actors, tasks → steps, gateways → decisions).")

    @Argument(help: "The BPMN file.")
    var file: String

    @Option(name: .shortAndLong, help: "Write the YAML here instead of standard output.")
    var output: String?

    @Option(name: .long, help: "The catalogue id for a model that does not carry one (default: imported/<process id>).")
    var id: String?

    @Flag(name: .long, help: "Write the YAML even when it does not check, to repair it by hand (the exit status is still 1).")
    var keep = false

    @Option(name: .long, help: "Message language: en or id (default from LANG).")
    var lang: String?

    func run() throws {
        let language = try parseLanguage(lang)
        guard let data = FileManager.default.contents(atPath: file) else {
            printError(Message(en: "sop: cannot read `\(file)`", id: "sop: tidak dapat membaca `\(file)`").text(language) + "\n")
            throw ExitCode(2)
        }
        let yaml: String
        do { yaml = try BPMNImporter(sopID: id).convert(data) } catch {
            printError(error.text(file: file, language) + "\n")
            throw ExitCode(1)
        }
        // The result must check: compile it as the file it will become.
        let name = output ?? (file as NSString).deletingPathExtension + ".yaml"
        let source = SourceFile(path: name, bytes: Array(yaml.utf8))
        let sink = DiagnosticSink()
        let compiled = Compiler().compile(source, diagnostics: sink)
        let errors = sink.sorted.filter { $0.severity == .error }
        if compiled.graph == nil || !errors.isEmpty {
            printError(Message(en: "sop: the YAML imported from `\(file)` does not check:", id: "sop: YAML hasil impor `\(file)` tidak lolos pemeriksaan:").text(language) + "\n")
            let renderer = HumanRenderer(language: language, useColor: false) { $0 == name ? source : nil }
            printError(errors.map(renderer.render).joined(separator: "\n") + "\n")
            if keep { try emit(yaml, language) }
            throw ExitCode(1)
        }
        try emit(yaml, language)
    }

    private func emit(_ yaml: String, _ language: Language) throws {
        if let output {
            try RenderCommands.write(yaml, to: output, language: language)
        } else {
            FileHandle.standardOutput.write(Data(yaml.utf8))
        }
    }
}
