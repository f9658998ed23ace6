import SOPDiagnostics
import SOPLanguage
import XCTest

/// The AST keeps text as references into the YAML document and the rules compare bytes:
/// these cases pin down that the comparisons still mean what `String` equality means.
final class CompactASTTests: XCTestCase {
    func check(_ yaml: String) -> [Diagnostic] {
        let sink = DiagnosticSink()
        _ = Compiler().compile(SourceFile(path: "t.yaml", bytes: Array(yaml.utf8)), diagnostics: sink)
        return sink.diagnostics
    }

    func codes(_ yaml: String) -> [String] { check(yaml).map(\.code) }

    func sop(actors: String, steps: String, extra: String = "") -> String {
        "sop: 1\nid: t/contoh\nname: Contoh\n\(extra)actors:\n\(actors)\nsteps:\n\(steps)\n"
    }

    func testNonASCIIActorKeyIsFoundByItsText() {
        // An invalid (non-ASCII) actor key is reported once, and a step naming it is not also an error.
        let yaml = sop(actors: "  pétugas: Petugas", steps: "  - id: a\n    action: Menerima\n    actor: pétugas\n    end: true")
        XCTAssertEqual(codes(yaml), ["E0206"])
    }

    func testCanonicallyEquivalentActorTextsMatch() {
        // "é" precomposed in the key, decomposed ("e" + U+0301) in the step: equal as Strings.
        let yaml = sop(actors: "  p\u{E9}tugas: Petugas", steps: "  - id: a\n    action: Menerima\n    actor: pe\u{301}tugas\n    end: true")
        XCTAssertFalse(codes(yaml).contains("E0301"))
    }

    func testUndefinedActorStillSuggestsTheKey() {
        let yaml = sop(actors: "  petugas: Petugas\n  kepala: Kepala Dinas",
                       steps: "  - id: a\n    action: Menerima\n    actor: petugass\n  - id: b\n    action: Menyetujui\n    actor: kepala\n    end: true")
        let d = check(yaml).first { $0.code == "E0301" }
        XCTAssertEqual(d?.fixIts.first?.edits.first?.replacement, "petugas")
        XCTAssertEqual(d?.range?.start.line, 10)
    }

    /// A decision whose branches (a YAML flow mapping's inside) all lead to the end step `b`.
    func decision(branches: String) -> String {
        sop(actors: "  p: Petugas", steps: """
          - id: a
            action: Memeriksa
            actor: p
            decision:
              question: Lengkap?
              branches: {\(branches)}
          - id: b
            action: Selesai
            actor: p
            end: true
        """)
    }

    func testDecisionLabelsAreComparedIgnoringCase() {
        let duplicates = check(decision(branches: "Ya: b, ya: b, DITOLAK É: b, ditolak é: b")).filter { $0.code == "E0405" }
        XCTAssertEqual(duplicates.map { $0.range?.start.column }, [25, 46])
    }

    func testManyBranchesAreComparedIgnoringCaseToo() {
        let branches = (1...30).map { "l\($0): b" }.joined(separator: ", ") + ", L7: b, Ÿ: b, ÿ: b"
        let duplicates = check(decision(branches: branches)).filter { $0.code == "E0405" }
        XCTAssertEqual(duplicates.count, 2)
        XCTAssertTrue(duplicates[0].message.en.contains("`L7`"), duplicates[0].message.en)
        XCTAssertTrue(duplicates[1].message.en.contains("`ÿ`"), duplicates[1].message.en)
    }

    func testDocumentNamesMatchIgnoringCaseAndSpacing() {
        let steps = """
          - id: a
            action: Membuat
            actor: p
            produces: [Surat  Tugas]
          - id: b
            action: Memakai
            actor: p
            requires: [surat tugas, Surat Kuasa]
            end: true
        """
        let unknown = check(sop(actors: "  p: Petugas", steps: steps)).filter { $0.code == "W0502" }
        XCTAssertEqual(unknown.count, 1)
        XCTAssertTrue(unknown[0].message.en.contains("Surat Kuasa"))
    }

    /// Far producers are settled exactly, past the backward search's budget: upstream is
    /// silent, downstream is reported at every requirement with its note.
    func testFarProducersAreSettledExactly() {
        func chain(_ n: Int, _ body: (Int) -> String) -> String {
            (0..<n).map { "  - id: s\($0)\n    action: Langkah \($0)\n    actor: p\n" + body($0) }.joined()
        }
        let far = chain(700) { $0 == 0 ? "    produces: [Berkas Awal]\n" : $0 == 699 ? "    requires: [Berkas Awal]\n    end: true\n" : "" }
        XCTAssertFalse(codes(sop(actors: "  p: Petugas", steps: far)).contains("W0502"))
        let late = chain(700) { $0 == 699 ? "    produces: [Berkas Akhir]\n    end: true\n" : "    requires: [Berkas Akhir]\n" }
        let warnings = check(sop(actors: "  p: Petugas", steps: late)).filter { $0.code == "W0502" }
        XCTAssertEqual(warnings.count, 699)
        XCTAssertTrue(warnings.allSatisfy { $0.notes.contains { $0.en.contains("come after") } })
        // A loop back over 700 steps makes the late producer upstream of every step in it.
        let loop = chain(700) { $0 == 699 ? "    produces: [Berkas Akhir]\n    decision: {question: Ulang?, branches: {ya: s1, tidak: end}}\n"
                                          : $0 == 0 ? "" : "    requires: [Berkas Akhir]\n" }
        XCTAssertEqual(check(sop(actors: "  p: Petugas", steps: loop)).filter { $0.code == "W0502" }.count, 0)
    }

    func testJumpsResolveByIDAndToEnd() {
        let steps = """
          - id: a
            action: Membuat
            actor: p
            next: c
          - id: b
            action: Tidak pernah
            actor: p
            next: end
          - id: c
            action: Menutup
            actor: p
            next: end
        """
        XCTAssertEqual(codes(sop(actors: "  p: Petugas", steps: steps)), ["E0401"])
    }

    func testALongCriticalPathIsShownByItsEnds() {
        var steps = ""
        for i in 1...40 { steps += "  - id: s\(i)\n    action: Langkah \(i)\n    actor: p\n    duration: 1 hari\n" }
        let d = check(sop(actors: "  p: Petugas", steps: steps, extra: "sla: 2 hari\n")).first { $0.code == "W0504" }
        let message = d?.message.en ?? ""
        XCTAssertTrue(message.contains("1 → 2 → "), message)
        XCTAssertTrue(message.contains(" → … → 35 → "), message)
        XCTAssertTrue(message.contains("40, in all 40 steps)"), message)
        XCTAssertFalse(message.contains(" 20 → "), message)
    }

    func testALongLoopIsShownByItsEnds() {
        var steps = ""
        for i in 1...30 { steps += "  - id: s\(i)\n    action: Langkah \(i)\n    actor: p\n" }
        steps += "    next: s1\n"
        let d = check(sop(actors: "  p: Petugas", steps: steps)).first { $0.code == "E0403" }
        XCTAssertEqual(d?.message.en, "steps 1 → 2 → 3 → 4 → 5 → 6 → 7 → 8 → 9 → 10 → 11 → 12 → … → 25 → 26 → 27 → 28 → 29 → 30, in all 30 steps, form a loop with no way out")
        XCTAssertEqual(d?.message.id, "langkah 1 → 2 → 3 → 4 → 5 → 6 → 7 → 8 → 9 → 10 → 11 → 12 → … → 25 → 26 → 27 → 28 → 29 → 30, seluruhnya 30 langkah, membentuk putaran tanpa jalan keluar")
    }

    func testManyDeclaredActorsAreListedByTheFirstTwenty() {
        let actors = (1...25).map { "  a\($0): Aktor \($0)" }.joined(separator: "\n")
        let d = check(sop(actors: actors, steps: "  - id: s\n    action: L\n    actor: a26\n    end: true")).first { $0.code == "E0301" }
        XCTAssertEqual(d?.notes.first?.en, "declared actors: " + (1...20).map { "a\($0)" }.joined(separator: ", ") + " and 5 more")
        XCTAssertEqual(d?.fixIts.first?.edits.first?.replacement, "a2", "did you mean the nearest key")
    }
}
