import Foundation
import SOPCalendar
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRuntime
import SOPSimulation
import SOPSimulationProfile
import XCTest

/// The simulator against queueing theory (M/M/1, Erlang C, Little's law), exact sums,
/// binomial bounds and the runtime's calendar; determinism; the profile's diagnostics.
final class SimulationTests: XCTestCase {
    func graph(_ yaml: String) -> ProcessGraph {
        let (output, diagnostics) = Support.compile(yaml, path: "sim.yaml")
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, diagnostics.map(\.message.en).joined(separator: "\n"))
        return output.graph!
    }

    func profile(_ yaml: String, _ g: ProcessGraph) -> (SimulationProfile?, [Diagnostic]) {
        let sink = DiagnosticSink()
        let p = ProfileReader.read(SourceFile(path: "profile.yaml", bytes: Array(yaml.utf8)), graph: g, diagnostics: sink)
        return (p, sink.sorted)
    }

    func run(_ g: ProcessGraph, _ yaml: String, cases: Int, seed: UInt64 = 7, log: Int = 0, threads: Int? = nil) throws -> (SimulationResult, [SimulatedEvent], SimulationModel) {
        let (p, d) = profile(yaml, g)
        XCTAssertEqual(d.map(\.message.en), [])
        let model = SimulationModel(graph: g, profile: p!)
        let (r, events) = try Simulator.run(model, cases: cases, seed: seed, logCases: log, threads: threads)
        return (r, events, model)
    }

    /// One step, every day, all day (a 112 centre's calendar): a plain queue.
    static let oneStep = """
    sop: 1
    id: kota-cirebon/dkis/siaga-112-uji-antrean
    name: Uji antrean
    actors:
      petugas: {name: Petugas}
    steps:
      - {id: layani, action: Melayani, actor: petugas, duration: 1 jam}
    """

    func queue(people: Int, arrivalsPerHour: Double, serviceHours: Double) -> String {
        """
        simulation: 1
        arrivals: {per_day: \(arrivalsPerHour * 24)}
        steps:
          layani: {duration: {distribution: exponential, mean: \(serviceHours) jam}}
        staff:
          petugas: {people: \(people), hours: "00:00-24:00", calendar: every-day}
        """
    }

    func testMM1MeanTimeInSystemAndLittlesLaw() throws {
        let g = graph(Self.oneStep)
        let λ = 0.5, μ = 1.0
        let (r, _, _) = try run(g, queue(people: 1, arrivalsPerHour: λ, serviceHours: 1 / μ), cases: 1_000_000)
        XCTAssertEqual(r.engine, .discreteEvent)
        XCTAssertEqual(r.completed, 1_000_000)
        let w = 1 / (μ - λ)
        XCTAssertEqual(r.cycleHours.mean, w, accuracy: 0.02 * w, "M/M/1 mean time in system")
        XCTAssertEqual(r.utilisation(0)!, λ / μ, accuracy: 0.01)
        // Little's law: L = λ W over the observed span.
        let rate = Double(r.completed) / (r.observed / 3600)
        XCTAssertEqual(r.meanInSystem, rate * r.cycleHours.mean, accuracy: 0.01 * r.meanInSystem)
    }

    static func erlangC(c: Int, a: Double) -> Double {
        var term = 1.0, sum = 1.0
        for k in 1..<c { term *= a / Double(k); sum += term }
        let last = term * a / Double(c) * Double(c) / (Double(c) - a)
        return last / (sum + last)
    }

    func testMMcWaitingTimeMatchesErlangC() throws {
        let g = graph(Self.oneStep)
        let c = 3, λ = 2.4, μ = 1.0
        let (r, _, _) = try run(g, queue(people: c, arrivalsPerHour: λ, serviceHours: 1 / μ), cases: 1_000_000)
        let wq = Self.erlangC(c: c, a: λ / μ) / (Double(c) * μ - λ)
        XCTAssertEqual(r.waitHours[0].mean, wq, accuracy: 0.02 * wq, "Erlang C mean wait \(wq) h")
        XCTAssertEqual(r.cycleHours.mean, wq + 1 / μ, accuracy: 0.02 * (wq + 1 / μ))
    }

    func testFixedChainSumsExactly() throws {
        let g = graph("""
        sop: 1
        id: kota-cirebon/dkis/siaga-112-uji-rantai
        name: Rantai
        actors:
          a: {name: A}
          b: {name: B}
        steps:
          - {action: Satu, actor: a, duration: 2 jam}
          - {action: Dua, actor: b, duration: 30 menit}
          - {action: Tiga, actor: a, duration: 1 jam}
        """)
        let (r, _, _) = try run(g, "durations: {spread: 0}\n", cases: 5000)
        XCTAssertEqual(r.cycleHours.min, 3.5, accuracy: 1e-9)
        XCTAssertEqual(r.cycleHours.max, 3.5, accuracy: 1e-9)
        XCTAssertEqual(r.cycleHours.mean, 3.5, accuracy: 1e-9)
    }

    static let decision = """
    sop: 1
    id: kota-cirebon/dkis/siaga-112-uji-keputusan
    name: Keputusan
    actors:
      a: {name: A}
    outcomes:
      tolak: {name: ditolak}
    steps:
      - id: periksa
        action: Memeriksa
        actor: a
        duration: 1 jam
        decision: {question: Lengkap?, branches: {ya: terima, tidak: tolak}}
      - {id: terima, action: Menerima, actor: a, duration: 1 jam}
    """

    func testDecisionSharesWithinTheBinomialBound() throws {
        let g = graph(Self.decision)
        let n = 40_000, p = 0.3
        let (r, _, _) = try run(g, "steps:\n  periksa: {branches: {ya: \(p), tidak: \(1 - p)}}\n", cases: n)
        let rejected = g.nodes.first { $0.key == "tolak" }!.id
        let share = Double(r.outcomes[rejected]) / Double(n)
        let bound = 3.3 * (p * (1 - p) / Double(n)).squareRoot()
        XCTAssertEqual(share, 1 - p, accuracy: bound)
    }

    func testWorkingDayTimerFiresWhenTheRuntimeSaysItIsDue() throws {
        let g = graph("""
        sop: 1
        id: test/simulasi-timer
        name: Timer
        actors:
          a: {name: A}
        outcomes:
          lewat: {name: lewat waktu}
        steps:
          - action: Menunggu
            actor: a
            duration: 20 hari kerja
            timeout:
              - {after: 5 hari kerja, goto: lewat}
        """)
        let (r, events, _) = try run(g, "arrivals: {per_working_day: 3}\n", cases: 300, log: 300)
        XCTAssertEqual(r.timersFired[0], 300)
        let engine = SOPRuntime.Engine(graph: g, calendar: WorkingCalendar(CalendarSettings.forSOP(g.id)))
        var checked = 0
        for e in events where e.timer == 0 {
            let start = try engine.start(caseID: "c", at: Instant(seconds: Int64(e.activated.rounded(.down))))
            let due = start.compactMap { ev -> Instant? in if case let .timerScheduled(_, _, due) = ev.body { return due } else { return nil } }.first
            XCTAssertEqual(Int64(e.ended), due?.seconds)
            checked += 1
        }
        XCTAssertEqual(checked, 300)
    }

    func testSameSeedSameFiguresOnAnyNumberOfThreads() throws {
        let url = Support.root.appendingPathComponent("sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml")
        let (output, _) = Support.compile(try String(contentsOf: url, encoding: .utf8), path: url.path)
        let g = output.graph!
        let model = SimulationModel(graph: g, profile: SimulationProfile())
        let one = try Simulator.run(model, cases: 20_000, seed: 3, threads: 1).0
        let two = try Simulator.run(model, cases: 20_000, seed: 3, threads: 2).0
        let a = SimulationReport(model: model, result: one, cases: 20_000).json()
        XCTAssertEqual(a, SimulationReport(model: model, result: two, cases: 20_000).json())
        let other = try Simulator.run(model, cases: 20_000, seed: 4, threads: 2).0
        XCTAssertNotEqual(a, SimulationReport(model: model, result: other, cases: 20_000).json())
    }

    /// Staffed, on working days, with more cases than the calendar's years hold in one run
    /// (30 a working day from 2029: about two years to 2030's end): replications of one year,
    /// each from the profile's start, the same figures on one thread and on two.
    func testDiscreteEventRunsReplicationsWithinTheCalendar() throws {
        let g = graph(Self.oneStep.replacingOccurrences(of: "siaga-112-uji-antrean", with: "ppid-uji-antrean"))
        let yaml = """
        simulation: 1
        start: 2029-01-08
        arrivals: {per_working_day: 30}
        steps:
          layani: {duration: {distribution: exponential, mean: 12 menit}}
        staff:
          petugas: {people: 1}
        """
        let (p, _) = profile(yaml, g)
        let model = SimulationModel(graph: g, profile: p!)
        XCTAssertEqual(model.replicationYears, 1)
        XCTAssertGreaterThan(model.casesPerReplication, 30 * 225)
        XCTAssertLessThan(model.casesPerReplication, 30 * 262)
        let cases = 40_000
        let (one, _, _) = try run(g, yaml, cases: cases, threads: 1)
        let (two, _, _) = try run(g, yaml, cases: cases, threads: 2)
        XCTAssertEqual(one.engine, .discreteEvent)
        XCTAssertEqual(one.completed, UInt64(cases))
        XCTAssertEqual(one.replications, (cases + model.casesPerReplication - 1) / model.casesPerReplication)
        XCTAssertEqual(SimulationReport(model: model, result: one, cases: cases).json(),
                       SimulationReport(model: model, result: two, cases: cases).json())
        // Utilisation: 30 cases of 12 minutes in an 8-hour day.
        XCTAssertEqual(one.utilisation(0)!, 0.75, accuracy: 0.02)
        // From 2026 the span is four whole years.
        var from2026 = p!
        from2026.start = CivilDate(year: 2026, month: 1, day: 5)
        XCTAssertEqual(SimulationModel(graph: g, profile: from2026).replicationYears, 4)
    }

    func testWorkClockStopsAtNightWeekendsAndHolidays() throws {
        let clock = WorkClock(calendar: WorkingCalendar(), hours: 8 * 3600...16 * 3600)
        // Friday 2025-03-27 is Thursday; 28 March is cuti bersama (Nyepi), 31 March Idul Fitri.
        let t = Double(UTCOffset.wib.parse("2025-03-27 15:00")!.seconds)
        let end = try clock.advance(t, by: 2 * 3600)
        // One hour on Thursday, then the next working day opens at 08:00 (after the holidays).
        let next = try WorkingCalendar().workingDay(1, after: UTCOffset.wib.day(of: Instant(seconds: Int64(t))))
        XCTAssertEqual(end, Double(UTCOffset.wib.startOfDay(next).seconds) + 9 * 3600)
    }

    // MARK: Profile diagnostics

    func testProfileDiagnosticsAreLocatedWithSuggestions() {
        let g = graph(Self.decision)
        let (p, d) = profile("""
        arivals: {per_working_day: 3}
        steps:
          perikssa: {duration: 2 jam}
          periksa: {branches: {ya: 0.7, tidak: 0.2}}
        staff:
          b: {people: 0}
          a: {people: 2, hours: "17:00-08:00"}
        durations: {spread: -1}
        """, g)
        XCTAssertNil(p)
        let codes = d.map(\.code)
        XCTAssertEqual(Set(codes), ["E0702", "E0703", "E0704", "E0705", "E0706"])
        let unknownKey = d.first { $0.code == "E0702" }!
        XCTAssertEqual(unknownKey.range?.start.line, 1)
        XCTAssertTrue(unknownKey.message.en.contains("did you mean `arrivals`"))
        let step = d.first { $0.code == "E0703" }!
        XCTAssertEqual(step.range?.start.line, 3)
        XCTAssertTrue(step.message.en.contains("did you mean `periksa`"), step.message.en)
        XCTAssertEqual(d.first { $0.code == "E0705" }?.range?.start.line, 4)
        XCTAssertEqual(d.filter { $0.code == "E0706" }.count, 2, d.map(\.message.en).joined(separator: "\n"))
    }

    func testProfileRefusesBadDistributionsAndTimers() {
        let g = graph(Self.decision)
        let (p, d) = profile("""
        steps:
          terima: {duration: {distribution: trianglar, min: 1 jam, max: 2 jam}}
          periksa: {duration: {distribution: uniform, min: 2 jam, max: 1 jam}}
          "2": {duration: 3 jem}
        timers:
          - {step: periksa, share: 0.5}
        """, g)
        XCTAssertNil(p)
        XCTAssertTrue(d.contains { $0.code == "E0701" && $0.message.en.contains("did you mean `triangular`") }, d.map(\.message.en).joined(separator: "\n"))
        XCTAssertTrue(d.contains { $0.code == "E0706" && $0.range?.start.line == 3 })
        XCTAssertTrue(d.contains { $0.code == "E0701" && $0.message.en.contains("jem") })
        XCTAssertTrue(d.contains { $0.code == "E0703" && $0.message.en.contains("no timer") })
    }

    func testArrivalsReplayedFromACSV() throws {
        let dir = try Support.temporaryDirectory(self)
        try "waktu,catatan\n2026-02-02 09:00,a\n2026-02-02 10:30,b\n2026-02-03 08:15,c\n".write(to: dir.appendingPathComponent("datang.csv"), atomically: true, encoding: .utf8)
        let g = graph(Self.decision)
        let sink = DiagnosticSink()
        let path = dir.appendingPathComponent("p.yaml").path
        let p = ProfileReader.read(SourceFile(path: path, bytes: Array("arrivals: {csv: datang.csv}\n".utf8)), graph: g, diagnostics: sink)
        XCTAssertEqual(sink.diagnostics.map(\.message.en), [])
        let (r, events) = try Simulator.run(SimulationModel(graph: g, profile: p!), cases: 100, seed: 1, logCases: 10)
        XCTAssertEqual(r.arrived, 3)
        let firsts = Dictionary(grouping: events, by: \.caseNumber).mapValues { $0.map(\.activated).min()! }
        XCTAssertEqual(firsts.keys.sorted().map { firsts[$0]! }, ["2026-02-02 09:00", "2026-02-02 10:30", "2026-02-03 08:15"].map { Double(UTCOffset.wib.parse($0)!.seconds) })
        // A bad line is located in the CSV's own terms.
        try "2026-02-02 09:00\nkemarin\n".write(to: dir.appendingPathComponent("datang.csv"), atomically: true, encoding: .utf8)
        let bad = DiagnosticSink()
        XCTAssertNil(ProfileReader.read(SourceFile(path: path, bytes: Array("arrivals: {csv: datang.csv}\n".utf8)), graph: g, diagnostics: bad))
        XCTAssertEqual(bad.diagnostics.first?.code, "E0707")
        XCTAssertTrue(bad.diagnostics.first?.message.en.contains("line 2") ?? false)
    }
}
