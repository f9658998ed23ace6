import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIR
import SOPRuntime
import SOPStore

/// `sop debug bench-runtime FILE`: figures for `make bench-runtime`. Runs many cases of one
/// catalogue SOP to the end, each step completed by its own actor with the documents it
/// still lacks: (1) the engine alone in memory (decide + fold, no store), (2) durable
/// completions on SQLite, one command per transaction and `--batch` commands per transaction.
struct BenchRuntime: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-runtime", abstract: "Benchmark the runtime (figures, not pass/fail).")

    @Argument(help: "A catalogue SOP without decisions (e.g. the Tarakan visit SOP).") var file: String
    @Option(name: .long, help: "Cases for the in-memory engine run.") var memoryCases = 200_000
    @Option(name: .long, help: "Cases for the durable runs.") var durableCases = 2_000
    @Option(name: .long, help: "Commands per transaction in the batched durable run.") var batch = 500
    @Option(name: .long, help: "Folder for the benchmark databases.") var dir = ".build/bench"

    func run() throws {
        let graph = try compileOne(file, language: .en)
        guard !graph.nodes.contains(where: { $0.kind == .decision || $0.kind == .call }) else {
            throw ValidationError("choose an SOP without decisions or calls, so every case runs the same steps")
        }
        let start = UTCOffset.wib.parse("2025-03-03 08:00")!
        let engine = Engine(graph: graph, calendar: WorkingCalendar(CalendarSettings.forSOP(graph.id)))

        let requires = graph.nodes.map(\.requires), actors = graph.nodes.map(\.actor)
        // (1) In memory: the engine decides, the state folds; one step = one completion.
        var steps = 0
        let t0 = DispatchTime.now().uptimeNanoseconds
        for i in 0..<memoryCases {
            var state = CaseState(id: "m\(i)")
            for e in try engine.start(caseID: state.id, at: start) { state.apply(e, tables: engine.tables) }
            while let task = state.openTasks.first {
                let missing = requires[task.node].filter { !state.documents.contains($0) }
                for e in try engine.complete(state, node: task.node, by: actors[task.node], documents: missing, at: start) {
                    state.apply(e, tables: engine.tables)
                }
                steps += 1
            }
        }
        let memorySeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        print(String(format: "in-memory engine: %d steps (%d cases of %@) in %.3f s = %.0f steps/s (target >= 1,000,000)",
                     steps, memoryCases, graph.id, memorySeconds, Double(steps) / memorySeconds))

        // (2) Durable: SQLite, WAL, synchronous FULL; one transaction per command, then batches.
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for perTransaction in [1, batch] {
            let path = (dir as NSString).appendingPathComponent("bench-runtime-\(perTransaction).db")
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let store = try SQLiteCaseStore(path: path)
            let service = CaseService(store: store, clock: VirtualClock(start), calendarFor: { CalendarSettings.forSOP($0.id) })
            service.cachesStates = true
            let cases = perTransaction == 1 ? min(durableCases, 300) : durableCases
            var ids: [String] = []
            try store.inTransaction { for _ in 0..<cases { ids.append(try service.start(graph)) } }
            // The commands: every case's steps in order, cases interleaved.
            var commands: [(String, Int, Int?, [String])] = []
            var states = try ids.map { try service.load($0).0 }
            var more = true
            while more {
                more = false
                for i in states.indices {
                    guard let task = states[i].openTasks.first else { continue }
                    let n = graph.nodes[task.node]
                    let missing = n.requires.filter { !states[i].documents.contains($0) }
                    commands.append((ids[i], task.node, n.actor, missing.map { graph.documents[$0].name }))
                    for e in try engine.complete(states[i], node: task.node, by: n.actor, documents: missing, at: start) { states[i].apply(e, tables: engine.tables) }
                    more = true
                }
            }
            let t1 = DispatchTime.now().uptimeNanoseconds
            var index = 0
            while index < commands.count {
                let end = min(index + perTransaction, commands.count)
                try store.inTransaction {
                    for (id, node, actor, docs) in commands[index..<end] {
                        _ = try service.complete(id, step: "#\(node)", by: actor.map { graph.actors[$0].key }, documents: docs)
                    }
                }
                index = end
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9
            let done = try store.summaries(CaseFilter(status: .completed)).count
            print(String(format: "durable (SQLite, WAL, synchronous=FULL), %4d command(s) per transaction: %d completions in %.3f s = %.0f completions/s; %d/%d cases completed%@",
                         perTransaction, commands.count, seconds, Double(commands.count) / seconds, done, cases,
                         perTransaction == 1 ? " (baseline)" : " (target >= 20,000)"))
        }
    }
}
