import Foundation
import SOPAnalysis
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRuntime
import SOPStore
import XCTest

/// `sop paths`: the cover takes every step, branch, timer and end; the scenarios it writes
/// run on the runtime (through `sop run --script`, the store's own event log read back) and
/// together take everything; `--all` stops at its limit and says so; durations; narratives
/// compared with reference outputs (`UPDATE_GOLDEN=1 swift test --filter PathTests`).
final class PathTests: XCTestCase {
    static let lapor = "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml"

    func graph(_ path: String) throws -> ProcessGraph {
        let url = Support.root.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        let (output, diagnostics) = Support.compile(text, path: path)
        let graph = try XCTUnwrap(output.graph, "\(path): \(diagnostics.filter { $0.severity == .error })")
        return graph
    }

    /// What a case went through, read from the runtime's event log: steps opened, branches
    /// taken (IR edge index), timers fired, ends reached.
    func taken(events: [Event], graph: ProcessGraph) -> Set<PathElement> {
        var out = Set<PathElement>()
        var outcome: Int?
        for e in events {
            switch e.body {
            case let .taskActivated(node, _) where graph.nodes[node].isStep: out.insert(.step(node))
            case let .decisionTaken(node, branch, target):
                if let i = graph.edges.firstIndex(where: { $0.from == node && $0.kind == .branch && $0.label == branch && $0.to == target }) { out.insert(.branch(i)) }
            case let .timerFired(timer, _, _): out.insert(.timer(timer))
            case let .outcomeReached(node): outcome = node
            case .caseCompleted:
                out.insert(.outcome(outcome ?? graph.nodes.lastIndex { $0.kind == .end && $0.key == nil }!))
            default: break
            }
        }
        return out
    }

    /// Every step, branch, timer and end of the IR, read without the analysis.
    func everything(_ graph: ProcessGraph, except silent: [Int] = []) -> Set<PathElement> {
        var out = Set<PathElement>()
        for n in graph.nodes where n.isStep { out.insert(.step(n.id)) }
        for n in graph.nodes where n.kind == .end { out.insert(.outcome(n.id)) }
        for (i, e) in graph.edges.enumerated() where e.kind == .branch { out.insert(.branch(i)) }
        for t in graph.timers where !silent.contains(t.id) { out.insert(.timer(t.id)) }
        return out
    }

    /// Writes the covering scenarios of `file`, runs each on a fresh SQLite store, and returns
    /// what they took together and how many there were.
    func runCoveringScenarios(_ file: String, graph: ProcessGraph, in dir: URL) throws -> (Set<PathElement>, Int) {
        let folder = dir.appendingPathComponent(graph.id.replacingOccurrences(of: "/", with: "-"))
        let written = try Support.sop(["paths", file, "--scenarios", folder.path, "--format", "json"])
        XCTAssertEqual(written.status, 0, "\(file): \(written.stderr)")
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        var union = Set<PathElement>()
        for (i, name) in scenarios.enumerated() {
            let db = dir.appendingPathComponent("\(graph.id.replacingOccurrences(of: "/", with: "-"))-\(i).db").path
            let run = try Support.sop(["run", file, "--script", folder.appendingPathComponent(name).path, "--db", db, "--lang", "en"])
            XCTAssertEqual(run.status, 0, "\(file) \(name) fails on the runtime:\n\(run.stdout)\(run.stderr)")
            let store = try SQLiteCaseStore(path: db)
            let events = try store.events(of: "case-000001")
            XCTAssertTrue(events.contains { if case .caseCompleted = $0.body { return true } else { return false } }, "\(name) does not complete its case")
            union.formUnion(taken(events: events, graph: graph))
        }
        return (union, scenarios.count)
    }

    /// The issue's requirement: the covering scenarios of every non-draft catalogue SOP run on
    /// the runtime, pass, and together take every step, branch (conditions' ya / tidak too),
    /// timer and end. The cover is also as small as the lower bound says a cover can be.
    func testCatalogueCoveringScenariosPassAndCoverEverything() throws {
        let dir = try Support.temporaryDirectory(self)
        let files = try FileManager.default.subpathsOfDirectory(atPath: Support.root.appendingPathComponent("sops").path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "sops/" + $0 }
        var checked = 0, timers = 0, conditions = 0
        for file in files {
            let graph = try graph(file)
            guard !graph.isDraft else { continue }
            checked += 1
            timers += graph.timers.count
            conditions += graph.nodes.filter { $0.conditionOf != nil }.count
            let (union, count) = try runCoveringScenarios(file, graph: graph, in: dir)
            let want = everything(graph)
            XCTAssertEqual(union, want, "\(file): the scenarios miss \(want.subtracting(union)), take unknown \(union.subtracting(want))")
            XCTAssertEqual(count, PathAnalysis(graph).lowerBound, "\(file): the cover is larger than the lower bound")
        }
        XCTAssertGreaterThanOrEqual(checked, 14)
        // The catalogue exercises what the requirement names.
        XCTAssertGreaterThanOrEqual(timers, 2)
        XCTAssertGreaterThanOrEqual(conditions, 1)
    }

    /// Random valid SOPs with parallel blocks, loops, timers (from the activation and from the
    /// last response), recurring steps and classes: the same property.
    func testGeneratedSOPsCoveringScenariosPassAndCoverEverything() throws {
        let dir = try Support.temporaryDirectory(self)
        for seed in 1...8 {
            let file = dir.appendingPathComponent("gen-\(seed).yaml").path
            let gen = try Support.sop(["debug", "generate", "40", "--shape", "valid", "--seed", "\(seed)", "--max-branches", "4",
                                       "--features", "decisions,parallel,loops,timers,recurring,classes", "-o", file])
            XCTAssertEqual(gen.status, 0, gen.stderr)
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let graph = try XCTUnwrap(Support.compile(text, path: file).0.graph)
            let analysis = PathAnalysis(graph)
            let (union, _) = try runCoveringScenarios(file, graph: graph, in: dir)
            let want = everything(graph, except: analysis.silentTimers)
            XCTAssertEqual(union, want, "seed \(seed): the scenarios miss \(want.subtracting(union))")
        }
    }

    /// Found by the property tests: a path through a `call` step had no scenario (exit 2). Its
    /// scenario now ends at the call step, where the case waits for the called SOP's own case.
    func testAPathThroughACallEndsThereAndRuns() throws {
        let dir = try Support.temporaryDirectory(self)
        let folder = dir.appendingPathComponent("sops")
        let gen = try Support.sop(["debug", "generate", "12", "--shape", "valid", "--seed", "2", "--features", "decisions,calls",
                                   "--catalogue", "2", "-o", folder.path])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let file = folder.appendingPathComponent("generated/seed-2/sop-0.yaml").path
        let graph = try XCTUnwrap(Support.compile(try String(contentsOfFile: file, encoding: .utf8), path: file).0.graph)
        XCTAssertTrue(graph.nodes.contains { $0.kind == .call }, "the generated SOP calls the next")
        let exercises = dir.appendingPathComponent("exercises")
        let written = try Support.sop(["paths", file, "--scenarios", exercises.path])
        XCTAssertEqual(written.status, 0, written.stderr)
        var waiting = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: exercises.path).sorted() {
            let text = try String(contentsOf: exercises.appendingPathComponent(name), encoding: .utf8)
            if text.contains("{expect: {status: running}}") { waiting += 1 }
            let run = try Support.sop(["run", file, "--script", exercises.appendingPathComponent(name).path, "--lang", "en"])
            XCTAssertEqual(run.status, 0, "\(name):\n\(run.stdout)\(run.stderr)")
        }
        XCTAssertGreaterThan(waiting, 0, "a path ends at the call step")
    }

    /// A parallel branch that holds a decision, or starts with a conditional step, reaches the
    /// join by two edges but arrives once: the join waits for the block's branches, so every
    /// covering path runs to the end, and the condition is asked (found by the property tests:
    /// the join waited for its incoming edges, and the case stopped with nothing open).
    func testAJoinWaitsForBranchesNotForIncomingEdges() throws {
        let dir = try Support.temporaryDirectory(self)
        let sops = [
            "kondisi": """
            sop: 1
            id: t/kondisi-paralel
            name: Cabang bersyarat dalam blok paralel
            actors:
              a: {name: Petugas, kind: person}
            steps:
              - {id: s1, action: Menerima berkas, actor: a, parallel: {branches: [sa, sb], join: sj}}
              - {id: sa, action: Memeriksa lapangan, actor: a, when: jika diperlukan, next: sj}
              - {id: sb, action: Mencatat berkas, actor: a, next: sj}
              - {id: sj, action: Menyusun laporan, actor: a}
            """,
            "keputusan": """
            sop: 1
            id: t/keputusan-paralel
            name: Keputusan dalam blok paralel
            actors:
              a: {name: Petugas, kind: person}
            steps:
              - {id: s1, action: Menerima berkas, actor: a, parallel: {branches: [sa, sb], join: sj}}
              - {id: sa, action: Memeriksa berkas, actor: a, decision: {question: Perlu survei?, branches: {ya: sa2, tidak: sj}}}
              - {id: sa2, action: Survei lapangan, actor: a, next: sj}
              - {id: sb, action: Mencatat berkas, actor: a, next: sj}
              - {id: sj, action: Menyusun laporan, actor: a}
            """,
        ]
        for (name, yaml) in sops.sorted(by: { $0.key < $1.key }) {
            let file = dir.appendingPathComponent("\(name).yaml")
            try Data(yaml.utf8).write(to: file)
            let exercises = dir.appendingPathComponent("exercises-\(name)")
            let written = try Support.sop(["paths", file.path, "--scenarios", exercises.path])
            XCTAssertEqual(written.status, 0, written.stderr)
            let names = try FileManager.default.contentsOfDirectory(atPath: exercises.path).sorted()
            XCTAssertEqual(names.count, 2, "\(name): both answers are taken")
            var asked = false
            for scenario in names {
                let path = exercises.appendingPathComponent(scenario).path
                if try String(contentsOfFile: path, encoding: .utf8).contains("decide: \"sa?\"") { asked = true }
                let run = try Support.sop(["run", file.path, "--script", path, "--lang", "en"])
                XCTAssertEqual(run.status, 0, "\(name)/\(scenario):\n\(run.stdout)\(run.stderr)")
            }
            if name == "kondisi" { XCTAssertTrue(asked, "the branch's condition is asked") }
        }
    }

    /// A chain of 20 two-way decisions has 2^20 loop-free paths: `--all` stops at its limit,
    /// says so and counts them; the cover needs 2 paths; neither lists the million.
    func testAllStopsAtTheLimitAndTheCoverStaysSmall() throws {
        var steps = ""
        for i in 1...20 {
            steps += "  - {id: d\(i), action: Memeriksa berkas \(i), actor: petugas, decision: {question: Lengkap?, branches: {ya: a\(i), tidak: b\(i)}}}\n"
            steps += "  - {id: a\(i), action: Mencatat \(i), actor: petugas, next: \(i == 20 ? "fin" : "d\(i + 1)")}\n"
            steps += "  - {id: b\(i), action: Mengembalikan \(i), actor: petugas}\n"
        }
        steps += "  - {id: fin, action: Menutup, actor: petugas}\n"
        let yaml = "sop: 1\nid: t/rantai\nname: Rantai\nactors:\n  petugas: Petugas\nsteps:\n" + steps
        let (output, diagnostics) = Support.compile(yaml)
        let graph = try XCTUnwrap(output.graph, "\(diagnostics)")
        let analysis = PathAnalysis(graph)
        let listing = analysis.all(limit: 50)
        XCTAssertEqual(listing.paths.count, 50)
        XCTAssertTrue(listing.isCut)
        XCTAssertEqual(listing.loopFreeCount, 1_048_576)
        XCTAssertEqual(Set(listing.paths).count, 50, "paths are distinct")
        let cover = analysis.cover()
        XCTAssertEqual(cover.paths.count, 2)
        XCTAssertEqual(analysis.lowerBound, 2)
        XCTAssertEqual(Set(cover.paths.flatMap { $0.elements(in: graph) }), Set(analysis.elements))

        let report = PathReport(graph: graph, mode: .all(limit: 50))
        XCTAssertTrue(report.narrative(.id, markdown: false).contains("Daftar dipotong pada batas 50 jalur"))
        XCTAssertTrue(report.narrative(.en, markdown: false).contains("The list is cut at the limit of 50 paths"))
    }

    /// LAPOR's loop (respon → verifikasi) is taken at most once in every listed path, and
    /// the list is complete: 8 paths.
    func testEveryLoopAtMostOnce() throws {
        let graph = try graph(Self.lapor)
        let listing = PathAnalysis(graph).all(limit: 1000)
        XCTAssertFalse(listing.isCut)
        XCTAssertEqual(listing.paths.count, 8)
        for path in listing.paths {
            let back = path.hops.filter(\.loopsBack)
            XCTAssertLessThanOrEqual(back.count, 1)
            XCTAssertEqual(graph.nodes[path.end].kind, .end)
        }
        // Every end is among them, and the happy path (ya, ya) is the first.
        XCTAssertEqual(Set(listing.paths.map(\.end)), Set(graph.nodes.filter { $0.kind == .end }.map(\.id)))
        XCTAssertEqual(listing.paths[0].hops.map { graph.nodes[$0.node].number ?? "-" }, ["-", "1", "2", "3", "-"])
        XCTAssertEqual(graph.nodes[listing.paths[0].end].key, nil)
    }

    /// The happy path of LAPOR: "1-3 hari", "3-5 hari", "5-10 hari" (calendar days, 5/7 of a
    /// working day each) give 45/7–90/7 working days.
    func testDurationsInWorkingDays() throws {
        let graph = try graph(Self.lapor)
        let path = try XCTUnwrap(PathAnalysis(graph).all(limit: 1).paths.first)
        let range = WorkingDayRange.of(path, in: graph)
        XCTAssertEqual(range.min, 9 * 5 / 7, accuracy: 1e-9)
        XCTAssertEqual(range.max, 18 * 5 / 7, accuracy: 1e-9)
        XCTAssertEqual(PathNarrative(graph: graph, language: .id).duration(range), "6–13 hari kerja")
        XCTAssertEqual(PathNarrative(graph: graph, language: .en).duration(range), "6–13 working days")
        // The Ombudsman path: the 60 working-day timer ends step 3 exactly then.
        let cover = PathAnalysis(graph).cover().paths
        let ombudsman = try XCTUnwrap(cover.first { graph.nodes[$0.end].key == "ombudsman" })
        let r = WorkingDayRange.of(ombudsman, in: graph)
        XCTAssertEqual(r.min, 4.0 * 5 / 7 + 60, accuracy: 1e-9)
        XCTAssertEqual(r.max, 8.0 * 5 / 7 + 60, accuracy: 1e-9)
        // Minutes stay minutes.
        XCTAssertEqual(PathNarrative(graph: graph, language: .id).duration(WorkingDayRange(min: 6 / (60 * WorkingDayRange.hoursPerWorkingDay), max: 21 / (60 * WorkingDayRange.hoursPerWorkingDay))), "6–21 menit")
    }

    /// Reference outputs: LAPOR (loop, two timers, named outcomes) and Fasilitasi Sengketa
    /// (a conditional step) in text (Indonesian), Markdown (English) and JSON.
    func testReferenceOutputs() throws {
        let cases: [(file: String, args: [String], golden: String)] = [
            (Self.lapor, [], "lapor.id.txt"),
            (Self.lapor, ["--format", "markdown", "--lang", "en"], "lapor.en.md"),
            (Self.lapor, ["--format", "json"], "lapor.json"),
            (Self.lapor, ["--all", "--limit", "3"], "lapor.all3.id.txt"),
            ("sops/kota-cirebon/dkis/fasilitasi-sengketa-informasi.yaml", [], "fasilitasi.id.txt"),
        ]
        let folder = Support.fixtures.appendingPathComponent("paths")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for c in cases {
            let run = try Support.sop(["paths", c.file] + c.args)
            XCTAssertEqual(run.status, 0, run.stderr)
            let again = try Support.sop(["paths", c.file] + c.args)
            XCTAssertEqual(run.stdout, again.stdout, "same input, same bytes")
            let url = folder.appendingPathComponent(c.golden)
            if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
                try run.stdout.write(to: url, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: url, encoding: .utf8)
            XCTAssertEqual(run.stdout, expected, "\(c.golden) differs; UPDATE_GOLDEN=1 rewrites it")
        }
    }

    /// Indonesian by default, English on request; usage mistakes exit 2 with a message.
    func testLanguageAndUsage() throws {
        let id = try Support.sop(["paths", Self.lapor])
        XCTAssertTrue(id.stdout.contains("Jalur 1 — berakhir: dikembalikan ke Super Admin"), id.stdout)
        XCTAssertTrue(id.stdout.contains("Berakhir: Selesai. Selesai dalam"), id.stdout)
        XCTAssertTrue(id.stdout.contains("Tim Admin memverifikasi dan mendisposisi laporan"))
        let en = try Support.sop(["paths", Self.lapor, "--lang", "en"])
        XCTAssertTrue(en.stdout.contains("Path 4 — ends: Done"), en.stdout)
        XCTAssertTrue(en.stdout.contains("Tim Admin: Memverifikasi"), en.stdout)
        for bad in [["paths", Self.lapor, "--all", "--limit", "0"], ["paths", Self.lapor, "--cover", "--all"],
                    ["paths", "sops/none.yaml"], ["paths", Self.lapor, "--format", "pdf"]] {
            let run = try Support.sop(bad)
            XCTAssertEqual(run.status, 2, "\(bad): \(run.stdout)")
            XCTAssertFalse(run.stderr.isEmpty)
            XCTAssertFalse(run.stderr.contains("Fatal error"))
        }
    }
}
