import SOPDiagnostics

/// A decision has at least two branches, each with its own label.
public struct DecisionBranches: CheckRule {
    public static let name = "decision-branches"
    public static let codes = ["E0404", "E0405"]
    public static let summary = "A decision has two or more branches with distinct labels."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        for step in context.file.steps {
            guard let decision = step.decision else { continue }
            if decision.branches.count < 2 {
                diagnostics.emit(LanguageMessage.decisionTooFewBranches(count: decision.branches.count).diagnostic(at: decision.keyRange))
            }
            var seen: [String: SourceRange] = [:]
            for branch in decision.branches {
                let key = branch.label.value.lowercased()
                if let first = seen[key] {
                    diagnostics.emit(LanguageMessage.decisionDuplicateLabel(branch.label.value).diagnostic(
                        at: branch.label.range, labels: [Label(range: first, message: Message(en: "first used here", id: "pertama dipakai di sini"))]))
                } else {
                    seen[key] = branch.label.range
                }
            }
        }
    }
}
