import SOPDiagnostics
import SOPYAML
import XCTest

/// The reader refuses what YAML allows but a policy file must not, with a located
/// diagnostic, and never crashes or hangs on hostile input.
final class ReaderTests: XCTestCase {
    func read(_ text: String, limits: YAMLReader.Limits = .init()) -> (YAMLNode?, [Diagnostic]) {
        read(Array(text.utf8), limits: limits)
    }

    func read(_ bytes: [UInt8], limits: YAMLReader.Limits = .init()) -> (YAMLNode?, [Diagnostic]) {
        let sink = DiagnosticSink()
        let node = YAMLReader(limits: limits).read(SourceFile(path: "t.yaml", bytes: bytes), diagnostics: sink)
        return (node, sink.diagnostics)
    }

    func testPositionsAreOneBased() throws {
        let (root, diagnostics) = read("sop: 1\nname:   Pengaduan\nsteps:\n  - a\n")
        XCTAssertTrue(diagnostics.isEmpty)
        let pairs = try XCTUnwrap(root).pairs
        XCTAssertEqual(pairs[1].value.scalar, "Pengaduan")
        XCTAssertEqual(pairs[1].value.start.line, 2)
        XCTAssertEqual(pairs[1].value.start.column, 9)
        XCTAssertEqual(pairs[1].value.end.column, 18)
        XCTAssertEqual(pairs[2].value.children[0].start.line, 4)
        XCTAssertEqual(pairs[2].value.children[0].start.column, 5)
    }

    func testColumnsCountCharactersNotBytes() throws {
        let (root, _) = read("a: \"é\"\nb: x\nc: ñ ñ\nd: y\n")
        let pairs = try XCTUnwrap(root).pairs
        XCTAssertEqual(pairs[2].value.end.column, 7) // "ñ ñ" is 3 characters from column 4
    }

    /// The byte offset of the first occurrence of `needle` in `bytes`.
    static func byteOffset(in bytes: [UInt8], of needle: String) -> Int {
        let n = Array(needle.utf8)
        return (0...(bytes.count - n.count)).first { Array(bytes[$0..<$0 + n.count]) == n }!
    }

    /// `offset` counts UTF-8 bytes (libyaml's own index counts characters).
    func testOffsetsAreBytesAfterNonASCIIText() throws {
        let text = "name: \"Pengaduan – ‘LAPOR’\"\nid: x\nnote: é ü ok\n"
        let bytes = Array(text.utf8)
        let (root, diagnostics) = read(bytes)
        XCTAssertTrue(diagnostics.isEmpty)
        let pairs = try XCTUnwrap(root).pairs
        XCTAssertEqual(pairs[0].value.end.offset, Self.byteOffset(in: bytes, of: "\nid:"))
        XCTAssertEqual(pairs[1].key.start.offset, Self.byteOffset(in: bytes, of: "id:"))
        XCTAssertEqual(pairs[1].key.start.line, 2)
        XCTAssertEqual(pairs[1].key.start.column, 1)
        XCTAssertEqual(pairs[2].value.start.offset, Self.byteOffset(in: bytes, of: "é"))
        XCTAssertEqual(pairs[2].value.end.offset, Self.byteOffset(in: bytes, of: "ok\n") + 2)
        XCTAssertEqual(pairs[2].value.end.column, 13)
        // Every position agrees with the file's own line table, in a real SOP too.
        let sample = try Data(contentsOf: Support.root.appendingPathComponent("sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml"))
        for file in [SourceFile(path: "t.yaml", bytes: bytes), SourceFile(path: "s.yaml", bytes: Array(sample))] {
            let node = try XCTUnwrap(YAMLReader().read(file, diagnostics: DiagnosticSink()))
            var work = [node]
            while let n = work.popLast() {
                for location in [n.start, n.end] {
                    XCTAssertEqual(file.location(ofOffset: location.offset), location)
                }
                work += n.children
            }
        }
    }

    /// libyaml also breaks lines at a lone `\r`, NEL, LS and PS, and starts after a byte order
    /// mark: offsets follow its lines, not only `\n`.
    func testOffsetsFollowLibyamlLineBreaks() throws {
        let text = "\u{FEFF}a: é\r\nb: x\rc: ‘y’\u{2028}d: z\u{85}e: [1,\r 2]\n"
        let bytes = Array(text.utf8)
        let (root, diagnostics) = read(bytes)
        XCTAssertTrue(diagnostics.isEmpty)
        let pairs = try XCTUnwrap(root).pairs
        XCTAssertEqual(pairs.map(\.key.scalar), ["a", "b", "c", "d", "e"])
        XCTAssertEqual(pairs[0].key.start.offset, 3)
        for (pair, key) in zip(pairs.dropFirst(), ["b:", "c:", "d:", "e:"]) {
            XCTAssertEqual(pair.key.start.offset, Self.byteOffset(in: bytes, of: key))
            XCTAssertEqual(pair.key.start.column, 1)
        }
        XCTAssertEqual(pairs.map(\.key.start.line), [1, 2, 3, 4, 5])
        XCTAssertEqual(pairs[4].value.children[1].start.offset, Self.byteOffset(in: bytes, of: "2]"))
        XCTAssertEqual(pairs[4].value.children[1].start.line, 6)
        XCTAssertEqual(pairs[4].value.end.offset, Self.byteOffset(in: bytes, of: "]\n") + 1)
    }

    func testSyntaxErrorOffsetIsInBytes() throws {
        let text = "name: ‘A’\nsteps:\n\t- a\n"
        let (_, d) = read(text)
        let range = try XCTUnwrap(d.first?.range)
        let file = SourceFile(path: "t.yaml", bytes: Array(text.utf8))
        XCTAssertEqual(range.start.line, 3)
        XCTAssertEqual(file.location(ofOffset: range.start.offset), range.start)
        XCTAssertEqual(file.location(ofOffset: range.end.offset), range.end)
    }

    func testDuplicateKeyPointsAtTheSecondWithANoteAtTheFirst() {
        let (_, d) = read("name: A\nid: x\nname: B\n")
        XCTAssertEqual(d.map(\.code), ["E0102"])
        XCTAssertEqual(d.first?.range?.start.line, 3)
        XCTAssertEqual(d.first?.labels.first?.range.start.line, 1)
    }

    func testDuplicateKeysInLargeMappings() {
        var text = ""
        for i in 0..<40 { text += "k\(i): v\n" }
        text += "k7: again\n"
        XCTAssertEqual(read(text).1.map(\.code), ["E0102"])
    }

    func testAliasBombIsRefused() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n" }
        let start = Date()
        let (node, d) = read(text)
        XCTAssertNil(node)
        XCTAssertEqual(d.map(\.code), ["E0103"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "an alias bomb must be refused early, not expanded")
    }

    func testSmallAliasesAreAllowed() throws {
        let (node, d) = read("a: &x [1, 2]\nb: *x\n")
        XCTAssertTrue(d.isEmpty)
        XCTAssertEqual(try XCTUnwrap(node).pairs[1].value.children.count, 2)
    }

    func testDeepNestingIsRefused() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let (node, d) = read("a: " + deep + "\n")
        XCTAssertNil(node)
        XCTAssertEqual(d.map(\.code), ["E0104"])
    }

    func testOversizedFileIsRefused() {
        var limits = YAMLReader.Limits()
        limits.maxBytes = 1000
        let (node, d) = read(String(repeating: "a: b\n", count: 300), limits: limits)
        XCTAssertNil(node)
        XCTAssertEqual(d.map(\.code), ["E0105"])
    }

    func testInvalidUTF8IsLocated() {
        let (node, d) = read(Array("a: ok\nb: ".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        XCTAssertNil(node)
        XCTAssertEqual(d.map(\.code), ["E0106"])
        XCTAssertEqual(d.first?.range?.start.line, 2)
        XCTAssertEqual(d.first?.range?.start.column, 4)
    }

    func testOverlongAndSurrogateEncodingsAreInvalid() {
        XCTAssertEqual(read([0x61, 0x3A, 0x20, 0xC0, 0xAF]).1.map(\.code), ["E0106"])
        XCTAssertEqual(read([0x61, 0x3A, 0x20, 0xED, 0xA0, 0x80]).1.map(\.code), ["E0106"])
        XCTAssertEqual(read([0x61, 0x3A, 0x20, 0xE2, 0x82]).1.map(\.code), ["E0106"])
        XCTAssertTrue(read(Array("a: Menginstruksikan — é ✓ 😀\n".utf8)).1.isEmpty)
    }

    func testStructureOfTheFile() {
        XCTAssertEqual(read("a: 1\n---\nb: 2\n").1.map(\.code), ["E0107"])
        XCTAssertEqual(read("").1.map(\.code), ["E0108"])
        XCTAssertEqual(read("# only a comment\n").1.map(\.code), ["E0108"])
        XCTAssertEqual(read("- a\n- b\n").1.map(\.code), ["E0109"])
        XCTAssertEqual(read("just text\n").1.map(\.code), ["E0109"])
        XCTAssertEqual(read("? [a, b]\n: c\n").1.map(\.code), ["E0110"])
    }

    func testTabIndentationIsNamed() throws {
        let (_, d) = read("steps:\n\t- a\n")
        XCTAssertEqual(d.map(\.code), ["E0101"])
        XCTAssertTrue(try XCTUnwrap(d.first).message.en.contains("tab"), d.first?.message.en ?? "")
        XCTAssertEqual(d.first?.range?.start.line, 2)
    }

    func testSyntaxErrorsAreExplainedInPlainWords() throws {
        let (_, d) = read("name: Menerima: laporan\n")
        XCTAssertEqual(d.map(\.code), ["E0101"])
        let message = try XCTUnwrap(d.first)
        XCTAssertTrue(message.message.en.contains("`:`"), message.message.en)
        XCTAssertNotNil(message.help)
        XCTAssertTrue(message.notes.contains { $0.en.hasPrefix("libyaml:") })
    }

    /// Random bytes and random mutations of a real SOP never crash the reader or the
    /// compiler, and every error they give has a position or is a whole-file problem.
    func testRandomInputNeverCrashes() throws {
        var rng = SplitMix64(seed: 0x5EED)
        let sample = try String(contentsOf: Support.root.appendingPathComponent("sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml"), encoding: .utf8)
        let base = Array(sample.utf8)
        for round in 0..<300 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int(rng.next() % 512)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = base
                let specials = Array(":-[{&*\t\"'#|>".utf8)
                for _ in 0..<(1 + Int(rng.next() % 8)) where !bytes.isEmpty {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.remove(at: at)
                    default: bytes.insert(specials[Int(rng.next() % UInt64(specials.count))], at: at)
                    }
                }
            }
            let (output, diagnostics) = Support.compile(String(decoding: bytes, as: UTF8.self))
            if output.graph == nil {
                XCTAssertTrue(diagnostics.contains { $0.severity == .error }, "round \(round): no graph but no error")
            }
            for d in diagnostics where d.code != "E0105" {
                XCTAssertNotNil(d.range, "round \(round): \(d.code) without a position")
            }
        }
    }
}

/// A small deterministic generator, so that random tests repeat exactly.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
