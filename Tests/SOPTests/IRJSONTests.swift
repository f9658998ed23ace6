import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import XCTest

/// The IR's JSON is written by hand (`IRJSONWriter`) for speed; it must be byte for byte what
/// `JSONEncoder` writes, or content hashes pinned by running cases would change.
final class IRJSONTests: XCTestCase {
    func encoder(pretty: Bool) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    func assertSameAsEncoder(_ graph: ProcessGraph, file: StaticString = #filePath, line: UInt = #line) throws {
        var unsealed = graph
        unsealed.contentHash = ""
        XCTAssertEqual(String(decoding: try graph.canonicalJSON(), as: UTF8.self),
                       String(decoding: try encoder(pretty: false).encode(unsealed), as: UTF8.self), file: file, line: line)
        var expected = try encoder(pretty: true).encode(graph)
        expected.append(0x0A)
        XCTAssertEqual(String(decoding: try graph.prettyJSON(), as: UTF8.self), String(decoding: expected, as: UTF8.self), file: file, line: line)
    }

    func testTheWholeCatalogue() throws {
        let root = Support.root.appendingPathComponent("sops")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "yaml" }
        XCTAssertGreaterThan(files.count, 20)
        for url in files {
            let sink = DiagnosticSink()
            let output = Compiler().compile(SourceFile(path: url.lastPathComponent, bytes: Array(try Data(contentsOf: url))), diagnostics: sink)
            try assertSameAsEncoder(try XCTUnwrap(output.graph, url.path))
        }
    }

    /// Every optional field set, every kind of duration, awkward text and numbers.
    func testEveryFieldAndAwkwardValues() throws {
        let span = TimeSpan(min: 0.5, max: 1.0 / 3, unit: .workingDay)
        let durations = [
            Duration(text: "1-3 hari \"kerja\"", value: .amount(span: TimeSpan(min: 1, max: 3, unit: .day), atMost: true, extension: TimeSpan(7, .workingDay))),
            Duration(text: "Ringan/Sedang", value: .classes(classes: [DurationClass(name: "ringan", span: span), DurationClass(name: "berat", span: TimeSpan(1e-7, .hour))])),
            Duration(text: "Setiap awal bulan", value: .recurring(recurrence: Recurrence(every: .month, anchor: "awal", onWorkingDays: true,
                                                                                           lasting: TimeSpan(1e20, .year), since: "jawaban", interval: 3))),
            Duration(text: "NA", value: .notApplicable, since: "sejak \\ awal", condition: "dengan \"pemberitahuan\"", hours: "hari kerja"),
            Duration(text: "Pada hari kerja", value: .serviceHours),
            Duration(text: "5 menit", value: .amount(span: TimeSpan(-2, .minute), atMost: false, extension: nil)),
        ]
        var identity = ProcessGraph.Identity()
        identity.number = "01/\t02"
        identity.government = "Pemerintah Kota — Cirebon ‘LAPOR’"
        identity.agency = "Dinas\u{1}\u{1F}\u{7F}"
        identity.division = "Bidang\r\n"; identity.unit = "UPTD"; identity.activity = "A"; identity.subActivity = "B"
        identity.created = "2021-01-02"; identity.revised = "2022-01-02"; identity.effective = "2023-01-02"
        identity.approvedBy = ProcessGraph.Approval(title: "Kepala", name: "Nama, S.Kom", nip: "1980\u{8}\u{C}")
        identity.purpose = "tujuan/sasaran"
        identity.legalBasis = ["UU 25/2009"]; identity.qualifications = []; identity.related = [ProcessGraph.Related(name: "SOP lain", id: "kota/x/y"), ProcessGraph.Related(name: "tanpa id", id: nil)]
        identity.equipment = ["é", "😀"]; identity.warnings = [""]; identity.records = ["r"]
        identity.sourceDocument = "002.txt"; identity.sourceNumber = 3; identity.notes = ["OCR: 'x' → 'y'"]
        identity.sourceLines = [[1, 20], [31, 31]]
        identity.corrections = [ProcessGraph.Correction(printed: "terdisporsi", reading: "terdisposisi", kind: "ocr", where: "step 2", reason: "\"pasti\"")]
        var nodes = [ProcessGraph.Node(id: 0, kind: .start, label: "Mulai")]
        for (i, d) in durations.enumerated() {
            var n = ProcessGraph.Node(id: i + 1, kind: i % 2 == 0 ? .decision : .call, label: "Langkah \(i) \"kutip\"")
            n.key = "s\(i)"; n.number = "\(i).1"; n.actor = 0; n.requires = [0]; n.produces = [0, 1]
            n.duration = d; n.recurrence = durations[(i + 2) % durations.count]; n.via = "Aplikasi"; n.note = "catatan\\n"
            n.question = "Lengkap?"; n.callee = "kota/x/y"
            n.actors = [0, 0]; n.conditionOf = 2; n.durationFrom = 0; n.durationWindowOf = 0
            n.inferred = [ProcessGraph.Inference(field: "actor", reason: "dari teks \"aktivitas\"")]
            n.source = ProcessGraph.SourceSpan(file: "a/b.yaml", line: 3, column: 5, endLine: 4, endColumn: 1)
            nodes.append(n)
        }
        nodes.append(ProcessGraph.Node(id: nodes.count, kind: .end, label: "Selesai"))
        let graph = ProcessGraph(
            id: "kota/x/y", name: "Uji", isDraft: true, identity: identity,
            actors: [ProcessGraph.Actor(index: 0, key: "a", name: "A", kind: .external)],
            documents: [ProcessGraph.Document(index: 0, name: "Surat", key: "surat", satisfiedBy: 1), ProcessGraph.Document(index: 1, name: "B", key: "b")],
            nodes: nodes,
            edges: [ProcessGraph.Edge(from: 0, to: 1, kind: .sequence), ProcessGraph.Edge(from: 1, to: 2, kind: .timeout, label: "10 hari", timer: 0)],
            timers: [ProcessGraph.Timer(id: 0, node: 1, after: durations[0], target: 2, label: "habis", since: .lastResponse),
                     ProcessGraph.Timer(id: 1, node: 2, after: durations[4], target: 3, label: nil, since: nil)],
            inputs: [], outputs: [1], sla: durations[1]).sealed()
        try assertSameAsEncoder(graph)
        // The graph above must set every stored property of every IR type, or a new field
        // could be left out of the writer unnoticed: compare each type's properties with the
        // keys `JSONEncoder` wrote for it.
        func assertEveryField<T: Encodable>(_ value: T, line: UInt = #line) throws {
            let properties = Set(Mirror(reflecting: value).children.compactMap(\.label))
            let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value)) as? [String: Any]
            XCTAssertEqual(Set(object?.keys.map { $0 } ?? []), properties, "\(T.self): set every field in this test", line: line)
        }
        try assertEveryField(graph)
        try assertEveryField(graph.identity)
        try assertEveryField(graph.identity.approvedBy!)
        try assertEveryField(graph.identity.related[0])
        try assertEveryField(graph.identity.corrections![0])
        try assertEveryField(graph.nodes[1].inferred![0])
        try assertEveryField(graph.nodes[1])
        try assertEveryField(graph.nodes[1].source!)
        try assertEveryField(graph.edges[1])
        try assertEveryField(graph.timers[0])
        try assertEveryField(graph.actors[0])
        try assertEveryField(graph.documents[0])
        try assertEveryField(durations[3])
        if case let .recurring(r) = durations[2].value { try assertEveryField(r) } else { XCTFail("recurring") }
        // And with every optional left out.
        try assertSameAsEncoder(ProcessGraph(id: "", name: "", isDraft: false, identity: ProcessGraph.Identity(), actors: [], documents: [],
                                             nodes: [ProcessGraph.Node(id: 0, kind: .start, label: "")], edges: [], timers: [],
                                             inputs: [], outputs: [], sla: nil))
    }
}
