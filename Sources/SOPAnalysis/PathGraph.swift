import SOPIR

/// The graph the path analysis walks: the IR's nodes with the moves a case can make out of
/// each, where a parallel block is walked one branch after the other and a timer is a move
/// only when it can fire. Built once per SOP, in time and memory linear in the IR.
///
/// - A **move** leaves a node: the next step (`sequence`), a decision's branch, a timer
///   that fires, or — inside a parallel block — on to the next branch.
/// - **Parallel blocks** are serialised: the split leads to its first branch; the end of
///   branch *i* leads to the head of branch *i + 1*; the last branch reaches the join. The
///   runtime opens every branch at once, so completing them in this order is always allowed.
/// - A **timer** can fire only when no other timer of the same step fires first: of the
///   timers counted from the step's activation, the shortest (the first written among equals);
///   of those counted from the last response, the shortest, and only when it is shorter than
///   the shortest activation timer (a response can come at once); and on a recurring step
///   whose recurrence lasts a given time, only when it is not longer than that (the step
///   ends by itself then). The others never fire.
/// - **Loops**: a depth-first search from the start, moves in written order, marks the moves
///   that go back to a node still on the search stack. Without them the graph is acyclic;
///   every path the analysis returns takes each of them at most once.
package struct PathGraph: Sendable {
    package enum MoveKind: Hashable, Sendable {
        case sequence
        /// A decision's branch: the IR edge index (its label is the edge's).
        case branch(edge: Int)
        /// A timer that fires (index into `ProcessGraph.timers`).
        case timer(Int)
        /// From the end of one parallel branch to the head of the next.
        case nextBranch
    }

    package struct Move: Hashable, Sendable {
        package var from: Int
        package var to: Int
        package var kind: MoveKind
        /// Goes back to a node on the search stack: a loop.
        package var isBack: Bool
    }

    package let graph: ProcessGraph
    /// Moves out of each node, in the order the IR writes them (timers last).
    package private(set) var moves: [[Move]]
    /// Nodes reachable from the start over forward moves, in topological order.
    package private(set) var order: [Int] = []
    /// Timers that can never fire (another timer of the step always fires first).
    package private(set) var silentTimers: [Int] = []

    package init(_ graph: ProcessGraph) {
        self.graph = graph
        let n = graph.nodes.count
        var moves = [[Move]](repeating: [], count: n)
        var parallelHeads: [Int: [Int]] = [:]
        for (i, e) in graph.edges.enumerated() {
            switch e.kind {
            case .sequence: moves[e.from].append(Move(from: e.from, to: e.to, kind: .sequence, isBack: false))
            case .branch: moves[e.from].append(Move(from: e.from, to: e.to, kind: .branch(edge: i), isBack: false))
            case .parallel: parallelHeads[e.from, default: []].append(e.to)
            case .timeout: break
            }
        }
        // Parallel splits, serialised.
        var flow = [[Int]](repeating: [], count: n)
        for e in graph.edges where e.kind != .timeout { flow[e.from].append(e.to) }
        let joins = Set(graph.nodes.filter { $0.kind == .parallelJoin }.map(\.id))
        let closing = graph.parallelJoins()
        for split in graph.nodes where split.kind == .parallelSplit {
            let heads = parallelHeads[split.id] ?? []
            Self.serialise(split: split.id, heads: heads, flow: flow, joins: joins, closing: closing[split.id], moves: &moves)
        }
        // Timers that fire.
        var silent: [Int] = []
        let byNode = Dictionary(grouping: graph.timers, by: \.node)
        for node in byNode.keys.sorted() {
            let timers = byNode[node]!.sorted { $0.id < $1.id }
            let hours = { (t: ProcessGraph.Timer) -> Double? in t.after.maximum?.estimatedHours }
            let activation = timers.filter { ($0.since ?? .activation) == .activation && hours($0) != nil }
            let response = timers.filter { $0.since == .lastResponse && hours($0) != nil }
            var firstActivation = activation.min { hours($0)! < hours($1)! }
            var firstResponse = response.min { hours($0)! < hours($1)! }
            if let r = firstResponse, let a = firstActivation, hours(r)! >= hours(a)! { firstResponse = nil }
            // A recurring step whose recurrence lasts a while ends by itself when it is over.
            if let r = graph.nodes[node].recurrence, case let .recurring(rec) = r.value, let lasting = rec.lasting {
                if let a = firstActivation, hours(a)! > lasting.estimatedHours { firstActivation = nil }
                if let l = firstResponse, hours(l)! > lasting.estimatedHours { firstResponse = nil }
            }
            for t in timers {
                if t.id == firstActivation?.id || t.id == firstResponse?.id {
                    moves[node].append(Move(from: node, to: t.target, kind: .timer(t.id), isBack: false))
                } else {
                    silent.append(t.id)
                }
            }
        }
        self.moves = moves
        self.silentTimers = silent.sorted()
        markLoops()
    }

    /// Rewrites the moves of one parallel block so that its branches run one after another.
    private static func serialise(split: Int, heads: [Int], flow: [[Int]], joins: Set<Int>, closing: Int?,
                                  moves: inout [[Move]]) {
        guard !heads.isEmpty else { return }
        // Distances from `from`, the search going no further than `stop` when given.
        func reach(_ from: Int, stop: Int? = nil) -> [Int: Int] {
            var dist = [from: 0]
            var queue = [from], i = 0
            while i < queue.count {
                let u = queue[i]; i += 1
                if u == stop { continue }
                for v in flow[u] where dist[v] == nil {
                    dist[v] = dist[u]! + 1
                    queue.append(v)
                }
            }
            return dist
        }
        // The block's join is the nearest join every branch reaches. The join the IR pairs
        // with the split is it when every branch reaches it with the search stopped there
        // (each search then covers the block, not the rest of the SOP: linear for a long SOP
        // of many blocks, which searching to the end made quadratic); otherwise every join.
        let join: Int
        if let j = closing, heads.allSatisfy({ reach($0, stop: j)[j] != nil }) {
            join = j
        } else {
            let reached = heads.map { reach($0) }
            let candidates = joins.filter { j in reached.allSatisfy { $0[j] != nil } }
            guard let nearest = candidates.min(by: { (reached[0][$0]!, $0) < (reached[0][$1]!, $1) }) else { return }
            join = nearest
        }
        // The members of each branch: reachable from its head before the join, first branch first.
        var owner: [Int: Int] = [:]
        for (b, head) in heads.enumerated() where head != join {
            var queue = [head], i = 0
            if owner[head] == nil { owner[head] = b }
            while i < queue.count {
                let u = queue[i]; i += 1
                for v in flow[u] where v != join && owner[v] == nil {
                    owner[v] = b
                    queue.append(v)
                }
            }
        }
        let branches = heads.enumerated().filter { $0.element != join }.map(\.offset)
        moves[split] = [Move(from: split, to: branches.first.map { heads[$0] } ?? join, kind: .sequence, isBack: false)]
        for (k, b) in branches.enumerated() where k + 1 < branches.count {
            let nextHead = heads[branches[k + 1]]
            for u in owner.keys.sorted() where owner[u] == b {
                for i in moves[u].indices where moves[u][i].to == join {
                    moves[u][i].to = nextHead
                    if moves[u][i].kind == .sequence { moves[u][i].kind = .nextBranch }
                }
            }
        }
    }

    /// Marks back moves with an iterative depth-first search and records a topological order.
    private mutating func markLoops() {
        let n = graph.nodes.count
        var state = [UInt8](repeating: 0, count: n)   // 0 new, 1 on the stack, 2 done
        var post: [Int] = []
        post.reserveCapacity(n)
        var stack: [(node: Int, next: Int)] = [(0, 0)]
        state[0] = 1
        while let top = stack.last {
            let u = top.node
            if top.next < moves[u].count {
                stack[stack.count - 1].next += 1
                let v = moves[u][top.next].to
                switch state[v] {
                case 0: state[v] = 1; stack.append((v, 0))
                case 1: moves[u][top.next].isBack = true
                default: break
                }
            } else {
                state[u] = 2
                post.append(u)
                stack.removeLast()
            }
        }
        order = post.reversed()
    }

    /// For each node, whether it lies on a cycle of moves (its strongly connected component
    /// has another node, or it moves to itself): a path may pass it more than once.
    package func nodesOnCycles() -> [Bool] {
        // Kosaraju, both passes iterative.
        let n = graph.nodes.count
        var reverse = [[Int]](repeating: [], count: n)
        for u in 0..<n { for m in moves[u] { reverse[m.to].append(u) } }
        var seen = [Bool](repeating: false, count: n)
        var finish: [Int] = []
        for root in 0..<n where !seen[root] {
            seen[root] = true
            var stack: [(Int, Int)] = [(root, 0)]
            while let (u, i) = stack.last {
                if i < moves[u].count {
                    stack[stack.count - 1].1 += 1
                    let v = moves[u][i].to
                    if !seen[v] { seen[v] = true; stack.append((v, 0)) }
                } else {
                    finish.append(u)
                    stack.removeLast()
                }
            }
        }
        var component = [Int](repeating: -1, count: n)
        var size: [Int] = []
        for root in finish.reversed() where component[root] < 0 {
            let c = size.count
            size.append(0)
            component[root] = c
            var stack = [root]
            while let u = stack.popLast() {
                size[c] += 1
                for v in reverse[u] where component[v] < 0 { component[v] = c; stack.append(v) }
            }
        }
        return (0..<n).map { u in size[component[u]] > 1 || moves[u].contains { $0.to == u } }
    }

    /// True for the end nodes (where a path stops).
    package func isEnd(_ node: Int) -> Bool { graph.nodes[node].kind == .end }
}
