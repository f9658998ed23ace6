import Foundation
@testable import SOPServer
import XCTest

/// The answers written without `JSONEncoder` (the task list and a command's result, the two
/// hottest answers) are the JSON `JSON.response` writes — the same bytes but for `<`, which
/// they write as `\u003c` — for texts with every character JSON escapes, non-ASCII, slashes,
/// markup and absent optionals.
final class HandWrittenJSONTests: XCTestCase {
    let texts = ["", "Verifikasi laporan", "a\"b\\c/d", "baris\nbaru\ttab\r\u{1}\u{1F}", "Pejabat “Penghubung” 📨", "</script><b>&amp;"]

    func testTaskListIsWhatTheEncoderWrites() throws {
        var items: [API.TaskItem] = []
        for (k, t) in texts.enumerated() {
            items.append(API.TaskItem(case: "case-\(k)", caseVersion: k, sop: "kota/\(t)", sopName: t, step: t, label: t,
                                      actorKey: k % 2 == 0 ? t : nil, actorName: k % 3 == 0 ? nil : t, activatedAt: "2026-05-08T16:00:00+07:00",
                                      deadline: k % 2 == 1 ? "2026-05-15T16:00:00+07:00" : nil, deadlineText: k % 2 == 1 ? t : nil,
                                      workingDaysLeft: k % 2 == 1 ? k - 3 : nil, overdue: k % 4 == 1))
        }
        for n in [0, 1, items.count] {
            try assertSameJSON(API.taskListJSON(Array(items.prefix(n))), try JSON.encoder.encode(Array(items.prefix(n))))
        }
    }

    func testCommandResultIsWhatTheEncoderWrites() throws {
        let events = texts.enumerated().map { k, t in
            API.EventItem(sequence: k + 1, kind: "task_completed", at: "2026-05-08T16:00:00+07:00", text: t, person: k % 2 == 0 ? nil : t)
        }
        for n in [0, 1, events.count] {
            let r = API.ActResult(case: "case-\"1\"", version: 12, status: "running", events: Array(events.prefix(n)))
            try assertSameJSON(API.actResultJSON(r), try JSON.encoder.encode(r))
        }
    }

    func assertSameJSON(_ written: [UInt8], _ encoded: Data, file: StaticString = #filePath, line: UInt = #line) throws {
        let text = String(decoding: written, as: UTF8.self)
        XCTAssertEqual(text.replacingOccurrences(of: "\\u003c", with: "<"), String(decoding: encoded, as: UTF8.self), file: file, line: line)
        XCTAssertFalse(text.contains("<"), file: file, line: line)
        let a = try JSONSerialization.jsonObject(with: Data(written)) as? NSObject
        let b = try JSONSerialization.jsonObject(with: encoded) as? NSObject
        XCTAssertEqual(a, b, file: file, line: line)
    }
}
