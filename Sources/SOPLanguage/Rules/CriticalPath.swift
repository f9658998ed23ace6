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
        let numbers = path.map { context.number($0) }
        diagnostics.emit(LanguageMessage.criticalPathExceedsSLA(path: numbers, estimate: estimate, sla: sla.value.text)
            .diagnostic(at: sla.range))
    }

    /// The longest path from the first step to an end, over sequence, branch and parallel
    /// edges (timeouts are escapes, not work); back edges are dropped to make it acyclic.
    static func longestPath(_ context: CheckContext) -> (Double, [Int]) {
        let flow = context.flow
        let n = flow.end
        let successors = flow.successors
        let file = context.file
        // Iterative DFS post-order from step 0; an edge to a node on the stack is a back edge.
        // `forward[k]` marks edge k of `successors.items` as kept (not a back edge, not a timeout).
        var state = [UInt8](repeating: 0, count: n + 1) // 0 new, 1 on stack, 2 done
        var order: [Int] = []
        order.reserveCapacity(n + 1)
        var forward = [Bool](repeating: false, count: successors.items.count)
        var work: [(node: Int, edge: Int)] = [(0, successors.offsets[0])]
        state[0] = 1
        while let (v, k) = work.last {
            let end = v < n ? successors.offsets[v + 1] : k
            var e = k
            while e < end, successors.items[e].kind == .timeout { e += 1 }
            if e < end {
                work[work.count - 1].edge = e + 1
                let w = successors.items[e].target
                if state[w] == 1 { continue }
                forward[e] = true
                if state[w] == 0 { state[w] = 1; work.append((w, successors.offsets[w])) }
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
            for e in successors.offsets[v]..<successors.offsets[v + 1] where forward[e] {
                let w = successors.items[e].target
                if best[w] > bestTail { bestTail = best[w]; choice = w }
            }
            // Another party's window (`window_of`) is not the step's own time.
            let own = file.steps[v].durationWindowOf == nil ? file.steps[v].duration.map { file.duration($0).estimatedHours } ?? 0 : 0
            if choice >= 0 { best[v] = own + bestTail; nextOnPath[v] = choice }
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
