import Foundation
import XCTest

/// End-to-end: the `sop` executable's exit codes and every output format.
final class CLITests: XCTestCase {
    func write(_ yaml: String, _ name: String = "sop.yaml") throws -> URL {
        let dir = try Support.temporaryDirectory(self)
        let url = dir.appendingPathComponent(name)
        try Data(yaml.utf8).write(to: url)
        return url
    }

    let clean = """
    sop: 1
    id: t/bersih
    name: Contoh
    inputs: [Surat]
    actors: {petugas: Petugas}
    steps:
      - {action: Menerima surat, actor: petugas, requires: [Surat], produces: [Tanda terima], duration: 5 menit}
    outputs: [Tanda terima]
    """

    let broken = """
    sop: 1
    id: t/rusak
    name: Contoh
    actors: {petugas: Petugas}
    steps:
      - {action: Menerima surat, actor: petugas}
      - {action: Memeriksa surat, actor: petugs}
    """

    let warning = """
    sop: 1
    id: t/peringatan
    name: Contoh
    actors: {petugas: Petugas, kadis: Kepala Dinas}
    steps:
      - {action: Menerima surat, actor: petugas}
    """

    /// A misspelt role is refused before any password is read, in the user's language, with
    /// the nearest actor of the catalogue, and no user is added.
    func testUserAddRefusesAnUnknownRoleWithTheNearestActor() throws {
        let db = try Support.temporaryDirectory(self).appendingPathComponent("users.db").path
        let run = try Support.sop(["user", "add", "budi", "--role", "Pejabat Penghubng", "--password-stdin",
                                   "--catalog", "sops", "--db", db, "--lang", "id"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(run.stderr, "sop: tidak ada pelaksana `Pejabat Penghubng` dalam katalog `sops`; maksud Anda `Pejabat Penghubung`?\n")
        XCTAssertFalse(run.stderr.contains("Usage:"))
        let list = try Support.sop(["user", "list", "--db", db])
        XCTAssertFalse(list.stdout.contains("budi"), list.stdout)
    }

    func testExitCodes() throws {
        XCTAssertEqual(try Support.sop(["check", write(clean).path]).status, 0)
        XCTAssertEqual(try Support.sop(["check", write(broken).path]).status, 1)
        XCTAssertEqual(try Support.sop(["check", write(warning).path]).status, 0)
        XCTAssertEqual(try Support.sop(["check", "--strict", write(warning).path]).status, 1)
        let missing = try Support.sop(["check", "no/such/file.yaml"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no/such/file.yaml"))
        XCTAssertEqual(try Support.sop(["check", "--format", "xml", write(clean).path]).status, 2)
    }

    func testHumanOutputPointsAtTheToken() throws {
        let file = try write(broken)
        let run = try Support.sop(["check", "sop.yaml"], in: file.deletingLastPathComponent())
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, "sop.yaml:7:38: error[E0301]: the actor `petugs` is not declared under `actors:`")
        XCTAssertTrue(lines.contains("7 |   - {action: Memeriksa surat, actor: petugs}"))
        XCTAssertTrue(lines.contains("  |                                      ^~~~~~"), run.stdout)
        XCTAssertTrue(run.stdout.contains("did you mean `petugas`?"))
        XCTAssertEqual(lines.last { !$0.isEmpty }, "checked 1 file: 1 error, 0 warnings, 0 notes")
        XCTAssertFalse(run.stdout.contains("\u{1B}["), "no colour without a terminal")
    }

    func testColourOnlyWhenAskedAndNotWithNoColor() throws {
        let path = try write(broken).path
        XCTAssertTrue(try Support.sop(["check", "--color", "always", path]).stdout.contains("\u{1B}[1;31m"))
        XCTAssertFalse(try Support.sop(["check", path], environment: ["TERM": "xterm"]).stdout.contains("\u{1B}["))
    }

    func testIndonesianMessages() throws {
        let path = try write(broken).path
        let run = try Support.sop(["check", path], environment: ["LANG": "id_ID.UTF-8"])
        XCTAssertTrue(run.stdout.contains("galat[E0301]: pelaksana `petugs` tidak dideklarasikan"), run.stdout)
        XCTAssertTrue(run.stdout.contains("apakah maksud Anda `petugas`?"))
        XCTAssertTrue(try Support.sop(["check", "--lang", "en", path], environment: ["LANG": "id_ID.UTF-8"]).stdout.contains("error[E0301]"))
    }

    func testJSONFormat() throws {
        let run = try Support.sop(["check", "--format", "json", write(broken).path])
        XCTAssertEqual(run.status, 1)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let diagnostics = try XCTUnwrap(object["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.first?["code"] as? String, "E0301")
        let span = try XCTUnwrap(diagnostics.first?["span"] as? [String: Any])
        XCTAssertEqual((span["start"] as? [String: Int])?["line"], 7)
        XCTAssertEqual((span["start"] as? [String: Int])?["column"], 38)
        let fixes = try XCTUnwrap(diagnostics.first?["fixes"] as? [[String: Any]])
        XCTAssertEqual((fixes.first?["edits"] as? [[String: Any]])?.first?["replacement"] as? String, "petugas")
        XCTAssertEqual((object["summary"] as? [String: Int])?["errors"], 1)
    }

    func testSARIFFormat() throws {
        let run = try Support.sop(["check", "--format", "sarif", write(broken).path])
        XCTAssertEqual(run.status, 1)
        let log = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        let sarifRun = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        let driver = try XCTUnwrap((sarifRun["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        let result = try XCTUnwrap((sarifRun["results"] as? [[String: Any]])?.first)
        XCTAssertEqual(result["ruleId"] as? String, "E0301")
        XCTAssertEqual(result["level"] as? String, "error")
        let index = try XCTUnwrap(result["ruleIndex"] as? Int)
        XCTAssertEqual(rules[index]["id"] as? String, "E0301")
        let region = try XCTUnwrap(((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Int])
        XCTAssertEqual(region["startLine"], 7)
        XCTAssertEqual(region["startColumn"], 38)
        XCTAssertEqual(region["endColumn"], 44)
    }

    func testGitHubFormat() throws {
        let run = try Support.sop(["check", "--format", "github", write(broken).path])
        let first = try XCTUnwrap(run.stdout.split(separator: "\n").first)
        XCTAssertTrue(first.hasPrefix("::error file="), String(first))
        XCTAssertTrue(first.contains(",line=7,col=38,endLine=7,endColumn=44,title=E0301::the actor `petugs`"), String(first))
        XCTAssertTrue(first.contains("%0Adid you mean"), "the help follows on an escaped new line")
    }

    func testFolderIsCheckedRecursivelyAsACatalogue() throws {
        let dir = try Support.temporaryDirectory(self)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("a/b"), withIntermediateDirectories: true)
        try Data(clean.utf8).write(to: dir.appendingPathComponent("a/b/one.yaml"))
        let caller = clean.replacingOccurrences(of: "t/bersih", with: "t/pemanggil")
            .replacingOccurrences(of: "duration: 5 menit}", with: "duration: 5 menit, call: t/bersi}")
        try Data(caller.utf8).write(to: dir.appendingPathComponent("a/two.yml"))
        try Data("not: [an sop".utf8).write(to: dir.appendingPathComponent(".hidden.yaml"))
        let run = try Support.sop(["check", "a"], in: dir)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("error[E0601]: the called SOP `t/bersi` is not in the catalogue"), run.stdout)
        XCTAssertTrue(run.stdout.contains("did you mean `t/bersih`?"))
        XCTAssertTrue(run.stdout.contains("checked 2 files"), "hidden files are skipped")
        // A single file is not a catalogue: the call is not checked.
        XCTAssertEqual(try Support.sop(["check", "a/two.yml"], in: dir).status, 0)
    }

    func testExplain() throws {
        let run = try Support.sop(["explain", "e0301"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.hasPrefix("E0301 (undefined-actor):"))
        XCTAssertTrue(run.stdout.contains("Fix:"))
        XCTAssertEqual(try Support.sop(["explain", "E9999"]).status, 2)
        let list = try Support.sop(["explain", "--list"]).stdout.split(separator: "\n")
        XCTAssertGreaterThanOrEqual(list.count, 30)
    }

    func testHostileInputsEndInADiagnosticAndExitOne() throws {
        let deep = "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { bomb += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n" }
        var rng = SplitMix64(seed: 42)
        let random = Data((0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        let dir = try Support.temporaryDirectory(self)
        try Data(deep.utf8).write(to: dir.appendingPathComponent("deep.yaml"))
        try Data(bomb.utf8).write(to: dir.appendingPathComponent("bomb.yaml"))
        try random.write(to: dir.appendingPathComponent("random.yaml"))
        for (name, code) in [("deep.yaml", "E0104"), ("bomb.yaml", "E0103"), ("random.yaml", "E01")] {
            let run = try Support.sop(["check", name], in: dir)
            XCTAssertEqual(run.status, 1, name)
            XCTAssertTrue(run.stdout.contains("error[\(code)"), "\(name): \(run.stdout.prefix(300))")
            XCTAssertTrue(run.stderr.isEmpty, "\(name) wrote to stderr: \(run.stderr.prefix(300))")
        }
    }
}
