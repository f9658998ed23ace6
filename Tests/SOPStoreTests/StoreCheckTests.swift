import Foundation
import SOPRuntime
import SOPStore
import SOPWorkspace
import XCTest

/// `sop store check` (StoreCheck): a store written through the case service is consistent;
/// a summary that is not the fold of its events is found and named.
final class StoreCheckTests: XCTestCase {
    func stores() throws -> [(String, CaseStore)] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sop-store-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return [("memory", MemoryCaseStore()), ("SQLite", try SQLiteCaseStore(path: dir.appendingPathComponent("sop.db").path))]
    }

    func testAConsistentStoreAndATamperedOne() throws {
        for (name, store) in try stores() {
            let clock = VirtualClock(StoreChecks.at("2026-05-04 09:00"))
            let s = StoreChecks.service(store, clock)
            var ids: [String] = []
            for i in 0..<4 {
                let id = try s.start(i % 2 == 0 ? StoreChecks.review : StoreChecks.simple)
                ids.append(id)
                clock.advance(bySeconds: 600)
                if i % 2 == 1 { try _ = s.complete(id, step: "catat", by: "petugas") }
            }
            var report = try StoreCheck.check(store)
            XCTAssertTrue(report.isConsistent, "\(name): \(report.differences)")
            XCTAssertEqual(report.cases, 4, name)
            XCTAssertEqual(report.events, try store.allEvents().count, name)
            XCTAssertGreaterThan(report.events, 4, name)

            // A summary that says the case moved on without the events to show it.
            var wrong = try XCTUnwrap(try store.summary(of: ids[1]))
            wrong.tasks = []
            wrong.status = .completed
            try store.append([], expectedVersion: wrong.version, summary: wrong)
            report = try StoreCheck.check(store)
            XCTAssertEqual(report.differences.map(\.id), [ids[1]], name)
            XCTAssertTrue(report.differences.first?.reason.contains("fold") ?? false, "\(name): \(report.differences)")
        }
    }
}
