import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import XCTest

/// Lowering to the ProcessGraph: shape, determinism, round trip and content hash.
final class IRTests: XCTestCase {
    let lapor = "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml"

    func compileFile(_ relative: String) throws -> ProcessGraph {
        let url = Support.root.appendingPathComponent(relative)
        let sink = DiagnosticSink()
        let output = Compiler().compile(SourceFile(path: relative, bytes: Array(try Data(contentsOf: url))), diagnostics: sink)
        XCTAssertFalse(sink.hasErrors, sink.diagnostics.map { "\($0.code) \($0.message.en)" }.joined(separator: "\n"))
        return try XCTUnwrap(output.graph)
    }

    func testRoundTripThroughJSON() throws {
        let graph = try compileFile(lapor)
        let data = try graph.prettyJSON()
        let decoded = try JSONDecoder().decode(ProcessGraph.self, from: data)
        XCTAssertEqual(decoded, graph)
        XCTAssertEqual(try decoded.prettyJSON(), data)
        XCTAssertEqual(decoded.sealed().contentHash, graph.contentHash)
    }

    func testCompilingTwiceGivesTheSameBytes() throws {
        XCTAssertEqual(try compileFile(lapor).prettyJSON(), try compileFile(lapor).prettyJSON())
    }

    func testContentHashIsSHA256OfTheCanonicalJSONAndChangesWithContent() throws {
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let graph = try compileFile(lapor)
        XCTAssertTrue(graph.contentHash.hasPrefix("sha256:"))
        XCTAssertEqual(graph.contentHash, "sha256:" + SHA256.hex(Array(try graph.canonicalJSON())))
        var changed = graph
        changed.nodes[1].label += " (revisi)"
        XCTAssertNotEqual(changed.sealed().contentHash, graph.contentHash)
    }

    func testLaporGraphShape() throws {
        let g = try compileFile(lapor)
        XCTAssertEqual(g.formatVersion, ProcessGraph.currentFormatVersion)
        XCTAssertEqual(g.nodes.first?.kind, .start)
        XCTAssertEqual(g.nodes.last?.kind, .end)
        for (i, node) in g.nodes.enumerated() { XCTAssertEqual(node.id, i) }
        XCTAssertEqual(g.nodes.filter { $0.kind == .decision }.count, 2)
        // Two timers leave the follow-up step: 10 and 60 working days.
        let timers = g.timers.map { $0.after.maximum }
        XCTAssertEqual(Set(timers.compactMap { $0 }), [TimeSpan(10, .workingDay), TimeSpan(60, .workingDay)])
        let timeoutEdges = g.edges.filter { $0.kind == .timeout }
        XCTAssertEqual(timeoutEdges.count, 2)
        XCTAssertTrue(timeoutEdges.allSatisfy { $0.timer != nil && $0.label?.contains("hari kerja") == true })
        // Every decision edge carries its branch label; every step has a source line.
        XCTAssertTrue(g.edges.filter { $0.kind == .branch }.allSatisfy { $0.label?.isEmpty == false })
        XCTAssertTrue(g.nodes.filter(\.isStep).allSatisfy { ($0.source?.line ?? 0) > 0 })
        XCTAssertEqual(g.actors.first?.kind, .system)
    }

    func testParallelSplitAndJoinAreLowered() throws {
        let yaml = """
        sop: 1
        id: t/parallel
        name: Peliputan
        actors: {kabid: Kabid, foto: Fotografer, redaksi: Tim Redaksi}
        steps:
          - {action: Membagi tugas, actor: kabid, parallel: {branches: [foto, naskah], join: gabung}}
          - {id: foto, action: Mengambil foto, actor: foto, next: gabung}
          - {id: naskah, action: Menulis naskah, actor: redaksi}
          - {id: gabung, action: Menggabungkan, actor: redaksi}
        """
        let (output, diagnostics) = Support.compile(yaml)
        XCTAssertTrue(diagnostics.isEmpty, diagnostics.map(\.code).description)
        let g = try XCTUnwrap(output.graph)
        let split = try XCTUnwrap(g.nodes.first { $0.kind == .parallelSplit })
        let join = try XCTUnwrap(g.nodes.first { $0.kind == .parallelJoin })
        XCTAssertEqual(g.outgoing(split.id).map(\.to).sorted(), [2, 3])
        XCTAssertEqual(g.edges.filter { $0.to == join.id }.map(\.from).sorted(), [2, 3])
        XCTAssertEqual(g.outgoing(join.id).map(\.to), [4])
    }

    func testCallAndEndTargets() throws {
        let yaml = """
        sop: 1
        id: t/call
        name: Permohonan
        actors: {ppid: PPID}
        steps:
          - action: Apakah pemohon puas?
            actor: ppid
            decision: {question: Puas?, branches: {ya: end, tidak: keberatan}}
          - {id: keberatan, action: Menangani keberatan, actor: ppid, call: t/keberatan}
        """
        let (output, diagnostics) = Support.compile(yaml, catalog: ["t/call", "t/keberatan"])
        XCTAssertTrue(diagnostics.isEmpty, diagnostics.map(\.code).description)
        let g = try XCTUnwrap(output.graph)
        let endID = try XCTUnwrap(g.nodes.last?.id)
        XCTAssertTrue(g.outgoing(1).contains { $0.to == endID && $0.label == "ya" })
        XCTAssertEqual(g.nodes[2].kind, .call)
        XCTAssertEqual(g.nodes[2].callee, "t/keberatan")
    }

    func testCompileCommandWritesTheSameBytesAsTheLibrary() throws {
        let dir = try Support.temporaryDirectory(self)
        let out = dir.appendingPathComponent("lapor.json")
        let run = try Support.sop(["compile", lapor, "-o", out.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try Data(contentsOf: out), try compileFile(lapor).prettyJSON())
    }
}
