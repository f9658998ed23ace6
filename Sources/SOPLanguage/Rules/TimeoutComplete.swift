import SOPDiagnostics

/// A timeout says after how long it fires and where it leads.
public struct TimeoutComplete: CheckRule {
    public static let name = "timeout-complete"
    public static let codes = ["E0406"]
    public static let summary = "A timeout has both after and goto."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        for step in context.file.steps {
            for timeout in step.timeouts {
                if !timeout.hasAfter {
                    diagnostics.emit(LanguageMessage.timeoutIncomplete(missing: "after").diagnostic(at: timeout.range))
                }
                if !timeout.hasTarget {
                    diagnostics.emit(LanguageMessage.timeoutIncomplete(missing: "goto").diagnostic(at: timeout.range))
                }
            }
        }
    }
}
