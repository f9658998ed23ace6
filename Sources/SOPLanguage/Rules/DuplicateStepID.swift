import SOPDiagnostics

/// Two steps with the same `id` make every reference to it ambiguous.
public struct DuplicateStepID: CheckRule {
    public static let name = "duplicate-step-id"
    public static let codes = ["E0303"]
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
    }
}
