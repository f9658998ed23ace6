import ArgumentParser
import CYAML
import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRender
import SOPWorkspace
import SOPYAML

/// Developer tools; `sop debug bench-compile` is what `make bench-compile` runs.
struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Developer tools (benchmarks, generators).", shouldDisplay: false,
        subcommands: [BenchCompile.self, BenchRender.self, BenchRuntime.self, BenchPaths.self, Generate.self, GenerateScenario.self])
}

/// Times, in one process, a bare libyaml event parse and the full check of the same bytes.
struct BenchCompile: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-compile",
                                                    abstract: "Compare a bare libyaml parse with the full check of a file.")

    @Argument var file: String
    @Option var iterations = 5

    func run() throws {
        let source = try Workspace.load(file)
        func best(_ body: () -> Void) -> Double {
            var times: [Double] = []
            for _ in 0..<iterations {
                let start = DispatchTime.now().uptimeNanoseconds
                body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return times.sorted()[times.count / 2]
        }
        var events = 0
        let parse = best { events = YAMLReader.countEvents(source.bytes) }
        let tree = best { _ = YAMLReader().read(source, diagnostics: DiagnosticSink()) }
        var diagnostics = 0
        let check = best {
            let sink = DiagnosticSink()
            _ = Compiler().compile(source, diagnostics: sink, lower: false)
            diagnostics = sink.diagnostics.count
        }
        // The same pipeline stage by stage (one pass, timestamps between stages), so that a
        // change can be judged where it acts: reader (located tree), AST, check context
        // (flow graph, document keys), rules, and freeing what was built.
        var stages = [[Double]](repeating: [], count: 5)
        for _ in 0..<iterations {
            let sink = DiagnosticSink()
            var marks = [DispatchTime.now().uptimeNanoseconds]
            do {
                let root = YAMLReader().read(source, diagnostics: sink)
                marks.append(DispatchTime.now().uptimeNanoseconds)
                let file = root.map { SOPParser(path: source.path, diagnostics: sink).parse($0) }
                marks.append(DispatchTime.now().uptimeNanoseconds)
                if let file {
                    let context = CheckContext(file: file, catalog: nil)
                    marks.append(DispatchTime.now().uptimeNanoseconds)
                    Checker.check(context, diagnostics: sink)
                    marks.append(DispatchTime.now().uptimeNanoseconds)
                }
            }
            marks.append(DispatchTime.now().uptimeNanoseconds)
            guard marks.count == 6 else { break }
            for i in 0..<5 { stages[i].append(Double(marks[i + 1] - marks[i]) / 1e9) }
        }
        let stageText = zip(["reader", "ast", "context", "rules", "free"], stages).map { name, times in
            String(format: "%@=%.3fs", name, times.isEmpty ? 0 : times.sorted()[times.count / 2])
        }.joined(separator: " ")
        // Each rule alone, on one context, to find where the rules' time goes.
        var ruleText = ""
        if let root = YAMLReader().read(source, diagnostics: DiagnosticSink()) {
            let context = CheckContext(file: SOPParser(path: source.path, diagnostics: DiagnosticSink()).parse(root), catalog: nil)
            ruleText = Checker.rules.map { rule in
                String(format: "%@=%.4f", rule.name, best { rule.init().check(context, diagnostics: DiagnosticSink()) })
            }.joined(separator: " ")
        }
        // Lowering to the IR (which seals it: canonical JSON and SHA-256) and sealing alone.
        var lowerText = ""
        if let root = YAMLReader().read(source, diagnostics: DiagnosticSink()) {
            let file = SOPParser(path: source.path, diagnostics: DiagnosticSink()).parse(root)
            var graph: ProcessGraph?
            let lower = best { graph = Lowering.lower(file) }
            let seal = best { graph = graph?.sealed() }
            let pretty = best { _ = try? graph?.prettyJSON() }
            lowerText = String(format: "lower=%.3fs (of which seal=%.3fs) pretty-json=%.3fs", lower, seal, pretty)
        }
        var nodes = 0
        let compile = best {
            let sink = DiagnosticSink()
            nodes = Compiler().compile(source, diagnostics: sink, lower: true).graph?.nodes.count ?? 0
        }
        print(String(format: "%@\tbytes=%d\tevents=%d\tlibyaml=%.3fs\ttree=%.3fs\tcheck=%.3fs\tratio=%.2f\tcompile=%.3fs\tnodes=%d\tdiagnostics=%d",
                     (file as NSString).lastPathComponent, source.bytes.count, events, parse, tree, check, check / parse, compile, nodes, diagnostics)
              + "\tstages: " + stageText + "\n  rules: " + ruleText + "\n  ir: " + lowerText)
    }
}

/// Times, in one process, rendering every SOP of a catalogue in every format, against
/// checking the same catalogue (`sop check`'s work) as the baseline. SVG runs Graphviz once
/// per SOP, so it counts process starts too.
struct BenchRender: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-render",
                                                    abstract: "Time rendering a catalogue in every format against checking it.")

    @Argument var paths: [String] = ["sops"]
    @Option var iterations = 5

    func run() throws {
        let files = try Workspace.discover(paths).files
        func median(_ n: Int = 0, _ body: () throws -> Void) rethrows -> Double {
            var times: [Double] = []
            for _ in 0..<(n > 0 ? n : iterations) {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return times.sorted()[times.count / 2]
        }
        let check = try median { _ = try Workspace.check(files: files, asCatalog: true, lower: false) }
        var graphs: [ProcessGraph] = []
        let compile = try median { graphs = try Workspace.check(files: files, asCatalog: true, lower: true).outputs.compactMap(\.graph) }
        func line(_ label: String, _ seconds: Double, bytes: Int) -> String {
            String(format: "%@\tsops=%d\ttime=%.4fs\tper-sop=%.3fms\tbytes=%d\tvs-check=%.2fx",
                   label, graphs.count, seconds, seconds * 1000 / Double(max(1, graphs.count)), bytes, seconds / check)
        }
        print(String(format: "baseline check (parse + rules, %d files)\ttime=%.4fs", files.count, check))
        print(String(format: "compile to IR (check + lowering)\ttime=%.4fs", compile))
        var total = 0.0
        for format in [RenderFormat.mermaid, .dot, .html, .markdown] {
            var bytes = 0
            let t = try median {
                bytes = 0
                for g in graphs { bytes += try Renderer.render(g, as: format).utf8.count }
            }
            total += t
            print(line(format.rawValue, t, bytes: bytes))
        }
        if Graphviz.isAvailable {
            var bytes = 0
            let t = try median(1) {
                for g in graphs { bytes += try Renderer.render(g, as: .svg).utf8.count }
            }
            total += t
            print(line("svg (dot -Tsvg, one process per SOP)", t, bytes: bytes))
        } else {
            print("svg\tskipped: Graphviz `dot` is not installed")
        }
        var siteBytes = 0
        let site = median { siteBytes = CatalogueSite(graphs: graphs).files().reduce(0) { $0 + $1.contents.utf8.count } }
        print(line("catalogue site without SVG (index + all sheets and drawings)", site, bytes: siteBytes))
        print(String(format: "every format, whole catalogue\ttime=%.4fs\t(%.1fx the check)", total, total / check))
    }
}

/// Writes a synthetic SOP of N steps (decisions, loops, timers, documents) for benchmarks.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate a synthetic SOP with N steps.")

    /// The benchmark's chain, or a shape that once made a rule's cost grow with the square
    /// of the file (see Docs/Performance.md).
    enum Shape: String, ExpressibleByArgument, CaseIterable {
        case chain, parallel, lateDocument = "late-document", undeclaredActors = "undeclared-actors", brokenJumps = "broken-jumps", loop
        /// A random SOP the checker accepts (`ValidSOPGenerator`), for the property tests.
        case valid
    }

    @Argument var steps: Int
    @Option(name: .shortAndLong, help: "The file to write (a folder with --catalogue above 1).") var output: String
    @Option(help: "chain (default), parallel, late-document, undeclared-actors, broken-jumps, loop, valid") var shape: Shape = .chain
    @Option(help: "valid: the seed; the same seed and options give the same bytes.") var seed: UInt64 = 1
    @Option(help: "valid: how many actors (1 to 200).") var actors = 5
    @Option(name: .customLong("max-branches"), help: "valid: the most branches of a decision (2 to 50).") var maxBranches = 50
    @Option(help: "valid: what the SOP may contain, comma-separated (default all): \(ValidSOPGenerator.Feature.allCases.map(\.rawValue).joined(separator: ","))")
    var features: String?
    @Option(help: "valid: how many SOPs to write into the folder -o, each calling the next.") var catalogue = 1

    func run() throws {
        if shape == .valid {
            var o = ValidSOPGenerator.Options()
            o.seed = seed
            o.steps = steps
            o.actors = actors
            o.maxBranches = maxBranches
            o.catalogue = catalogue
            if let features {
                o.features = []
                for name in features.split(separator: ",") where !name.isEmpty {
                    guard let f = ValidSOPGenerator.Feature(rawValue: String(name)) else {
                        throw ValidationError("unknown feature `\(name)`; known: \(ValidSOPGenerator.Feature.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    o.features.insert(f)
                }
            }
            let files = ValidSOPGenerator(options: o).files()
            if catalogue <= 1 {
                try Data(files[0].text.utf8).write(to: URL(fileURLWithPath: output))
            } else {
                for file in files {
                    let url = URL(fileURLWithPath: output).appendingPathComponent(file.id + ".yaml")
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(file.text.utf8).write(to: url)
                }
            }
            return
        }
        if shape != .chain {
            try Data(Self.shaped(shape, steps: steps).utf8).write(to: URL(fileURLWithPath: output))
            return
        }
        var out = """
        sop: 1
        id: bench/generated-\(steps)
        name: Generated SOP with \(steps) steps
        number: 000 / BENCH / 2026
        organization: {government: Pemerintah Daerah Kota Contoh, agency: Dinas Contoh}
        dates: {created: 2026-01-02}
        inputs: [Dokumen awal]
        sla: \(steps * 2) hari kerja
        actors:
          petugas: {name: Petugas Pelayanan}
          verifikator: {name: Verifikator, kind: unit}
          kepala: {name: Kepala Dinas}
          sistem: {name: Aplikasi Layanan, kind: system}
        steps:

        """
        let actors = ["petugas", "verifikator", "kepala", "sistem"]
        var previous = "Dokumen awal"
        for i in 1...steps {
            let actor = actors[i % actors.count]
            let doc = "Dokumen hasil langkah \(i)"
            if i % 10 == 0, i + 2 <= steps {
                out += """
                  - id: s\(i)
                    action: "Memeriksa kelengkapan berkas nomor \(i) sesuai persyaratan"
                    actor: \(actor)
                    requires: [\(previous)]
                    duration: 1-3 hari kerja
                    produces: [\(doc)]
                    decision:
                      question: Berkas lengkap?
                      branches: {ya: s\(i + 1), tidak: s\(i + 2)}

                """
            } else {
                let duration = ["5 menit", "1 x 24 jam", "Maks. 3 Hari", "2 hari kerja dapat diperpanjang 7 hari kerja"][i % 4]
                out += """
                  - id: s\(i)
                    action: Memproses permohonan warga pada tahap \(i) dan mencatat hasilnya
                    actor: \(actor)
                    requires: [\(previous)]
                    duration: \(duration)
                    produces: [\(doc)]
                    via: Aplikasi Layanan\(i % 25 == 0 && i + 5 <= steps ? "\n    timeout: {after: 10 hari kerja, goto: s\(i + 5)}" : "")

                """
            }
            previous = doc
        }
        try Data(out.utf8).write(to: URL(fileURLWithPath: output))
    }
}

extension Generate {
    /// A file of about `steps` steps in one of the hostile shapes.
    static func shaped(_ shape: Shape, steps n: Int) -> String {
        var out = "sop: 1\nid: bench/\(shape.rawValue)-\(n)\nname: \(shape.rawValue) \(n)\nactors:\n"
        func step(_ id: String, _ lines: String...) {
            out += "  - id: \(id)\n    action: Langkah \(id)\n" + lines.map { "    \($0)\n" }.joined()
        }
        switch shape {
        case .chain, .valid:
            break
        case .parallel:
            out += "  p: {name: Petugas}\nsteps:\n"
            for i in 0..<max(1, n / 4) {
                step("p\(i)", "actor: p", "parallel: {branches: [x\(i), y\(i)], join: j\(i)}")
                step("x\(i)", "actor: p", "next: j\(i)")
                step("y\(i)", "actor: p", "next: j\(i)")
                step("j\(i)", "actor: p")
            }
        case .lateDocument:
            out += "  p: {name: Petugas}\nsteps:\n"
            for i in 0..<n - 1 { step("s\(i)", "actor: p", "requires: [Dokumen Akhir]") }
            step("s\(n - 1)", "actor: p", "produces: [Dokumen Akhir]")
        case .undeclaredActors:
            for i in 0..<n { out += "  a\(i): {name: Aktor \(i)}\n" }
            out += "steps:\n"
            for i in 0..<n { step("s\(i)", "actor: b\(i)") }
        case .brokenJumps:
            out += "  p: {name: Petugas}\nsteps:\n"
            for i in 0..<n { step("s\(i)", "actor: p", "next: t\(i)") }
        case .loop:
            out += "  p: {name: Petugas}\nsteps:\n"
            for i in 0..<n - 1 { step("s\(i)", "actor: p") }
            step("s\(n - 1)", "actor: p", "next: s0")
        }
        return out
    }
}
