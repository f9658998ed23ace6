import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRender
import XCTest

/// Reference outputs of the renderers: `Fixtures/render/NAME.{mmd,dot,html,md}` for the SOPs
/// below, compared byte for byte. `UPDATE_GOLDEN=1 swift test --filter RenderTests` rewrites
/// them. The real clients (Graphviz, mermaid.js, Chromium) judge every SOP in
/// `Tests/Render/run.sh`.
final class RenderTests: XCTestCase {
    static let references: [(name: String, path: String)] = [
        ("pengaduan-lapor-sp4n", "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml"),
        ("kunjungan-tarakan-command-center", "sops/kota-tarakan/dkisp/kunjungan-tarakan-command-center.yaml"),
        ("monitoring-evaluasi-sop", "sops/kota-cirebon/dkis/monitoring-evaluasi-sop.yaml"),
        ("penerbitan-berita", "sops/kota-cirebon/dkis/penerbitan-berita.yaml"),
        ("siaga-112-kebakaran", "sops/kota-cirebon/dkis/siaga-112-kebakaran.yaml"),
        ("escaping", "Tests/Render/Fixtures/escaping.yaml"),
    ]
    static let formats: [RenderFormat] = [.mermaid, .dot, .html, .markdown]

    func graph(_ path: String) throws -> ProcessGraph {
        let url = Support.root.appendingPathComponent(path)
        let source = SourceFile(path: path, bytes: [UInt8](try Data(contentsOf: url)))
        let sink = DiagnosticSink()
        let output = Compiler().compile(source, diagnostics: sink)
        return try XCTUnwrap(output.graph, "\(path) does not compile: \(sink.sorted.map(\.message.en))")
    }

    func testReferenceOutputs() throws {
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
        let folder = Support.fixtures.appendingPathComponent("render")
        for (name, path) in Self.references {
            let g = try graph(path)
            for format in Self.formats {
                let actual = try Renderer.render(g, as: format)
                let file = folder.appendingPathComponent("\(name).\(format.fileExtension)")
                if update {
                    try Data(actual.utf8).write(to: file)
                    continue
                }
                let expected = try String(contentsOf: file, encoding: .utf8)
                if actual != expected {
                    XCTFail("\(name).\(format.fileExtension) differs from its reference (UPDATE_GOLDEN=1 to accept)\n\(Self.firstDifference(expected, actual))")
                }
            }
        }
    }

    /// The first differing line, for a readable failure.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(x.count, y.count) {
            let l = i < x.count ? String(x[i]) : "<none>", r = i < y.count ? String(y[i]) : "<none>"
            if l != r { return "line \(i + 1):\n--- expected\n\(l)\n--- actual\n\(r)" }
        }
        return "(same lines)"
    }

    func testOutputsAreDeterministic() throws {
        let g = try graph(Self.references[0].path)
        for format in Self.formats {
            XCTAssertEqual(try Renderer.render(g, as: format), try Renderer.render(g, as: format))
        }
        let again = try graph(Self.references[0].path)
        XCTAssertEqual(SheetRenderer().render(g), SheetRenderer().render(again))
    }

    func testLanesFollowTheActorsAndNodesSitInTheirActorsLane() throws {
        let g = try graph("sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml")
        let mermaid = MermaidRenderer().render(g)
        let order = ["LAPOR!-SP4N", "Tim Admin", "Pejabat Penghubung"].map { mermaid.range(of: "[\"\($0)\"]")!.lowerBound }
        XCTAssertEqual(order, order.sorted(), "subgraphs in actor order")
        XCTAssertFalse(mermaid.contains("[\"Ombudsman RI\"]"), "the Ombudsman RI is no lane: the system forwards the report")
        let dot = DOTRenderer().render(g)
        // Each named outcome is an end of its own, reached by its own timer or branch.
        let end = { (label: String) -> Int in g.nodes.first { $0.kind == .end && $0.label == label }!.id }
        XCTAssertTrue(dot.contains("N3 -> N\(end("laporan selesai")) [label=\"10 hari kerja\", style=dashed"), "timeout dashed with its duration")
        XCTAssertTrue(dot.contains("N3 -> N\(end("diteruskan oleh sistem ke Ombudsman RI")) [label=\"60 hari kerja\", style=dashed"))
        // Step 2's `tidak` reaches its end two rows down its own lane through the neighbouring
        // lane's cells (drawn straight down, it made Graphviz lift rows out of order).
        let returned = end("dikembalikan ke Super Admin (Tim LAPOR!-SP4N Pusat)")
        XCTAssertTrue(dot.contains("P0_2 -> N2 [label=\"tidak\", constraint=false, dir=none"))
        XCTAssertTrue(dot.contains("P0_\(returned) -> N\(returned) [constraint=false, tailclip=false]"))
        XCTAssertTrue(dot.contains("N2 -> N3 [label=\"ya\", constraint=false]"))
        XCTAssertTrue(dot.contains("N2 -> N3 [label=\"tidak\", constraint=false, dir=back]"), "an edge to a lane on the left is drawn reversed")
        // Step 2 (Tim Admin, lane 1) is a diamond inside cluster_L1.
        let cluster = dot.components(separatedBy: "subgraph cluster_L1 {")[1].components(separatedBy: "}")[0]
        XCTAssertTrue(cluster.contains("N2 [group=r2, shape=diamond"))
        XCTAssertTrue(mermaid.contains("N0([\"Mulai\"])") && mermaid.contains("N\(end("Selesai"))([\"Selesai\"])"), "stadium start and end")
        XCTAssertTrue(mermaid.contains("([\"diteruskan oleh sistem ke Ombudsman RI\"])"), "outcomes drawn as ends")
    }

    func testMermaidEscapesEverySpecialCharacter() {
        XCTAssertEqual(Escape.mermaidForTests("a \"b\" [c] {d} /e/ #f; <g> & `h`"),
                       "a #quot;b#quot; [c] {d} /e/ #35;f; #lt;g#gt; #amp; #96;h#96;")
    }

    /// The front matter's title is a single-quoted YAML scalar: a control character in the
    /// SOP's name became invalid YAML for mermaid.js (the control-characters fixture).
    func testMermaidTitleShowsControlCharactersAndBreaksAsText() throws {
        var g = try graph("Tests/Render/Fixtures/escaping.yaml")
        g.name = "A\u{01}B\nC\u{7F}D\u{FEFF}E 'F' & <G>"
        let title = try XCTUnwrap(MermaidRenderer().render(g).split(separator: "\n").first { $0.hasPrefix("title: ") })
        XCTAssertEqual(title, "title: 'A\u{2401}B C\u{2421}D\u{FFFD}E ''F'' dan \u{2039}G\u{203A}'")
    }

    /// A jump back to an earlier step ends at a connector labelled with its number, so that
    /// the Mermaid drawing has no cycle (mermaid.js's layout failed on a loop through several
    /// lanes: Tests/Render/Fixtures/loop-across-lanes.yaml).
    func testMermaidDrawsJumpsBackAsConnectorsSoTheDrawingHasNoCycle() throws {
        let text = MermaidRenderer().render(try graph("Tests/Render/Fixtures/loop-across-lanes.yaml"))
        let link = try NSRegularExpression(pattern: #"^\s*N(\d+) -\.?->(?:\|"[^"]*"\|)? ([NK])(\d+)$"#, options: .anchorsMatchLines)
        var connectors = 0
        for m in link.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let from = Int(text[Range(m.range(at: 1), in: text)!])!, kind = text[Range(m.range(at: 2), in: text)!]
            let to = Int(text[Range(m.range(at: 3), in: text)!])!
            if kind == "N" { XCTAssertGreaterThan(to, from, "N\(from) → N\(to) goes back") } else { connectors += 1 }
        }
        XCTAssertEqual(connectors, 3, "the fixture's three loops")
        // The loop of step 29 goes back to step 21: its connector says "21", in step 29's lane.
        XCTAssertTrue(text.contains("N30 -->|\"ulang\"| K38"), text)
        XCTAssertTrue(text.contains("K38((\"21\")):::connector"), text)
    }

    /// Graphviz's spline router gives up on this drawing ("triangulation failed"); the SVG is
    /// drawn again with straight edges instead of failing the command.
    func testSVGFallsBackToStraightEdgesWhenGraphvizCannotRoute() throws {
        guard Graphviz.isAvailable else { throw XCTSkip("Graphviz `dot` is not installed (make test-deps installs it)") }
        let dot = DOTRenderer().render(try graph("Tests/SOPTests/Fixtures/render/dot-routing-fallback.yaml"))
        let svg = try Graphviz.svg(fromDOT: dot)
        XCTAssertTrue(svg.contains("<svg"), String(svg.prefix(300)))
        XCTAssertThrowsError(try Graphviz.svg(fromDOT: "digraph { a -> }"), "a broken DOT still fails")
    }

    /// Wrapping by running sums gives what measuring each candidate line and each prefix of a
    /// broken word gave (the earlier definition, kept here as the reference), on random texts
    /// of every kind of character, by count and by width.
    func testWrappingAgreesWithMeasuringEveryPrefix() {
        func reference(_ text: String, fits: (String) -> Bool) -> [String] {
            func longestPrefix(_ word: String) -> String {
                let chars = Array(word)
                guard chars.count > 1 else { return word }
                var n = 1
                while n < chars.count, fits(String(chars[0..<(n + 1)])) { n += 1 }
                if let cut = chars[0..<n].lastIndex(where: { $0 == "/" || $0 == "-" }), cut > 0, cut + 1 < n { return String(chars[0...cut]) }
                return String(chars[0..<n])
            }
            var result: [String] = [], current = ""
            for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init) {
                let candidate = current.isEmpty ? word : current + " " + word
                if fits(candidate) { current = candidate; continue }
                if !current.isEmpty { result.append(current); current = "" }
                var rest = word
                while !rest.isEmpty, !fits(rest) {
                    let piece = longestPrefix(rest)
                    result.append(piece)
                    rest = String(rest.dropFirst(piece.count))
                }
                current = rest
            }
            if !current.isEmpty { result.append(current) }
            return result.isEmpty ? [""] : result
        }
        var rng = SplitMix64(seed: 17)
        let pieces = ["a", "W", "m", "i", "/", "-", " ", " ", "é", "e\u{301}", "中", "👩‍👩‍👧", "ا", "\t", "Sangatpanjang", "1"]
        for round in 0..<300 {
            let text = (0..<Int(rng.next() % 60)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let width = 1 + Int(rng.next() % 12)
            XCTAssertEqual(TextWrapForTests.lines(text, width: width), reference(text, fits: { $0.count <= width }), "\(round): \(text)")
            let maxWidth = Double(rng.next() % 120), bold = rng.next() % 2 == 0
            XCTAssertEqual(TextWrapForTests.lines(text, maxWidth: maxWidth, fontSize: 9, bold: bold),
                           reference(text, fits: { TextWrapForTests.width($0, fontSize: 9, bold: bold) <= maxWidth }), "\(round): \(text)")
        }
        // A word of 20,000 characters in a lane of a few: every piece fits, nothing is lost.
        let long = String(repeating: "Sangatpanjang", count: 1_540)
        let lines = TextWrapForTests.lines(long, maxWidth: 12, fontSize: 9, bold: false)
        XCTAssertEqual(lines.joined(), long)
        XCTAssertTrue(lines.allSatisfy { $0.count == 1 || TextWrapForTests.width($0, fontSize: 9, bold: false) <= 12 })
    }

    /// A drawing that takes longer than its time limit is stopped and reported, not waited for.
    func testGraphvizIsStoppedAfterItsTimeLimit() throws {
        guard Graphviz.isAvailable else { throw XCTSkip("Graphviz `dot` is not installed (make test-deps installs it)") }
        let dot = DOTRenderer().render(try graph("sops/kota-cirebon/dkis/permohonan-informasi-publik.yaml"))
        XCTAssertThrowsError(try Graphviz.svg(fromDOT: dot, timeout: 0)) { error in
            guard case let Graphviz.Failure.failed(_, message)? = error as? Graphviz.Failure else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("stopped"), message)
        }
        XCTAssertTrue(try Graphviz.svg(fromDOT: dot, timeout: 120).contains("<svg"), "within its limit it draws")
    }

    /// A case page marks its open and completed steps on the SOP's drawing: Graphviz keeps
    /// the symbols' ids, and only the named nodes get a class.
    func testFlowchartMarksTheCaseOnTheDrawing() throws {
        let g = try graph("sops/kota-cirebon/dkis/permohonan-informasi-publik.yaml")
        var renderer = DOTRenderer()
        XCTAssertFalse(renderer.render(g).contains("sop_node_"), "the committed drawings are unchanged")
        renderer.namesNodes = true
        let steps = g.nodes.filter(\.isStep).map(\.id)
        XCTAssertTrue(renderer.render(g).contains("id=\"sop_node_\(steps[0])\""))
        let fake = #"<?xml version="1.0"?><!DOCTYPE svg><svg><g id="sop_node_\#(steps[0])" class="node"><path/></g><g id="sop_node_\#(steps[1])" class="node"></g><g id="sop_node_\#(steps[0])0" class="node"></g></svg>"#
        let marked = FlowchartMarks.mark(svg: fake, current: [steps[1]], done: [steps[0]])
        XCTAssertTrue(marked.hasPrefix("<svg>"), "no XML declaration inside a page")
        XCTAssertTrue(marked.contains(#"id="sop_node_\#(steps[0])" class="node done""#))
        XCTAssertTrue(marked.contains(#"id="sop_node_\#(steps[1])" class="node current""#))
        XCTAssertTrue(marked.contains(#"id="sop_node_\#(steps[0])0" class="node">"#), "a longer id is another node")
        guard Graphviz.isAvailable else { throw XCTSkip("Graphviz `dot` is not installed (make test-deps installs it)") }
        let svg = try Graphviz.svg(fromDOT: renderer.render(g))
        let real = FlowchartMarks.mark(svg: svg, current: [steps[2]], done: Set(steps[0..<2]))
        XCTAssertEqual(real.components(separatedBy: "class=\"node current\"").count - 1, 1, "Graphviz wrote the ids")
        XCTAssertEqual(real.components(separatedBy: "class=\"node done\"").count - 1, 2)
    }

    /// Up to 12 lanes are subgraphs; beyond, each symbol names its actor and no subgraph is
    /// drawn (mermaid.js's layout failed on a 19-lane drawing found by the property tests).
    func testMermaidNamesTheActorInEachSymbolBeyondTwelveLanes() throws {
        let twelve = MermaidRenderer().render(try graph("Tests/Render/Fixtures/lanes-12.yaml"))
        XCTAssertEqual(twelve.components(separatedBy: "subgraph L").count - 1, 12)
        let twenty = MermaidRenderer().render(try graph("Tests/Render/Fixtures/lanes-20.yaml"))
        XCTAssertFalse(twenty.contains("subgraph"))
        XCTAssertTrue(twenty.contains("N1[\"[Kepala Dinas]<br/>1. Menerima surat"), twenty)
    }

    func testAZeroStepDraftStillDraws() throws {
        let g = try graph("sops/kota-cirebon/dkis/penerbitan-berita.yaml")
        XCTAssertTrue(g.isDraft)
        XCTAssertTrue(MermaidRenderer().render(g).contains("N0 --> N1"))
        XCTAssertTrue(DOTRenderer().render(g).contains("DRAF / DRAFT"))
        let html = SheetRenderer().render(g)
        XCTAssertTrue(html.contains("hilang pada pindaian"))
        XCTAssertTrue(html.contains("Nomor SOP"))
        XCTAssertTrue(MarkdownRenderer().render(g).contains("DRAF / DRAFT"))
    }

    func testLongSheetsBreakAcrossPagesWithLetteredConnectors() throws {
        let g = try graph("sops/kota-cirebon/dkis/monitoring-evaluasi-sop.yaml")
        let html = SheetRenderer().render(g)
        XCTAssertTrue(html.contains("@page { size: A4 landscape"))
        XCTAssertGreaterThanOrEqual(html.components(separatedBy: "<section class=\"page flow\">").count - 1, 2)
        // The letter appears twice: where the flow leaves a page and where it comes back.
        XCTAssertEqual(html.components(separatedBy: "font-weight=\"bold\" text-anchor=\"middle\">A</text>").count - 1, 2)
        XCTAssertFalse(html.contains("<script"), "the sheet needs no script")
        XCTAssertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"), "no network")
    }

    func testTextWrapKeepsWordsAndWidth() {
        let lines = TextWrapForTests.lines("Memverifikasi dan mendisposisi laporan (OPD/RSUD/Puskesmas/Sekolah/Kecamatan/Kelurahan)", width: 20)
        XCTAssertTrue(lines.allSatisfy { $0.count <= 20 }, "\(lines)")
        XCTAssertEqual(lines.joined(separator: " ").replacingOccurrences(of: "/ ", with: "/"),
                       "Memverifikasi dan mendisposisi laporan (OPD/RSUD/Puskesmas/Sekolah/Kecamatan/Kelurahan)")
    }

    func testSitePathsAreSafeAndLinksRelative() throws {
        XCTAssertEqual(CatalogueSite.path(of: "kota-cirebon/dkis/x"), "kota-cirebon/dkis/x")
        XCTAssertEqual(CatalogueSite.path(of: "../../etc/passwd"), "etc/passwd")
        XCTAssertEqual(CatalogueSite.path(of: "a b/c?d"), "a-b/c-d")
        let graphs = try [Self.references[0].path, "sops/kota-cirebon/dkis/penyusunan-daftar-informasi-publik.yaml"].map(graph)
        let files = CatalogueSite(graphs: graphs).files()
        XCTAssertEqual(files.map(\.path), files.map(\.path).sorted())
        let sheet = try XCTUnwrap(files.first { $0.path == "kota-cirebon/dkis/pengaduan-lapor-sp4n.html" })
        XCTAssertTrue(sheet.contents.contains("href=\"../../index.html\""))
        XCTAssertTrue(sheet.contents.contains("href=\"../../kota-cirebon/dkis/penyusunan-daftar-informasi-publik.html\""), "related SOP linked")
        let index = try XCTUnwrap(files.first { $0.path == "index.html" })
        XCTAssertTrue(index.contents.contains("id=\"q\""), "search box")
        XCTAssertFalse(files.contains { $0.path.hasSuffix(".svg") }, "no SVG without Graphviz")
    }

    // MARK: - CLI

    func testRenderCommandWritesEachFormat() throws {
        let dir = try Support.temporaryDirectory(self)
        for format in ["mermaid", "dot", "html", "markdown"] {
            let out = dir.appendingPathComponent("lapor.\(format)")
            let run = try Support.sop(["render", "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml", "--format", format, "-o", out.path])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stderr.isEmpty, run.stderr)
            XCTAssertGreaterThan(try Data(contentsOf: out).count, 100)
        }
        let stdout = try Support.sop(["render", "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml", "--format", "mermaid"])
        XCTAssertTrue(stdout.stdout.contains("flowchart TD"))
    }

    func testRenderExitCodes() throws {
        let missing = try Support.sop(["render", "nope.yaml", "--format", "dot"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("cannot read"))
        let dir = try Support.temporaryDirectory(self)
        let bad = dir.appendingPathComponent("bad.yaml")
        try Data("sop: 1\nid: x/y\nname: X\nactors: {a: {name: A}}\nsteps:\n  - action: Do\n    actor: b\n".utf8).write(to: bad)
        let errors = try Support.sop(["render", bad.path, "--format", "html"])
        XCTAssertEqual(errors.status, 1)
        XCTAssertTrue(errors.stderr.contains("error[E"), errors.stderr)
        XCTAssertFalse(errors.stderr.contains("Fatal error"))
        let unwritable = try Support.sop(["render", "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml", "--format", "dot", "-o", "/proc/nope/x.dot"])
        XCTAssertEqual(unwritable.status, 2)
    }

    func testSVGWithoutGraphvizSaysHowToInstallIt() throws {
        let run = try Support.sop(["render", "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml", "--format", "svg"],
                                  environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("apt-get install graphviz"), run.stderr)
        let id = try Support.sop(["render", "sops/kota-cirebon/dkis/pengaduan-lapor-sp4n.yaml", "--format", "svg", "--lang", "id"],
                                 environment: ["PATH": "/nonexistent"])
        XCTAssertTrue(id.stderr.contains("belum terpasang"), id.stderr)
    }

    func testCatalogCommandBuildsTheSite() throws {
        let dir = try Support.temporaryDirectory(self)
        let run = try Support.sop(["catalog", "sops", "-o", dir.appendingPathComponent("site").path], environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("index.html"), run.stdout)
        XCTAssertTrue(run.stderr.contains("no SVG"), "says SVG is skipped without Graphviz")
        let index = try String(contentsOf: dir.appendingPathComponent("site/index.html"), encoding: .utf8)
        XCTAssertEqual(index.components(separatedBy: "<tr data-search=").count - 1, 28)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/kota-tarakan/dkisp/kunjungan-tarakan-command-center.md").path))
    }

    /// Found by the property tests: a role's guide was written to a file named after the whole
    /// actor name (no file system takes 2,000 bytes), and names that slug alike could collide.
    func testRoleGuidesHaveShortUniqueFileNames() throws {
        let dir = try Support.temporaryDirectory(self)
        let long = String(repeating: "Sangatpanjang ", count: 150)
        let sop = """
        sop: 1
        id: uji/peran
        name: Uji peran
        actors:
          a: {name: "\(long)"}
          b: {name: "Call Taker"}
          c: {name: "call-taker"}
          d: {name: "Call Taker 2"}
        steps:
          - {action: Satu, actor: a}
          - {action: Dua, actor: b}
          - {action: Tiga, actor: c}
          - {action: Empat, actor: d}
        """
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sops/uji"), withIntermediateDirectories: true)
        try sop.write(to: dir.appendingPathComponent("sops/uji/peran.yaml"), atomically: true, encoding: .utf8)
        let run = try Support.sop(["catalog", dir.appendingPathComponent("sops").path, "-o", dir.appendingPathComponent("site").path],
                                  environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let guides = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("site/peran").path).sorted()
        XCTAssertEqual(guides.count, 4, "one guide per role: \(guides)")
        XCTAssertTrue(guides.allSatisfy { $0.utf8.count <= 70 }, "\(guides)")
        XCTAssertEqual(Set(guides).count, guides.count)
        XCTAssertEqual(guides.filter { $0.hasPrefix("call-taker") }.count, 3, "\(guides)")
    }
}
