import SOPDiagnostics

/// A produced document is used by a later step, is a declared output, or is produced by a
/// step that ends the process (a final product). Otherwise a note: maybe a name differs.
public struct UnusedOutput: CheckRule {
    public static let name = "unused-output"
    public static let codes = ["N0503"]
    public static let summary = "A produced document is used later or is a final output."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        let documents = context.documents
        var required = [Bool](repeating: false, count: documents.count)
        for d in documents.outputs { required[d] = true }
        for d in documents.requires.items { required[documents.effective(d)] = true }
        let end = context.flow.end
        for step in context.file.steps {
            let isFinal = context.flow.successors[step.index].contains { $0.target == end }
            if isFinal { continue }
            for (doc, d) in zip(context.file.produces(step), documents.produces[step.index]) where !required[d] {
                diagnostics.emit(LanguageMessage.unusedOutput(context.file.text(doc)).diagnostic(at: context.file.range(doc)))
            }
        }
    }
}
