import Foundation
import GRDB
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRuntime
import SOPStore
import XCTest

/// The calendar, the engine's rules and flow, and the stores.
final class RuntimeTests: XCTestCase {
    static let wib = UTCOffset.wib

    func at(_ text: String) -> Instant { Self.wib.parse(text)! }

    func graph(_ yaml: String, id: String = "test/runtime") -> ProcessGraph {
        let text = yaml.contains("\nid: ") ? yaml : yaml.replacingOccurrences(of: "sop: 1\n", with: "sop: 1\nid: \(id)\n")
        let (output, diagnostics) = Support.compile(text, path: "\(id).yaml")
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, diagnostics.map(\.message.en).joined(separator: "\n"))
        return output.graph!
    }

    static let header = "sop: 1\nname: Uji\n"

    // MARK: Calendar

    func testHolidayTableCoversTheYearsAndMarksEstimates() {
        let years = Set(Holiday.all.map(\.date.year))
        XCTAssertEqual(years, Set(2018...2030))
        XCTAssertTrue(Holiday.all.contains { $0.estimated }, "later years carry estimated dates")
        XCTAssertTrue(Holiday.all.contains { $0.kind == .cutiBersama && $0.date == CivilDate(year: 2025, month: 4, day: 2) })
        XCTAssertEqual(Holiday.all.first { $0.date == CivilDate(year: 2025, month: 8, day: 17) }?.nameID, "Hari Kemerdekaan Republik Indonesia")
    }

    func testWorkingDaysSkipWeekendsHolidaysAndCutiBersama() throws {
        let c = WorkingCalendar()
        XCTAssertTrue(try c.isWorkingDay(CivilDate(year: 2025, month: 3, day: 27)))    // Thursday
        XCTAssertFalse(try c.isWorkingDay(CivilDate(year: 2025, month: 3, day: 28)))   // cuti bersama Nyepi
        XCTAssertFalse(try c.isWorkingDay(CivilDate(year: 2025, month: 3, day: 31)))   // Idul Fitri
        XCTAssertFalse(try c.isWorkingDay(CivilDate(year: 2025, month: 3, day: 30)))   // Sunday
        let counted = WorkingCalendar(CalendarSettings(cutiBersamaIsWorking: true))
        XCTAssertTrue(try counted.isWorkingDay(CivilDate(year: 2025, month: 3, day: 28)))
        XCTAssertFalse(try counted.isWorkingDay(CivilDate(year: 2025, month: 3, day: 31)))
        XCTAssertTrue(try WorkingCalendar(CalendarSettings(week: .everyDay)).isWorkingDay(CivilDate(year: 2025, month: 3, day: 31)))
        XCTAssertThrowsError(try c.isWorkingDay(CivilDate(year: 2031, month: 1, day: 6)))
    }

    func testDeadlinesPerUnit() throws {
        let c = WorkingCalendar()
        let friday = at("2025-03-07 14:00")
        // hari kerja: the day itself does not count; due when the n-th working day ends.
        XCTAssertEqual(try c.deadline(after: TimeSpan(1, .workingDay), from: friday), at("2025-03-11 00:00"))
        XCTAssertEqual(try c.deadline(after: TimeSpan(10, .workingDay), from: friday), at("2025-03-22 00:00"))
        // Across Idul Fitri: 27 March + 2 hari kerja = 8 April (28 March to 7 April are off).
        XCTAssertEqual(try c.deadline(after: TimeSpan(2, .workingDay), from: at("2025-03-27 09:00")), at("2025-04-10 00:00"))
        XCTAssertEqual(try WorkingCalendar(CalendarSettings(cutiBersamaIsWorking: true))
            .deadline(after: TimeSpan(2, .workingDay), from: at("2025-03-27 09:00")), at("2025-04-03 00:00"))
        // A range's deadline is its maximum; hari, jam, menit are elapsed time.
        XCTAssertEqual(try c.deadline(after: TimeSpan(min: 1, max: 3, unit: .day), from: friday), at("2025-03-10 14:00"))
        XCTAssertEqual(try c.deadline(after: TimeSpan(2, .hour), from: friday), at("2025-03-07 16:00"))
        XCTAssertEqual(try c.deadline(after: TimeSpan(15, .minute), from: friday), at("2025-03-07 14:15"))
        XCTAssertEqual(try c.deadline(after: TimeSpan(1, .month), from: at("2025-01-31 10:00")), at("2025-02-28 10:00"))
        // The same local day in WITA is one hour earlier in absolute time.
        XCTAssertEqual(UTCOffset.wita.parse("2025-03-07 15:00"), friday)
        XCTAssertThrowsError(try c.deadline(after: TimeSpan(10, .workingDay), from: at("2030-12-24 09:00")))
    }

    func testPerSOPAndOrganisationDefaults() {
        XCTAssertEqual(CalendarSettings.forSOP("kota-cirebon/dkis/siaga-112-kebakaran").week, .everyDay)
        XCTAssertEqual(CalendarSettings.forSOP("kota-cirebon/dkis/pengaduan-lapor-sp4n").week, .mondayToFriday)
        XCTAssertEqual(CalendarSettings.forSOP("kota-tarakan/dkisp/kunjungan-tarakan-command-center").offset, .wita)
    }

    // MARK: Engine

    static let review = header + """
    actors:
      staf: {name: Staf}
      kabid: {name: Kepala Bidang}
    inputs: [Surat]
    steps:
      - {id: terima, action: Menerima surat, actor: staf, requires: [Surat, Lampiran], duration: 1 hari kerja, produces: [Berkas]}
      - id: periksa
        action: Memeriksa berkas
        actor: kabid
        requires: [Berkas]
        decision: {question: Lengkap?, branches: {ya: arsip, tidak: terima}}
      - {id: arsip, action: Mengarsipkan, actor: staf, end: true}
    """

    func service(_ start: String = "2025-03-03 09:00", store: CaseStore = MemoryCaseStore()) -> (CaseService, VirtualClock) {
        let clock = VirtualClock(at(start))
        return (CaseService(store: store, clock: clock), clock)
    }

    func testRulesRefuseAndChangeNothing() throws {
        let g = graph(Self.review)
        let (s, clock) = service()
        let id = try s.start(g)
        func refused(_ code: RuntimeError.Code, _ body: () throws -> Void) {
            let before = try? s.store.events(of: id)
            XCTAssertThrowsError(try body()) { XCTAssertEqual(($0 as? RuntimeError)?.code, code, "\($0)") }
            XCTAssertEqual(try? s.store.events(of: id), before, "a refused command changed the log")
        }
        refused(.wrongActor) { _ = try s.complete(id, step: "terima", by: "kabid", documents: ["Surat", "Lampiran"]) }
        refused(.missingDocuments) { _ = try s.complete(id, step: "terima", by: "staf", documents: ["Surat"]) }
        refused(.unknownDocument) { _ = try s.complete(id, step: "terima", by: "staf", documents: ["Surta"]) }
        refused(.notOpen) { _ = try s.decide(id, step: "periksa", branch: "ya", by: "kabid") }
        refused(.unknownStep) { _ = try s.complete(id, step: "trima", by: "staf") }
        refused(.unknownActor) { _ = try s.complete(id, step: "terima", by: "staff") }
        // A waiver with a reason stands in for a missing document.
        clock.advance(to: at("2025-03-03 10:00"))
        _ = try s.complete(id, step: "terima", by: "Staf", documents: ["surat"], waivers: [("Lampiran", "tidak ada lampiran")])
        refused(.needsBranch) { _ = try s.complete(id, step: "periksa", by: "kabid") }
        refused(.unknownBranch) { _ = try s.decide(id, step: "periksa", branch: "mungkin", by: "kabid") }
        _ = try s.decide(id, step: "periksa", branch: "Ya", by: "kabid")
        _ = try s.complete(id, step: "arsip", by: "staf")
        let (state, _) = try s.load(id)
        XCTAssertEqual(state.status, .completed)
        XCTAssertThrowsError(try s.cancel(id, reason: "x", by: nil)) { XCTAssertEqual(($0 as? RuntimeError)?.code, .caseClosed) }
    }

    /// Found by the property tests: a name holding "\r\n" (one `Character`) or U+2028 was
    /// written unquoted, and a CSV reader split the row.
    func testCSVQuotesEveryLineBreak() throws {
        let g = graph(Self.header + "actors: {a: A}\nsteps:\n  - {action: \"baris\\r\\nbaru\", actor: a}\n  - {action: \"kata\\u2028baris\", actor: a}\n")
        let (s, _) = service()
        let id = try s.start(g)
        _ = try s.complete(id, step: "1", by: "a")
        let csv = EventLog.csv([EventLog.Case(events: try s.store.events(of: id), graph: g)])
        XCTAssertTrue(csv.contains(",\"baris\r\nbaru\","), csv)
        XCTAssertTrue(csv.contains(",\"kata\u{2028}baris\","), csv)
    }

    func testDecisionLoopsBackAndDeadlinesBreach() throws {
        let g = graph(Self.review)
        let (s, clock) = service("2025-03-07 09:00")   // Friday
        let id = try s.start(g)
        XCTAssertEqual(try s.load(id).0.openTasks.first?.deadline, at("2025-03-11 00:00"))
        clock.advance(to: at("2025-03-11 08:00"))      // late: due when Monday ended
        _ = try s.complete(id, step: "terima", by: "staf", documents: ["Surat", "Lampiran"])
        _ = try s.decide(id, step: "periksa", branch: "tidak", by: "kabid")
        let (state, _) = try s.load(id)
        XCTAssertEqual(state.openTasks.map(\.node), [1], "back to `terima`")
        XCTAssertEqual(state.breachedSteps, [1])
        XCTAssertEqual(state.documents.count, 3, "Surat, Lampiran and the produced Berkas")
    }

    func testFoldIsDeterministic() throws {
        let g = graph(Self.review)
        let (s, clock) = service()
        let id = try s.start(g)
        clock.advance(bySeconds: 3600)
        _ = try s.complete(id, step: "terima", by: "staf", documents: ["Surat", "Lampiran"])
        let events = try s.store.events(of: id)
        XCTAssertEqual(CaseState(id: id, events: events, graph: g), CaseState(id: id, events: events, graph: g))
        XCTAssertEqual(CaseState(id: id, events: events, graph: g), try s.load(id).0)
    }

    func testParallelSplitWaitsForEveryBranch() throws {
        let g = graph(Self.header + """
        actors: {kabid: {name: Kabid}, foto: {name: Fotografer}, redaksi: {name: Redaksi}}
        steps:
          - id: bagi
            action: Membagi tugas
            actor: kabid
            parallel: {branches: [foto, naskah], join: gabung}
          - {id: foto, action: Mengambil foto, actor: foto, next: gabung}
          - {id: naskah, action: Menulis naskah, actor: redaksi}
          - {id: gabung, action: Menggabungkan, actor: redaksi}
        """)
        let (s, _) = service()
        let id = try s.start(g)
        _ = try s.complete(id, step: "bagi", by: "kabid")
        XCTAssertEqual(Set(try s.load(id).0.openTasks.map(\.node)), [2, 3])
        _ = try s.complete(id, step: "naskah", by: "redaksi")
        XCTAssertEqual(try s.load(id).0.openTasks.map(\.node), [2], "the join waits for `foto`")
        _ = try s.complete(id, step: "foto", by: "foto")
        XCTAssertEqual(try s.load(id).0.openTasks.map(\.node), [4])
        _ = try s.complete(id, step: "gabung", by: "redaksi")
        XCTAssertEqual(try s.load(id).0.status, .completed)
    }

    func testCallStartsAChildCaseAndWaitsForIt() throws {
        let child = graph(Self.header + "id: test/anak\nactors: {ppid: {name: PPID}}\nsteps:\n  - {action: Menjawab keberatan, actor: ppid}\n", id: "test/anak")
        let parent = graph(Self.header + """
        id: test/induk
        actors: {ppid: {name: PPID}}
        steps:
          - {action: Menangani keberatan, actor: ppid, call: test/anak}
          - {action: Menutup, actor: ppid}
        """, id: "test/induk")
        let (s, _) = service()
        s.resolveSOP = { $0 == child.id ? child : nil }
        let id = try s.start(parent)
        let (state, _) = try s.load(id)
        let childID = try XCTUnwrap(state.openTasks.first?.child)
        XCTAssertThrowsError(try s.complete(id, step: "1", by: "ppid")) { XCTAssertEqual(($0 as? RuntimeError)?.code, .waitingForChild) }
        _ = try s.complete(childID, step: "1", by: "ppid")
        XCTAssertEqual(try s.load(childID).0.status, .completed)
        XCTAssertEqual(try s.load(id).0.openTasks.map(\.node), [2], "the call step completed with its child")
    }

    func testRecurringStepRepeatsUntilItsLastOccurrence() throws {
        let g = graph(Self.header + """
        actors: {staf: {name: Staf}}
        steps:
          - {action: Mengumpulkan kliping, actor: staf, recurring: Setiap hari kerja}
          - {action: Menyusun laporan, actor: staf}
        """)
        let (s, clock) = service("2025-03-07 08:00")   // Friday
        let id = try s.start(g)
        XCTAssertEqual(try s.load(id).0.openTasks.first?.deadline, at("2025-03-08 00:00"))
        clock.advance(to: at("2025-03-07 15:00"))
        _ = try s.complete(id, step: "1", by: "staf")
        var state = try s.load(id).0
        XCTAssertEqual(state.openTasks.first?.occurrences, 1)
        XCTAssertEqual(state.openTasks.first?.deadline, at("2025-03-11 00:00"), "next occurrence: Monday")
        clock.advance(to: at("2025-03-10 15:00"))
        _ = try s.complete(id, step: "1", by: "staf", last: true)
        state = try s.load(id).0
        XCTAssertEqual(state.openTasks.map(\.node), [2])
    }

    func testClassIsChosenAtStart() throws {
        let g = graph(Self.header + """
        actors: {staf: {name: Staf}}
        steps:
          - {action: Menyelesaikan pengaduan, actor: staf, duration: "Ringan 1 hari kerja, Sedang 3 hari kerja, Berat 5 hari kerja"}
        """)
        let (s, _) = service("2025-03-03 09:00")
        XCTAssertThrowsError(try s.start(g)) { XCTAssertEqual(($0 as? RuntimeError)?.code, .classRequired) }
        let id = try s.start(g, durationClass: "sedang")
        XCTAssertEqual(try s.load(id).0.openTasks.first?.deadline, at("2025-03-07 00:00"))
    }

    // MARK: SQLite store

    func testSQLiteRoundTripsEventsAndKeepsTheProjection() throws {
        let dir = try Support.temporaryDirectory(self)
        let path = dir.appendingPathComponent("sop.db").path
        let g = graph(Self.review)
        let (s, clock) = service(store: try SQLiteCaseStore(path: path))
        let id = try s.start(g)
        clock.advance(bySeconds: 600)
        _ = try s.complete(id, step: "terima", by: "staf", documents: ["Surat"], waivers: [("Lampiran", "menyusul")], note: "catatan")
        let written = try s.store.events(of: id)
        let reopened = try SQLiteCaseStore(path: path)
        XCTAssertEqual(try reopened.events(of: id), written)
        let summary = try XCTUnwrap(reopened.summary(of: id))
        let (state, engine) = try CaseService(store: reopened, clock: clock).load(id)
        XCTAssertEqual(summary, CaseSummary(state: state, engine: engine), "the projection equals the fold")
        XCTAssertEqual(try reopened.summaries(CaseFilter(actor: "kabid")).map(\.id), [id])
        XCTAssertEqual(try reopened.summaries(CaseFilter(actor: "staf")).map(\.id), [])
    }

    /// A case keeps its calendar's time zone in the projection (Tarakan's in WITA), and a store
    /// written before the column existed gets it from each case's first event.
    func testCaseTimeZoneIsInTheProjectionAndFilledForOlderStores() throws {
        let dir = try Support.temporaryDirectory(self)
        let path = dir.appendingPathComponent("sop.db").path
        let tarakan = graph(Self.review, id: "kota-tarakan/uji/kunjungan")
        let cirebon = graph(Self.review, id: "kota-cirebon/uji/kunjungan")
        let (s, _) = service(store: try SQLiteCaseStore(path: path))
        let a = try s.start(tarakan), b = try s.start(cirebon)
        func offsets() throws -> [UTCOffset] { try SQLiteCaseStore(path: path).summaries(CaseFilter()).map(\.offset) }
        XCTAssertEqual(try offsets(), [.wita, .wib])
        XCTAssertEqual(try SQLiteCaseStore(path: path).summary(of: a)?.offset, .wita)
        // Back to the first schema: the column gone, the second migration not yet run.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "ALTER TABLE cases DROP COLUMN utc_offset_minutes")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v2'")
        }
        try queue.close()
        XCTAssertEqual(try offsets(), [.wita, .wib], "filled from the case_started events of \(a) and \(b)")
    }

    /// `sop case watch` wakes when the earliest timer falls due instead of waiting out its
    /// interval: a timer due in about two seconds fires in the second round although the
    /// interval is five minutes.
    func testWatchWakesForTheEarliestTimer() throws {
        let dir = try Support.temporaryDirectory(self)
        let sop = dir.appendingPathComponent("uji.yaml")
        try Data((Self.header + """
        id: uji/watch
        actors:
          staf: {name: Staf}
        steps:
          - id: tunggu
            action: Menunggu jawaban
            actor: staf
            timeout: {after: 1 menit, goto: tutup}
          - id: tutup
            action: Menutup
            actor: staf
            end: true
        """).utf8).write(to: sop)
        let db = dir.appendingPathComponent("sop.db").path
        let iso = ISO8601DateFormatter()
        let start = iso.string(from: Date().addingTimeInterval(-58))
        XCTAssertEqual(try Support.sop(["case", "start", sop.path, "--db", db, "--at", start]).status, 0)
        let began = Date()
        let watch = try Support.sop(["case", "watch", "--db", db, "--interval", "300", "--rounds", "2"])
        XCTAssertEqual(watch.status, 0, watch.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(began), 120, "woke for the timer, not after the interval")
        XCTAssertTrue(watch.stdout.contains("TIMEOUT 1 menit on 1 Menunggu jawaban → 2 Menutup"), watch.stdout)
    }

    func testTwoWritersOnTheSameStepExactlyOneWins() throws {
        let dir = try Support.temporaryDirectory(self)
        let path = dir.appendingPathComponent("sop.db").path
        let g = graph(Self.review)
        let clock = VirtualClock(at("2025-03-03 09:00"))
        let a = CaseService(store: try SQLiteCaseStore(path: path), clock: clock)
        let b = CaseService(store: try SQLiteCaseStore(path: path), clock: clock)
        let id = try a.start(g)
        // Both read the case at the same version, then both append.
        let (stateA, engineA) = try a.load(id)
        let (stateB, engineB) = try b.load(id)
        let node = try CaseService.node("terima", in: g)
        let eventsA = try engineA.complete(stateA, node: node, by: 0, documents: [0, 1], at: clock.now())
        let eventsB = try engineB.complete(stateB, node: node, by: 0, documents: [0, 1], at: clock.now())
        func summary(_ s: CaseState, _ e: [Event], _ engine: Engine) -> CaseSummary {
            var next = s
            for x in e { next.apply(x, graph: g) }
            return CaseSummary(state: next, engine: engine)
        }
        try a.store.append(eventsA, expectedVersion: stateA.version, summary: summary(stateA, eventsA, engineA))
        XCTAssertThrowsError(try b.store.append(eventsB, expectedVersion: stateB.version, summary: summary(stateB, eventsB, engineB))) {
            XCTAssertEqual(($0 as? RuntimeError)?.code, .conflict)
        }
        XCTAssertEqual(try b.store.events(of: id), try a.store.events(of: id))
        XCTAssertEqual(try b.load(id).0.completedSteps, 1)
    }

    /// Two processes complete the same step at once: one exits 0, the other 1 with a clear
    /// error, and the step is completed once.
    func testTwoProcessesRaceOnOneStep() throws {
        let dir = try Support.temporaryDirectory(self)
        let db = dir.appendingPathComponent("sop.db").path
        let lapor = "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml"
        for round in 1...3 {
            let start = try Support.sop(["case", "start", lapor, "--db", db, "--at", "2025-03-03 09:00"])
            XCTAssertEqual(start.status, 0, start.stderr)
            let id = String(start.stdout.split(separator: "\n").last ?? "")
            XCTAssertEqual(id, String(format: "case-%06d", round))
            let args = ["case", "complete", id, "1", "--by", "lapor", "--doc", "Laporan masyarakat", "--db", db, "--at", "2025-03-03 10:00"]
            let group = DispatchGroup()
            let results = Results()
            for _ in 0..<2 {
                group.enter()
                DispatchQueue.global().async {
                    if let r = try? Support.sop(args) { results.add(r) }
                    group.leave()
                }
            }
            group.wait()
            let runs = results.all
            XCTAssertEqual(runs.count, 2)
            XCTAssertEqual(runs.filter { $0.status == 0 }.count, 1, runs.map { "\($0.status) \($0.stderr)" }.joined(separator: "\n"))
            let loser = try XCTUnwrap(runs.first { $0.status != 0 })
            XCTAssertEqual(loser.status, 1)
            XCTAssertTrue(loser.stderr.contains("error[R006]") || loser.stderr.contains("error[R005]"), loser.stderr)
            let show = try Support.sop(["case", "show", id, "--db", db, "--at", "2025-03-03 10:00", "--lang", "en"])
            XCTAssertEqual(show.stdout.components(separatedBy: "  done 1 ").count - 1, 1, show.stdout)
        }
    }

    /// `sop case apply` acknowledges a command only once it is durable: killed with SIGKILL
    /// in the middle of a stream, the store reopens consistent with every acknowledged event.
    func testSIGKILLLosesNoAcknowledgedEvent() throws {
        let dir = try Support.temporaryDirectory(self)
        let db = dir.appendingPathComponent("sop.db").path
        let sop = Support.root.appendingPathComponent("sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml").path
        let cases = 200
        var input = ""
        for _ in 0..<cases { input += "{\"op\":\"start\",\"sop\":\"\(sop)\"}\n" }
        for i in 1...cases {
            input += "{\"op\":\"complete\",\"case\":\"\(String(format: "case-%06d", i))\",\"step\":\"1\",\"by\":\"lapor\",\"docs\":[\"Laporan masyarakat\"]}\n"
        }
        for i in 1...cases {
            input += "{\"op\":\"decide\",\"case\":\"\(String(format: "case-%06d", i))\",\"step\":\"verifikasi\",\"branch\":\"ya\",\"by\":\"admin\"}\n"
        }
        let process = Process()
        process.executableURL = Support.binary
        process.arguments = ["case", "apply", "--db", db, "--at", "2025-03-03 09:00", "--batch", "7"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Feed everything from another thread; read acknowledgements until enough arrived.
        let data = Data(input.utf8)
        DispatchQueue.global().async {
            try? stdin.fileHandleForWriting.write(contentsOf: data)
            try? stdin.fileHandleForWriting.close()
        }
        var acked: [(String, Int)] = []
        var buffer = Data()
        let target = cases + cases / 2
        while acked.count < target {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...nl)
                let f = line.split(separator: " ")
                XCTAssertEqual(f.first, "ok", line)
                if f.count == 4, let v = Int(f[3]) { acked.append((String(f[2]), v)) }
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertGreaterThanOrEqual(acked.count, target)

        let store = try SQLiteCaseStore(path: db)
        let service = CaseService(store: store, clock: VirtualClock(at("2025-03-03 09:00")))
        for (id, version) in acked {
            let events = try store.events(of: id)
            XCTAssertGreaterThanOrEqual(events.count, version, "acknowledged events of \(id) lost")
            XCTAssertEqual(events.map(\.sequence), Array(1...events.count), "gap in \(id)")
        }
        // Every case in the store: its projection is the fold of its events.
        for summary in try store.summaries(CaseFilter()) {
            let (state, engine) = try service.load(summary.id)
            XCTAssertEqual(summary, CaseSummary(state: state, engine: engine))
        }
    }
}

/// Results gathered from several threads.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [Support.Run] = []
    func add(_ r: Support.Run) { lock.withLock { runs.append(r) } }
    var all: [Support.Run] { lock.withLock { runs } }
}
