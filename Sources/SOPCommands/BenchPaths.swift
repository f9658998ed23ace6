import ArgumentParser
import Foundation
import SOPAnalysis
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPWorkspace

/// `sop debug bench-paths FILE...`: in one process, per SOP, compiling it (the baseline) and
/// finding its covering paths, median of several runs, with the graph's size and how many
/// loop-free paths it has — the cover's time follows the graph, never that number.
struct BenchPaths: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-paths",
                                                    abstract: "Time the covering paths of SOPs against compiling them.")

    @Argument var paths: [String] = ["sops"]
    @Option var iterations = 5

    func run() throws {
        let files = try Workspace.discover(paths).files
        func median(_ body: () -> Void) -> Double {
            var times: [Double] = []
            for _ in 0..<iterations {
                let start = DispatchTime.now().uptimeNanoseconds
                body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return times.sorted()[times.count / 2]
        }
        var totalCompile = 0.0, totalCover = 0.0, totalPaths = 0
        for file in files {
            let source = try Workspace.load(file)
            var graph: ProcessGraph?
            let compile = median { graph = Compiler().compile(source, diagnostics: DiagnosticSink()).graph }
            guard let graph else { print("\(file)\tdoes not compile"); continue }
            var cover: PathAnalysis.Cover?
            let t = median { cover = PathAnalysis(graph).cover() }
            let loopFree = PathAnalysis(graph).all(limit: 1).loopFreeCount
            let paths = cover?.paths.count ?? 0
            totalCompile += compile; totalCover += t; totalPaths += paths
            if files.count <= 3 {
                print(String(format: "%@\tnodes=%d\tedges=%d\tloops=%d\tloop-regions=%d\tcompile=%.4fs\tcover=%.4fs\t(%.2fx compile)\tcover-paths=%d\tlower-bound=%d\tloop-free-paths=%@",
                             file, graph.nodes.count, graph.edges.count, PathAnalysis(graph).loopCount, PathAnalysis(graph).loopRegionSize, compile, t, t / compile, paths, PathAnalysis(graph).lowerBound,
                             loopFree.isFinite ? String(format: "%.3g", loopFree) : ">1e308"))
            }
        }
        if files.count > 3 {
            print(String(format: "%d SOPs\tcompile=%.4fs\tcover=%.4fs\t(%.2fx compile)\tcover-paths=%d", files.count, totalCompile, totalCover, totalCover / totalCompile, totalPaths))
        }
    }
}
