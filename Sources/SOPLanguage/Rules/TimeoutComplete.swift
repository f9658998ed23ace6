import SOPDiagnostics

/// A timeout says after how long it fires and where it leads.
public struct TimeoutComplete: CheckRule {
    public static let name = "timeout-complete"
    public static let codes = ["E0406"]
    public static let summary = "A timeout has both after and goto."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        let file = context.file
        for timeout in file.timeouts {
            if !timeout.hasAfter {
                diagnostics.emit(LanguageMessage.timeoutIncomplete(missing: "after").diagnostic(at: file.headRange(ofNode: timeout.node)))
            }
            if !timeout.hasTarget {
                diagnostics.emit(LanguageMessage.timeoutIncomplete(missing: "goto").diagnostic(at: file.headRange(ofNode: timeout.node)))
            }
        }
    }
}
