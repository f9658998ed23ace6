import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRuntime
import XCTest

/// The constructs that let a file say what its source says (Proposal 0003): provenance and
/// corrections, requirements met by another wording, anchored durations and windows,
/// conditional steps, steps of any of several actors, numeric recurrences, named outcomes,
/// inferred cells — each through the compiler, the IR and the runtime.
final class FidelityLanguageTests: XCTestCase {
    let wib = UTCOffset.wib
    func at(_ text: String) -> Instant { wib.parse(text)! }

    func compile(_ yaml: String) -> (ProcessGraph?, [Diagnostic]) {
        let (output, diagnostics) = Support.compile(yaml)
        return (output.graph, diagnostics)
    }

    func graph(_ yaml: String) -> ProcessGraph {
        let (g, diagnostics) = compile(yaml)
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, diagnostics.map(\.message.en).joined(separator: "\n"))
        return g!
    }

    func service(_ start: String) -> (CaseService, VirtualClock) {
        let clock = VirtualClock(at(start))
        return (CaseService(store: MemoryCaseStore(), clock: clock), clock)
    }

    func refused(_ code: RuntimeError.Code, _ body: () throws -> Void) {
        XCTAssertThrowsError(try body()) { XCTAssertEqual(($0 as? RuntimeError)?.code, code, "\($0)") }
    }

    static let header = "sop: 1\nid: test/fidelity\nname: Uji\n"

    func testProvenanceAndCorrectionsReachTheIR() {
        let g = graph(Self.header + """
        source: {document: 001.txt, sop_number: 4, lines: [[95, 160], [170, 171]]}
        corrections:
          - {printed: terdisporsi, reading: terdisposisi, kind: ocr, where: step 1 output, reason: no such word}
        actors: {a: A}
        steps: [{action: X, actor: a, produces: [Surat terdisposisi]}]
        """)
        XCTAssertEqual(g.identity.sourceLines, [[95, 160], [170, 171]])
        XCTAssertEqual(g.identity.corrections, [ProcessGraph.Correction(printed: "terdisporsi", reading: "terdisposisi", kind: "ocr",
                                                                        where: "step 1 output", reason: "no such word")])
        let (_, bad) = compile(Self.header + """
        source: {document: 001.txt, lines: [[9, 3]]}
        corrections: [{printed: a, reading: b, kind: editorial}]
        actors: {a: A}
        steps: [{action: X, actor: a}]
        """)
        XCTAssertEqual(bad.map(\.code), ["E0202", "E0209"], "a backwards range and a kind other than ocr/layout are refused")
    }

    func testARequirementSatisfiedByAnotherWordingKeepsThePrintedText() throws {
        let yaml = Self.header + """
        actors: {a: A, b: B}
        steps:
          - {action: Menerima, actor: a, produces: [Formulir Permohonan Informasi]}
          - action: Memeriksa
            actor: b
            requires: [{name: Formulir yang telah diisi lengkap, satisfied_by: Formulir Permohonan Informasi}]
        """
        let (g, diagnostics) = compile(yaml)
        XCTAssertEqual(diagnostics.map(\.code), [], "the flow check matches the satisfying document: no W0502")
        let printed = try XCTUnwrap(g?.documents.first { $0.name == "Formulir yang telah diisi lengkap" })
        XCTAssertEqual(g?.nodes[2].requires, [printed.index])
        XCTAssertEqual(printed.satisfiedBy.map { g!.documents[$0].name }, "Formulir Permohonan Informasi")
        // Without `satisfied_by` the same text is a W0502, as before.
        let (_, plain) = compile(yaml.replacingOccurrences(of: ", satisfied_by: Formulir Permohonan Informasi", with: ""))
        XCTAssertEqual(plain.map(\.code), ["N0503", "W0502"])
        // The runtime accepts the satisfying document for the printed requirement.
        let (s, _) = service("2025-03-03 09:00")
        let id = try s.start(g!)
        _ = try s.complete(id, step: "1", by: "a")
        _ = try s.complete(id, step: "2", by: "b")
        XCTAssertEqual(try s.load(id).0.status, .completed)
    }

    func testDurationsCountFromTheirAnchorAndAWindowSetsNoDeadline() throws {
        let yaml = Self.header + """
        actors: {ppid: PPID, pemohon: {name: Pemohon, kind: external}}
        steps:
          - {id: terima, action: Menerima permohonan, actor: ppid}
          - action: Memeriksa
            actor: ppid
            duration: 1 hari kerja
          - action: Menjawab
            actor: ppid
            duration: {text: "10 (sepuluh) hari kerja sejak diterimanya permohonan, dapat diperpanjang 7 hari kerja dengan menyampaikan pemberitahuan kepada Pemohon", from: terima}
          - action: Mengajukan keberatan
            actor: pemohon
            duration: {text: Diajukan dalam waktu paling lambat 30 (tiga puluh) hari kerja setelah diterimanya jawaban, window_of: pemohon}
        """
        let (g, diagnostics) = compile(yaml)
        XCTAssertEqual(diagnostics.map(\.code), [])
        let answer = g!.nodes[3], objection = g!.nodes[4]
        XCTAssertEqual(answer.durationFrom, 1)
        XCTAssertEqual(answer.duration?.since, "diterimanya permohonan")
        XCTAssertEqual(answer.duration?.condition, "menyampaikan pemberitahuan kepada pemohon")
        XCTAssertEqual(objection.durationWindowOf, 1)
        XCTAssertEqual(objection.duration?.maximum, TimeSpan(30, .workingDay))
        // The answer's 10 + 7 hari kerja run from Monday's receipt, not from Thursday's opening.
        let (s, clock) = service("2025-03-03 09:00")
        let id = try s.start(g!)
        _ = try s.complete(id, step: "terima", by: "ppid")
        clock.advance(to: at("2025-03-06 09:00"))
        _ = try s.complete(id, step: "2", by: "ppid")
        XCTAssertEqual(try s.load(id).0.openTasks.first?.deadline, try WorkingCalendar().deadline(after: TimeSpan(17, .workingDay), from: at("2025-03-03 09:00")))
        _ = try s.complete(id, step: "3", by: "ppid")
        XCTAssertNil(try s.load(id).0.openTasks.first?.deadline, "the applicant's window is no deadline of the step")
        // Without `from:` the anchor is a warning, W0505; `from` must name a step.
        let (_, unanchored) = compile(yaml.replacingOccurrences(of: ", from: terima}", with: "}"))
        XCTAssertEqual(unanchored.map(\.code), ["W0505"])
        let (_, wrong) = compile(yaml.replacingOccurrences(of: "from: terima", with: "from: trima"))
        XCTAssertEqual(wrong.map(\.code), ["E0302"])
        XCTAssertEqual(wrong.first?.help?.en, "did you mean `terima`?")
    }

    func testAConditionalStepIsADecisionBeforeTheStep() throws {
        let g = graph(Self.header + """
        actors: {ct: Call taker}
        steps:
          - {action: Menerima panggilan, actor: ct}
          - {action: Koordinasi jika diperlukan bantuan SATPOL PP, actor: ct, when: jika diperlukan bantuan SATPOL PP}
          - {action: Koordinasi jika diperlukan bantuan BASARNAS, actor: ct, when: jika diperlukan bantuan BASARNAS}
          - {id: tutup, action: Update dan Close Status, actor: ct}
        """)
        let conditions = g.nodes.filter { $0.conditionOf != nil }
        XCTAssertEqual(conditions.map(\.conditionOf), [2, 3])
        XCTAssertEqual(conditions.map(\.kind), [.decision, .decision])
        XCTAssertFalse(conditions[0].isStep, "a condition is not a row of its own")
        let out = g.edges.filter { $0.from == conditions[0].id }.map { "\($0.label ?? "")→\($0.to)" }
        XCTAssertEqual(out, ["ya→2", "tidak→\(conditions[1].id)"], "`tidak` passes to the next step's condition")
        XCTAssertTrue(g.edges.contains { $0.from == 1 && $0.to == conditions[0].id }, "the step before enters the condition")
        // The runtime asks the condition; `tidak` passes by both coordinations.
        let (s, _) = service("2025-03-03 09:00")
        let id = try s.start(g)
        _ = try s.complete(id, step: "1", by: "ct")
        refused(.notOpen) { _ = try s.complete(id, step: "2", by: "ct") }
        _ = try s.decide(id, step: "2?", branch: "tidak", by: "ct")
        _ = try s.decide(id, step: "3?", branch: "ya", by: "ct")
        _ = try s.complete(id, step: "3", by: "ct")
        _ = try s.complete(id, step: "tutup", by: "ct")
        XCTAssertEqual(try s.load(id).0.status, .completed)
        // A conditional step cannot also branch.
        let (_, bad) = compile(Self.header + """
        actors: {ct: C}
        steps:
          - {action: A, actor: ct, when: jika perlu, decision: {question: Q?, branches: {ya: b, tidak: end}}}
          - {id: b, action: B, actor: ct}
        """)
        XCTAssertEqual(bad.map(\.code), ["E0410"])
    }

    func testAnyOfSeveralActorsMayActAndNobodyElse() throws {
        let g = graph(Self.header + """
        actors: {admin: Admin, skpd: PIC SKPD, vertikal: PIC Instansi Vertikal}
        steps:
          - {action: Mendisposisi, actor: admin}
          - {action: Menindaklanjuti, actor: [skpd, vertikal]}
        """)
        XCTAssertEqual(g.nodes[2].actor, 1)
        XCTAssertEqual(g.nodes[2].actors, [1, 2])
        for actor in ["skpd", "vertikal"] {
            let (s, _) = service("2025-03-03 09:00")
            let id = try s.start(g)
            _ = try s.complete(id, step: "1", by: "admin")
            refused(.wrongActor) { _ = try s.complete(id, step: "2", by: "admin") }
            _ = try s.complete(id, step: "2", by: actor)
            XCTAssertEqual(try s.load(id).0.status, .completed)
        }
        let (_, bad) = compile(Self.header + "actors: {a: A}\nsteps: [{action: X, actor: [a, b]}]\n")
        XCTAssertEqual(bad.map(\.code), ["E0301"])
    }

    func testServiceHoursAreAWaktuOfTheirOwn() {
        guard case let .success(hours) = DurationParser.parse("Pada hari dan jam kerja untuk pemohon informasi secara langsung dan setiap saat untuk pemohon informasi secara tidak langsung") else {
            return XCTFail("service hours are a Waktu")
        }
        XCTAssertEqual(hours.value, .serviceHours)
        XCTAssertEqual(hours.hours, "hari dan jam kerja")
        XCTAssertNil(hours.maximum, "service hours set no deadline")
        guard case let .success(d) = DurationParser.parse("Pada hari dan jam kerja maksimal 10 (sepuluh) hari kerja, sejak permohonan informasi terintegrasi") else {
            return XCTFail("service hours before an amount")
        }
        XCTAssertEqual(d.value, .amount(span: TimeSpan(10, .workingDay), atMost: true, extension: nil))
        XCTAssertEqual(d.since, "permohonan informasi terintegrasi")
        if case .success = DurationParser.parse("Pada hari libur") { XCTFail("only working hours are service hours") }
    }

    func testQuarterlyRecurrence() throws {
        for (text, every, interval) in [("Dilakukan Per Triwulan", RecurrencePeriod.month, 3), ("Per semester", .month, 6),
                                        ("Setiap 2 minggu", .week, 2), ("Dilakukan satu kali perbulan", .month, 1),
                                        ("Dilakukan di setiap hari kerja", .workingDay, 1)] {
            guard case let .success(d) = DurationParser.parse(text), case let .recurring(r) = d.value else {
                XCTFail("\(text) is a recurrence"); continue
            }
            XCTAssertEqual(r.every, every, text)
            XCTAssertEqual(r.interval ?? 1, interval, text)
        }
        let c = WorkingCalendar()
        XCTAssertEqual(try c.endOfPeriod(.month, containing: at("2025-05-14 10:00"), interval: 3), at("2025-07-01 00:00"))
        XCTAssertEqual(try c.endOfPeriod(.month, containing: at("2025-11-30 10:00"), interval: 3), at("2026-01-01 00:00"))
        XCTAssertEqual(try c.endOfPeriod(.month, containing: at("2025-05-14 10:00"), interval: 6), at("2025-07-01 00:00"))
    }

    func testNamedOutcomesAreEndsOfTheirOwn() throws {
        let yaml = Self.header + """
        outcomes:
          kembali: {name: dikembalikan ke Super Admin}
          ombudsman: diteruskan oleh sistem ke Ombudsman RI
        actors: {admin: Tim Admin, penghubung: Pejabat Penghubung}
        steps:
          - action: Memverifikasi
            actor: admin
            decision: {question: Sesuai kewenangan?, branches: {ya: respon, tidak: kembali}}
          - id: respon
            action: Memberikan respon
            actor: penghubung
            timeout: {after: 60 hari kerja, goto: ombudsman}
            end: true
        """
        let g = graph(yaml)
        let ends = g.nodes.filter { $0.kind == .end }
        XCTAssertEqual(ends.map(\.key), ["kembali", "ombudsman", nil])
        XCTAssertEqual(ends.map(\.label), ["dikembalikan ke Super Admin", "diteruskan oleh sistem ke Ombudsman RI", "Selesai"])
        XCTAssertEqual(g.timers.first?.target, ends[1].id)
        // The timer reaches the Ombudsman outcome; the case says so.
        let (s, clock) = service("2025-03-03 09:00")
        let id = try s.start(g)
        _ = try s.decide(id, step: "1", branch: "ya", by: "admin")
        clock.advance(to: at("2025-07-01 00:00"))
        _ = try s.fireDue(id, now: at("2025-07-01 00:00"))
        let state = try s.load(id).0
        let events = try s.store.events(of: id)
        XCTAssertEqual(state.status, .completed)
        XCTAssertEqual(state.outcome, ends[1].id)
        XCTAssertTrue(events.contains { $0.kind == "outcome_reached" })
        // The exports say how the case ended.
        let log = [EventLog.Case(events: events, graph: g)]
        XCTAssertTrue(EventLog.csv(log).contains(",ombudsman,diteruskan oleh sistem ke Ombudsman RI,,complete"), EventLog.csv(log))
        XCTAssertTrue(EventLog.xes(log).contains("value=\"diteruskan oleh sistem ke Ombudsman RI\""))
        // With every end named, no unreached default end is drawn.
        let allNamed = graph(yaml.replacingOccurrences(of: "    end: true", with: "    end: kembali"))
        XCTAssertEqual(allNamed.nodes.filter { $0.kind == .end }.map(\.key), ["kembali", "ombudsman"])
        let (_, bad) = compile(yaml.replacingOccurrences(of: "    end: true", with: "    end: kembalii"))
        XCTAssertEqual(bad.map(\.code), ["E0305"])
    }

    func testInferredCellsAreKeptPerNode() {
        let g = graph(Self.header + """
        actors: {a: A}
        steps:
          - action: X
            actor: a
            inferred: {actor: "pelaksana disimpulkan dari teks aktivitas"}
        """)
        XCTAssertEqual(g.nodes[1].inferred, [ProcessGraph.Inference(field: "actor", reason: "pelaksana disimpulkan dari teks aktivitas")])
        XCTAssertTrue(g.nodes[1].isInferred("actor"))
        let (_, bad) = compile(Self.header + "actors: {a: A}\nsteps: [{action: X, actor: a, inferred: {acter: y}}]\n")
        XCTAssertEqual(bad.map(\.code), ["E0201"])
        XCTAssertEqual(bad.first?.help?.en, "did you mean `actor`?")
    }

    func testADecisionWhoseBranchesMeetIsAWarning() {
        let (_, same) = compile(Self.header + """
        actors: {x: X}
        steps:
          - {action: R, actor: x, decision: {question: S?, branches: {ya: t, tidak: t}}}
          - {id: t, action: T, actor: x}
        """)
        XCTAssertEqual(same.map(\.code), ["W0411"])
        let (_, outcomes) = compile(Self.header + """
        outcomes: {a: A, b: B}
        actors: {x: X}
        steps:
          - {action: P, actor: x, decision: {question: Q?, branches: {ya: a, tidak: b}}}
        """)
        XCTAssertEqual(outcomes.map(\.code), [], "two outcomes are two places")
    }
}
