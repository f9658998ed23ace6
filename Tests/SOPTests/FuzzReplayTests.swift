import Foundation
import SOPLanguageServer
import XCTest

/// Every input the fuzzer found a crash, hang or sanitizer report with (`make fuzz`,
/// minimised into `Tests/Fuzz/crashes/`) goes through the same entry again, unsanitized:
/// each must now finish. A regression crashes this test.
final class FuzzReplayTests: XCTestCase {
    func testEveryFuzzFindingRunsToTheEnd() throws {
        let dir = Support.root.appendingPathComponent("Tests/Fuzz/crashes")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasPrefix(".") }.sorted()
        for name in names {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            FuzzEntry.run([UInt8](data))
        }
    }

    /// The satisfied_by finding: every document is in the IR, in order, and every
    /// `satisfiedBy` points at one; the unknown document is the satisfying one, without a
    /// "replace `A` with `A`".
    func testSatisfiedByTwoWordingsLowersEveryDocument() throws {
        let data = try Data(contentsOf: Support.root.appendingPathComponent("Tests/Fuzz/crashes/satisfied-by-two-wordings.yaml"))
        let (output, diagnostics) = Support.compile(String(decoding: data, as: UTF8.self))
        let graph = try XCTUnwrap(output.graph)
        XCTAssertEqual(graph.documents.map(\.name), ["A", "X", "B", "Y", "Z"])
        XCTAssertEqual(graph.documents.map(\.index), Array(0..<5))
        XCTAssertEqual(graph.documents[0].satisfiedBy, 3)
        for d in graph.documents { if let s = d.satisfiedBy { XCTAssertLessThan(s, graph.documents.count) } }
        XCTAssertEqual(diagnostics.map(\.code), ["W0502", "W0502"])
        XCTAssertTrue(diagnostics[0].message.en.hasPrefix("`X` is required"), diagnostics[0].message.en)
        XCTAssertEqual(diagnostics.flatMap(\.fixIts).map(\.message.en), ["replace `X` with `A`", "replace `Y` with `A`"])
    }

    /// The seeds' kinds of input through the same entry: a catalogue file, an error fixture,
    /// JSON-RPC, nothing, and hostile bytes.
    func testTheEntryTakesAnyInput() throws {
        let catalogue = try Data(contentsOf: Support.root.appendingPathComponent("sops/kota-cirebon/dkis/permohonan-informasi-publik.yaml"))
        FuzzEntry.run([UInt8](catalogue))
        FuzzEntry.run(Array(#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{"textDocument":{"uri":"x"}}}"#.utf8))
        FuzzEntry.run([])
        FuzzEntry.run([0xFF, 0xFE, 0x00, 0x0A, 0xF0, 0x9F])
        FuzzEntry.run(Array(String(repeating: "[", count: 10_000).utf8))
    }
}
