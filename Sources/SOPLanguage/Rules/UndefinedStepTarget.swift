import SOPDiagnostics

/// `next`, decision branches, timeout `goto`, and parallel branches and joins name a step id
/// (or an outcome); `end:` names a declared outcome.
public struct UndefinedStepTarget: CheckRule {
    public static let name = "undefined-step-target"
    public static let codes = ["E0302", "E0305"]
    public static let summary = "Every jump names the id of a step in the file."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        guard context.flow.hasUnresolvedTarget else { return }
        // A step whose `id` key is misspelt (`di: selesai`) was reported once, with its fix:
        // the jumps to that id are not a second mistake.
        guard !context.file.misspeltKeys.contains("step.id") else { return }
        let file = context.file
        let ids = file.steps.compactMap { $0.id.map(file.text) } + file.outcomes.map(\.key.value) + ["end"]
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
        let outcomes = file.outcomes.map(\.key.value)
        for step in file.steps {
            if let ref = step.endOutcome, context.flow.outcome(named: ref, in: file) == nil {
                let target = file.located(ref)
                let suggestion = suggestions.suggest { NearMiss.best(for: target.value, among: outcomes) }
                diagnostics.emit(LanguageMessage.undefinedOutcome(name: target.value, suggestion: suggestion)
                    .diagnostic(at: target.range, fixIts: suggestion.map { [FixIt.replacing(target.value, at: target.range, with: $0)] } ?? []))
            }
            verify(step.next)
            file.decision(step)?.branches.forEach { verify($0.target) }
            file.timeouts(step).forEach { verify($0.target) }
            let parallel = file.parallel(step)
            parallel?.branches.forEach { verify($0) }
            verify(parallel?.join)
        }
    }
}
