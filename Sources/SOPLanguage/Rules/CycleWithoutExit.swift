import SOPDiagnostics

/// A loop of steps has a way out: some step of it leads outside the loop towards an end.
public struct CycleWithoutExit: CheckRule {
    public static let name = "cycle-without-exit"
    public static let codes = ["E0403"]
    public static let summary = "Every loop has a way out."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        guard !context.flowIsIncomplete else { return }
        let flow = context.flow
        let reachesEnd = flow.canReach([flow.end])
        for component in Self.trappedLoops(flow, reachesEnd: reachesEnd) {
            let first = component.min()!
            let numbers = Self.walk(component, from: first, flow: flow).map { context.number($0) }
            diagnostics.emit(LanguageMessage.cycleWithoutExit(numbers: numbers)
                .diagnostic(at: context.head(context.file.steps[first]), severity: context.flowSeverity))
        }
    }

    /// The loop's steps in the order the flow visits them, starting at `first`.
    static func walk(_ component: [Int], from first: Int, flow: FlowGraph) -> [Int] {
        let members = Set(component)
        var order = [first], seen: Set<Int> = [first]
        var v = first
        while let next = flow.successors[v].map(\.target).first(where: { members.contains($0) && !seen.contains($0) }) {
            order.append(next); seen.insert(next); v = next
        }
        return order + component.filter { !seen.contains($0) }
    }

    /// Strongly connected components of two or more steps (or a step looping to itself)
    /// from which no end is reachable, each sorted. Iterative Tarjan, so depth is no limit.
    static func trappedLoops(_ flow: FlowGraph, reachesEnd: [Bool]) -> [[Int]] {
        let n = flow.end
        var index = [Int](repeating: -1, count: n), low = [Int](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int] = [], result: [[Int]] = []
        var counter = 0
        for root in 0..<n where index[root] < 0 && !reachesEnd[root] {
            var work: [(v: Int, edge: Int)] = [(root, 0)]
            index[root] = counter; low[root] = counter; counter += 1
            stack.append(root); onStack[root] = true
            while !work.isEmpty {
                let (v, e) = work[work.count - 1]
                let edges = flow.successors[v]
                if e < edges.count {
                    work[work.count - 1].edge += 1
                    let w = edges[e].target
                    guard w < n, !reachesEnd[w] else { continue }
                    if index[w] < 0 {
                        index[w] = counter; low[w] = counter; counter += 1
                        stack.append(w); onStack[w] = true
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last { low[parent.v] = min(low[parent.v], low[v]) }
                    if low[v] == index[v] {
                        var component: [Int] = []
                        while let w = stack.popLast() {
                            onStack[w] = false
                            component.append(w)
                            if w == v { break }
                        }
                        let selfLoop = component.count == 1 && flow.successors[v].contains { $0.target == v }
                        if component.count > 1 || selfLoop { result.append(component.sorted()) }
                    }
                }
            }
        }
        return result.sorted { $0[0] < $1[0] }
    }
}
