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
        let inputs = Set(file.inputs.map { DocumentName.key($0.value) })
        var producers: [String: [Int]] = [:]
        var displayName: [String: String] = [:]
        for step in file.steps {
            for (doc, key) in zip(step.produces, context.producesKeys[step.index]) {
                producers[key, default: []].append(step.index)
                if displayName[key] == nil { displayName[key] = doc.value }
            }
        }
        for input in file.inputs where displayName[DocumentName.key(input.value)] == nil {
            displayName[DocumentName.key(input.value)] = input.value
        }
        for step in file.steps {
            for (doc, key) in zip(step.requires, context.requiresKeys[step.index]) {
                if inputs.contains(key) { continue }
                if let from = producers[key], Self.isUpstream(from, of: step.index, predecessors: context.flow.predecessorLists) {
                    continue
                }
                let candidates = displayName.keys.sorted()
                let suggestionKey = NearMiss.best(for: key, among: candidates.filter { $0 != key })
                let suggestion = suggestionKey.flatMap { displayName[$0] }
                let fixes = suggestion.map {
                    [FixIt.replacing(doc.value, at: doc.range, with: $0)]
                } ?? []
                var notes: [Message] = []
                if producers[key] != nil {
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
    static func isUpstream(_ producers: [Int], of step: Int, predecessors: [[Int]]) -> Bool {
        // Nearly always the producer is a direct predecessor.
        for p in predecessors[step] where producers.contains(p) { return true }
        var seen: Set<Int> = [step]
        var stack = predecessors[step]
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
