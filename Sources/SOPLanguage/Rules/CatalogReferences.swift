import SOPDiagnostics

/// When a folder is checked, `call:` and `related` ids name SOPs of the catalogue.
public struct CatalogReferences: CheckRule {
    public static let name = "catalog-references"
    public static let codes = ["E0601", "E0602"]
    public static let summary = "Calls and related ids name SOPs in the catalogue."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        guard let catalog = context.catalog else { return }
        // Sorted only when some reference is missing: a folder of a thousand SOPs must not
        // sort its ids once per file.
        var sorted: [String]?
        func known() -> [String] {
            if let sorted { return sorted }
            let all = catalog.sorted()
            sorted = all
            return all
        }
        func fixes(_ target: Located<String>, _ suggestion: String?) -> [FixIt] {
            suggestion.map { [FixIt.replacing(target.value, at: target.range, with: $0)] } ?? []
        }
        func nearest(_ id: String) -> String? {
            // Compare the last path segment first: most typos are in the SOP's own name.
            NearMiss.best(for: id, among: known()) ?? known().first { $0.split(separator: "/").last == id.split(separator: "/").last }
        }
        for step in context.file.steps {
            guard let ref = step.call else { continue }
            let call = context.file.located(ref)
            guard !catalog.contains(call.value) else { continue }
            let suggestion = nearest(call.value)
            diagnostics.emit(LanguageMessage.missingCallTarget(id: call.value, suggestion: suggestion)
                .diagnostic(at: call.range, fixIts: fixes(call, suggestion)))
        }
        for related in context.file.related {
            guard let id = related.id, !catalog.contains(id.value) else { continue }
            let suggestion = nearest(id.value)
            diagnostics.emit(LanguageMessage.missingRelated(id: id.value, suggestion: suggestion)
                .diagnostic(at: id.range, fixIts: fixes(id, suggestion)))
        }
    }
}
