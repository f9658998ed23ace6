import SOPDiagnostics

/// `next`, decision branches, timeout `goto`, and parallel branches and joins name a step id.
public struct UndefinedStepTarget: CheckRule {
    public static let name = "undefined-step-target"
    public static let codes = ["E0302"]
    public static let summary = "Every jump names the id of a step in the file."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        guard context.flow.hasUnresolvedTarget else { return }
        let file = context.file
        let ids = file.steps.compactMap { $0.id.map(file.text) } + ["end"]
        var suggestions = SuggestionBudget()
        func verify(_ ref: TextRef?) {
            guard let ref, context.flow.step(named: ref, in: file) == nil else { return }
            let target = file.located(ref)
            let suggestion = suggestions.suggest { NearMiss.best(for: target.value, among: ids) }
            let fixes = suggestion.map {
                [FixIt.replacing(target.value, at: target.range, with: $0)]
            } ?? []
            diagnostics.emit(LanguageMessage.undefinedStep(name: target.value, suggestion: suggestion)
                .diagnostic(at: target.range, fixIts: fixes))
        }
        for step in file.steps {
            verify(step.next)
            file.decision(step)?.branches.forEach { verify($0.target) }
            file.timeouts(step).forEach { verify($0.target) }
            let parallel = file.parallel(step)
            parallel?.branches.forEach { verify($0) }
            verify(parallel?.join)
        }
    }
}
