import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIR
import SOPRuntime
import SOPStore

extension CaseCommand {
    /// `sop case apply`: a stream of commands, one JSON object per line on standard input,
    /// each acknowledged on standard output only once its events are durable. `--batch N`
    /// commits N commands per transaction (acknowledged together after the commit).
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply commands from standard input (JSON lines); acknowledge each once durable.",
            discussion: """
            Lines: {"op":"start","sop":"FILE","class":"sedang"}
                   {"op":"complete","case":"case-000001","step":"2","by":"admin","docs":["Laporan"],"note":"…"}
                   {"op":"decide","case":"…","step":"3","branch":"ya","by":"…"}
                   {"op":"cancel","case":"…","reason":"…"}   {"op":"advance"}
            Each answer: `ok N CASE VERSION` or `error N CODE message` (N counts input lines).
            """)

        @Option(name: .long, help: "Commands per transaction (acknowledged after its commit).") var batch: Int = 1
        @OptionGroup var store: StoreOptions

        struct Line: Decodable {
            var op: String
            var sop: String?
            var `class`: String?
            var `case`: String?
            var step: String?
            var by: String?
            var branch: String?
            var docs: [String]?
            var note: String?
            var reason: String?
            var last: Bool?
        }

        func run() throws {
            let language = try store.language()
            guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
            let service: CaseService
            do { service = try store.service() } catch { throw fail(error, language: language) }
            service.cachesStates = true
            var graphs: [String: ProcessGraph] = [:]
            var pending: [String] = []
            var number = 0
            var lines: [String] = []
            func flush() throws {
                guard !lines.isEmpty else { return }
                let chunk = lines
                lines.removeAll()
                do {
                    try service.store.inTransaction {
                        for text in chunk {
                            number += 1
                            pending.append(try apply(text, number: number, service: service, graphs: &graphs, language: language))
                        }
                    }
                } catch {
                    // The transaction rolled back: nothing of this batch is durable.
                    pending = chunk.indices.map { _ in "error - R017 the batch was not committed: \(error)" }
                }
                for p in pending { print(p) }
                pending.removeAll()
                fflush(nil)
            }
            while let text = readLine() {
                if text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                lines.append(text)
                if lines.count >= batch { try flush() }
            }
            try flush()
        }

        private func apply(_ text: String, number: Int, service: CaseService, graphs: inout [String: ProcessGraph],
                           language: Language) throws -> String {
            let line: Line
            do { line = try JSONDecoder().decode(Line.self, from: Data(text.utf8)) } catch {
                return "error \(number) S0002 not a command line: \(text.prefix(80))"
            }
            do {
                switch line.op {
                case "start":
                    guard let path = line.sop else { return "error \(number) S0002 `start` needs `sop`" }
                    let graph: ProcessGraph
                    if let g = graphs[path] { graph = g } else {
                        graph = try compileOne(path, language: language)
                        graphs[path] = graph
                    }
                    let id = try service.start(graph, durationClass: line.class)
                    return "ok \(number) \(id) \(try service.load(id).0.version)"
                case "complete", "decide", "respond", "cancel":
                    guard let id = line.case else { return "error \(number) S0002 `\(line.op)` needs `case`" }
                    switch line.op {
                    case "complete":
                        _ = try service.complete(id, step: line.step ?? "", by: line.by, documents: line.docs ?? [], note: line.note, last: line.last ?? false)
                    case "decide":
                        _ = try service.decide(id, step: line.step ?? "", branch: line.branch ?? "", by: line.by, documents: line.docs ?? [], note: line.note)
                    case "respond":
                        _ = try service.respond(id, step: line.step ?? "", by: line.by, note: line.note)
                    default:
                        _ = try service.cancel(id, reason: line.reason ?? "-", by: line.by)
                    }
                    return "ok \(number) \(id) \(try service.load(id).0.version)"
                case "advance":
                    return "ok \(number) - \(try service.advance().count)"
                default:
                    return "error \(number) S0002 unknown op `\(line.op)`"
                }
            } catch let e as RuntimeError {
                return "error \(number) \(e.code.rawValue) \(e.message.text(language))"
            }
        }
    }
}
