import Foundation
import SOPIR
import SOPRender

/// The drawings of the catalogue's SOPs for case pages: each SOP drawn once by Graphviz (on
/// first use, kept by content hash), then marked per case (`FlowchartMarks`). Where Graphviz
/// is not installed or cannot draw an SOP, a case page shows the numbered list of steps alone.
final class Flowcharts: @unchecked Sendable {
    private let lock = NSLock()
    /// A drawing per SOP content hash; `nil` when it cannot be drawn (not tried again).
    private var drawings: [String: String?] = [:]

    /// The SOP's drawing with the case's open steps marked current and its completed ones done.
    func svg(of graph: ProcessGraph, current: Set<Int>, done: Set<Int>) -> String? {
        let cached: String?? = lock.withLock { drawings[graph.contentHash] }
        let drawing: String?
        if let cached {
            drawing = cached
        } else {
            // Drawn outside the lock: two first requests may both draw; the result is the same.
            var renderer = DOTRenderer()
            renderer.namesNodes = true
            drawing = try? Graphviz.svg(fromDOT: renderer.render(graph))
            lock.withLock { drawings[graph.contentHash] = .some(drawing) }
        }
        return drawing.map { FlowchartMarks.mark(svg: $0, current: current, done: done) }
    }
}
