import SOPDiagnostics
import SOPIR

/// Lists of items per node in two flat arrays (compressed sparse rows): `self[v]` is the
/// slice of node `v`, in the order the items were added. One allocation for all nodes
/// instead of one array per node.
public struct Adjacency<Element: Sendable>: Sendable {
    /// `offsets[v]..<offsets[v + 1]` are node `v`'s positions in `items`.
    public private(set) var offsets: [Int]
    public private(set) var items: [Element]

    /// An empty list of nodes; add each node's items with `append` then close it with `endNode`.
    init(reservingNodes nodes: Int, items capacity: Int) {
        offsets = [0]
        offsets.reserveCapacity(nodes + 1)
        items = []
        items.reserveCapacity(capacity)
    }

    init(offsets: [Int], items: [Element]) {
        self.offsets = offsets
        self.items = items
    }

    mutating func append(_ item: Element) { items.append(item) }
    mutating func endNode() { offsets.append(items.count) }

    /// Number of nodes.
    public var count: Int { offsets.count - 1 }

    /// The items of node `v`, indexed from 0 like an array.
    public subscript(v: Int) -> Row {
        Row(items: items, base: offsets[v], count: offsets[v + 1] - offsets[v])
    }

    /// One node's items: a zero-based view into `items`.
    public struct Row: RandomAccessCollection, Sendable {
        let items: [Element]
        let base: Int
        public let count: Int
        public var startIndex: Int { 0 }
        public var endIndex: Int { count }
        public subscript(i: Int) -> Element {
            precondition(i >= 0 && i < count, "index out of range")
            return items[base + i]
        }
    }
}

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
    public let successors: Adjacency<Edge>
    /// Step ids, numbered in step order (id number `k` is the `k`-th distinct id).
    let ids: TextTable
    /// The step of each id number (the first step that declares it).
    let stepOfID: [Int]
    /// For each step, the index of the first step declaring the same id (itself when it is
    /// the first), or -1 when it has no id.
    public let firstWithSameID: [Int]
    /// Incoming edges' sources of each node, the reverse of `successors`.
    public let predecessorLists: Adjacency<Int>
    /// True when some jump (`next`, a branch, a timeout's `goto`, a parallel branch or join)
    /// names no step.
    public let hasUnresolvedTarget: Bool

    /// Declared outcome ids (`outcomes:`), numbered in written order.
    let outcomeIDs: TextTable

    /// The step a jump names (`end` for the reserved id `end` and for a declared outcome),
    /// or nil when no step or outcome has that id.
    public func step(named target: TextRef, in file: SOPFile) -> Int? {
        Self.step(named: target, in: file, ids: ids, stepOfID: stepOfID, outcomes: outcomeIDs, end: end)
    }

    /// The declared outcome (an index into `file.outcomes`) a name refers to, or nil.
    public func outcome(named target: TextRef, in file: SOPFile) -> Int? {
        ids.find(target, in: file) == nil ? outcomeIDs.find(target, in: file) : nil
    }

    private static func step(named target: TextRef, in file: SOPFile, ids: TextTable, stepOfID: [Int], outcomes: TextTable, end: Int) -> Int? {
        if let id = ids.find(target, in: file) { return stepOfID[id] }
        if outcomes.count > 0, outcomes.find(target, in: file) != nil { return end }
        return file.document.scalar(target.node, equals: "end") ? end : nil
    }

    public init(_ file: SOPFile) {
        let steps = file.steps
        let n = steps.count
        end = n
        var ids = TextTable(capacity: n)
        var stepOfID: [Int] = []
        stepOfID.reserveCapacity(n)
        var first = [Int](repeating: -1, count: n)
        for step in steps {
            guard let id = step.id else { continue }
            let (k, inserted) = ids.insert(id, in: file)
            if inserted { stepOfID.append(step.index) }
            first[step.index] = stepOfID[k]
        }
        self.ids = ids
        self.stepOfID = stepOfID
        firstWithSameID = first
        var outcomes = TextTable(capacity: max(4, file.outcomes.count))
        for outcome in file.outcomes { _ = outcomes.insert(outcome.ref, in: file) }
        outcomeIDs = outcomes
        var unresolved = false
        func find(_ target: TextRef) -> Int? { Self.step(named: target, in: file, ids: ids, stepOfID: stepOfID, outcomes: outcomes, end: n) }
        func resolve(_ target: TextRef) -> Int? {
            let t = find(target)
            if t == nil { unresolved = true }
            return t
        }
        var succ = Adjacency<Edge>(reservingNodes: n + 1, items: n + n / 4)
        var incoming = [Int](repeating: 0, count: n + 1)
        func add(_ target: Int, _ kind: EdgeKind) {
            succ.append(Edge(target: target, kind: kind))
            incoming[target] += 1
        }
        for step in steps {
            let i = step.index
            let next = step.next
            if let decision = file.decision(step) {
                for b in decision.branches { if let t = resolve(b.target) { add(t, .branch) } }
            } else if step.isEnd {
                add(n, .sequence)
            } else if let next {
                if let t = resolve(next) { add(t, .sequence) }
            } else if let parallel = file.parallel(step) {
                for b in parallel.branches { if let t = resolve(b) { add(t, .parallel) } }
            } else {
                add(i + 1, .sequence)
            }
            for timeout in file.timeouts(step) {
                if let target = timeout.target, let t = resolve(target) { add(t, .timeout) }
            }
            // Jumps the chosen flow does not follow still have to name a step; `end:` an outcome.
            if !unresolved, let outcome = step.endOutcome, outcomes.find(outcome, in: file) == nil || ids.find(outcome, in: file) != nil {
                unresolved = true
            }
            if !unresolved {
                if step.decision != nil || step.isEnd, let next, find(next) == nil { unresolved = true }
                if let parallel = file.parallel(step) {
                    if step.decision != nil || step.isEnd || next != nil {
                        for b in parallel.branches where find(b) == nil { unresolved = true }
                    }
                    if let join = parallel.join, find(join) == nil { unresolved = true }
                }
            }
            succ.endNode()
        }
        succ.endNode() // `end` has no successors
        successors = succ
        hasUnresolvedTarget = unresolved
        // Predecessors by counting sort: sources in increasing order, as a walk over `succ` adds them.
        var offsets = [Int](repeating: 0, count: n + 2)
        for v in 0...n { offsets[v + 1] = offsets[v] + incoming[v] }
        var fill = offsets
        var sources = [Int](repeating: 0, count: succ.items.count)
        for v in 0...n {
            for e in succ[v] {
                sources[fill[e.target]] = v
                fill[e.target] += 1
            }
        }
        predecessorLists = Adjacency(offsets: offsets, items: sources)
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

    /// Whether `target` can be reached from `start`, stopping as soon as it is: a parallel
    /// branch usually meets its join within a few steps.
    public func reaches(_ target: Int, from start: Int) -> Bool {
        if start == target { return true }
        var seen: Set<Int> = [start]
        var stack = [start]
        while let v = stack.popLast() {
            for e in successors[v] where seen.insert(e.target).inserted {
                if e.target == target { return true }
                stack.append(e.target)
            }
        }
        return false
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
