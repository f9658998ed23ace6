extension ProcessGraph {
    /// For each node, how many arrivals it waits for when it is a parallel join: the branches of
    /// the parallel block(s) it closes (0 for other nodes).
    ///
    /// A branch is followed from its split's edge to the first join it reaches; a nested block on
    /// the way is passed over, from its split to its own join. Counting the join's incoming edges
    /// instead made it wait forever when a branch held a decision, or a conditional step, whose
    /// answers both lead to the join: two edges, one arrival (found by the property tests). A
    /// join no branch is found to reach waits for its incoming edges, as before.
    public func joinBranchCounts() -> [Int] {
        let (joinOf, branches, incoming) = pairedJoins()
        var counts = [Int](repeating: 0, count: nodes.count)
        var paired: Set<Int> = []
        for split in nodes where split.kind == .parallelSplit {
            guard let j = joinOf[split.id] else { continue }
            counts[j] += branches[split.id].count
            paired.insert(j)
        }
        for join in nodes where join.kind == .parallelJoin && !paired.contains(join.id) {
            counts[join.id] = incoming[join.id]
        }
        return counts
    }

    /// For each parallel split, the join that closes its block (nil for other nodes, and for a
    /// split none of whose branches reaches a join): the first join a branch reaches, nested
    /// blocks on the way passed over from their split to their own join. Each branch is
    /// searched only up to that join, so the whole costs about the size of the blocks.
    public func parallelJoins() -> [Int?] { pairedJoins().joinOf }

    private func pairedJoins() -> (joinOf: [Int?], branches: [[Int]], incoming: [Int]) {
        var next = [[Int]](repeating: [], count: nodes.count)
        var incoming = [Int](repeating: 0, count: nodes.count)
        var branches = [[Int]](repeating: [], count: nodes.count)   // a split's parallel targets
        for e in edges where e.kind != .timeout {
            next[e.from].append(e.to)
            incoming[e.to] += 1
            if e.kind == .parallel { branches[e.from].append(e.to) }
        }
        var pairOf: [Int: Int?] = [:]
        var pairing: Set<Int> = []

        func pair(_ split: Int) -> Int? {
            if let known = pairOf[split] { return known }
            guard pairing.insert(split).inserted else { return nil }
            defer { pairing.remove(split) }
            var found: Int?
            for b in branches[split] {
                if let j = firstJoin(from: b) { found = j; break }
            }
            pairOf[split] = found
            return found
        }

        func firstJoin(from start: Int) -> Int? {
            var queue = [start], seen: Set<Int> = [start], i = 0
            while i < queue.count {
                let n = queue[i]; i += 1
                var successors = next[n]
                switch nodes[n].kind {
                case .parallelJoin:
                    return n
                case .parallelSplit:
                    guard let j = pair(n) else { continue }
                    successors = next[j]
                default:
                    break
                }
                for s in successors where seen.insert(s).inserted { queue.append(s) }
            }
            return nil
        }

        var joinOf = [Int?](repeating: nil, count: nodes.count)
        for split in nodes where split.kind == .parallelSplit { joinOf[split.id] = pair(split.id) }
        return (joinOf, branches, incoming)
    }
}
