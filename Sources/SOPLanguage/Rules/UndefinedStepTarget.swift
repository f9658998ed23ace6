import SOPDiagnostics

/// `next`, decision branches, timeout `goto`, and parallel branches and joins name a step id.
public struct UndefinedStepTarget: CheckRule {
    public static let name = "undefined-step-target"
    public static let codes = ["E0302"]
    public static let summary = "Every jump names the id of a step in the file."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        guard context.flow.hasUnresolvedTarget else { return }
        let ids = context.file.steps.compactMap { $0.id?.value } + ["end"]
        func verify(_ target: Located<String>?) {
            guard let target, context.flow.indexByID[target.value] == nil else { return }
            let suggestion = NearMiss.best(for: target.value, among: ids)
            let fixes = suggestion.map {
                [FixIt.replacing(target.value, at: target.range, with: $0)]
            } ?? []
            diagnostics.emit(LanguageMessage.undefinedStep(name: target.value, suggestion: suggestion)
                .diagnostic(at: target.range, fixIts: fixes))
        }
        for step in context.file.steps {
            verify(step.next)
            step.decision?.branches.forEach { verify($0.target) }
            step.timeouts.forEach { verify($0.target) }
            step.parallel?.branches.forEach { verify($0) }
            verify(step.parallel?.join)
        }
    }
}
