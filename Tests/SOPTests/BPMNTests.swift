import Foundation
import SOPBPMN
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

    func testCatalogueSiteLinksABPMNFilePerSOPAndWritesTheCalendar() throws {
        let dir = try Support.temporaryDirectory(self)
        let run = try Support.sop(["catalog", "sops", "-o", dir.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lapor = dir.appendingPathComponent("kota-cirebon/dkis/pengaduan-lapor-sp4n")
        XCTAssertTrue(try String(contentsOf: lapor.appendingPathExtension("bpmn"), encoding: .utf8).contains("<bpmn:definitions"))
        XCTAssertTrue(try String(contentsOf: lapor.appendingPathExtension("html"), encoding: .utf8).contains("href=\"pengaduan-lapor-sp4n.bpmn\""))
        let index = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("href=\"kota-cirebon/dkis/pengaduan-lapor-sp4n.bpmn\""))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("calendar.json").path))
    }

    func testCalendarCommandWritesTheHolidays() throws {
        let run = try Support.sop(["calendar"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let holidays = try XCTUnwrap(json?["holidays"] as? [[String: Any]])
        XCTAssertTrue(holidays.contains { $0["date"] as? String == "2025-03-31" }, "Idul Fitri 2025")
    }

    // MARK: - Import

    /// The graph without what differs by construction between two files: the source spans
    /// (the imported YAML has its own lines) and the hash over them.
    static func comparable(_ g: ProcessGraph) -> ProcessGraph {
        var g = g
        for i in g.nodes.indices { g.nodes[i].source = nil }
        g.contentHash = ""
        return g
    }

    /// Export, import, compile: the same graph (nodes, kinds, edges and labels, actors,
    /// documents, durations, timers, outcomes, identity) for every SOP of the catalogue and
    /// the escaping fixture (parallel block, loop, timeout), from every dialect.
    func testRoundTripOverTheCatalogue() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Support.root.appendingPathComponent("sops").path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "sops/" + $0 } + ["Tests/Render/Fixtures/escaping.yaml"]
        XCTAssertGreaterThanOrEqual(files.count, 28)
        for path in files {
            let original = try graph(path)
            for engine in BPMNEngine.allCases {
                let xml = BPMNRenderer(engine: engine).render(original)
                let yaml: String
                do { yaml = try BPMNImporter().convert(Data(xml.utf8)) } catch {
                    XCTFail("\(path): \(error.text(file: "x.bpmn", .en))"); continue
                }
                let (output, diagnostics) = Support.compile(yaml, path: path)
                let errors = diagnostics.filter { $0.severity == .error }
                guard let back = output.graph, errors.isEmpty else {
                    XCTFail("\(path): the imported YAML does not check: \(errors.map(\.message.en))\n\(yaml)"); continue
                }
                XCTAssertEqual(Self.comparable(back), Self.comparable(original), "\(path) (\(engine.rawValue)) does not round-trip")
            }
        }
    }

    func importError(_ xml: String) -> BPMNImportError? {
        do { _ = try BPMNImporter().convert(Data(xml.utf8)); return nil } catch { return error }
    }

    static let header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
        """

    func testForeignModelImportsAndChecks() throws {
        let xml = Self.header + """
          <process id="Pengaduan" name="Pengaduan warga" isExecutable="true">
            <laneSet id="ls"><lane id="l1" name="Petugas"><flowNodeRef>s</flowNodeRef><flowNodeRef>t1</flowNodeRef><flowNodeRef>g</flowNodeRef></lane>
              <lane id="l2" name="Kepala Seksi"><flowNodeRef>t2</flowNodeRef><flowNodeRef>e1</flowNodeRef><flowNodeRef>e2</flowNodeRef></lane></laneSet>
            <dataObject id="do1" name="Surat pengaduan"/>
            <dataObjectReference id="r1" dataObjectRef="do1"/>
            <startEvent id="s"/>
            <userTask id="t1" name="Menerima pengaduan"><documentation>Lewat loket</documentation>
              <dataOutputAssociation id="a1"><targetRef>r1</targetRef></dataOutputAssociation></userTask>
            <exclusiveGateway id="g" name="Lengkap?"/>
            <userTask id="t2" name="Memeriksa pengaduan"><property id="p" name="x"/>
              <dataInputAssociation id="a2"><sourceRef>r1</sourceRef><targetRef>p</targetRef></dataInputAssociation></userTask>
            <boundaryEvent id="b" attachedToRef="t2"><timerEventDefinition><timeDuration>P3D</timeDuration></timerEventDefinition></boundaryEvent>
            <endEvent id="e1" name="Selesai"/>
            <endEvent id="e2" name="Ditolak"/>
            <sequenceFlow id="f1" sourceRef="s" targetRef="t1"/>
            <sequenceFlow id="f2" sourceRef="t1" targetRef="g"/>
            <sequenceFlow id="f3" name="ya" sourceRef="g" targetRef="t2"/>
            <sequenceFlow id="f4" sourceRef="g" targetRef="e2"><conditionExpression>lengkap == "tidak"</conditionExpression></sequenceFlow>
            <sequenceFlow id="f5" sourceRef="t2" targetRef="e1"/>
            <sequenceFlow id="f6" sourceRef="b" targetRef="e2"/>
          </process>
        </definitions>
        """
        let yaml = try BPMNImporter(sopID: "contoh/pengaduan").convert(Data(xml.utf8))
        let (output, diagnostics) = Support.compile(yaml)
        XCTAssertTrue(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.message.en))\n\(yaml)")
        let g = try XCTUnwrap(output.graph, yaml)
        XCTAssertEqual(g.actors.map(\.name), ["Petugas", "Kepala Seksi"])
        XCTAssertEqual(g.nodes.filter(\.isStep).map(\.label), ["Menerima pengaduan", "Memeriksa pengaduan"])
        XCTAssertEqual(g.nodes[1].question, "Lengkap?")
        XCTAssertEqual(Set(g.edges.filter { $0.kind == .branch }.compactMap(\.label)), ["ya", "tidak"])
        XCTAssertEqual(g.timers.first?.after.text, "P3D")
        XCTAssertEqual(g.nodes[1].note, "Lewat loket")
        XCTAssertEqual(g.documents.map(\.name), ["Surat pengaduan"])
        XCTAssertTrue(g.nodes.contains { $0.kind == .end && $0.label == "Ditolak" })
    }

    func testRefusesWhatAnSOPCannotSayWithItsPlace() throws {
        let broken = importError(Self.header + "<process id=\"p\"><startEvent id=\"s\"></process>")
        XCTAssertEqual(broken?.line, 2)
        XCTAssertTrue(broken?.message.en.contains("not well-formed") ?? false, "\(String(describing: broken))")

        let dangling = importError(Self.header + """
          <process id="p"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="nowhere"/></process></definitions>
          """)
        XCTAssertEqual(dangling?.element, "f")
        XCTAssertTrue(dangling?.message.en.contains("`nowhere`") ?? false)

        let inclusive = importError(Self.header + """
          <process id="p"><startEvent id="s"/>
          <inclusiveGateway id="ig"/></process></definitions>
          """)
        XCTAssertEqual(inclusive?.element, "ig")
        XCTAssertEqual(inclusive?.line, 3)
        XCTAssertTrue(inclusive?.message.id.contains("tidak dapat dinyatakan") ?? false)

        let implicitSplit = importError(Self.header + """
          <process id="p"><startEvent id="s"/><task id="t" name="A"/><endEvent id="e1"/><endEvent id="e2"/>
          <sequenceFlow id="f1" sourceRef="s" targetRef="t"/><sequenceFlow id="f2" sourceRef="t" targetRef="e1"/>
          <sequenceFlow id="f3" sourceRef="t" targetRef="e2"/></process></definitions>
          """)
        XCTAssertTrue(implicitSplit?.message.en.contains("2 outgoing flows without a gateway") ?? false, "\(String(describing: implicitSplit))")

        XCTAssertNotNil(importError("<html/>"))
        XCTAssertNotNil(importError(""))
    }

    func testImportCommandWritesCheckedYAMLAndLocatesErrors() throws {
        let dir = try Support.temporaryDirectory(self)
        let bpmn = dir.appendingPathComponent("lapor.bpmn"), yaml = dir.appendingPathComponent("lapor.yaml")
        XCTAssertEqual(try Support.sop(["render", Self.references[0].path, "--format", "bpmn", "-o", bpmn.path]).status, 0)
        let run = try Support.sop(["import", bpmn.path, "-o", yaml.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try Support.sop(["check", yaml.path]).status, 0)
        let bad = dir.appendingPathComponent("bad.bpmn")
        try Data("<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><process id=\"p\">".utf8).write(to: bad)
        let failed = try Support.sop(["import", bad.path, "--lang", "id"])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("bad.bpmn:1:"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("galat"), failed.stderr)
        XCTAssertFalse(failed.stderr.contains("Fatal error"))
        XCTAssertEqual(try Support.sop(["import", dir.appendingPathComponent("none.bpmn").path]).status, 2)
    }
}
