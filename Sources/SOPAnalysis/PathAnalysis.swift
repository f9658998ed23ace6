import SOPIR

/// Something a training path can take, and that a set of paths should take at least once.
public enum PathElement: Hashable, Comparable, Sendable {
    /// A step (a row of the SOP table): its node.
    case step(Int)
    /// A decision's branch, the ya / tidak of a conditional step included: its IR edge index.
    case branch(Int)
    /// A timer that fires: its index in `ProcessGraph.timers`.
    case timer(Int)
    /// An end of the process (a named outcome or the default end): its node.
    case outcome(Int)
}

/// One way a case goes through an SOP, from the start to an end.
public struct TrainingPath: Hashable, Sendable {
    /// One node the case passes, and how it leaves it.
    public struct Hop: Hashable, Sendable {
        public enum Exit: Hashable, Sendable {
            /// The next step in order (or `next:`).
            case next
            /// A decision's branch (IR edge index, label).
            case branch(edge: Int, label: String)
            /// A timer fired (index into `timers`): the step did not finish in time.
            case timer(Int)
            /// A parallel branch is done; the next one follows.
            case nextBranch
        }
        public var node: Int
        /// Nil on the end node.
        public var exit: Exit?
        /// The exit goes back to an earlier node (a loop).
        public var loopsBack: Bool
    }

    public var hops: [Hop]
    /// The end node reached.
    public var end: Int { hops.last?.node ?? 0 }

    /// Every element the path takes, in order of first appearance.
    public func elements(in graph: ProcessGraph) -> [PathElement] {
        var seen = Set<PathElement>(), out: [PathElement] = []
        func add(_ e: PathElement) { if seen.insert(e).inserted { out.append(e) } }
        for hop in hops {
            let node = graph.nodes[hop.node]
            if node.isStep { add(.step(hop.node)) }
            if node.kind == .end { add(.outcome(hop.node)) }
            switch hop.exit {
            case let .branch(edge, _)?: add(.branch(edge))
            case let .timer(t)?: add(.timer(t))
            default: break
            }
        }
        return out
    }

    /// The activity nodes (steps and conditions) the case passes, in order.
    public var activities: [Int] { hops.map(\.node) }
}

/// The paths of one SOP: a covering set (`cover`) or every path up to a limit (`all`), each
/// with its duration range; read from the IR only.
///
/// **How the cover is chosen** (greedy set cover over paths found without listing them):
/// every step, branch (the ya / tidak of conditional steps too), firing timer and end is an
/// element to cover. Each round picks the path that takes the most elements not yet taken:
/// a longest-path dynamic programme over the graph without its loop moves gives the best
/// loop-free path and, for each loop move, the best path that takes it (best way to its
/// source, the loop move, best way on to an end; where only further loops lead to an end,
/// the shortest way). The round's path is added and its elements marked; rounds go on until
/// every element that can be taken is. Each round costs time linear in the graph, and there
/// are at most as many rounds as elements, so the cost never depends on how many paths the
/// SOP has. Greedy set cover is within a factor ln(elements) of the fewest paths;
/// `lowerBound` says how many paths any cover needs, so a cover of that size is the fewest.
/// Every path takes each loop at most once. The paths are then listed shortest
/// first, so that the plain course comes before its detours.
public struct PathAnalysis: Sendable {
    public let graph: ProcessGraph
    let g: PathGraph
    /// Each reachable node's place in `g.order` (-1 when the start does not reach it).
    let position: [Int]
    /// The loop moves whose target comes before their source in `g.order`, by source node.
    let loopsAt: [[PathGraph.Move]]
    /// Per loop move: the nodes a way forward from its target back to its source can pass
    /// (reachable from the target without passing the source), in topological order.
    let regions: [PathGraph.Move: [Int]]

    public init(_ graph: ProcessGraph) {
        self.graph = graph
        let g = PathGraph(graph)
        self.g = g
        var position = [Int](repeating: -1, count: graph.nodes.count)
        for (i, u) in g.order.enumerated() { position[u] = i }
        self.position = position
        loopsAt = g.moves.map { moves in moves.filter { $0.isBack && position[$0.to] >= 0 && position[$0.to] <= position[$0.from] } }
        var regions: [PathGraph.Move: [Int]] = [:]
        var mark = [Int](repeating: -1, count: graph.nodes.count)
        var stamp = 0
        for loops in loopsAt {
            for loop in loops {
                stamp += 1
                let last = position[loop.from]
                var found = [loop.to], i = 0
                mark[loop.to] = stamp
                while i < found.count {
                    let u = found[i]; i += 1
                    if u == loop.from { continue }
                    for m in g.moves[u] where !m.isBack && mark[m.to] != stamp && position[m.to] >= 0 && position[m.to] <= last {
                        mark[m.to] = stamp
                        found.append(m.to)
                    }
                }
                regions[loop] = found.sorted { position[$0] < position[$1] }
            }
        }
        self.regions = regions
    }

    /// How many loop moves (moves back to a node on the search stack) the SOP has.
    public var loopCount: Int { g.moves.reduce(0) { $0 + $1.filter(\.isBack).count } }

    /// How many nodes the detours of all loops look at, together (work per round besides the graph).
    public var loopRegionSize: Int { regions.values.reduce(0) { $0 + $1.count } }

    /// Timers that can never fire, because another timer of the same step always fires first.
    public var silentTimers: [Int] { g.silentTimers }

    /// Every element a set of paths should take: the steps, branches, firing timers and ends
    /// reachable from the start, in node order.
    public var elements: [PathElement] {
        var out: [PathElement] = []
        let reachable = Set(g.order)
        for id in g.order.sorted() {
            let node = graph.nodes[id]
            if node.isStep { out.append(.step(id)) }
            if node.kind == .end { out.append(.outcome(id)) }
            for m in g.moves[id] where reachable.contains(m.to) {
                switch m.kind {
                case let .branch(edge): out.append(.branch(edge))
                case let .timer(t): out.append(.timer(t))
                default: break
                }
            }
        }
        return out
    }

    /// How many paths every cover needs at least: a path reaches one end, by one last move,
    /// and at a node it passes at most once (on no loop) it takes one of its branches and
    /// timers; so the largest of the number of ends, of the branches and timers that lead
    /// straight to an end, and of the branches and timers of such a node.
    public var lowerBound: Int {
        let targets = Set(elements)
        let ends = targets.filter { if case .outcome = $0 { return true } else { return false } }.count
        let cyclic = g.nodesOnCycles()
        var widest = 0
        for u in g.order where !cyclic[u] {
            let exits = g.moves[u].filter { m in
                switch m.kind {
                case let .branch(edge): return targets.contains(.branch(edge))
                case let .timer(t): return targets.contains(.timer(t))
                default: return false
                }
            }.count
            widest = max(widest, exits)
        }
        // A path ends by one move: the branches and timers that lead straight to an end each
        // need a path of their own.
        var finals = 0
        for u in g.order {
            for m in g.moves[u] where g.isEnd(m.to) {
                switch m.kind {
                case let .branch(edge): if targets.contains(.branch(edge)) { finals += 1 }
                case let .timer(t): if targets.contains(.timer(t)) { finals += 1 }
                default: break
                }
            }
        }
        return max(ends, widest, finals, targets.isEmpty ? 0 : 1)
    }

    // MARK: Cover

    /// The result of `cover()`: the paths, and the elements no path can take (a step no end
    /// can be reached from, for instance), which a checked SOP does not have.
    public struct Cover: Sendable {
        public var paths: [TrainingPath]
        public var uncoverable: [PathElement]
    }

    /// The fewest paths (greedy; see the type's comment) that together take every element.
    public func cover() -> Cover {
        let targets = elements
        var uncovered = Set(targets)
        var paths: [TrainingPath] = []
        var impossible: [PathElement] = []
        while !uncovered.isEmpty {
            let weights = Weights(uncovered: uncovered, graph: graph)
            var best = bestPath(weights)
            let gain = best.map { Set($0.elements(in: graph)).intersection(uncovered).count } ?? 0
            if gain == 0 {
                // Fall back on a path through the first element still open.
                let element = targets.first { uncovered.contains($0) }!
                guard let path = path(through: element, weights) else {
                    uncovered.remove(element)
                    impossible.append(element)
                    continue
                }
                best = path
            }
            guard let path = best else { break }
            for e in path.elements(in: graph) { uncovered.remove(e) }
            paths.append(path)
        }
        // Shorter paths first (the plain course before its detours); ties keep the greedy order.
        let ordered = paths.enumerated().sorted { ($0.element.hops.count, $0.offset) < ($1.element.hops.count, $1.offset) }.map(\.element)
        return Cover(paths: ordered, uncoverable: impossible.sorted())
    }

    /// What is not taken yet, as flags the dynamic programme reads in constant time.
    struct Weights {
        let uncovered: Set<PathElement>
        var nodes: [Bool]
        var edges: [Bool]
        var timers: [Bool]
        init(uncovered: Set<PathElement>, graph: ProcessGraph) {
            self.uncovered = uncovered
            nodes = .init(repeating: false, count: graph.nodes.count)
            edges = .init(repeating: false, count: graph.edges.count)
            timers = .init(repeating: false, count: graph.timers.count)
            for e in uncovered {
                switch e {
                case let .step(n), let .outcome(n): nodes[n] = true
                case let .branch(i): edges[i] = true
                case let .timer(t): timers[t] = true
                }
            }
        }
        func node(_ graph: ProcessGraph, _ id: Int) -> Int { nodes[id] ? 1 : 0 }
        func move(_ m: PathGraph.Move) -> Int {
            switch m.kind {
            case let .branch(edge): return edges[edge] ? 1 : 0
            case let .timer(t): return timers[t] ? 1 : 0
            default: return 0
            }
        }
    }

    /// Longest-path tables over the forward moves: `fwd[v]` the most weight on a way from the
    /// start to `v` (with `pred` to rebuild it), `bwd[v]` the most from `v` to an end (with
    /// `succ`); `Int.min` where there is no way.
    struct Tables {
        var fwd: [Int], pred: [PathGraph.Move?]
        var bwd: [Int], succ: [PathGraph.Move?]
        /// The loops worth a detour, by their source: the case goes back along the loop move
        /// and forward again to its source (the best way), then leaves it another way.
        var detours: [[PathGraph.Move]]
        var nodeWeight: [Int]
        var weights: Weights
    }

    func tables(_ w: Weights) -> Tables {
        let n = graph.nodes.count
        var t = Tables(fwd: .init(repeating: Int.min, count: n), pred: .init(repeating: nil, count: n),
                       bwd: .init(repeating: Int.min, count: n), succ: .init(repeating: nil, count: n),
                       detours: .init(repeating: [], count: n), nodeWeight: [], weights: w)
        let nodeWeight = (0..<n).map { w.node(graph, $0) }
        t.nodeWeight = nodeWeight
        // What a detour round each loop would take that is not taken yet.
        var extra = [Int](repeating: 0, count: n)
        for u in g.order where !loopsAt[u].isEmpty {
            for loop in loopsAt[u] {
                guard let (score, _) = loopBack(loop, nodeWeight: nodeWeight, w) else { continue }
                let gain = w.move(loop) + score - nodeWeight[u]
                if gain > 0 { extra[u] += gain; t.detours[u].append(loop) }
            }
        }
        t.fwd[0] = nodeWeight[0]
        for u in g.order where t.fwd[u] != Int.min {
            for m in g.moves[u] where !m.isBack {
                let score = t.fwd[u] + w.move(m) + nodeWeight[m.to]
                if score > t.fwd[m.to] { t.fwd[m.to] = score; t.pred[m.to] = m }
            }
        }
        for u in g.order.reversed() {
            if g.isEnd(u) { t.bwd[u] = nodeWeight[u]; continue }
            for m in g.moves[u] where !m.isBack && t.bwd[m.to] != Int.min {
                let score = nodeWeight[u] + extra[u] + w.move(m) + t.bwd[m.to]
                if score > t.bwd[u] { t.bwd[u] = score; t.succ[u] = m }
            }
        }
        return t
    }

    /// The best way forward from a loop move's target back to its source: its weight (the
    /// target's and the source's included) and its moves. Only the nodes between the two in
    /// topological order are looked at.
    func loopBack(_ loop: PathGraph.Move, nodeWeight: [Int], _ w: Weights) -> (Int, [PathGraph.Move])? {
        guard let region = regions[loop] else { return nil }
        var score = [Int: Int](minimumCapacity: region.count)
        var pred: [Int: PathGraph.Move] = [:]
        score[loop.to] = nodeWeight[loop.to]
        let last = position[loop.from]
        for u in region {
            guard let su = score[u], u != loop.from else { continue }
            for m in g.moves[u] where !m.isBack && position[m.to] <= last && position[m.to] > position[u] {
                let v = su + w.move(m) + nodeWeight[m.to]
                if v > score[m.to] ?? Int.min { score[m.to] = v; pred[m.to] = m }
            }
        }
        guard let total = score[loop.from] else { return nil }
        var moves: [PathGraph.Move] = []
        var v = loop.from
        while v != loop.to, let m = pred[v] { moves.append(m); v = m.from }
        return (total, moves.reversed())
    }

    /// The round's best path: the best loop-free one, or the best through one loop move.
    func bestPath(_ w: Weights) -> TrainingPath? {
        let t = tables(w)
        var bestScore = t.bwd[0] == Int.min ? Int.min : t.bwd[0]
        var bestLoop: PathGraph.Move?
        for u in g.order where t.fwd[u] != Int.min {
            for m in g.moves[u] where m.isBack {
                let suffix = t.bwd[m.to] == Int.min ? 0 : t.bwd[m.to]
                let score = t.fwd[u] + w.move(m) + suffix
                if score > bestScore { bestScore = score; bestLoop = m }
            }
        }
        guard bestScore != Int.min else { return nil }
        if let loop = bestLoop {
            return assemble(prefix: prefix(to: loop.from, t), via: loop, suffixFrom: loop.to, t)
        }
        return assemble(prefix: [], via: nil, suffixFrom: 0, t)
    }

    /// A path that takes `element`: the best way to it, then the best (or shortest) way on.
    func path(through element: PathElement, _ w: Weights) -> TrainingPath? {
        let t = tables(w)
        let node: Int, move: PathGraph.Move?
        switch element {
        case let .step(id), let .outcome(id):
            node = id; move = nil
        case let .branch(edge):
            guard let m = g.moves[graph.edges[edge].from].first(where: { $0.kind == .branch(edge: edge) }) else { return nil }
            node = m.from; move = m
        case let .timer(id):
            guard let m = g.moves[graph.timers[id].node].first(where: { $0.kind == .timer(id) }) else { return nil }
            node = m.from; move = m
        }
        guard t.fwd[node] != Int.min else { return nil }
        let before = prefix(to: node, t)
        if let move { return assemble(prefix: before, via: move, suffixFrom: move.to, t) }
        if g.isEnd(node) { return TrainingPath(hops: before.map(hop) + [.init(node: node, exit: nil, loopsBack: false)]) }
        return assemble(prefix: before, via: nil, suffixFrom: node, t)
    }

    /// The moves of the best way from the start to `node` (forward moves only).
    func prefix(to node: Int, _ t: Tables) -> [PathGraph.Move] {
        var out: [PathGraph.Move] = []
        var v = node
        while let m = t.pred[v] { out.append(m); v = m.from }
        return out.reversed()
    }

    /// The moves of the way on from `node` to an end: the best forward one, or else the
    /// shortest over all moves (each loop once, since a shortest way repeats no node).
    func suffix(from node: Int, _ t: Tables, used: inout Set<PathGraph.Move>) -> [PathGraph.Move]? {
        if t.bwd[node] != Int.min {
            var out: [PathGraph.Move] = []
            var v = node
            while !g.isEnd(v), let m = t.succ[v] {
                for loop in t.detours[v] where !used.contains(loop) {
                    guard let (_, back) = loopBack(loop, nodeWeight: t.nodeWeight, t.weights) else { continue }
                    used.insert(loop)
                    out.append(loop)
                    out += back
                }
                out.append(m); v = m.to
            }
            return out
        }
        var via = [PathGraph.Move?](repeating: nil, count: graph.nodes.count)
        var seen = [Bool](repeating: false, count: graph.nodes.count)
        seen[node] = true
        var queue = [node], i = 0
        while i < queue.count {
            let u = queue[i]; i += 1
            if g.isEnd(u) {
                var out: [PathGraph.Move] = []
                var v = u
                while let m = via[v] { out.append(m); v = m.from }
                return out.reversed()
            }
            for m in g.moves[u] where !seen[m.to] { seen[m.to] = true; via[m.to] = m; queue.append(m.to) }
        }
        return nil
    }

    func hop(_ m: PathGraph.Move) -> TrainingPath.Hop {
        let exit: TrainingPath.Hop.Exit
        switch m.kind {
        case .sequence: exit = .next
        case let .branch(edge): exit = .branch(edge: edge, label: graph.edges[edge].label ?? "")
        case let .timer(t): exit = .timer(t)
        case .nextBranch: exit = .nextBranch
        }
        return .init(node: m.from, exit: exit, loopsBack: m.isBack)
    }

    func assemble(prefix: [PathGraph.Move], via: PathGraph.Move?, suffixFrom node: Int, _ t: Tables) -> TrainingPath? {
        var used = Set(prefix.filter(\.isBack) + (via.map { [$0] } ?? []))
        guard let rest = suffix(from: node, t, used: &used) else { return nil }
        let moves = prefix + (via.map { [$0] } ?? []) + rest
        let last = moves.last?.to ?? node
        guard g.isEnd(last) else { return nil }
        return TrainingPath(hops: moves.map(hop) + [.init(node: last, exit: nil, loopsBack: false)])
    }

    // MARK: All

    /// The result of `all(limit:)`.
    public struct Listing: Sendable {
        public var paths: [TrainingPath]
        /// The limit stopped the list: there are more paths.
        public var isCut: Bool
        /// The search's work budget stopped it before the limit (a huge graph).
        public var budgetSpent: Bool
        /// The number of paths that take no loop (a lower bound of all paths); may be
        /// `.infinity` when it exceeds a Double.
        public var loopFreeCount: Double
    }

    /// Every path, each loop taken at most once, in depth-first order (moves as written), up
    /// to `limit` paths; the search also stops after `budget` moves.
    public func all(limit: Int, budget: Int = 2_000_000) -> Listing {
        var paths: [TrainingPath] = []
        var usedBack = Set<PathGraph.Move>()
        var stack: [(node: Int, next: Int)] = [(0, 0)]
        var taken: [PathGraph.Move] = []
        var work = 0, cut = false, spent = false
        search: while let top = stack.last {
            let u = top.node
            if g.isEnd(u) {
                if paths.count == limit { cut = true; break search }
                paths.append(TrainingPath(hops: taken.map(hop) + [.init(node: u, exit: nil, loopsBack: false)]))
                stack.removeLast()
                if let m = taken.popLast(), m.isBack { usedBack.remove(m) }
                continue
            }
            work += 1
            if work > budget { spent = true; break search }
            if top.next < g.moves[u].count {
                stack[stack.count - 1].next += 1
                let m = g.moves[u][top.next]
                if m.isBack {
                    if usedBack.contains(m) { continue }
                    usedBack.insert(m)
                }
                taken.append(m)
                stack.append((m.to, 0))
            } else {
                stack.removeLast()
                if let m = taken.popLast(), m.isBack { usedBack.remove(m) }
            }
        }
        // Loop-free paths, counted over the forward moves.
        var count = [Double](repeating: 0, count: graph.nodes.count)
        for u in g.order.reversed() {
            if g.isEnd(u) { count[u] = 1; continue }
            for m in g.moves[u] where !m.isBack { count[u] += count[m.to] }
        }
        return Listing(paths: paths, isCut: cut, budgetSpent: spent, loopFreeCount: count[0])
    }
}
