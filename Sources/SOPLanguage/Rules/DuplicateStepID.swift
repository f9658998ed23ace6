import SOPDiagnostics

/// Two steps with the same `id` make every reference to it ambiguous.
public struct DuplicateStepID: CheckRule {
    public static let name = "duplicate-step-id"
    public static let codes = ["E0303"]
    public static let summary = "Every step id is unique in its file."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        var first: [String: SourceRange] = [:]
        for step in context.file.steps {
            guard let id = step.id else { continue }
            if let earlier = first[id.value] {
                diagnostics.emit(LanguageMessage.duplicateStepID(id.value).diagnostic(
                    at: id.range, labels: [Label(range: earlier, message: Message(en: "first used here", id: "pertama dipakai di sini"))]))
            } else {
                first[id.value] = id.range
            }
        }
    }
}
