import SOPDiagnostics

/// A duration that counts from an event ("sejak diterimanya permohonan") names the step of
/// that event (`duration: {text, from: STEP}`, or `from: start`); otherwise the runtime
/// cannot find the event and counts from the step's own start (a warning). `from` must
/// name a step of the file.
public struct DurationAnchor: CheckRule {
    public static let name = "duration-anchor"
    public static let codes = ["W0505", "E0302"]
    public static let summary = "A duration's anchor is an event the runtime can find."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        let file = context.file
        let flow = context.flow
        let ids = file.steps.compactMap { $0.id.map(file.text) } + ["start"]
        for step in file.steps {
            if let from = step.durationFrom {
                let target = file.located(from)
                if target.value != "start", flow.step(named: from, in: file).map({ $0 == flow.end }) ?? true {
                    let suggestion = NearMiss.best(for: target.value, among: ids)
                    diagnostics.emit(LanguageMessage.undefinedStep(name: target.value, suggestion: suggestion)
                        .diagnostic(at: target.range, fixIts: suggestion.map { [FixIt.replacing(target.value, at: target.range, with: $0)] } ?? []))
                }
                continue
            }
            // Another party's window (`window_of`) sets no deadline of the step: nothing to anchor.
            guard step.durationWindowOf == nil, let duration = step.duration, let anchor = file.duration(duration).since else { continue }
            diagnostics.emit(LanguageMessage.unanchoredDuration(anchor: anchor).diagnostic(at: file.range(duration.text)))
        }
    }
}
