import SOPDiagnostics

/// A parallel block names its join, and every branch reaches that join.
public struct ParallelJoin: CheckRule {
    public static let name = "parallel-join"
    public static let codes = ["E0407", "E0408"]
    public static let summary = "Parallel branches join, and each branch reaches the join."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        guard !context.flowIsIncomplete else { return }
        for step in context.file.steps {
            guard let parallel = step.parallel else { continue }
            guard let join = parallel.join else {
                diagnostics.emit(LanguageMessage.parallelWithoutJoin.diagnostic(at: parallel.keyRange, severity: context.flowSeverity))
                continue
            }
            guard let joinIndex = context.flow.indexByID[join.value] else { continue }
            for branch in parallel.branches {
                guard let start = context.flow.indexByID[branch.value] else { continue }
                let reached = context.flow.reachable(from: [start])
                if !reached[joinIndex] {
                    diagnostics.emit(LanguageMessage.parallelBranchMissesJoin(branch: branch.value, join: join.value)
                        .diagnostic(at: branch.range, severity: context.flowSeverity))
                }
            }
        }
    }
}
