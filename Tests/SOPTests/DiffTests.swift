import Foundation
import SOPDiagnostics
import SOPAnalysis
import SOPDiff
import SOPIR
import SOPLanguage
import XCTest

/// `sop diff`: what a revision changes, read from the IR; how the file is written never shows.
final class DiffTests: XCTestCase {
    /// A small SOP to edit: a decision that loops back, a timer, documents.
    static let base = """
    sop: 1
    id: test/diff
    name: Pelayanan Uji
    number: 001 / SOP / 2023
    dates: {created: 2023-01-02}
    approved_by: {title: Kepala Dinas, name: "BUDI, S.Kom", nip: "19800101 200501 1 001"}
    legal_basis:
      - Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik
      - Peraturan Daerah Nomor 1 Tahun 2015 tentang Pelayanan
    sla: 23 hari kerja
    actors:
      petugas: {name: Petugas Loket}
      kabid: {name: Kepala Bidang}
    steps:
      - id: terima
        action: Menerima berkas permohonan dari pemohon
        actor: petugas
        requires: [Surat Permohonan]
        duration: 1 hari kerja
        produces: [Berkas]
      - id: periksa
        action: Memeriksa kelengkapan berkas permohonan
        actor: petugas
        requires: [Berkas]
        duration: 2 hari kerja
        decision:
          question: Lengkap?
          branches: {ya: proses, tidak: terima}
      - id: proses
        action: Memproses permohonan dan menyiapkan surat jawaban
        actor: kabid
        requires: [Berkas]
        duration: 10 hari kerja
        produces: [Surat Jawaban]
        timeout: {after: 15 hari kerja, goto: end, label: Tidak selesai}
      - id: serahkan
        action: Menyerahkan surat jawaban kepada pemohon
        actor: petugas
        requires: [Surat Jawaban]
        duration: 10 hari kerja
    """

    func side(_ yaml: String, path: String = "x.yaml") throws -> DiffSide {
        let (output, diagnostics) = Support.compile(yaml, path: path)
        let graph = try XCTUnwrap(output.graph, "does not compile: \(diagnostics.map { $0.message.en })")
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, "\(diagnostics.map { $0.message.en })")
        return DiffSide(path: path, graph: graph, diagnostics: diagnostics)
    }

    func diff(_ old: String, _ new: String) throws -> SOPDiff {
        SOPDiffer.compare(try side(old, path: "old.yaml"), try side(new, path: "new.yaml"))
    }

    func testSameFileIsNoChange() throws {
        let d = try diff(Self.base, Self.base)
        XCTAssertFalse(d.hasChanges)
        XCTAssertTrue(DiffRenderer(language: .en).text(d).contains("no semantic change"))
    }

    func testKeyOrderCommentsQuotingAndWrappingAreNoChange() throws {
        let rewritten = """
        # a comment
        name: "Pelayanan Uji"
        id: 'test/diff'
        sop: 1
        approved_by:
          nip: '19800101 200501 1 001'
          name: BUDI, S.Kom
          title: "Kepala Dinas"
        number: "001 / SOP / 2023"
        dates:
          created: 2023-01-02
        legal_basis: [Undang-Undang Nomor 25 Tahun 2009
            tentang Pelayanan Publik, "Peraturan Daerah Nomor 1 Tahun 2015 tentang Pelayanan"]
        sla: 23 hari kerja   # the SLA
        actors:
          petugas:
            name: Petugas Loket
          kabid: {name: "Kepala Bidang"}
        steps:
          - action: >-
              Menerima berkas
              permohonan dari pemohon
            id: terima
            duration: "1 hari kerja"
            actor: petugas
            produces: [Berkas]
            requires: [Surat Permohonan]
          - {id: periksa, actor: petugas, action: Memeriksa kelengkapan berkas permohonan, requires: [Berkas],
             duration: 2 hari kerja, decision: {branches: {ya: proses, tidak: terima}, question: "Lengkap?"}}
          - id: proses
            timeout: {label: Tidak selesai, goto: end, after: 15 hari kerja}
            action: Memproses permohonan dan menyiapkan surat jawaban
            produces: [Surat Jawaban]
            duration: 10 hari kerja
            requires: [Berkas]
            actor: kabid
          - id: serahkan
            requires: [Surat Jawaban]
            actor: petugas
            duration: 10 hari kerja
            action: "Menyerahkan surat jawaban kepada pemohon"
        """
        let d = try diff(Self.base, rewritten)
        XCTAssertFalse(d.hasChanges, DiffRenderer(language: .en).text(d))
    }

    func testDurationChangeIsInWorkingDaysAndMovesTheLongestPath() throws {
        let new = Self.base.replacingOccurrences(of: "duration: 10 hari kerja\n    produces: [Surat Jawaban]",
                                                 with: "duration: 7 hari kerja\n    produces: [Surat Jawaban]")
        XCTAssertNotEqual(new, Self.base)
        let d = try diff(Self.base, new)
        XCTAssertEqual(d.steps.count, 1)
        let step = try XCTUnwrap(d.steps.first)
        XCTAssertEqual(step.newNumber, "3")
        XCTAssertEqual(step.time?.old?.maxDays, 10)
        XCTAssertEqual(step.time?.new?.maxDays, 7)
        XCTAssertEqual(d.timing.oldLongest?.maxDays, 23)
        XCTAssertEqual(d.timing.newLongest?.maxDays, 20)
        XCTAssertTrue(d.timing.changed)
        let text = DiffRenderer(language: .id).text(d)
        XCTAssertTrue(text.contains("waktu: 10 hari kerja → 7 hari kerja"), text)
        XCTAssertTrue(text.contains("sebelum: 23 hari kerja"), text)
        XCTAssertTrue(text.contains("sesudah: 20 hari kerja"), text)
    }

    func testCalendarDaysAreGivenInWorkingDays() throws {
        let new = Self.base.replacingOccurrences(of: "duration: 2 hari kerja", with: "duration: 7 hari")
        let d = try diff(Self.base, new)
        let step = try XCTUnwrap(d.steps.first)
        XCTAssertEqual(step.time?.new?.maxDays, 5, "7 calendar days are 5 working days by the IR's estimate")
    }

    func testActionIsAWordDiff() throws {
        let new = Self.base.replacingOccurrences(of: "Memeriksa kelengkapan berkas permohonan", with: "Memeriksa keabsahan berkas permohonan")
        let d = try diff(Self.base, new)
        let words = try XCTUnwrap(d.steps.first?.actionWords)
        XCTAssertEqual(words.filter { $0.op == .removed }.map(\.text), ["kelengkapan"])
        XCTAssertEqual(words.filter { $0.op == .added }.map(\.text), ["keabsahan"])
        XCTAssertTrue(DiffRenderer(language: .en).text(d).contains("Memeriksa [-kelengkapan-] {+keabsahan+} berkas permohonan"))
        XCTAssertTrue(DiffRenderer(language: .en).markdown(d).contains("Memeriksa ~~kelengkapan~~ **keabsahan** berkas permohonan"))
    }

    func testStepsWithoutIDsAreMatchedByTheirWords() throws {
        func noIDs(_ s: String) -> String {
            s.replacingOccurrences(of: "branches: {ya: proses, tidak: terima}", with: "branches: {ya: proses, tidak: terima}")
        }
        let old = """
        sop: 1
        id: t/x
        name: X
        actors: {a: {name: A}, b: {name: B}}
        steps:
          - {action: Menerima surat permohonan, actor: a, duration: 1 hari kerja}
          - {action: Mencatat surat dalam buku agenda, actor: a, duration: 1 hari kerja}
          - {action: Mendisposisi surat kepada bidang, actor: b, duration: 1 hari kerja}
        """
        // A step inserted at the front; the others renumbered, one reworded.
        let new = """
        sop: 1
        id: t/x
        name: X
        actors: {a: {name: A}, b: {name: B}}
        steps:
          - {action: Memberi nomor antrean, actor: a, duration: 5 menit}
          - {action: Menerima surat permohonan, actor: a, duration: 1 hari kerja}
          - {action: Mencatat surat dalam buku agenda elektronik, actor: a, duration: 1 hari kerja}
          - {action: Mendisposisi surat kepada bidang, actor: b, duration: 1 hari kerja}
        """
        _ = noIDs("")
        let d = try diff(old, new)
        XCTAssertEqual(d.steps.map(\.kind), [.added, .changed])
        XCTAssertEqual(d.steps[0].newNumber, "1")
        XCTAssertEqual(d.steps[1].oldNumber, "2")
        XCTAssertEqual(d.steps[1].newNumber, "3")
        XCTAssertFalse(d.steps[1].moved, "renumbered by an insertion, not moved")
        XCTAssertEqual(d.steps[1].actionWords?.filter { $0.op == .added }.map(\.text), ["elektronik"])
        // The exits of kept steps are compared through the new step: nothing rewired.
        XCTAssertTrue(d.steps.allSatisfy { $0.exits.isEmpty })
    }

    func testMovedStepAndRemovedStep() throws {
        let old = """
        sop: 1
        id: t/x
        name: X
        actors: {a: {name: A}}
        steps:
          - {id: s1, action: Satu, actor: a}
          - {id: s2, action: Dua, actor: a}
          - {id: s3, action: Tiga, actor: a}
          - {id: s4, action: Empat, actor: a}
        """
        let new = """
        sop: 1
        id: t/x
        name: X
        actors: {a: {name: A}}
        steps:
          - {id: s1, action: Satu, actor: a}
          - {id: s3, action: Tiga, actor: a}
          - {id: s2, action: Dua, actor: a}
        """
        let d = try diff(old, new)
        let moved = d.steps.filter(\.moved)
        XCTAssertEqual(moved.count, 1)
        XCTAssertEqual(moved.first?.action, "Dua")
        XCTAssertEqual(moved.first?.afterOld, "1")
        XCTAssertEqual(moved.first?.afterNew, "2")
        XCTAssertTrue(DiffRenderer(language: .id).text(d).contains("dipindah: setelah langkah 1 → setelah langkah 2"), DiffRenderer(language: .id).text(d))
        XCTAssertEqual(d.steps.filter { $0.kind == .removed }.map(\.oldNumber), ["4"])
        XCTAssertEqual(d.steps.filter { $0.kind == .removed }.map(\.action), ["Empat"])
    }

    func testBranchRewiredUnreachableStepAndNewLoop() throws {
        // `tidak` now ends the case instead of looping back; `serahkan` is skipped by a jump.
        var new = Self.base.replacingOccurrences(of: "branches: {ya: proses, tidak: terima}", with: "branches: {ya: proses, tidak: end}")
        let d1 = try diff(Self.base, new)
        let exits = d1.steps.flatMap(\.exits)
        XCTAssertEqual(exits.count, 1)
        XCTAssertEqual(exits.first?.label, "tidak")
        XCTAssertEqual(exits.first?.old?.kind, .step)
        XCTAssertEqual(exits.first?.old?.label, "1")
        XCTAssertEqual(exits.first?.new?.kind, .end)
        XCTAssertEqual(d1.flow.map(\.kind), [.loopRemoved])

        // In a draft an unreachable step is a warning, so the revision can be compared.
        let draft = Self.base.replacingOccurrences(of: "sop: 1\n", with: "sop: 1\ndraft: true\n")
        new = draft.replacingOccurrences(of: "timeout: {after: 15 hari kerja, goto: end, label: Tidak selesai}",
                                         with: "timeout: {after: 15 hari kerja, goto: end, label: Tidak selesai}\n    next: end")
        let d2 = try diff(draft, new)
        XCTAssertTrue(d2.flow.contains { $0.kind == .unreachable && $0.steps == ["4"] }, "\(d2.flow)")
        XCTAssertTrue(d2.diagnostics.introduced.contains { $0.code == "E0401" })
        XCTAssertTrue(DiffRenderer(language: .en).text(d2).contains("no case reaches step(s) 4 any more"))

        new = Self.base + "\n    next: periksa"
        let d3 = try diff(Self.base, new)
        XCTAssertTrue(d3.flow.contains { $0.kind == .newLoop }, "\(d3.flow)")
        XCTAssertTrue(DiffRenderer(language: .id).text(d3).contains("perulangan baru"))
    }

    func testTimerChanged() throws {
        let new = Self.base.replacingOccurrences(of: "after: 15 hari kerja", with: "after: 20 hari kerja")
        let d = try diff(Self.base, new)
        let timer = try XCTUnwrap(d.steps.first?.timers.first)
        XCTAssertEqual(timer.old?.after.maxDays, 15)
        XCTAssertEqual(timer.new?.after.maxDays, 20)
        XCTAssertEqual(timer.new?.target.kind, .end)
    }

    func testIdentityLegalBasisAndApprover() throws {
        let new = Self.base
            .replacingOccurrences(of: "dates: {created: 2023-01-02}", with: "dates: {created: 2023-01-02, revised: 2024-03-01}")
            .replacingOccurrences(of: "name: \"BUDI, S.Kom\"", with: "name: \"SITI, S.H.\"")
            .replacingOccurrences(of: "  - Peraturan Daerah Nomor 1 Tahun 2015 tentang Pelayanan\n",
                                  with: "  - Peraturan Daerah Nomor 2 Tahun 2015 tentang Pelayanan\n  - Peraturan Wali Kota Nomor 9 Tahun 2024 tentang Standar Pelayanan\n")
        let d = try diff(Self.base, new)
        XCTAssertEqual(d.identity.map(\.field), ["dates.revised", "approvedBy.name"])
        XCTAssertEqual(d.identity.first?.new, "2024-03-01")
        let legal = try XCTUnwrap(d.lists.first { $0.field == "legalBasis" })
        XCTAssertEqual(legal.added, ["Peraturan Wali Kota Nomor 9 Tahun 2024 tentang Standar Pelayanan"])
        XCTAssertEqual(legal.reworded.count, 1)
        XCTAssertEqual(legal.reworded.first?.words?.filter { $0.op != .same }.map(\.text), ["1", "2"])
        XCTAssertTrue(legal.removed.isEmpty)
        let md = DiffRenderer(language: .id).markdown(d)
        XCTAssertTrue(md.contains("## Riwayat Perubahan: Pelayanan Uji"), md)
        XCTAssertTrue(md.contains("| Tanggal revisi | (tidak ada) | 2024-03-01 |"), md)
    }

    func testActorsRenamedAddedRemoved() throws {
        let new = Self.base
            .replacingOccurrences(of: "kabid: {name: Kepala Bidang}", with: "kabid: {name: Kepala Bidang Pelayanan}\n  sekretaris: {name: Sekretaris}")
            .replacingOccurrences(of: "petugas: {name: Petugas Loket}", with: "loket: {name: Petugas Loket}")
            .replacingOccurrences(of: "actor: petugas", with: "actor: loket")
        let d = try diff(Self.base, new)
        // Key `petugas` → `loket` (same name), kabid renamed, sekretaris added; no step shows an actor change.
        XCTAssertTrue(d.actors.contains { $0.kind == .changed && $0.oldKey == "petugas" && $0.newKey == "loket" })
        XCTAssertTrue(d.actors.contains { $0.kind == .changed && $0.newName == "Kepala Bidang Pelayanan" })
        XCTAssertTrue(d.actors.contains { $0.kind == .added && $0.newKey == "sekretaris" })
        XCTAssertTrue(d.steps.allSatisfy { $0.actor == nil }, "\(d.steps)")
    }

    func testDiagnosticsIntroducedAndResolved() throws {
        // `Surat Permohonan` comes from outside: listed under `inputs`, warning W0502 goes.
        let new = Self.base.replacingOccurrences(of: "sla: 23 hari kerja", with: "sla: 23 hari kerja\ninputs: [Surat Permohonan]")
        let d = try diff(Self.base, new)
        XCTAssertEqual(d.diagnostics.resolved.map(\.code), ["W0502"], "\(d.diagnostics)")
        XCTAssertTrue(d.diagnostics.introduced.isEmpty)
        let back = try diff(new, Self.base)
        XCTAssertEqual(back.diagnostics.introduced.map(\.code), ["W0502"])
        XCTAssertEqual(back.diagnostics.introduced.first?.line, 18)
    }

    func testJSONIsDeterministicAndDecodes() throws {
        let new = Self.base.replacingOccurrences(of: "duration: 1 hari kerja", with: "duration: 2 hari kerja")
        let a = DiffRenderer.json(try diff(Self.base, new)), b = DiffRenderer.json(try diff(Self.base, new))
        XCTAssertEqual(a, b)
        let object = try JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any]
        XCTAssertEqual(object?["changed"] as? Bool, true)
        struct Doc: Decodable { var diff: SOPDiff }
        let decoded = try JSONDecoder().decode(Doc.self, from: Data(a.utf8))
        XCTAssertEqual(decoded.diff.steps.first?.time?.new?.maxDays, 2)
    }

    func testControlCharactersAndBidiOverridesAreShownNotObeyed() throws {
        let new = Self.base.replacingOccurrences(of: "Memeriksa kelengkapan berkas permohonan",
                                                 with: "Memeriksa \\u0001 \\u202E berkas \\e]0;judul\\a permohonan")
            .replacingOccurrences(of: "- id: periksa\n    action: Memeriksa", with: "- id: periksa\n    action: \"Memeriksa")
            .replacingOccurrences(of: "\\a permohonan\n", with: "\\a permohonan\"\n")
        let d = try diff(Self.base, new)
        let action = try XCTUnwrap(d.steps.first?.action)
        XCTAssertTrue(action.unicodeScalars.contains("\u{1}") && action.unicodeScalars.contains("\u{1B}"), "the IR keeps the text: \(action)")
        for renderer in [DiffRenderer(language: .en), DiffRenderer(language: .en, color: true)] {
            for out in [renderer.text(d), renderer.markdown(d)] {
                XCTAssertFalse(out.unicodeScalars.contains { $0.value == 1 || $0.value == 7 || $0.value == 0x202E }, out)
                XCTAssertTrue(out.contains("\u{2401}") && out.contains("<U+202E>") && out.contains("\u{241B}") && out.contains("0;judul\u{2407}"), out)
            }
        }
        // Our own colours stay.
        XCTAssertTrue(DiffRenderer(language: .en, color: true).text(d).contains("\u{1B}[31m"))
    }

    func testMarkdownEscapesSOPText() throws {
        XCTAssertEqual(DiffRenderer.markdownEscape("a|b*c_d<e>"), "a\\|b\\*c\\_d\\<e\\>")
    }

    func testWordDiffIgnoresWrapping() {
        XCTAssertEqual(WordDiff.diff("a  b\n c", "a b c"), [WordDiff.Segment(op: .same, text: "a b c")])
        XCTAssertEqual(WordDiff.similarity("Menerima laporan", "menerima LAPORAN"), 1)
    }

    // MARK: The catalogue's two editions, as the CLI prints them

    static let ccc2019 = "sops/kota-cirebon/dkis/pengaduan-sarana-prasarana-ccc-2019.yaml"
    static let ccc2024 = "sops/kota-cirebon/dkis/pengaduan-sarana-prasarana-ccc.yaml"

    /// `Fixtures/diff/ccc-2019-2024.*` are `sop diff` of the two editions, run at the
    /// repository's root; `UPDATE_GOLDEN=1 swift test --filter DiffTests` rewrites them.
    func testCirebonCommandCenterEditionsMatchTheReferenceOutputs() throws {
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
        let cases: [(String, [String])] = [
            ("ccc-2019-2024.id.txt", ["--lang", "id"]),
            ("ccc-2019-2024.en.txt", ["--lang", "en"]),
            ("ccc-2019-2024.id.md", ["--lang", "id", "--format", "markdown"]),
            ("ccc-2019-2024.json", ["--format", "json"]),
        ]
        for (name, options) in cases {
            let run = try Support.sop(["diff", Self.ccc2019, Self.ccc2024] + options)
            XCTAssertEqual(run.status, 1, "\(name): \(run.stderr)")
            XCTAssertEqual(run.stderr, "")
            let url = Support.fixtures.appendingPathComponent("diff/\(name)")
            if update { try Data(run.stdout.utf8).write(to: url); continue }
            let expected = try String(contentsOf: url, encoding: .utf8)
            if run.stdout != expected { XCTFail("\(name) differs:\n--- expected\n\(expected)\n--- actual\n\(run.stdout)") }
        }
    }

    /// What the city changed, as a reader of the change note should learn it.
    func testCirebonCommandCenterEditionsSayWhatTheCityChanged() throws {
        let run = try Support.sop(["diff", "--format", "json", Self.ccc2019, Self.ccc2024])
        struct Doc: Decodable { var diff: SOPDiff }
        let d = try JSONDecoder().decode(Doc.self, from: Data(run.stdout.utf8)).diff
        // A new number, a new approver, the revision dates filled in.
        XCTAssertEqual(d.identity.first { $0.field == "number" }?.new, "000.8.3.3 / 8 / 2.16 - PIKP / DKIS / 2024")
        XCTAssertEqual(d.identity.first { $0.field == "approvedBy.name" }?.new, "MA'RUF NURYASA, A.P., M.M.")
        XCTAssertEqual(d.identity.first { $0.field == "dates.revised" }?.old, nil)
        // The telecommunications law's number corrected from 35 to 36.
        let legal = try XCTUnwrap(d.lists.first { $0.field == "legalBasis" })
        XCTAssertTrue(legal.reworded.contains { ($0.words ?? []).contains { $0.op == .added && $0.text == "36" } })
        // The Call Taker column is gone: steps 1 and 8 pass to the SPV.
        XCTAssertEqual(d.actors.filter { $0.kind == .removed }.map(\.oldKey), ["call-taker"])
        XCTAssertEqual(d.steps.filter { $0.actor != nil }.map(\.newNumber), ["1", "8"])
        // The same eight steps, none added, removed or moved; the times now 30 and 15 minutes.
        XCTAssertEqual(d.steps.filter { $0.kind != .changed }.count, 0)
        XCTAssertFalse(d.steps.contains(where: \.moved))
        XCTAssertEqual(d.steps.first { $0.newNumber == "2" }?.time?.new?.text, "30 Menit")
        // The repair's 1 x 24 jam is no longer stated: the longest path is shorter on paper.
        XCTAssertEqual(d.steps.first { $0.newNumber == "7" }?.time?.old?.text, "1 x 24 jam")
        XCTAssertNil(d.steps.first { $0.newNumber == "7" }?.time?.new)
        let before = try XCTUnwrap(d.timing.oldLongest?.maxDays), after = try XCTUnwrap(d.timing.newLongest?.maxDays)
        XCTAssertGreaterThan(before, after)
        XCTAssertEqual(d.timing.newLongest?.untimedSteps, ["1", "6", "7", "8"])
    }

    // MARK: The command line

    func write(_ yaml: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(yaml.utf8).write(to: url)
        return url.path
    }

    func temporaryFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sop-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testExitStatusLikeDiff() throws {
        let dir = try temporaryFolder()
        let a = try write(Self.base, "a.yaml", in: dir)
        let b = try write(Self.base.replacingOccurrences(of: "sla: 23 hari kerja", with: "sla:   \"23 hari kerja\"  # same"), "b.yaml", in: dir)
        let c = try write(Self.base.replacingOccurrences(of: "sla: 23 hari kerja", with: "sla: 20 hari kerja"), "c.yaml", in: dir)
        var run = try Support.sop(["diff", a, b])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("no semantic change"), run.stdout)
        run = try Support.sop(["diff", a, c])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stdout.contains("SLA: 23 hari kerja = 23 working days → 20 hari kerja = 20 working days"), run.stdout)
        run = try Support.sop(["diff", a, c, "--lang", "id"])
        XCTAssertTrue(run.stdout.contains("Ringkasnya: waktu berubah"), run.stdout)
    }

    func testTroubleExitsTwoWithALocatedDiagnostic() throws {
        let dir = try temporaryFolder()
        let a = try write(Self.base, "a.yaml", in: dir)
        let bad = try write(Self.base.replacingOccurrences(of: "actor: kabid", with: "actor: kabidd"), "bad.yaml", in: dir)
        var run = try Support.sop(["diff", a, bad])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("bad.yaml:"), run.stderr)
        XCTAssertTrue(run.stderr.contains("error["), run.stderr)
        XCTAssertTrue(run.stderr.contains("cannot compare a file with errors"), run.stderr)
        XCTAssertEqual(run.stdout, "")
        run = try Support.sop(["diff", a, dir.appendingPathComponent("missing.yaml").path])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("cannot read"), run.stderr)
        run = try Support.sop(["diff", a])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("give two files"), run.stderr)
        run = try Support.sop(["diff", a, a, "--format", "yaml"])
        XCTAssertEqual(run.status, 2)
        run = try Support.sop(["diff", "--git-external", a, a])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("the 7 (or 9) arguments git gives"), run.stderr)
        // As git's driver: changes exit 0 (git stops at a failing driver), trouble still 2.
        let c = try write(Self.base.replacingOccurrences(of: "sla: 23 hari kerja", with: "sla: 20 hari kerja"), "c.yaml", in: dir)
        run = try Support.sop(["diff", "--git-external", "sop.yaml", a, "0000000", "100644", c, "1111111", "100644"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("old: a/sop.yaml"), run.stdout)
        run = try Support.sop(["diff", "--git-external", "sop.yaml", "/dev/null", ".", ".", c, "1111111", "100644"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("new SOP «Pelayanan Uji»"), run.stdout)
        run = try Support.sop(["diff", "--git-external", "sop.yaml", a, "0000000", "100644", bad, "1111111", "100644"])
        XCTAssertEqual(run.status, 2)
        run = try Support.sop(["diff", "--git", "HEAD"], in: dir)
        XCTAssertEqual(run.status, 2, "not a git repository")
        XCTAssertTrue(run.stderr.contains("sop: git:"), run.stderr)
        XCTAssertFalse(run.stderr.contains("Fatal error"))
    }

    func testColourOnlyWhenAskedAndNeverWithNoColor() throws {
        let dir = try temporaryFolder()
        let a = try write(Self.base, "a.yaml", in: dir)
        let c = try write(Self.base.replacingOccurrences(of: "Memeriksa kelengkapan", with: "Memeriksa keabsahan"), "c.yaml", in: dir)
        var run = try Support.sop(["diff", a, c])
        XCTAssertFalse(run.stdout.contains("\u{1B}["))
        run = try Support.sop(["diff", a, c, "--color", "always"])
        XCTAssertTrue(run.stdout.contains("\u{1B}[31mkelengkapan\u{1B}[0m"), run.stdout)
        XCTAssertTrue(run.stdout.contains("\u{1B}[32mkeabsahan\u{1B}[0m"), run.stdout)
    }
}

/// `PathAnalysis.longestPath`, the programme `sop diff` measures the longest path with.
final class LongestPathTests: XCTestCase {
    func testTheLongerBranchIsTaken() throws {
        let yaml = """
        sop: 1
        id: t/longest
        name: L
        actors: {x: {name: X}}
        steps:
          - {id: a, action: Menilai, actor: x, duration: 1 hari kerja, decision: {question: Lengkap?, branches: {ya: c, tidak: b}}}
          - {id: b, action: Melengkapi, actor: x, duration: 10 hari kerja, next: d}
          - {id: c, action: Mencatat, actor: x, duration: 2 hari kerja}
          - {id: d, action: Menyerahkan, actor: x, duration: 1 hari kerja}
        """
        let graph = try XCTUnwrap(Support.compile(yaml).0.graph)
        let path = try XCTUnwrap(PathAnalysis(graph).longestPath())
        XCTAssertEqual(path.hops.compactMap { graph.nodes[$0.node].key }, ["a", "b", "d"])
        XCTAssertEqual(WorkingDayRange.of(path, in: graph).max, 12)
    }

    /// Differential: on every catalogue SOP the programme finds a path as long as the
    /// longest of the loop-free paths `sop paths --all` lists.
    func testAgreesWithTheListingOnTheCatalogue() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Support.root.appendingPathComponent("sops").path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThan(files.count, 20)
        for file in files {
            let url = Support.root.appendingPathComponent("sops/\(file)")
            let sink = DiagnosticSink()
            guard let graph = Compiler().compile(SourceFile(path: file, bytes: [UInt8](try Data(contentsOf: url))), diagnostics: sink).graph else { continue }
            let analysis = PathAnalysis(graph)
            let listed = analysis.all(limit: 2000).paths.filter { !$0.hops.contains(where: \.loopsBack) }
            let best = listed.map { WorkingDayRange.of($0, in: graph).max }.max() ?? 0
            let found = analysis.longestPath().map { WorkingDayRange.of($0, in: graph).max } ?? 0
            XCTAssertEqual(found, best, accuracy: 1e-9, file)
        }
    }
}
