import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRender
import XCTest

/// The official sheet survives shapes the catalogue does not contain (issue 17): many
/// *Pelaksana* columns, and more off-page connectors than two letters can name. Both
/// trapped before; the fixtures are `Tests/Render/Fixtures/lanes-{12,20,40}.yaml` (also drawn
/// and screenshotted by `Tests/Render/run.sh`) and an SOP generated here.
final class SheetRobustnessTests: XCTestCase {
    func graph(_ yaml: String, path: String = "generated.yaml") throws -> ProcessGraph {
        let (output, diagnostics) = Support.compile(yaml, path: path)
        let errors = diagnostics.filter { $0.severity == .error }
        XCTAssertTrue(errors.isEmpty, "\(path): \(errors.map(\.message.en))")
        return try XCTUnwrap(output.graph)
    }

    /// Every number written into the SVG's geometry attributes, outside rotated text (whose
    /// x runs along the rotated axis and is negative by design).
    static func geometry(_ html: String) -> [Double] {
        let plain = html.split(separator: "\n").filter { !$0.contains("transform=\"rotate(") }.joined(separator: "\n")
        let pattern = try! NSRegularExpression(pattern: " (?:x|y|x1|y1|x2|y2|width|height|rx)=\"(-?[0-9.]+)\"")
        let range = NSRange(plain.startIndex..., in: plain)
        return pattern.matches(in: plain, range: range).compactMap { Double(plain[Range($0.range(at: 1), in: plain)!]) }
    }

    /// The text of each `<text>` element, its lines joined by spaces.
    static func texts(_ html: String) -> [String] {
        let element = try! NSRegularExpression(pattern: "<text[^>]*>(.*?)</text>")
        let span = try! NSRegularExpression(pattern: "<tspan[^>]*>(.*?)</tspan>")
        return element.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { m in
            let inner = String(html[Range(m.range(at: 1), in: html)!])
            let lines = span.matches(in: inner, range: NSRange(inner.startIndex..., in: inner)).map { String(inner[Range($0.range(at: 1), in: inner)!]) }
            return lines.isEmpty ? inner : lines.joined(separator: " ")
        }
    }

    func testSheetsWithManyActorsRender() throws {
        for lanes in [12, 20, 40] {
            let path = "Tests/Render/Fixtures/lanes-\(lanes).yaml"
            let text = try String(contentsOf: Support.root.appendingPathComponent(path), encoding: .utf8)
            let g = try graph(text, path: path)
            XCTAssertEqual(g.actors.count, lanes)
            let html = SheetRenderer().render(g)
            // No negative size or coordinate anywhere: every column, lane and symbol has room.
            let negative = Self.geometry(html).filter { $0 < 0 }
            XCTAssertTrue(negative.isEmpty, "\(lanes) lanes: negative geometry \(negative.prefix(5))")
            // Every lane's header is numbered and names its actor: in full, or cut short with
            // "…" and then in full in the legend under the table.
            let texts = Self.texts(html)
            let legend = try XCTUnwrap(texts.first { $0.hasPrefix("Pelaksana (nama lengkap): ") } ?? (lanes == 40 ? nil : ""))
            for actor in g.actors {
                let numbered = "\(actor.index + 1). \(actor.name)"
                let header = texts.first { $0.hasPrefix("\(actor.index + 1). ") }
                XCTAssertNotNil(header, "\(lanes) lanes: no header for lane \(actor.index + 1)")
                let inFull = header == numbered, cut = header.map { $0.hasSuffix("…") } ?? false
                XCTAssertTrue(inFull || (cut && legend.contains(numbered)),
                              "\(lanes) lanes: lane \(actor.index + 1) (\(actor.name)) is not named: \(header ?? "-")")
            }
        }
    }

    /// 800 steps, each with a timer to the end: every page break is crossed by hundreds of
    /// arrows, far more than the 702 names from A to ZZ.
    func testOffPageConnectorsStayUniqueBeyondZZ() throws {
        var yaml = "sop: 1\nid: fixtures/many-connectors\nname: Many connectors\nactors:\n  a: {name: Petugas}\n  b: {name: Verifikator}\nsteps:\n"
        for i in 1...800 {
            yaml += "  - {id: s\(i), action: Langkah \(i), actor: \(i % 2 == 0 ? "a" : "b"), timeout: {after: \(i) hari kerja, goto: end}}\n"
        }
        let html = SheetRenderer().render(try graph(yaml))
        let pattern = try NSRegularExpression(pattern: "font-size=\"8\" font-weight=\"bold\" text-anchor=\"middle\">([A-Z]+)</text>")
        var uses: [String: Int] = [:]
        for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            uses[String(html[Range(match.range(at: 1), in: html)!]), default: 0] += 1
        }
        XCTAssertGreaterThan(uses.count, 702, "more connectors than A…ZZ can name")
        XCTAssertNotNil(uses["AAA"], "after ZZ comes AAA")
        XCTAssertNotNil(uses["ZZ"])
        // Each label is drawn exactly twice: where the arrow leaves a page and where it comes back.
        XCTAssertEqual(uses.filter { $0.value != 2 }.map(\.key).sorted(), [])
    }

    /// A rotated lane header too long for its cell ends with "…": the longest prefix that fits
    /// with it, as measuring every prefix finds it (the one-pass sum must agree with it).
    func testTruncationKeepsTheLongestPrefixThatFits() {
        let samples = ["Kepala Dinas Komunikasi, Informatika dan Statistik Kota Cirebon", "日本語のテキスト 👩‍👩‍👧‍👦 e\u{301}",
                       String(repeating: "Sangatpanjang ", count: 40), "a", ""]
        for text in samples {
            for maxWidth in [1.0, 20, 60, 140] {
                let got = TextWrapForTests.truncated(text, maxWidth: maxWidth, fontSize: 9, bold: true)
                if TextWrapForTests.width(text, fontSize: 9, bold: true) <= maxWidth { XCTAssertEqual(got, text); continue }
                let chars = Array(text)
                var n = chars.count
                while n > 0, TextWrapForTests.width(String(chars[0..<n]) + "…", fontSize: 9, bold: true) > maxWidth { n -= 1 }
                var expected = String(chars[0..<n])
                while expected.last == " " { expected.removeLast() }
                XCTAssertEqual(got, expected + "…", "\(text.prefix(20)) in \(maxWidth)")
            }
        }
    }
}
