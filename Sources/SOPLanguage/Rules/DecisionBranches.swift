import SOPDiagnostics

/// A decision has at least two branches, each with its own label.
public struct DecisionBranches: CheckRule {
    public static let name = "decision-branches"
    public static let codes = ["E0404", "E0405"]
    public static let summary = "A decision has two or more branches with distinct labels."
    public init() {}

    public func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        let file = context.file
        for decision in file.decisions {
            if decision.branches.count < 2 {
                diagnostics.emit(LanguageMessage.decisionTooFewBranches(count: decision.branches.count).diagnostic(at: file.headRange(ofNode: decision.node)))
            }
            // Labels compared ignoring case; most decisions have two, so pairs are compared
            // as bytes when both are ASCII, without making a `String`.
            let labels = decision.branches.map(\.label)
            // A decision with very many branches (never a real one) is hashed instead.
            var seen: [String: TextRef] = [:]
            for (k, label) in labels.enumerated() {
                let earlier: TextRef?
                if labels.count <= 16 {
                    earlier = labels[..<k].first(where: { Self.sameLabel($0, label, in: file) })
                } else {
                    let key = file.text(label).lowercased()
                    earlier = seen[key]
                    if earlier == nil { seen[key] = label }
                }
                guard let first = earlier else { continue }
                diagnostics.emit(LanguageMessage.decisionDuplicateLabel(file.text(label)).diagnostic(
                    at: file.range(label), labels: [Label(range: file.range(first), message: Message(en: "first used here", id: "pertama dipakai di sini"))]))
            }
        }
    }

    /// Whether two labels are equal ignoring case.
    static func sameLabel(_ a: TextRef, _ b: TextRef, in file: SOPFile) -> Bool {
        guard file.isASCII(a), file.isASCII(b) else { return file.text(a).lowercased() == file.text(b).lowercased() }
        return file.withBytes(a) { x in
            file.withBytes(b) { y in
                x.count == y.count && zip(x, y).allSatisfy { p, q in p | (p &- 0x41 < 26 ? 0x20 : 0) == q | (q &- 0x41 < 26 ? 0x20 : 0) }
            }
        }
    }
}
