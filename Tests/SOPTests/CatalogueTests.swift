import Foundation
import XCTest

/// The catalogue in `sops/`: all 28 SOPs of the seed documents, each checking clean.
final class CatalogueTests: XCTestCase {
    func testTheCatalogueHasEverySeedSOPAndChecksWithoutErrors() throws {
        let run = try Support.sop(["check", "--format", "json", "sops"])
        XCTAssertEqual(run.status, 0, run.stdout)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let summary = try XCTUnwrap(report["summary"] as? [String: Int])
        XCTAssertEqual(summary["files"], 28)
        XCTAssertEqual(summary["errors"], 0)
    }

    func testEachFileChecksOnItsOwnAndIdsMatchPaths() throws {
        let list = try Support.sop(["list", "--format", "json", "sops"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.count, 28)
        XCTAssertEqual(Set(rows.compactMap { $0["id"] as? String }).count, 28, "ids are unique")
        for row in rows {
            let id = try XCTUnwrap(row["id"] as? String), file = try XCTUnwrap(row["file"] as? String)
            XCTAssertEqual(file, "sops/\(id).yaml", "the file of \(id) lives at its id")
            XCTAssertEqual(try Support.sop(["check", file]).status, 0, file)
        }
        XCTAssertGreaterThan(rows.filter { ($0["draft"] as? Bool) == false }.count, 10)
    }
}
