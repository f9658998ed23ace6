import SOPDiagnostics

/// Every step can be reached from the first one.
public struct UnreachableStep: CheckRule {
    public static let name = "unreachable-step"
    public static let codes = ["E0401"]
    public static let summary = "Every step is reachable from the first step."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        guard !context.flowIsIncomplete else { return }
        guard !context.file.steps.isEmpty else { return }
        let reached = context.flow.reachable(from: [0])
        for step in context.file.steps where !reached[step.index] {
            diagnostics.emit(LanguageMessage.unreachableStep(number: context.number(step.index))
                .diagnostic(at: context.file.start(step), severity: context.flowSeverity))
        }
    }
}
