import Foundation
import SOPLanguage
import XCTest

/// Golden diagnostic pairs: `Fixtures/errors/NAME.yaml` (or a folder `NAME/`, checked as a
/// catalogue) beside `NAME.err`, the exact output of `sop check --color never` run in
/// `Fixtures/`, so paths are relative. Files ending in `-lang-id.yaml` use `--lang id`.
/// `UPDATE_GOLDEN=1 swift test --filter GoldenTests` rewrites the `.err` files.
final class GoldenTests: XCTestCase {
    let errors = Support.fixtures.appendingPathComponent("errors")

    func cases() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: errors.path)
            .filter { !$0.hasSuffix(".err") && !$0.hasPrefix(".") }
            .map { $0.hasSuffix(".yaml") ? String($0.dropLast(5)) : $0 }
            .sorted()
    }

    func testEveryFixtureMatchesItsGoldenOutput() throws {
        let names = try cases()
        XCTAssertGreaterThan(names.count, 30)
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
        for name in names {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: errors.appendingPathComponent(name).path, isDirectory: &isDirectory)
            let target = isDirectory.boolValue ? "errors/\(name)" : "errors/\(name).yaml"
            let lang = name.hasSuffix("-lang-id") ? "id" : "en"
            let run = try Support.sop(["check", "--color", "never", "--lang", lang, target], in: Support.fixtures)
            XCTAssertTrue(run.stderr.isEmpty, "\(name): \(run.stderr)")
            XCTAssertTrue([0, 1].contains(run.status), "\(name): exit \(run.status)")
            if run.stdout.contains("error[") || run.stdout.contains("galat[") { XCTAssertEqual(run.status, 1, name) }
            let golden = errors.appendingPathComponent("\(name).err")
            if update {
                try Data(run.stdout.utf8).write(to: golden)
                continue
            }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            if run.stdout != expected {
                XCTFail("\(name): output differs from \(name).err\n--- expected\n\(expected)\n--- actual\n\(run.stdout)")
            }
        }
    }

    /// At least one golden pair per diagnostic code (E0105, a 64 MiB file, is covered in
    /// ReaderTests instead of a fixture).
    func testEveryCodeHasAGoldenPair() throws {
        var seen = Set<String>()
        for name in try cases() {
            let text = try String(contentsOf: errors.appendingPathComponent("\(name).err"), encoding: .utf8)
            for code in DiagnosticCatalog.entries.map(\.code) where text.contains("[\(code)]") { seen.insert(code) }
        }
        let missing = DiagnosticCatalog.entries.map(\.code).filter { !seen.contains($0) && $0 != "E0105" }
        XCTAssertEqual(missing, [], "codes without a golden fixture")
    }
}
