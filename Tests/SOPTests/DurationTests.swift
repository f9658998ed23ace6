import SOPIR
import SOPLanguage
import XCTest

/// Every *Waktu* form of DESIGN.md and the seeds, plus English and ISO 8601.
final class DurationTests: XCTestCase {
    func value(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Duration.Value? {
        switch DurationParser.parse(text) {
        case let .success(d):
            XCTAssertEqual(d.text, text.trimmingCharacters(in: .whitespaces), file: file, line: line)
            return d.value
        case let .failure(f):
            XCTFail("`\(text)` did not parse (at \(f.offset), `\(f.found)`)", file: file, line: line)
            return nil
        }
    }

    func amount(_ text: String, _ min: Double, _ max: Double, _ unit: TimeUnit, atMost: Bool = false,
                extension ext: TimeSpan? = nil, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(value(text, file: file, line: line),
                       .amount(span: TimeSpan(min: min, max: max, unit: unit), atMost: atMost, extension: ext), file: file, line: line)
    }

    /// Found by the generated SOPs: a ";" in an anchor made the text a list of classes.
    func testASemicolonInAnAnchorIsNotAClassList() {
        guard case let .success(d) = DurationParser.parse("10 hari kerja sejak surat; lampiran diterima") else {
            return XCTFail("an anchor with a ';' is read")
        }
        XCTAssertEqual(d.value, .amount(span: TimeSpan(10, .workingDay), atMost: false, extension: nil))
        XCTAssertEqual(d.since, "surat ; lampiran diterima")
        guard case .success(let c) = DurationParser.parse("Ringan (3) Hari Kerja; Berat (30) Hari Kerja"), case .classes = c.value else {
            return XCTFail("classes are still classes")
        }
    }

    func testSimpleAmounts() {
        amount("5 menit", 5, 5, .minute)
        amount("15 detik", 15, 15, .second)
        amount("3 jam", 3, 3, .hour)
        amount("2 hari", 2, 2, .day)
        amount("10 hari kerja", 10, 10, .workingDay)
        amount("15 Menit", 15, 15, .minute)
        amount("1 Jam", 1, 1, .hour)
        amount("1 minggu", 1, 1, .week)
        amount("3 bulan", 3, 3, .month)
        amount("1 tahun", 1, 1, .year)
        amount("1,5 jam", 1.5, 1.5, .hour)
    }

    func testRanges() {
        amount("1-3 hari", 1, 3, .day)
        amount("1-30 menit", 1, 30, .minute)
        amount("3 - 5 hari", 3, 5, .day)
        amount("5 s.d. 10 hari kerja", 5, 10, .workingDay)
        amount("5 s/d 10 hari", 5, 10, .day)
        amount("5 sampai 10 hari", 5, 10, .day)
    }

    func testMultiplicationAndMaximum() {
        amount("1 x 24 jam", 24, 24, .hour)
        amount("2x24 jam", 48, 48, .hour)
        amount("Maks. 3 Hari", 3, 3, .day, atMost: true)
        amount("maksimal 10 hari kerja", 10, 10, .workingDay, atMost: true)
        amount("paling lama 7 hari kerja", 7, 7, .workingDay, atMost: true)
        amount("paling lambat 14 (empat belas) hari kerja", 14, 14, .workingDay, atMost: true)
    }

    func testExtension() throws {
        amount("2 hari kerja dapat diperpanjang 7 hari kerja", 2, 2, .workingDay, extension: TimeSpan(7, .workingDay))
        XCTAssertEqual(try DurationParser.parse("2 hari kerja dapat diperpanjang 7 hari kerja").map(\.maximum).get(), TimeSpan(min: 2, max: 9, unit: .workingDay))
    }

    func testSinceClauseAndSpelledNumbers() throws {
        let d = try DurationParser.parse("10 (sepuluh) hari kerja sejak permohonan diterima").get()
        XCTAssertEqual(d.value, .amount(span: TimeSpan(10, .workingDay), atMost: false, extension: nil))
        XCTAssertEqual(d.since, "permohonan diterima")
    }

    func testClasses() {
        XCTAssertEqual(value("Ringan (3) Hari Kerja; Sedang (10) Hari Kerja; Berat (30) Hari Kerja"), .classes(classes: [
            DurationClass(name: "ringan", span: TimeSpan(3, .workingDay)),
            DurationClass(name: "sedang", span: TimeSpan(10, .workingDay)),
            DurationClass(name: "berat", span: TimeSpan(30, .workingDay)),
        ]))
        let d = try? DurationParser.parse("Ringan (3) Hari Kerja; Sedang (10) Hari Kerja; Berat (30) Hari Kerja").get()
        XCTAssertEqual(d?.maximum, TimeSpan(30, .workingDay))
    }

    func testRecurrence() {
        XCTAssertEqual(value("Setiap hari kerja"), .recurring(recurrence: Recurrence(every: .workingDay, onWorkingDays: true)))
        XCTAssertEqual(value("Setiap Awal Bulan di Hari Kerja"),
                       .recurring(recurrence: Recurrence(every: .month, anchor: "awal", onWorkingDays: true)))
        XCTAssertEqual(value("Setiap hari selama 10 hari kerja sejak jawaban terakhir"),
                       .recurring(recurrence: Recurrence(every: .day, lasting: TimeSpan(10, .workingDay), since: "jawaban terakhir")))
        XCTAssertEqual(value("every working day"), .recurring(recurrence: Recurrence(every: .workingDay, onWorkingDays: true)))
    }

    func testNotApplicable() {
        XCTAssertEqual(value("NA"), .notApplicable)
        XCTAssertEqual(value("N/A"), .notApplicable)
        XCTAssertEqual(value("-"), .notApplicable)
        XCTAssertNil(try? DurationParser.parse("NA").get().maximum)
    }

    func testEnglishAndISO8601() {
        amount("5 minutes", 5, 5, .minute)
        amount("3 working days", 3, 3, .workingDay)
        amount("2 hours", 2, 2, .hour)
        amount("PT5M", 5, 5, .minute)
        amount("P3D", 3, 3, .day)
        amount("PT1H30M", 90, 90, .minute)
        amount("PT15S", 15, 15, .second)
    }

    func testRejectsWhatIsNotADuration() {
        for text in ["", "lima menit", "5", "5 kilometer", "3-1 hari", "Ringan (3) Hari Kerja", "setiap", "Maks.", "P", "PT5X", "5 menit lagi"] {
            if case .success = DurationParser.parse(text) { XCTFail("`\(text)` should not parse") }
        }
    }

    func testFailurePointsAtTheFirstUnusableToken() {
        guard case let .failure(f) = DurationParser.parse("5 kilometer") else { return XCTFail() }
        XCTAssertEqual(f.found, "kilometer")
        XCTAssertEqual(f.offset, 2)
    }
}
