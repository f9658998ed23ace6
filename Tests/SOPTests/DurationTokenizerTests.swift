@testable import SOPLanguage
import XCTest

/// The ASCII tokenizer of durations is a fast path: it must give exactly the tokens of the
/// general one on every ASCII text.
final class DurationTokenizerTests: XCTestCase {
    func testASCIIPathMatchesUnicodePath() throws {
        var samples = ["5 menit", "1 x 24 jam", "1x24 Jam", "Maks. 3 Hari", "2 hari kerja dapat diperpanjang 7 hari kerja",
                       "Ringan (3) Hari Kerja; Sedang (10) Hari Kerja; Berat (30) Hari Kerja", "Setiap Awal Bulan di Hari Kerja",
                       "NA", "N/A", "-", "PT1H30M", "p3d", "1,5 jam", "2.5 hours", "3 s.d. 5 hari", "3 s/d 5 hari", "3 s.d 5",
                       "1-3 hari kerja", "10 (sepuluh) hari kerja", "x24", "X2Y", "s.dx", "a\r b", "007 menit",
                       "1234567890123456789 detik", "Setiap hari selama 10 hari kerja sejak jawaban terakhir", "", " ", "§"]
        // Every duration written in the seeds too.
        let sops = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../sops").standardized
        if let walker = FileManager.default.enumerator(atPath: sops.path) {
            while let relative = walker.nextObject() as? String {
                guard relative.hasSuffix(".yaml") else { continue }
                let text = try String(contentsOf: sops.appendingPathComponent(relative), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    for key in ["duration:", "sla:", "after:", "recurring:"] {
                        if let r = line.range(of: key) { samples.append(String(line[r.upperBound...])) }
                    }
                }
            }
        }
        XCTAssertGreaterThan(samples.count, 40)
        for sample in samples where sample.utf8.allSatisfy({ $0 < 0x80 }) {
            var copy = sample
            let fast = copy.withUTF8 { DurationParser.asciiTokens($0) }
            XCTAssertEqual(fast, DurationParser.unicodeTokens(sample), "`\(sample)`")
        }
    }
}
