import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRuntime
import SOPStore
import SOPWorkspace

/// How the case counts working days, overriding the per-SOP defaults.
struct CalendarOptions: ParsableArguments {
    @Option(name: .long, help: "Working week: working-days (Mon–Fri minus holidays) or every-day (a 112 centre). Default: per SOP.")
    var week: CalendarSettings.Week?

    @Option(name: .long, help: "Cuti bersama: off (a day off, the default) or working.")
    var cutiBersama: CutiBersama?

    @Option(name: .long, help: "Local time: WIB, WITA, WIT or ±HH:MM. Default: per organisation (WITA for Tarakan).")
    var timezone: String?

    enum CutiBersama: String, ExpressibleByArgument { case off, working }

    func settings(for graph: ProcessGraph) throws -> CalendarSettings {
        var s = CalendarSettings.forSOP(graph.id)
        if let week { s.week = week }
        if let cutiBersama { s.cutiBersamaIsWorking = cutiBersama == .working }
        if let timezone {
            guard let o = UTCOffset(timezone) else { throw ValidationError("--timezone must be WIB, WITA, WIT or ±HH:MM, not `\(timezone)`") }
            s.offset = o
        }
        return s
    }
}

extension CalendarSettings.Week: ExpressibleByArgument {}

/// Prints events case by case, each with its own SOP's names.
struct EventPrinter {
    let service: CaseService
    let language: Language
    var indent = ""

    func lines(_ events: [Event]) -> [String] {
        var out: [String] = []
        var byCase: [(String, [Event])] = []
        for e in events {
            if let i = byCase.lastIndex(where: { $0.0 == e.caseID }), i == byCase.count - 1 { byCase[i].1.append(e) }
            else { byCase.append((e.caseID, [e])) }
        }
        for (id, evs) in byCase {
            guard let (_, engine) = try? service.load(id) else { continue }
            let trace = Trace(graph: engine.graph, offset: engine.calendar.settings.offset, language: language)
            // The state before these events gives the deadlines that completions are judged by.
            let earlier = ((try? service.store.events(of: id)) ?? []).prefix { $0.sequence < evs[0].sequence }
            let before = CaseState(id: id, events: earlier, graph: engine.graph)
            out += trace.lines(evs, after: before).map { indent + $0 }
        }
        return out
    }

    func print(_ events: [Event]) {
        for l in lines(events) { Swift.print(l) }
    }
}

/// Prints a runtime refusal on standard error and exits 1; anything else is a store error (2).
func fail(_ error: Error, language: Language) -> ExitCode {
    if let e = error as? RuntimeError {
        printError(e.render(language) + "\n")
        return ExitCode(1)
    }
    if let e = error as? ExitCode { return e }
    printError("sop: \(error)\n")
    return ExitCode(2)
}
