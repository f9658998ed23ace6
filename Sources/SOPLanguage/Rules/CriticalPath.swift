import SOPDiagnostics
import SOPIR

/// The longest path (by the steps' maximum durations) fits in the SOP's declared `sla`.
/// Working days count 7/5 of a calendar day in this estimate; loops are counted once.
public struct CriticalPath: CheckRule {
    public static let name = "critical-path"
    public static let codes = ["W0504"]
    public static let summary = "The longest path in time is within the declared SLA."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        guard let sla = context.file.sla, let slaSpan = sla.value.maximum, !context.file.steps.isEmpty else { return }
        let (hours, path) = Self.longestPath(context)
        guard hours > slaSpan.estimatedHours * 1.000001 else { return }
        let estimate = Self.describe(hours: hours, like: slaSpan.unit)
        let numbers = path.map { context.numbers[$0] }
        diagnostics.emit(LanguageMessage.criticalPathExceedsSLA(path: numbers, estimate: estimate, sla: sla.value.text)
            .diagnostic(at: sla.range))
    }

    /// The longest path from the first step to an end, over sequence, branch and parallel
    /// edges (timeouts are escapes, not work); back edges are dropped to make it acyclic.
    static func longestPath(_ context: CheckContext) -> (Double, [Int]) {
        let flow = context.flow
        let n = flow.end
        let weight = context.file.steps.map { $0.duration?.value.estimatedHours ?? 0 }
        // Iterative DFS post-order from step 0; an edge to a node on the stack is a back edge.
        var state = [UInt8](repeating: 0, count: n + 1) // 0 new, 1 on stack, 2 done
        var order: [Int] = []
        var forward = [[Int]](repeating: [], count: n + 1)
        var work: [(Int, Int)] = [(0, 0)]
        state[0] = 1
        while !work.isEmpty {
            let (v, e) = work[work.count - 1]
            let edges = v < n ? flow.successors[v].filter { $0.kind != .timeout } : []
            if e < edges.count {
                work[work.count - 1].1 += 1
                let w = edges[e].target
                if state[w] == 1 { continue }
                forward[v].append(w)
                if state[w] == 0 { state[w] = 1; work.append((w, 0)) }
            } else {
                state[v] = 2
                order.append(v)
                work.removeLast()
            }
        }
        // Longest distance to the end, in reverse topological (= post) order.
        var best = [Double](repeating: -1, count: n + 1)
        var nextOnPath = [Int](repeating: -1, count: n + 1)
        best[n] = 0
        for v in order where v < n {
            var bestTail = -1.0, choice = -1
            for w in forward[v] where best[w] > bestTail { bestTail = best[w]; choice = w }
            if choice >= 0 { best[v] = weight[v] + bestTail; nextOnPath[v] = choice }
        }
        var path: [Int] = []
        var v = 0
        while v >= 0, v < n { path.append(v); v = nextOnPath[v] }
        return (max(0, best[0]), path)
    }

    static func describe(hours: Double, like unit: TimeUnit) -> String {
        let value = hours / unit.estimatedHours
        let rounded = (value * 10).rounded() / 10
        let number = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        switch unit {
        case .second: return "\(number) detik"
        case .minute: return "\(number) menit"
        case .hour: return "\(number) jam"
        case .day: return "\(number) hari"
        case .workingDay: return "\(number) hari kerja"
        case .week: return "\(number) minggu"
        case .month: return "\(number) bulan"
        case .year: return "\(number) tahun"
        }
    }
}
