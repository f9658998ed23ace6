import SOPDiagnostics

/// A step says where it goes at most once: `decision`, `next`, `parallel` or `end`.
public struct FlowConflict: CheckRule {
    public static let name = "flow-conflict"
    public static let codes = ["E0409"]
    public static let summary = "A step has at most one of decision, next, parallel and end."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        for step in context.file.steps {
            let ways = (step.decision != nil ? 1 : 0) + (step.next != nil ? 1 : 0) + (step.parallel != nil ? 1 : 0) + (step.isEnd ? 1 : 0)
            guard ways > 1 else { continue }
            var keys: [String] = []
            if step.decision != nil { keys.append("decision") }
            if step.next != nil { keys.append("next") }
            if step.parallel != nil { keys.append("parallel") }
            if step.isEnd { keys.append("end") }
            if keys.count > 1 {
                diagnostics.emit(LanguageMessage.conflictingFlow(keys: keys).diagnostic(at: context.head(step)))
            }
        }
    }
}
