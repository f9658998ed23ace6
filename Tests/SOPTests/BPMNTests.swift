import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRender
import XCTest

/// The BPMN export: reference files `Fixtures/bpmn/NAME.bpmn` (neutral dialect) compared
/// byte for byte (`UPDATE_GOLDEN=1 swift test --filter BPMNTests` rewrites them), the rules
/// the engines and linters need, and the CLI. SpiffWorkflow, xmllint and bpmn-io judge the
/// whole catalogue in `Tests/BPMN/run.sh`.
final class BPMNTests: XCTestCase {
    static let references: [(name: String, path: String)] = [
        ("pengaduan-lapor-sp4n", "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml"),
        ("kunjungan-tarakan-command-center", "sops/kota-tarakan/dkisp/kunjungan-tarakan-command-center.yaml"),
        ("monitoring-evaluasi-sop", "sops/kota-cirebon/dkis/monitoring-evaluasi-sop.yaml"),
        ("siaga-112-kebakaran", "sops/kota-cirebon/dkis/siaga-112-kebakaran.yaml"),
        ("escaping", "Tests/Render/Fixtures/escaping.yaml"),
    ]

    func graph(_ path: String) throws -> ProcessGraph {
        let url = Support.root.appendingPathComponent(path)
        let source = SourceFile(path: path, bytes: [UInt8](try Data(contentsOf: url)))
        let sink = DiagnosticSink()
        let output = Compiler().compile(source, diagnostics: sink)
        return try XCTUnwrap(output.graph, "\(path) does not compile: \(sink.sorted.map(\.message.en))")
    }

    func testReferenceFiles() throws {
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
        let folder = Support.fixtures.appendingPathComponent("bpmn")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, path) in Self.references {
            let actual = BPMNRenderer().render(try graph(path))
            let file = folder.appendingPathComponent("\(name).bpmn")
            if update {
                try Data(actual.utf8).write(to: file)
                continue
            }
            let expected = try String(contentsOf: file, encoding: .utf8)
            if actual != expected {
                XCTFail("\(name).bpmn differs from its reference (UPDATE_GOLDEN=1 to accept)\n\(RenderTests.firstDifference(expected, actual))")
            }
        }
    }

    func testSameGraphSameBytes() throws {
        for engine in BPMNEngine.allCases {
            let a = BPMNRenderer(engine: engine).render(try graph(Self.references[0].path))
            let b = BPMNRenderer(engine: engine).render(try graph(Self.references[0].path))
            XCTAssertEqual(a, b)
        }
    }

    /// Ids come from step numbers and keys; no task has two outgoing flows; a decision's
    /// flows carry its branch labels; every flow node and flow has its DI.
    func testStructureOfTheLAPORExport() throws {
        let xml = BPMNRenderer(engine: .spiff).render(try graph(Self.references[0].path))
        for id in ["Activity_1", "Activity_2", "Activity_2_split", "Activity_3_timer1", "Activity_3_timer2",
                   "EndEvent_ombudsman", "EndEvent_laporan-selesai", "EndEvent_kembali-ke-pusat", "Lane_lapor", "Lane_admin"] {
            XCTAssertTrue(xml.contains("id=\"\(id)\""), id)
            XCTAssertTrue(xml.contains("bpmnElement=\"\(id)\""), "no DI for \(id)")
        }
        XCTAssertTrue(xml.contains("<bpmn:serviceTask id=\"Activity_1\""), "the system actor's step is a service task")
        XCTAssertTrue(xml.contains("answer_2 == &quot;ya&quot;"))
        XCTAssertTrue(xml.contains("sop_due(60, &quot;workingDay&quot;, &quot;kota-cirebon/dkis/pengaduan-lapor-sp4n&quot;)"))
        XCTAssertTrue(xml.contains("since=sop_last_response"))
        XCTAssertTrue(xml.contains("<sop:duration>5-10 hari</sop:duration>"))
        // No task has two outgoing flows.
        let tasks = xml.components(separatedBy: "<bpmn:userTask ").dropFirst() + xml.components(separatedBy: "<bpmn:serviceTask ").dropFirst()
        for task in tasks {
            let body = task.components(separatedBy: "</bpmn:").first ?? ""
            let element = task.prefix(while: { $0 != ">" })
            XCTAssertLessThanOrEqual(body.components(separatedBy: "<bpmn:outgoing>").count - 1, 1, String(element))
        }
    }

    func testEnginesWriteTheirOwnDialect() throws {
        let g = try graph(Self.references[0].path)
        XCTAssertTrue(BPMNRenderer(engine: .camunda7).render(g).contains("${answer_2 == &quot;ya&quot;}"))
        let escaping = try graph("Tests/Render/Fixtures/escaping.yaml")
        let neutral = BPMNRenderer(engine: .neutral).render(escaping), spiff = BPMNRenderer(engine: .spiff).render(escaping)
        XCTAssertTrue(neutral.contains("parallelGateway"))
        XCTAssertNotEqual(neutral, spiff)
    }

    func testRenderCommandWritesBPMNAndRefusesAnUnknownEngine() throws {
        let dir = try Support.temporaryDirectory(self)
        let out = dir.appendingPathComponent("lapor.bpmn")
        let run = try Support.sop(["render", Self.references[0].path, "--format", "bpmn", "--engine", "spiff", "-o", out.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(try String(contentsOf: out, encoding: .utf8).hasPrefix("<?xml"))
        let bad = try Support.sop(["render", Self.references[0].path, "--format", "bpmn", "--engine", "camunda9"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--engine `camunda9`"), bad.stderr)
        let wrongFormat = try Support.sop(["render", Self.references[0].path, "--format", "dot", "--engine", "spiff"])
        XCTAssertEqual(wrongFormat.status, 2)
    }

    func testCalendarCommandWritesTheHolidays() throws {
        let run = try Support.sop(["calendar"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let holidays = try XCTUnwrap(json?["holidays"] as? [[String: Any]])
        XCTAssertTrue(holidays.contains { $0["date"] as? String == "2025-03-31" }, "Idul Fitri 2025")
    }
}
