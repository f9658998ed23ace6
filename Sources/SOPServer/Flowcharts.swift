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

    /// Seconds Graphviz may take to draw one SOP; a larger drawing is not shown.
    static let drawingTimeout = 15.0

    /// The SOP's drawing with the case's open steps marked current and its completed ones done.
    /// Graphviz runs off Swift's cooperative threads (a first drawing takes a moment).
    func svg(of graph: ProcessGraph, current: Set<Int>, done: Set<Int>) async -> String? {
        let cached: String?? = lock.withLock { drawings[graph.contentHash] }
        let drawing: String?
        if let cached {
            drawing = cached
        } else {
            // Drawn outside the lock: two first requests may both draw; the result is the same.
            var renderer = DOTRenderer()
            renderer.namesNodes = true
            let dot = renderer.render(graph)
            drawing = await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(returning: try? Graphviz.svg(fromDOT: dot, timeout: Self.drawingTimeout))
                }
            }
            lock.withLock { drawings[graph.contentHash] = .some(drawing) }
        }
        return drawing.map { FlowchartMarks.mark(svg: $0, current: current, done: done) }
    }
}
