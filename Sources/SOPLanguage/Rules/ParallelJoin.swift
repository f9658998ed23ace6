import SOPDiagnostics

/// A parallel block names its join, and every branch reaches that join.
public struct ParallelJoin: CheckRule {
    public static let name = "parallel-join"
    public static let codes = ["E0407", "E0408"]
    public static let summary = "Parallel branches join, and each branch reaches the join."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        guard !context.flowIsIncomplete else { return }
        let file = context.file
        for parallel in file.parallels {
            guard let join = parallel.join else {
                diagnostics.emit(LanguageMessage.parallelWithoutJoin.diagnostic(at: file.headRange(ofNode: parallel.node), severity: context.flowSeverity))
                continue
            }
            guard let joinIndex = context.flow.step(named: join, in: file) else { continue }
            for branch in parallel.branches {
                guard let start = context.flow.step(named: branch, in: file) else { continue }
                if !context.flow.reaches(joinIndex, from: start) {
                    diagnostics.emit(LanguageMessage.parallelBranchMissesJoin(branch: file.text(branch), join: file.text(join))
                        .diagnostic(at: file.range(branch), severity: context.flowSeverity))
                }
            }
        }
    }
}
