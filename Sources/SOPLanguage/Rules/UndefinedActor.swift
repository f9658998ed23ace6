import SOPDiagnostics

/// Every step's `actor` names an actor declared under `actors:`.
public struct UndefinedActor: CheckRule {
    public static let name = "undefined-actor"
    public static let codes = ["E0301"]
    public static let summary = "A step's actor is declared under actors."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        let declared = context.file.actors.map(\.key.value)
        for step in context.file.steps {
            guard let ref = step.actor, context.actorOfStep[step.index] < 0 else { continue }
            let actor = context.file.located(ref)
            // Near misses by key, or the actor's display name written instead of its key.
            let byName = context.file.actors.first { $0.name.map { DocumentName.key($0.value) } == DocumentName.key(actor.value) }?.key.value
            let suggestion = byName ?? NearMiss.best(for: actor.value, among: declared)
            let fixes = suggestion.map {
                [FixIt.replacing(actor.value, at: actor.range, with: $0)]
            } ?? []
            let notes = declared.isEmpty ? [] : [Message(en: "declared actors: \(declared.joined(separator: ", "))",
                                                         id: "pelaksana yang dideklarasikan: \(declared.joined(separator: ", "))")]
            diagnostics.emit(LanguageMessage.undefinedActor(name: actor.value, suggestion: suggestion)
                .diagnostic(at: actor.range, notes: notes, fixIts: fixes))
        }
    }
}
