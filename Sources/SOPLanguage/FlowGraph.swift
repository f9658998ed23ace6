import SOPDiagnostics
import SOPIR

/// The flow between steps as the rules see it: step indices `0..<n`, and `end` (= n) for
/// "the process ends". Built once from the AST; unresolved targets are left out (they are
/// reported by `UndefinedStepTarget`).
public struct FlowGraph: Sendable {
    public enum EdgeKind: Sendable, Hashable { case sequence, branch, parallel, timeout }

    public struct Edge: Sendable, Hashable {
        public var target: Int
        public var kind: EdgeKind
    }

    /// The virtual end node.
    public let end: Int
    /// Outgoing edges of each step (and none for `end`).
    public var successors: [[Edge]]
    /// The index of each step id (the first step that declares it).
    public let indexByID: [String: Int]
    /// Incoming edges' sources of each node, the reverse of `successors`.
    public let predecessorLists: [[Int]]

    public init(_ file: SOPFile) {
        let n = file.steps.count
        end = n
        var ids: [String: Int] = [:]
        for step in file.steps {
            if let id = step.id?.value, id != "end", ids[id] == nil { ids[id] = step.index }
        }
        // `end` is the reserved target "the process ends here".
        ids["end"] = n
        indexByID = ids
        var succ = [[Edge]](repeating: [], count: n + 1)
        for step in file.steps {
            let i = step.index
            var edges: [Edge] = []
            if let decision = step.decision {
                for b in decision.branches { if let t = ids[b.target.value] { edges.append(Edge(target: t, kind: .branch)) } }
            } else if step.isEnd {
                edges.append(Edge(target: n, kind: .sequence))
            } else if let next = step.next {
                if let t = ids[next.value] { edges.append(Edge(target: t, kind: .sequence)) }
            } else if let parallel = step.parallel {
                for b in parallel.branches { if let t = ids[b.value] { edges.append(Edge(target: t, kind: .parallel)) } }
            } else {
                edges.append(Edge(target: i + 1, kind: .sequence))
            }
            for timeout in step.timeouts {
                if let target = timeout.target, let t = ids[target.value] { edges.append(Edge(target: t, kind: .timeout)) }
            }
            succ[i] = edges
        }
        successors = succ
        var pred = [[Int]](repeating: [], count: n + 1)
        for (v, edges) in succ.enumerated() {
            for e in edges { pred[e.target].append(v) }
        }
        predecessorLists = pred
    }

    /// Every node reachable from `sources` (including them), following all edge kinds.
    public func reachable(from sources: [Int]) -> [Bool] {
        var seen = [Bool](repeating: false, count: successors.count)
        var stack = sources
        for s in sources { seen[s] = true }
        while let v = stack.popLast() {
            for e in successors[v] where !seen[e.target] {
                seen[e.target] = true
                stack.append(e.target)
            }
        }
        return seen
    }


    /// Every node from which `targets` can be reached (including them).
    public func canReach(_ targets: [Int]) -> [Bool] {
        let pred = predecessorLists
        var seen = [Bool](repeating: false, count: successors.count)
        var stack = targets
        for t in targets { seen[t] = true }
        while let v = stack.popLast() {
            for p in pred[v] where !seen[p] {
                seen[p] = true
                stack.append(p)
            }
        }
        return seen
    }
}
