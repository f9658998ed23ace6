import SOPDiagnostics

/// Two steps with the same `id`, or an outcome named like a step, make every reference to it ambiguous.
public struct DuplicateStepID: CheckRule {
    public static let name = "duplicate-step-id"
    public static let codes = ["E0303", "E0304"]
    public static let summary = "Every step id is unique in its file."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        let steps = context.file.steps
        let first = context.flow.firstWithSameID
        for step in steps where first[step.index] >= 0 && first[step.index] != step.index {
            guard let id = step.id, let earlier = steps[first[step.index]].id else { continue }
            let file = context.file
            diagnostics.emit(LanguageMessage.duplicateStepID(file.text(id)).diagnostic(
                at: file.range(id), labels: [Label(range: file.range(earlier), message: Message(en: "first used here", id: "pertama dipakai di sini"))]))
        }
        // An outcome id that is also a step id: a jump to it would be ambiguous.
        let file = context.file
        for outcome in file.outcomes {
            guard let step = context.flow.step(named: outcome.ref, in: file), step != context.flow.end, let id = steps[step].id else { continue }
            diagnostics.emit(LanguageMessage.outcomeClashesWithStep(outcome.key.value).diagnostic(
                at: outcome.key.range, labels: [Label(range: file.range(id), message: Message(en: "the step's id", id: "id langkah"))]))
        }
    }
}
