import Foundation
import XCTest

/// Every scenario in Tests/Scenarios runs from a clean start and prints exactly its
/// committed trace (`NAME.trace`); it must exit 0 (no rule broken, every expectation met).
/// Regenerate with `UPDATE_GOLDEN=1 swift test --filter ScenarioTests`.
final class ScenarioTests: XCTestCase {
    static let folder = Support.root.appendingPathComponent("Tests/Scenarios")

    func scenarios() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: Self.folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
    }

    func testScenariosMatchTheirTraces() throws {
        let files = try scenarios()
        XCTAssertGreaterThanOrEqual(files.count, 5)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            guard let sopLine = text.split(separator: "\n").first(where: { $0.hasPrefix("sop: ") }) else {
                XCTFail("\(file.lastPathComponent) names no `sop:`")
                continue
            }
            let sop = String(sopLine.dropFirst(5))
            let run = try Support.sop(["run", sop, "--script", "Tests/Scenarios/\(file.lastPathComponent)", "--lang", "en", "--color", "never"])
            XCTAssertEqual(run.status, 0, "\(file.lastPathComponent):\n\(run.stdout)\(run.stderr)")
            XCTAssertEqual(run.stderr, "")
            let golden = file.deletingPathExtension().appendingPathExtension("trace")
            if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
                try run.stdout.write(to: golden, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            XCTAssertEqual(run.stdout, expected, "\(file.lastPathComponent) trace differs from \(golden.lastPathComponent)")
        }
    }

    /// The Ombudsman hand-over happens on the date a plain day-by-day count gives, with the
    /// holidays typed here from SKB 3 Menteri 2025 (not from the generated table).
    func testOmbudsmanDateIsTheDayByDayCount() throws {
        let offDays: Set<String> = [
            // libur nasional 2025
            "2025-03-29", "2025-03-31", "2025-04-01", "2025-04-18", "2025-04-20", "2025-05-01", "2025-05-12", "2025-05-29",
            "2025-06-01", "2025-06-06", "2025-06-27",
            // cuti bersama 2025
            "2025-03-28", "2025-04-02", "2025-04-03", "2025-04-04", "2025-04-07", "2025-05-13", "2025-05-30", "2025-06-09",
        ]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let f = DateFormatter()
        f.calendar = calendar
        f.timeZone = calendar.timeZone
        f.dateFormat = "yyyy-MM-dd"
        var day = f.date(from: "2025-03-04")!   // step 3 opens that day (see the scenario)
        var counted = 0
        while counted < 60 {
            day = calendar.date(byAdding: .day, value: 1, to: day)!
            let weekday = calendar.component(.weekday, from: day)   // 1 = Sunday, 7 = Saturday
            if weekday != 1 && weekday != 7 && !offDays.contains(f.string(from: day)) { counted += 1 }
        }
        let expectedDay = f.string(from: day)
        XCTAssertEqual(expectedDay, "2025-06-17")
        let run = try Support.sop(["run", "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml",
                                   "--script", "Tests/Scenarios/lapor-forwarded-to-ombudsman.yaml", "--lang", "en"])
        let fired = run.stdout.split(separator: "\n").first { $0.contains("TIMEOUT 60 hari kerja") }
        XCTAssertNotNil(fired, run.stdout)
        // The timer fires as the 60th working day ends: at 00:00 of the next day.
        let next = f.string(from: calendar.date(byAdding: .day, value: 1, to: day)!)
        XCTAssertTrue(fired?.hasPrefix("\(next) 00:00") ?? false, String(fired ?? ""))
    }

    /// A scenario whose expectation is wrong, or whose action breaks a rule, exits 1.
    func testBrokenScenarioExitsOne() throws {
        let dir = try Support.temporaryDirectory(self)
        let bad = dir.appendingPathComponent("bad.yaml")
        try """
        start: 2025-03-03 08:00
        actions:
          - {at: 2025-03-03 09:00, complete: "1", by: admin, documents: [Laporan masyarakat]}
          - {expect: {status: completed}}
        """.write(to: bad, atomically: true, encoding: .utf8)
        let run = try Support.sop(["run", "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml", "--script", bad.path, "--lang", "en"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("error[R001]"), run.stdout)
        XCTAssertTrue(run.stdout.contains("expected status completed, got running"), run.stdout)
        XCTAssertTrue(run.stdout.contains("scenario: 2 action(s) broke a rule or an expectation"), run.stdout)
    }

    /// A misspelt scenario key is a located diagnostic with a suggestion, exit 1.
    func testScenarioTypoIsLocated() throws {
        let dir = try Support.temporaryDirectory(self)
        let bad = dir.appendingPathComponent("typo.yaml")
        try "start: 2025-03-03 08:00\nactions:\n  - {at: 2025-03-03 09:00, compelte: \"1\"}\n".write(to: bad, atomically: true, encoding: .utf8)
        let run = try Support.sop(["run", "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml", "--script", bad.path, "--lang", "en", "--color", "never"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("typo.yaml:3:28: error[S0001]: unknown key `compelte`; did you mean `complete`?"), run.stderr)
        XCTAssertTrue(run.stderr.contains("1 error"), run.stderr)
    }
}
