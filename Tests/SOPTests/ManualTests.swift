import Foundation
import SOPIR
import SOPLanguage
import SOPTraining
import XCTest

/// The training manual's HTML (the PDF is judged by poppler-utils in Tests/Manual/run.sh):
/// roles grouped by name, every exercise of the catalogue run on the runtime, a role's manual
/// holds only its SOPs and opens with its guide.
final class ManualTests: XCTestCase {
    func catalogue() throws -> [ProcessGraph] {
        let root = Support.root.appendingPathComponent("sops")
        return try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".yaml") }.sorted().map { file in
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            return try XCTUnwrap(Support.compile(text, path: "sops/" + file).0.graph)
        }
    }

    func testRolesAreActorNamesWhateverTheirCase() throws {
        let graphs = try catalogue()
        let roles = TrainingManual.roles(graphs)
        let callTaker = try XCTUnwrap(roles.first { $0.key == "call taker" })
        XCTAssertEqual(callTaker.name, "Call Taker", "the spelling not in capitals wins a tie")
        XCTAssertEqual(callTaker.actors.count, 2, "CALL TAKER and Call Taker are one role in two SOPs")
        XCTAssertEqual(Set(roles.map(\.key)).count, roles.count)
        XCTAssertEqual(TrainingManual.findRole("CALL  taker", in: graphs)?.key, "call taker")
        XCTAssertNil(TrainingManual.findRole("astronaut", in: graphs))
        // An actor key names its role too.
        let lapor = try XCTUnwrap(graphs.first { $0.id.hasSuffix("pengaduan-lapor-sp4n") })
        XCTAssertEqual(TrainingManual.findRole("penghubung", in: [lapor])?.name, "Pejabat Penghubung")
    }

    func testEveryExerciseOfTheCatalogueRunsOnTheRuntime() throws {
        let graphs = try catalogue()
        let (html, failures) = TrainingManual(graphs: graphs, language: .id).html()
        XCTAssertEqual(failures, [], "every exercise completes at its end on the runtime")
        for g in graphs { XCTAssertTrue(html.contains(g.name.replacingOccurrences(of: "&", with: "&amp;")), g.name) }
        XCTAssertTrue(html.contains("Daftar isi"))
        XCTAssertTrue(html.contains("diperiksa pada runtime"))
        XCTAssertFalse(html.contains("gagal pada runtime"))
        // One contents entry per SOP part and per role, each waiting for its page number.
        let entries = html.components(separatedBy: "data-toc=").count - 1
        XCTAssertEqual(entries, graphs.count * 4 + 1 + TrainingManual.roles(graphs).count)
        // Same input, same bytes.
        XCTAssertEqual(TrainingManual(graphs: graphs, language: .id).html().html, html)
    }

    func testARolesManualHoldsItsSOPsAndOpensWithItsGuide() throws {
        let graphs = try catalogue()
        let role = try XCTUnwrap(TrainingManual.findRole("Pejabat Penghubung", in: graphs))
        let manual = TrainingManual(graphs: graphs, language: .en, role: role)
        XCTAssertEqual(Set(manual.graphs.map(\.id)), Set(role.actors.keys))
        XCTAssertLessThan(manual.graphs.count, graphs.count)
        let html = manual.html().html
        let guide = try XCTUnwrap(html.range(of: "Role guide</span>: Pejabat Penghubung") ?? html.range(of: "Role guide: Pejabat Penghubung"))
        let firstSheet = try XCTUnwrap(html.range(of: "mpage landscape sheet"))
        XCTAssertLessThan(guide.lowerBound, firstSheet.lowerBound, "the guide comes before the sheets")
        XCTAssertTrue(html.contains("Time limit: 60 hari kerja"), "the guide gives the step's timers")
    }
}
