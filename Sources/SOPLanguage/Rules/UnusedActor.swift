import SOPDiagnostics

/// A declared actor performs at least one step (a swimlane with nothing in it is a warning).
public struct UnusedActor: CheckRule {
    public static let name = "unused-actor"
    public static let codes = ["W0501"]
    public static let summary = "Every declared actor performs a step."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        // One message per mistake: while a step's actor is misspelt (`acter:`) or names no
        // declared actor, which actor it meant is unknown, so "declared but unused" would
        // only repeat that mistake.
        let file = context.file
        if file.misspeltKeys.contains("step.actor") || file.misspeltKeys.contains("steps") { return }
        for step in file.steps where step.actor != nil && context.actorOfStep[step.index] < 0 { return }
        if context.extraActorIndex.contains(-1) { return }
        var used = [Bool](repeating: false, count: context.file.actors.count)
        for a in context.actorOfStep where a >= 0 { used[Int(a)] = true }
        for a in context.extraActorIndex where a >= 0 { used[Int(a)] = true }
        // (A key cannot be declared twice: the reader refuses duplicate keys.)
        for (i, actor) in context.file.actors.enumerated() where !used[i] {
            diagnostics.emit(LanguageMessage.unusedActor(actor.key.value).diagnostic(at: actor.key.range))
        }
    }
}
