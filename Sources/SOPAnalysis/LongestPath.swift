import SOPIR

extension PathAnalysis {
    /// The loop-free path that takes longest, by the steps' longest times in working days
    /// (`WorkingDayRange.span`; a firing timer counts its time instead of the step's): a
    /// longest-path dynamic programme over the forward moves in topological order, linear in
    /// the graph. Ties go to the path found first (moves in written order). Measure the path
    /// with `WorkingDayRange.of`, which also counts times from an earlier step exactly.
    /// Nil when no end can be reached without a loop.
    public func longestPath() -> TrainingPath? {
        let n = graph.nodes.count
        var best = [Double](repeating: -.infinity, count: n)
        var pred = [PathGraph.Move?](repeating: nil, count: n)
        guard n > 0 else { return nil }
        best[0] = 0
        func weight(_ m: PathGraph.Move) -> Double {
            let node = graph.nodes[m.from]
            guard node.isActivity else { return 0 }
            let own = WorkingDayRange.span(of: node).max
            if case let .timer(id) = m.kind {
                let timer = graph.timers[id]
                let after = timer.after.maximum.map { WorkingDayRange.days($0.max, $0.unit) } ?? 0
                return timer.since == .lastResponse ? own + after : after
            }
            return own
        }
        for u in g.order where best[u] > -.infinity {
            for m in g.moves[u] where !m.isBack {
                let score = best[u] + weight(m)
                if score > best[m.to] + 1e-12 { best[m.to] = score; pred[m.to] = m }
            }
        }
        var end: Int?
        for u in g.order where g.isEnd(u) && best[u] > -.infinity {
            if end == nil || best[u] > best[end!] + 1e-12 { end = u }
        }
        guard let last = end else { return nil }
        var moves: [PathGraph.Move] = []
        var v = last
        while let m = pred[v] { moves.append(m); v = m.from }
        return TrainingPath(hops: moves.reversed().map(hop) + [.init(node: last, exit: nil, loopsBack: false)])
    }
}
