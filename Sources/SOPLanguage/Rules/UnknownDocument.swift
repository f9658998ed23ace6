import SOPDiagnostics

/// What a step requires is produced by a step before it (one from which it can be
/// reached) or declared under `inputs:`; near misses get "did you mean".
public struct UnknownDocument: CheckRule {
    public static let name = "unknown-document"
    public static let codes = ["W0502"]
    public static let summary = "A required document is produced upstream or declared as an input."
    public init() {}

    /// How many steps the backward search may visit per requirement before it assumes the
    /// producer is upstream (keeps huge SOPs linear; real SOPs never come near it).
    static let searchBudget = 4096

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        let file = context.file
        let documents = context.documents
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
        // Names for "did you mean", made only when a document is unknown.
        var displayName: [String?] = []
        var candidates: [String] = []
        func prepareSuggestions() {
            guard displayName.isEmpty else { return }
            displayName = [String?](repeating: nil, count: documents.count)
            for step in file.steps {
                for (doc, d) in zip(file.produces(step), documents.produces[step.index]) where displayName[d] == nil { displayName[d] = file.text(doc) }
            }
            for (input, d) in zip(file.inputs, documents.inputs) where displayName[d] == nil { displayName[d] = input.value }
            candidates = (0..<documents.count).filter { displayName[$0] != nil }.map(documents.key).sorted()
        }
        for step in file.steps {
            for (ref, d) in zip(file.requires(step), documents.requires[step.index]) {
                if isInput[d] { continue }
                let from = producers[d]
                if !from.isEmpty, Self.isUpstream(from, of: step.index, predecessors: context.flow.predecessorLists) {
                    continue
                }
                prepareSuggestions()
                let doc = file.located(ref)
                let key = documents.key(d)
                let suggestionKey = NearMiss.best(for: key, among: candidates.filter { $0 != key })
                let suggestion = suggestionKey.flatMap { suggested in
                    (0..<documents.count).first { documents.key($0) == suggested }.flatMap { displayName[$0] }
                }
                let fixes = suggestion.map {
                    [FixIt.replacing(doc.value, at: doc.range, with: $0)]
                } ?? []
                var notes: [Message] = []
                if !from.isEmpty {
                    notes.append(Message(en: "it is produced only by steps that come after this one",
                                         id: "dokumen ini hanya dihasilkan oleh langkah sesudahnya"))
                }
                diagnostics.emit(LanguageMessage.unknownDocument(name: doc.value, suggestion: suggestion)
                    .diagnostic(at: doc.range, notes: notes, fixIts: fixes))
            }
        }
    }

    /// True when one of `producers` can reach `step` (a step may also use what it produced
    /// on an earlier pass through a loop).
    static func isUpstream(_ producers: Adjacency<Int>.Row, of step: Int, predecessors: Adjacency<Int>) -> Bool {
        // Nearly always the producer is a direct predecessor.
        for p in predecessors[step] where producers.contains(p) { return true }
        var seen: Set<Int> = [step]
        var stack = Array(predecessors[step])
        var visited = 0
        while let v = stack.popLast() {
            if producers.contains(v) { return true }
            guard seen.insert(v).inserted else { continue }
            visited += 1
            if visited > searchBudget { return true }
            stack.append(contentsOf: predecessors[v])
        }
        return false
    }
}
