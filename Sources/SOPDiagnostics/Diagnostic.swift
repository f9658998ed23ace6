/// How serious a diagnostic is. Errors fail `sop check`; warnings fail it with `--strict`.
public enum Severity: String, Sendable, Codable, Comparable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: return 2
        case .warning: return 1
        case .note: return 0
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The language a message is shown in.
public enum Language: String, Sendable, CaseIterable {
    case en, id

    /// Indonesian for `id_*` / `in_*` locales in `LC_ALL`, `LC_MESSAGES` or `LANG`, else English.
    public static func fromEnvironment(_ env: [String: String]) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = env[key], !value.isEmpty {
                let lower = value.lowercased()
                return lower.hasPrefix("id") || lower.hasPrefix("in_") ? .id : .en
            }
        }
        return .en
    }
}

/// A text in English and Indonesian. Every user-facing message carries both.
public struct Message: Hashable, Sendable {
    public var en: String
    public var id: String

    public init(en: String, id: String) {
        self.en = en
        self.id = id
    }

    public func text(_ language: Language) -> String {
        language == .id ? id : en
    }
}

/// A secondary place that explains the primary one ("first defined here").
public struct Label: Hashable, Sendable {
    public var range: SourceRange
    public var message: Message

    public init(range: SourceRange, message: Message) {
        self.range = range
        self.message = message
    }
}

/// One text edit: replace `range` with `replacement`.
public struct TextEdit: Hashable, Sendable {
    public var range: SourceRange
    public var replacement: String

    public init(range: SourceRange, replacement: String) {
        self.range = range
        self.replacement = replacement
    }
}

/// A suggested fix; it always carries at least one edit.
public struct FixIt: Hashable, Sendable {
    public var message: Message
    public var edits: [TextEdit]

    public init(message: Message, edits: [TextEdit]) {
        precondition(!edits.isEmpty, "a fix-it carries at least one edit")
        self.message = message
        self.edits = edits
    }
}

extension FixIt {
    /// "replace `old` with `new`": the one wording every replacing fix uses, in both languages.
    public static func replacing(_ old: String, at range: SourceRange, with new: String) -> FixIt {
        FixIt(message: Message(en: "replace `\(old)` with `\(new)`", id: "ganti `\(old)` dengan `\(new)`"),
              edits: [TextEdit(range: range, replacement: new)])
    }
}

/// A finding of the compiler: a stable code, a one-line message, where, why and how to fix.
public struct Diagnostic: Hashable, Sendable {
    public var severity: Severity
    /// A stable documented code such as `E0301`; `sop explain CODE` describes it.
    public var code: String
    /// The headline: one line that stands alone.
    public var message: Message
    /// The primary range; nil only for file-level problems without a position.
    public var range: SourceRange?
    public var labels: [Label]
    public var notes: [Message]
    public var help: Message?
    public var fixIts: [FixIt]

    public init(
        severity: Severity, code: String, message: Message, range: SourceRange?,
        labels: [Label] = [], notes: [Message] = [], help: Message? = nil, fixIts: [FixIt] = []
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.range = range
        self.labels = labels
        self.notes = notes
        self.help = help
        self.fixIts = fixIts
    }
}

/// Collects diagnostics from every stage. Stages never stop at the first problem.
public final class DiagnosticSink: @unchecked Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public func emit(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Everything another sink received, in its order.
    public func emit(contentsOf other: DiagnosticSink) {
        diagnostics.append(contentsOf: other.diagnostics)
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public func count(_ severity: Severity) -> Int {
        diagnostics.reduce(0) { $0 + ($1.severity == severity ? 1 : 0) }
    }

    /// Diagnostics in a stable order: by file, position, then code.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let ra = a.element.range, rb = b.element.range
            if ra?.file != rb?.file { return (ra?.file ?? "") < (rb?.file ?? "") }
            let oa = ra?.start.offset ?? -1, ob = rb?.start.offset ?? -1
            if oa != ob { return oa < ob }
            if a.element.code != b.element.code { return a.element.code < b.element.code }
            return a.offset < b.offset
        }.map(\.element)
    }
}
