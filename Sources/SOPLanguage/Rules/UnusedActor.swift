import SOPDiagnostics

/// A declared actor performs at least one step (a swimlane with nothing in it is a warning).
public struct UnusedActor: CheckRule {
    public static let name = "unused-actor"
    public static let codes = ["W0501"]
    public static let summary = "Every declared actor performs a step."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        let used = Set(context.file.steps.compactMap { $0.actor?.value })
        for actor in context.file.actors where !used.contains(actor.key.value) {
            diagnostics.emit(LanguageMessage.unusedActor(actor.key.value).diagnostic(at: actor.key.range))
        }
    }
}
