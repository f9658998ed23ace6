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

    /// A short smoke of the fuzzer for `make test` (libFuzzer itself needs a sanitized build of
    /// its own: `make fuzz`): the fuzzer's seeds — every catalogue file and error fixture —
    /// mutated the way libFuzzer mutates (bytes flipped, inserted, erased, runs copied,
    /// YAML punctuation inserted, two seeds spliced) by a seeded generator, each through the
    /// same entry. Deterministic; a crash or a hang fails `swift test`.
    func testMutatedSeedsRunToTheEnd() throws {
        let fm = FileManager.default
        var seeds: [[UInt8]] = []
        for dir in ["sops", "Tests/SOPTests/Fixtures/errors"] {
            let root = Support.root.appendingPathComponent(dir)
            let files = (fm.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
            for f in files { seeds.append([UInt8](try Data(contentsOf: root.appendingPathComponent(f)))) }
        }
        XCTAssertGreaterThan(seeds.count, 40)
        var state: UInt64 = 0x5EED_F022
        func next() -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
        }
        let tokens: [[UInt8]] = [":", "- ", "\n", "\n  ", "\"", "'", "[", "]", "{", "}", "#", "&a ", "*a", "!!str ", "|\n", ">-\n",
                                 "\t", "next: ", "id: ", "actor: ", "steps:\n", "\u{FEFF}", "é", "\u{0301}", "\0"].map { Array($0.utf8) }
        for _ in 0..<300 {
            var data = seeds[next() % seeds.count]
            for _ in 0...(next() % 4) {
                let at = data.isEmpty ? 0 : next() % data.count
                switch next() % 6 {
                case 0: if !data.isEmpty { data[at] ^= UInt8(1 << (next() % 8)) }
                case 1: data.insert(UInt8(truncatingIfNeeded: next()), at: at)
                case 2: if !data.isEmpty { data.removeSubrange(at..<min(data.count, at + 1 + next() % 64)) }
                case 3:
                    if !data.isEmpty {
                        let run = Array(data[at..<min(data.count, at + 1 + next() % 128)])
                        data.insert(contentsOf: run, at: next() % data.count)
                    }
                case 4: data.insert(contentsOf: tokens[next() % tokens.count], at: at)
                default:
                    let other = seeds[next() % seeds.count]
                    if !other.isEmpty { data = Array(data[..<at]) + Array(other[(next() % other.count)...]) }
                }
            }
            FuzzEntry.run(data)
        }
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
