import SOPDiagnostics

/// What a step requires is produced by a step before it (one from which it can be
/// reached) or declared under `inputs:`; near misses get "did you mean".
public struct UnknownDocument: CheckRule {
    public static let name = "unknown-document"
    public static let codes = ["W0502"]
    public static let summary = "A required document is produced upstream or declared as an input."
    public init() {}

    /// How many steps the backward search from one requirement may visit before the
    /// requirement is settled by a forward search from its document's producers instead.
    static let backwardBudget = 256
    /// How many steps all forward searches of a file may visit together; beyond it a
    /// requirement is taken as satisfied (only a deliberately huge file gets there).
    static let forwardBudget = 50_000_000

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        let file = context.file
        let documents = context.documents
        let flow = context.flow
        var isInput = [Bool](repeating: false, count: documents.count)
        for d in documents.inputs { isInput[d] = true }
        // The steps producing each document, in step order (a counting sort of `produces`).
        var offsets = [Int](repeating: 0, count: documents.count + 1)
        for d in documents.produces.items { offsets[d + 1] += 1 }
        for d in 0..<documents.count { offsets[d + 1] += offsets[d] }
        var fill = offsets
        var producingSteps = [Int](repeating: 0, count: documents.produces.items.count)
        for step in 0..<documents.produces.count {
            for d in documents.produces[step] { producingSteps[fill[d]] = step; fill[d] += 1 }
        }
        let producers = Adjacency(offsets: offsets, items: producingSteps)

        // Every requirement that is not an input, in written order, with its verdict.
        struct Need { var step: Int; var ref: TextRef; var document: Int; var verdict: Verdict }
        var needs: [Need] = []
        var search = Search(nodes: flow.end + 1)
        for step in file.steps {
            for (position, printed) in zip(step.requires, documents.requires[step.index]) where !isInput[documents.effective(printed)] {
                // A requirement met by another wording (`satisfied_by`) is about that one.
                let ref = file.satisfiedBy[position] ?? file.mentions[Int(position)]
                let d = documents.effective(printed)
                let from = producers[d]
                let verdict = from.isEmpty ? .unknown
                    : search.backward(from: step.index, producers: from, predecessors: flow.predecessorLists, budget: Self.backwardBudget)
                if verdict != .upstream { needs.append(Need(step: step.index, ref: ref, document: d, verdict: verdict)) }
            }
        }
        // Requirements the backward search could not settle, one forward search per document.
        let unsettled = needs.indices.filter { needs[$0].verdict == .unsure }.sorted { (needs[$0].document, $0) < (needs[$1].document, $1) }
        var budget = Self.forwardBudget
        var k = 0
        while k < unsettled.count {
            let d = needs[unsettled[k]].document
            let complete = search.forward(from: producers[d], successors: flow.successors, budget: &budget)
            while k < unsettled.count, needs[unsettled[k]].document == d {
                let i = unsettled[k]
                needs[i].verdict = !complete || search.stamp[needs[i].step] == search.epoch ? .upstream : .downstream
                k += 1
            }
        }

        // Names for "did you mean", made only when a document is unknown.
        var displayName: [String?] = []
        var candidates = NearMiss.Candidates([])
        var idOfKey: [String: Int] = [:]
        func prepareSuggestions() {
            guard displayName.isEmpty else { return }
            displayName = [String?](repeating: nil, count: documents.count)
            for step in file.steps {
                for (doc, d) in zip(file.produces(step), documents.produces[step.index]) where displayName[d] == nil { displayName[d] = file.text(doc) }
            }
            for (input, d) in zip(file.inputs, documents.inputs) where displayName[d] == nil { displayName[d] = input.value }
            candidates = NearMiss.Candidates((0..<documents.count).filter { displayName[$0] != nil }.map(documents.key).sorted())
            for id in 0..<documents.count where idOfKey[documents.key(id)] == nil { idOfKey[documents.key(id)] = id }
        }
        var suggestions = SuggestionBudget()
        // While a jump names no step the flow is not known: a document "produced only
        // later" may be produced upstream once that one mistake is fixed.
        for need in needs where need.verdict == .unknown || (need.verdict == .downstream && !context.flowIsIncomplete) {
            let suggestion = suggestions.suggest {
                prepareSuggestions()
                let key = documents.key(need.document)
                let suggestionKey = candidates.best(for: key, excluding: key)
                return suggestionKey.flatMap { idOfKey[$0] }.flatMap { displayName[$0] }.flatMap { $0 == file.text(need.ref) ? nil : $0 }
            }
            let doc = file.located(need.ref)
            let fixes = suggestion.map {
                [FixIt.replacing(doc.value, at: doc.range, with: $0)]
            } ?? []
            var notes: [Message] = []
            if need.verdict == .downstream {
                notes.append(Message(en: "it is produced only by steps that come after this one",
                                     id: "dokumen ini hanya dihasilkan oleh langkah sesudahnya"))
            }
            diagnostics.emit(LanguageMessage.unknownDocument(name: doc.value, suggestion: suggestion)
                .diagnostic(at: doc.range, notes: notes, fixIts: fixes))
        }
    }

    /// Whether a required document is available at a step.
    enum Verdict: Equatable {
        /// A producer can reach the step (a step may also use what it produced on an
        /// earlier pass through a loop).
        case upstream
        /// Some step produces it, but none from which this step can be reached.
        case downstream
        /// No step produces it.
        case unknown
        /// The backward search ran out of budget.
        case unsure
    }

    /// Graph searches with one visited array for all of them (a search stamps it with its
    /// own epoch instead of clearing it).
    struct Search {
        var stamp: [Int]
        var epoch = 0
        var stack: [Int] = []

        init(nodes: Int) { stamp = [Int](repeating: 0, count: nodes) }

        /// Looks for a producer among the steps from which `step` can be reached, nearest
        /// first in practice (direct predecessors, then a depth-first walk).
        mutating func backward(from step: Int, producers: Adjacency<Int>.Row, predecessors: Adjacency<Int>, budget: Int) -> Verdict {
            for p in predecessors[step] where Self.contains(producers, p) { return .upstream }
            epoch += 1
            stamp[step] = epoch
            stack.removeAll(keepingCapacity: true)
            stack.append(contentsOf: predecessors[step])
            var visited = 0
            while let v = stack.popLast() {
                if Self.contains(producers, v) { return .upstream }
                if stamp[v] == epoch { continue }
                stamp[v] = epoch
                visited += 1
                if visited > budget { return .unsure }
                stack.append(contentsOf: predecessors[v])
            }
            return .downstream
        }

        /// Stamps every step reachable from `producers` by at least one edge with a new
        /// epoch; false when the budget ran out first.
        mutating func forward(from producers: Adjacency<Int>.Row, successors: Adjacency<FlowGraph.Edge>, budget: inout Int) -> Bool {
            epoch += 1
            stack.removeAll(keepingCapacity: true)
            var pending = producers.makeIterator()
            // Producers are expanded first (stamped only if an edge reaches them), then
            // every step the first time an edge reaches it.
            while let v = pending.next() ?? stack.popLast() {
                budget -= 1
                if budget < 0 { return false }
                for e in successors[v] where stamp[e.target] != epoch {
                    stamp[e.target] = epoch
                    stack.append(e.target)
                }
            }
            return true
        }

        /// Binary search in a sorted row.
        static func contains(_ row: Adjacency<Int>.Row, _ v: Int) -> Bool {
            var lo = 0, hi = row.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if row[mid] < v { lo = mid + 1 } else { hi = mid }
            }
            return lo < row.count && row[lo] == v
        }
    }
}
