import SOPDiagnostics

/// A produced document is used by a later step, is a declared output, or is produced by a
/// step that ends the process (a final product). Otherwise a note: maybe a name differs.
public struct UnusedOutput: CheckRule {
    public static let name = "unused-output"
    public static let codes = ["N0503"]
    public static let summary = "A produced document is used later or is a final output."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        let file = context.file
        var required = Set(file.outputs.map { DocumentName.key($0.value) })
        for keys in context.requiresKeys { required.formUnion(keys) }
        let end = context.flow.end
        for step in file.steps {
            let isFinal = context.flow.successors[step.index].contains { $0.target == end }
            if isFinal { continue }
            for (doc, key) in zip(step.produces, context.producesKeys[step.index]) where !required.contains(key) {
                diagnostics.emit(LanguageMessage.unusedOutput(doc.value).diagnostic(at: doc.range))
            }
        }
    }
}
