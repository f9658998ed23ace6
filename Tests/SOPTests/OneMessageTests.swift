import Foundation
import SOPDiagnostics
import SOPLanguage
import XCTest

/// One message per mistake: each cascade removed (issue 15) has a test here that makes the
/// mistake and counts the messages, beside its golden fixture in `Fixtures/errors`.
final class OneMessageTests: XCTestCase {
    let base = """
    sop: 1
    id: kota-contoh/diskominfo/penanganan-pengaduan
    name: Penanganan Pengaduan Masyarakat
    inputs: [Surat pengaduan]
    outputs: [Surat jawaban]
    actors:
      petugas: {name: Petugas Pelayanan}
      kepala-seksi: {name: Kepala Seksi Pengaduan}
    steps:
      - id: terima
        action: Menerima dan mencatat surat pengaduan masyarakat
        actor: petugas
        requires: [Surat pengaduan]
        produces: [Lembar disposisi]
        next: telaah
      - id: telaah
        action: Menelaah pengaduan dan menyusun surat jawaban
        actor: kepala-seksi
        requires: [Lembar disposisi]
        produces: [Surat jawaban]

    """

    func codes(_ yaml: String) -> [String] { Support.compile(yaml).1.map(\.code) }

    func testTheBaseIsClean() {
        XCTAssertEqual(codes(base), [])
    }

    /// `acter:` — not also "missing `actor`" (E0203), nor `kepala-seksi` unused (W0501).
    func testMisspeltStepActorKey() {
        XCTAssertEqual(codes(base.replacingOccurrences(of: "actor: kepala-seksi", with: "acter: kepala-seksi")), ["E0201"])
    }

    /// `acton:` — not also "missing `action`".
    func testMisspeltActionKey() {
        XCTAssertEqual(codes(base.replacingOccurrences(of: "action: Menelaah", with: "acton: Menelaah")), ["E0201"])
    }

    /// `actros:` — not also "missing `actors`", nor E0301 at every step.
    func testMisspeltActorsKey() {
        XCTAssertEqual(codes(base.replacingOccurrences(of: "actors:", with: "actros:")), ["E0201"])
    }

    /// `stpes:` — not also "missing `steps`", nor every actor unused, nor outputs no step produces.
    func testMisspeltStepsKey() {
        XCTAssertEqual(codes(base.replacingOccurrences(of: "steps:", with: "stpes:")), ["E0201"])
    }

    /// `nmae:` at the top — not also "missing `name`".
    func testMisspeltNameKey() {
        XCTAssertEqual(codes(base.replacingOccurrences(of: "name: Penanganan", with: "nmae: Penanganan")), ["E0201"])
    }

    /// `idd: telaah` — not also "no step has the id `telaah`", nor the document cascade.
    func testMisspeltStepIDKey() {
        XCTAssertEqual(codes(base.replacingOccurrences(of: "- id: telaah", with: "- idd: telaah")), ["E0201"])
    }

    /// An undeclared actor that meant a declared one: not also "declared but unused".
    func testUndefinedActorDoesNotMakeItsActorUnused() {
        XCTAssertEqual(codes(base.replacingOccurrences(of: "actor: kepala-seksi", with: "actor: kepala-seksie")), ["E0301"])
    }

    /// A wrong step reference: reported once, not again as a document produced "later" or
    /// as the flow rules' consequences.
    func testWrongStepReferenceReportedOnce() {
        XCTAssertEqual(codes(base.replacingOccurrences(of: "next: telaah", with: "next: telaha")), ["E0302"])
    }

    /// A real unused actor is still reported: the silence is only for a misspelt actor.
    func testUnusedActorStillReported() {
        let yaml = base.replacingOccurrences(of: "  kepala-seksi: {name: Kepala Seksi Pengaduan}", with: "  kepala-seksi: {name: Kepala Seksi Pengaduan}\n  arsiparis: {name: Arsiparis}")
        XCTAssertEqual(codes(yaml), ["W0501"])
    }

    /// Indonesian messages say "langkah 2", not "step 2".
    func testIndonesianMessagesSayLangkah() {
        let (_, diagnostics) = Support.compile(base.replacingOccurrences(of: "    action: Menelaah pengaduan dan menyusun surat jawaban\n", with: ""))
        XCTAssertEqual(diagnostics.map(\.code), ["E0203"])
        XCTAssertEqual(diagnostics[0].message.id, "langkah 2 tidak memiliki `action`, yang wajib ada")
        XCTAssertFalse(diagnostics[0].message.id.contains("step"))
    }

    /// An unreachable step is reported at its start: its `id`.
    func testUnreachableStepAtItsStart() {
        let yaml = base.replacingOccurrences(of: "    next: telaah\n", with: "    end: true\n") + """
          - id: arsip
            action: Mengarsipkan
            actor: petugas

        """
        let (_, diagnostics) = Support.compile(yaml)
        let unreachable = diagnostics.filter { $0.code == "E0401" }
        XCTAssertEqual(unreachable.count, 2)
        XCTAssertEqual(unreachable.map { $0.range!.start.line }, [16, 21])
        XCTAssertEqual(unreachable.map { $0.range!.start.column }, [9, 9])
    }

    /// A 100,000-character line of brackets is quoted cut around the caret, never whole.
    func testLongLineCutAroundTheCaret() {
        let line = "    note: " + String(repeating: "[", count: 100_000)
        let source = SourceFile(path: "t.yaml", bytes: Array(("a: 1\n" + line + "\n").utf8))
        let column = 50_000
        let at = SourceLocation(line: 2, column: column, offset: 5 + column - 1)
        let d = Diagnostic(severity: .error, code: "E0101", message: Message(en: "x", id: "x"),
                           range: SourceRange(file: "t.yaml", start: at, end: at))
        let out = HumanRenderer(language: .en, useColor: false, lineWidth: 80) { _ in source }.render(d)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertLessThan(out.count, 400)
        let quoted = lines[2], caret = lines[3]
        XCTAssertTrue(quoted.hasSuffix("…"))
        XCTAssertTrue(quoted.contains("…["))
        // The caret stands under the character it points at.
        let caretColumn = caret.distance(from: caret.startIndex, to: caret.firstIndex(of: "^")!)
        let quotedChars = Array(quoted)
        XCTAssertEqual(quotedChars[caretColumn], "[")
        XCTAssertEqual(quotedChars[caretColumn - 1], "[")
    }
}
