import SOPDiagnostics

/// A conditional step (`when`) is skipped when its condition does not hold, so it must go
/// on to one next step: it cannot also be a decision or start parallel branches.
public struct ConditionalStep: CheckRule {
    public static let name = "conditional-step"
    public static let codes = ["E0410"]
    public static let summary = "A conditional step (when) has one way on."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        let file = context.file
        for step in file.steps {
            guard let when = step.when else { continue }
            for (present, key) in [(step.decision != nil, "decision"), (step.parallel != nil, "parallel")] where present {
                diagnostics.emit(LanguageMessage.conditionalBranching(key: key).diagnostic(at: file.range(when)))
            }
        }
    }
}
