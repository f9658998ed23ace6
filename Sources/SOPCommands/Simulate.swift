import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIR
import SOPCalendar
import SOPSimulation
import SOPSimulationProfile
import SOPWorkspace

/// `sop simulate FILE [NEW] [--profile P] [--cases N] [--seed S] [--format text|json|html] [-o OUT]`:
/// what an SOP does to cases before it changes: cycle times, deadline and SLA compliance,
/// outcomes, timers and bottlenecks; two files compare an old and a new version under one
/// profile. Exit status: 0 written, 1 the SOP or the profile has errors, 2 usage or I/O.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate cases through an SOP (or compare two versions): cycle times, SLA, outcomes, bottlenecks.",
        discussion: """
        Without --profile: 10 arrivals per working day, durations from each step's Waktu \
        (ranges triangular, fixed values v from 0.8v to v), equal branch probabilities, no staffing \
        limit (each case independent: the Monte Carlo engine on every core). A profile \
        (grammar/sop-simulation-profile.schema.json, Docs/Simulation.md) sets arrivals, \
        durations, branch probabilities, timer shares and staff per actor; with staff, \
        cases queue for a free person in working hours (the discrete-event engine). \
        Two files: OLD NEW side by side with the differences.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    @Argument(help: "The SOP file, or OLD and NEW to compare.")
    var files: [String]

    @Option(name: .long, help: "The simulation profile (YAML).")
    var profile: String?

    @Option(name: .long, help: "How many cases (default 10000).")
    var cases: Int = 10_000

    @Option(name: .long, help: "Random seed: the same seed gives the same bytes.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "text, json or html.")
    var format: Format = .text

    @Option(name: .shortAndLong, help: "Write here instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Write the event log of the first --log-cases simulated cases (CSV; .xes for XES).")
    var log: String?

    @Option(name: .long, help: "How many cases the event log holds (default 100).")
    var logCases: Int = 100

    @Option(name: .long, help: "Threads for the Monte Carlo engine (default: every core; results do not depend on it).")
    var threads: Int?

    @Option(name: .long, help: "Message language: en or id (default from LANG).")
    var lang: String?

    func validate() throws {
        if files.isEmpty || files.count > 2 { throw ValidationError("give one SOP file, or OLD and NEW to compare") }
        if cases < 1 || cases > 100_000_000 { throw ValidationError("--cases must be from 1 to 100000000, not \(cases)") }
        if logCases < 0 { throw ValidationError("--log-cases must not be negative") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let language = try parseLanguage(lang)
        var reports: [SimulationReport] = []
        for file in files {
            let graph = try compileOne(file, language: language)
            var prof = SimulationProfile()
            if let profile {
                let source: SourceFile
                do { source = try Workspace.load(profile) } catch let error as Workspace.InputError {
                    printError(error.description + "\n")
                    throw ExitCode(2)
                }
                let sink = DiagnosticSink()
                guard let p = ProfileReader.read(source, graph: graph, diagnostics: sink) else {
                    printError(Check.report(sink.sorted, files: 1, sources: [profile: source], format: .human, language: language,
                                            color: terminalWantsColor(STDERR_FILENO)))
                    throw ExitCode(1)
                }
                prof = p
            }
            let model = SimulationModel(graph: graph, profile: prof)
            let (result, events) = try simulate(model, file: file, language: language)
            reports.append(SimulationReport(model: model, result: result, cases: cases))
            if let log, files.count == 1 {
                let text = log.hasSuffix(".xes") ? SimulationLog.xes(events, model: model) : SimulationLog.csv(events, model: model)
                try RenderCommands.write(text, to: log, language: language)
            }
        }
        let text: String
        if reports.count == 2 {
            let cmp = SimulationComparison(old: reports[0], new: reports[1])
            switch format {
            case .text: text = cmp.text(language)
            case .json: text = cmp.json()
            case .html: text = SimulationHTML.page(reports, comparison: cmp, language: language)
            }
        } else {
            switch format {
            case .text: text = reports[0].text(language)
            case .json: text = reports[0].json()
            case .html: text = SimulationHTML.page(reports, comparison: nil, language: language)
            }
        }
        if let output { try RenderCommands.write(text, to: output, language: language) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    func simulate(_ model: SimulationModel, file: String, language: Language) throws -> (SimulationResult, [SimulatedEvent]) {
        do {
            return try Simulator.run(model, cases: cases, seed: seed, logCases: log == nil ? 0 : logCases, threads: threads)
        } catch {
            switch error {
            case let .outsideCalendar(year):
                // Many cases alone never run past it (chunks and replications each start at
                // the profile's start): long cases or sparse arrivals do.
                let first = Holiday.firstYear, last = Holiday.lastYear, start = model.profile.start
                printError(Message(en: "sop: \(file): the simulated time runs into \(year), past the working calendar (\(first)–\(last)): from \(start) the simulated cases outlast it; start earlier (`start:` in the profile, from \(first)), or shorten the steps' durations or the gaps between arrivals",
                                   id: "sop: \(file): waktu simulasi sampai ke \(year), melewati kalender hari kerja (\(first)–\(last)): sejak \(start) kasus yang disimulasikan melewatinya; mulailah lebih awal (`start:` di profil, sejak \(first)), atau persingkat durasi langkah atau jarak antar-kedatangan").text(language) + "\n")
            case .noSteps:
                // Located at the file's `steps:` key (its first line when there is none).
                let source = try? Workspace.load(file)
                var line = 1
                if let source, let i = String(decoding: source.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).firstIndex(where: { $0.hasPrefix("steps:") }) { line = i + 1 }
                let at = SourceLocation(line: line, column: 1, offset: source.map { $0.lineStarts.indices.contains(line - 1) ? $0.lineStarts[line - 1] : 0 } ?? 0)
                let d = Diagnostic(severity: .error, code: "E0708",
                                   message: Message(en: "the SOP has no step to simulate\(model.graph.isDraft ? " (a draft)" : "")", id: "SOP tidak memiliki langkah untuk disimulasikan\(model.graph.isDraft ? " (draf)" : "")"),
                                   range: SourceRange(file: file, start: at, end: at),
                                   help: Message(en: "write the SOP's steps first", id: "tulis langkah-langkah SOP terlebih dahulu"))
                printError(Check.report([d], files: 1, sources: source.map { [file: $0] } ?? [:], format: .human, language: language, color: terminalWantsColor(STDERR_FILENO)))
            }
            throw ExitCode(1)
        }
    }
}
