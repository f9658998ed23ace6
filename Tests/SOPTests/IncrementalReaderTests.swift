import Foundation
@testable import SOPCommands
import SOPDiagnostics
@testable import SOPYAML
import XCTest

/// Reading a file again after an edit (`YAMLReader.read(_:after:diagnostics:)`) gives the
/// tree a full read gives, position for position, after random editing sessions on every
/// catalogue file and on generated SOPs; and typing inside a step takes the short way.
final class IncrementalReaderTests: XCTestCase {
    let reader = YAMLReader()

    /// A seeded random editing session on `text`: each edit is checked against a full read;
    /// an edit that makes the file unreadable is undone three times in four (so the session
    /// also passes through broken texts, for at most three edits). Returns how many edits took the short way, and how
    /// many left a file a full read reads.
    @discardableResult
    func session(_ name: String, _ text: String, edits: Int, seed: UInt64, file: StaticString = #filePath, line: UInt = #line) -> (short: Int, readable: Int) {
        var rng = SplitMix64(seed: seed)
        var bytes = Array(text.utf8)
        let sink0 = DiagnosticSink()
        var previous = reader.read(SourceFile(path: name, bytes: bytes), diagnostics: sink0)
        // Mostly typing; a third of the time something YAML reads as structure.
        let typing = ["a", "Z", " ", "é", "日本", "7", "🙂"]
        let structure = ["  ", "\n", "\n    ", "\n  - ", "- ", ": ", ":", "#", "|", "'", "\"", "{", "}", "[", "]",
                         "\t", "---\n", "...\n", "- x\n", "&a ", "*a", "\r\n", "? ", ",", "!!str ", "\u{2028}", "    note:\n", "- "]
        var short = 0, readable = 0, broken = 0
        var lastGood = (bytes, previous)
        for n in 0..<edits {
            var next = bytes
            var at = Int(rng.next() % UInt64(bytes.count + 1))
            while at < next.count, next[at] & 0xC0 == 0x80 { at += 1 }
            if rng.next() % 3 == 0, at < next.count {
                var end = min(next.count, at + 1 + Int(rng.next() % 6))
                while end < next.count, next[end] & 0xC0 == 0x80 { end += 1 }
                next.removeSubrange(at..<end)
            } else {
                let pieces = rng.next() % 3 == 0 ? structure : typing
                next.insert(contentsOf: Array(pieces[Int(rng.next() % UInt64(pieces.count))].utf8), at: at)
            }
            let source = SourceFile(path: name, bytes: next)
            let fullSink = DiagnosticSink()
            let full = reader.read(source, diagnostics: fullSink)
            if full != nil { readable += 1 }
            if let before = previous, let spliced = reader.reread(source, previous: before) {
                short += 1
                guard let full else {
                    XCTFail("\(name) edit \(n): spliced a tree where a full read has none: \(fullSink.diagnostics.map(\.message.en)); the text now:\n"
                            + String(decoding: next, as: UTF8.self), file: file, line: line)
                    return (short, readable)
                }
                XCTAssertTrue(fullSink.diagnostics.isEmpty, "\(name) edit \(n): spliced a tree where a full read reports", file: file, line: line)
                guard spliced.isSame(as: full) else {
                    XCTFail("\(name) edit \(n) at \(at): the spliced tree differs from a full read of:\n" + String(decoding: next, as: UTF8.self),
                            file: file, line: line)
                    return (short, readable)
                }
                // The next edit splices into the spliced tree.
                previous = spliced
            } else {
                if full == nil, rng.next() % 4 != 0 { continue }   // undo
                previous = full ?? previous
            }
            bytes = next
            // A broken text is kept for a few edits, then the last readable one comes back.
            if full != nil {
                (lastGood, broken) = ((bytes, previous), 0)
            } else {
                broken += 1
                if broken > 3 { ((bytes, previous), broken) = (lastGood, 0) }
            }
        }
        return (short, readable)
    }

    func testRandomSessionsOnTheCatalogueGiveTheFullReadsTree() throws {
        let sops = Support.root.appendingPathComponent("sops")
        let files = FileManager.default.enumerator(atPath: sops.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThan(files.count, 20)
        var short = 0, readable = 0
        for (k, path) in files.enumerated() {
            let text = try String(contentsOf: sops.appendingPathComponent(path), encoding: .utf8)
            let r = session(path, text, edits: 120, seed: UInt64(k + 1))
            (short, readable) = (short + r.short, readable + r.readable)
        }
        // Most edits that leave a readable file land inside some list item (a step, a requirement).
        print("the short way: \(short) of \(readable) edits that left a readable file")
        XCTAssertGreaterThan(short, readable / 2, "the short way was taken for \(short) of \(readable) edits that left a readable file")
    }

    func testRandomSessionsOnGeneratedSOPsGiveTheFullReadsTree() {
        for seed in UInt64(1)...4 {
            var o = ValidSOPGenerator.Options()
            o.seed = seed
            o.steps = 60
            o.actors = 8
            let text = ValidSOPGenerator(options: o).files()[0].text
            session("generated-\(seed).yaml", text, edits: 150, seed: seed * 7)
        }
    }

    func testTheEndsOfListsAndBlockTexts() {
        let text = """
        sop: 1
        steps:
          - id: a
            action: |
              Baris satu
              Baris dua

          # komentar
          - id: b
            requirements:
              - Surat
              - KTP
            outputs: [Berkas]
          - id: c
            action: >-
              Teks dilipat
              di sini
          - id: d
            outputs:
            - Tanpa indentasi
            - "Dua"
            note:
        actors:
          p: {name: Petugas}
        last:
        - x
        - y
        """
        for seed in UInt64(1)...40 { session("ends.yaml", text, edits: 60, seed: seed) }
        // And the same without a final line break (the list's end is the stream's end, which
        // libyaml puts at the start of the line after the last, however long the last is).
        for seed in UInt64(41)...60 { session("ends.yaml", text + "\n  - z", edits: 60, seed: seed) }
        for seed in UInt64(61)...80 { session("ends.yaml", text + "\n  - z: a\n    b: c", edits: 60, seed: seed) }
    }

    /// The benchmark's case: typing and deleting in a step's action of a 1,000-step file is
    /// spliced every time.
    func testTypingInAStepTakesTheShortWay() throws {
        var o = ValidSOPGenerator.Options()
        o.seed = 3
        o.steps = 1000
        var bytes = Array(ValidSOPGenerator(options: o).files()[0].text.utf8)
        var previous = try XCTUnwrap(reader.read(SourceFile(path: "g.yaml", bytes: bytes), diagnostics: DiagnosticSink()))
        // The first action in the second half of the file, just after `action: `.
        let key = Array("action: ".utf8)
        var at = bytes.count / 2
        while at + key.count <= bytes.count, !bytes[at..<at + key.count].elementsEqual(key) { at += 1 }
        XCTAssertLessThan(at + key.count, bytes.count)
        at += key.count
        for k in 0..<12 {
            if k % 2 == 0 { bytes.insert(UInt8(ascii: "x"), at: at) } else { bytes.remove(at: at) }
            let source = SourceFile(path: "g.yaml", bytes: bytes)
            let spliced = try XCTUnwrap(reader.reread(source, previous: previous), "keystroke \(k) was read in full")
            let full = try XCTUnwrap(reader.read(source, diagnostics: DiagnosticSink()))
            XCTAssertTrue(spliced.isSame(as: full), "keystroke \(k)")
            previous = spliced
        }
    }
}
