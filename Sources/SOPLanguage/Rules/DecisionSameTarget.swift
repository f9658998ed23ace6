import SOPDiagnostics

/// A decision whose branches all lead to the same place decides nothing: one of its
/// answers has lost where the source sends it.
public struct DecisionSameTarget: CheckRule {
    public static let name = "decision-same-target"
    public static let codes = ["W0411"]
    public static let summary = "The branches of a decision do not all lead to the same step."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        let file = context.file
        let flow = context.flow
        for step in file.steps {
            guard let decision = file.decision(step), decision.branches.count >= 2 else { continue }
            // A target: a step index, or `end` with its outcome (-1 for the default end).
            var targets: [(Int, Int)] = []
            for branch in decision.branches {
                guard let t = flow.step(named: branch.target, in: file) else { break }
                targets.append((t, t == flow.end ? flow.outcome(named: branch.target, in: file) ?? -1 : -1))
            }
            guard targets.count == decision.branches.count, let first = targets.first,
                  targets.allSatisfy({ $0 == first }) else { continue }
            diagnostics.emit(LanguageMessage.decisionSameTarget(target: file.text(decision.branches[0].target))
                .diagnostic(at: file.headRange(ofNode: decision.node)))
        }
    }
}
