import SOPDiagnostics

/// Every step's `actor` (each of `actor: [a, b]`, and a duration's `window_of`) names an
/// actor declared under `actors:`.
public struct UndefinedActor: CheckRule {
    public static let name = "undefined-actor"
    public static let codes = ["E0301"]
    public static let summary = "A step's actor is declared under actors."
    public init() {}

    /// How many declared actors the note lists.
    static let listedActors = 20

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        // `actros:` was reported once, with its fix: not again at every step's actor.
        guard !context.file.misspeltKeys.contains("actors") else { return }
        let actors = context.file.actors
        let declared = actors.map(\.key.value)
        // Made once, at the first undefined actor.
        var nameKeys: [String?]?
        var notes: [Message]?
        var suggestions = SuggestionBudget()
        var undefined: [TextRef] = []
        for step in context.file.steps {
            if let ref = step.actor, context.actorOfStep[step.index] < 0 { undefined.append(ref) }
            for k in step.extraActors where context.extraActorIndex[Int(k)] < 0 { undefined.append(context.file.extraActors[Int(k)]) }
            if let ref = step.durationWindowOf, context.windowOfStep[step.index] < 0 { undefined.append(ref) }
        }
        for ref in undefined {
            let actor = context.file.located(ref)
            if notes == nil {
                notes = []
                if !declared.isEmpty {
                    let shown = declared.prefix(Self.listedActors).joined(separator: ", ")
                    let more = declared.count - min(declared.count, Self.listedActors)
                    notes = [Message(en: "declared actors: \(shown)" + (more > 0 ? " and \(more) more" : ""),
                                     id: "pelaksana yang dideklarasikan: \(shown)" + (more > 0 ? " dan \(more) lainnya" : ""))]
                }
            }
            let suggestion = suggestions.suggest {
                // Near misses by key, or the actor's display name written instead of its key.
                let keys = nameKeys ?? actors.map { $0.name.map { DocumentName.key($0.value) } }
                nameKeys = keys
                let key = DocumentName.key(actor.value)
                return keys.firstIndex { $0 == key }.map { declared[$0] } ?? NearMiss.best(for: actor.value, among: declared)
            }
            let fixes = suggestion.map { [FixIt.replacing(actor.value, at: actor.range, with: $0)] } ?? []
            diagnostics.emit(LanguageMessage.undefinedActor(name: actor.value, suggestion: suggestion)
                .diagnostic(at: actor.range, notes: notes ?? [], fixIts: fixes))
        }
    }
}
