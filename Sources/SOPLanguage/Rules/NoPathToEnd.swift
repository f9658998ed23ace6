import SOPDiagnostics

/// From every reachable step the process can still reach an end. Steps caught in a loop
/// are reported once, by `CycleWithoutExit`.
public struct NoPathToEnd: CheckRule {
    public static let name = "no-path-to-end"
    public static let codes = ["E0402"]
    public static let summary = "Every step can reach an end."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        guard !context.flowIsIncomplete else { return }
        guard !context.file.steps.isEmpty else { return }
        let flow = context.flow
        let reachesEnd = flow.canReach([flow.end])
        let reached = flow.reachable(from: [0])
        guard context.file.steps.indices.contains(where: { reached[$0] && !reachesEnd[$0] }) else { return }
        let inLoops = Set(CycleWithoutExit.trappedLoops(flow, reachesEnd: reachesEnd).joined())
        for step in context.file.steps where reached[step.index] && !reachesEnd[step.index] && !inLoops.contains(step.index) {
            // Report only where the dead end starts: a step none of whose successors is also stuck.
            let stuckSuccessor = flow.successors[step.index].contains { $0.target < flow.end && !reachesEnd[$0.target] && !inLoops.contains($0.target) }
            if stuckSuccessor { continue }
            diagnostics.emit(LanguageMessage.noPathToEnd(number: context.number(step.index))
                .diagnostic(at: context.head(step), severity: context.flowSeverity))
        }
    }
}
