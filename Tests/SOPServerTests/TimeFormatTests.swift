import Foundation
import SOPCalendar
@testable import SOPServer
import XCTest

/// `rfc3339` (deadlines, times and log lines in every answer) writes what Foundation's
/// ISO 8601 formatter writes, for times across centuries and offsets east and west.
final class TimeFormatTests: XCTestCase {
    func testRFC3339AgreesWithFoundation() {
        var rng = SystemRandomNumberGenerator()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        for k in 0..<400 {
            // Fixed corners first, then random times from 1900 to 2200.
            let corners: [Int64] = [0, -1, 86_399, 86_400, 951_782_400, 4_102_444_799, -2_208_988_800]
            let seconds = k < corners.count ? corners[k] : Int64.random(in: -2_208_988_800...7_258_118_400, using: &rng)
            for minutes in [0, 420, 480, 540, -300, 345, -570, 840] {
                formatter.timeZone = TimeZone(secondsFromGMT: minutes * 60)
                var expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
                if expected.hasSuffix("Z") { expected = String(expected.dropLast()) + "+00:00" }
                XCTAssertEqual(rfc3339(Instant(seconds: seconds), UTCOffset(minutes: minutes)), expected, "\(seconds) at \(minutes) min")
            }
        }
    }
}
