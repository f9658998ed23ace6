import Foundation

/// The `--format json` shape: one object per run, diagnostics sorted, keys sorted.
public struct JSONReport: Codable, Sendable {
    public struct Position: Codable, Sendable {
        public var line: Int
        public var column: Int
    }
    public struct Span: Codable, Sendable {
        public var file: String
        public var start: Position
        public var end: Position
    }
    public struct Edit: Codable, Sendable {
        public var span: Span
        public var replacement: String
    }
    public struct Fix: Codable, Sendable {
        public var message: String
        public var edits: [Edit]
    }
    public struct LabelEntry: Codable, Sendable {
        public var span: Span
        public var message: String
    }
    public struct Entry: Codable, Sendable {
        public var severity: String
        public var code: String
        public var message: String
        public var span: Span?
        public var labels: [LabelEntry]
        public var notes: [String]
        public var help: String?
        public var fixes: [Fix]
    }
    public struct Summary: Codable, Sendable {
        public var files: Int
        public var errors: Int
        public var warnings: Int
        public var notes: Int
    }
    public var version: Int = 1
    public var diagnostics: [Entry]
    public var summary: Summary
}

/// Machine-readable renderers for CI: JSON, SARIF 2.1.0 and GitHub workflow annotations.
public enum MachineRenderer {
    static func span(_ r: SourceRange) -> JSONReport.Span {
        .init(file: r.file, start: .init(line: r.start.line, column: r.start.column),
              end: .init(line: r.end.line, column: r.end.column))
    }

    /// Our own JSON report.
    public static func json(_ diagnostics: [Diagnostic], files: Int, language: Language) -> String {
        let entries = diagnostics.map { d in
            JSONReport.Entry(
                severity: d.severity.rawValue, code: d.code, message: d.message.text(language),
                span: d.range.map(span),
                labels: d.labels.map { .init(span: span($0.range), message: $0.message.text(language)) },
                notes: d.notes.map { $0.text(language) }, help: d.help?.text(language),
                fixes: d.fixIts.map { fix in
                    .init(message: fix.message.text(language),
                          edits: fix.edits.map { .init(span: span($0.range), replacement: $0.replacement) })
                })
        }
        let report = JSONReport(
            diagnostics: entries,
            summary: .init(files: files,
                           errors: diagnostics.filter { $0.severity == .error }.count,
                           warnings: diagnostics.filter { $0.severity == .warning }.count,
                           notes: diagnostics.filter { $0.severity == .note }.count))
        return encode(report)
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// One rule of the SARIF driver: the code and its one-line description.
    public struct RuleInfo: Sendable {
        public var code: String
        public var name: String
        public var summary: String
        public init(code: String, name: String, summary: String) {
            self.code = code
            self.name = name
            self.summary = summary
        }
    }

    /// SARIF 2.1.0 (OASIS), the format code-scanning services read.
    public static func sarif(_ diagnostics: [Diagnostic], rules: [RuleInfo], version: String, language: Language) -> String {
        struct Text: Codable { var text: String }
        struct Region: Codable { var startLine: Int; var startColumn: Int; var endLine: Int; var endColumn: Int }
        struct Artifact: Codable { var uri: String }
        struct Physical: Codable { var artifactLocation: Artifact; var region: Region }
        struct Location: Codable { var physicalLocation: Physical }
        struct Replacement: Codable { var deletedRegion: Region; var insertedContent: Text }
        struct ArtifactChange: Codable { var artifactLocation: Artifact; var replacements: [Replacement] }
        struct Fix: Codable { var description: Text; var artifactChanges: [ArtifactChange] }
        struct Result: Codable {
            var ruleId: String; var ruleIndex: Int; var level: String; var message: Text
            var locations: [Location]; var fixes: [Fix]?
        }
        struct Rule: Codable { var id: String; var name: String; var shortDescription: Text; var helpUri: String? }
        struct Driver: Codable { var name: String; var version: String; var informationUri: String; var rules: [Rule] }
        struct Tool: Codable { var driver: Driver }
        struct Run: Codable { var tool: Tool; var results: [Result]; var columnKind: String }
        struct Log: Codable {
            var schema: String; var version: String; var runs: [Run]
            enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
        }
        func region(_ r: SourceRange) -> Region {
            Region(startLine: r.start.line, startColumn: r.start.column, endLine: r.end.line, endColumn: r.end.column)
        }
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.code, $0) })
        let results = diagnostics.map { d -> Result in
            let level = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "note"
            var text = d.message.text(language)
            if let help = d.help { text += " " + help.text(language) }
            let locations = d.range.map { [Location(physicalLocation: .init(artifactLocation: .init(uri: $0.file), region: region($0)))] } ?? []
            let fixes = d.fixIts.map { fix in
                Fix(description: .init(text: fix.message.text(language)),
                    artifactChanges: Dictionary(grouping: fix.edits, by: \.range.file).sorted { $0.key < $1.key }.map { file, edits in
                        ArtifactChange(artifactLocation: .init(uri: file),
                                       replacements: edits.map { .init(deletedRegion: region($0.range), insertedContent: .init(text: $0.replacement)) })
                    })
            }
            return Result(ruleId: d.code, ruleIndex: ruleIndex[d.code] ?? -1, level: level, message: .init(text: text),
                          locations: locations, fixes: fixes.isEmpty ? nil : fixes)
        }
        let log = Log(
            schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0",
            runs: [Run(tool: .init(driver: .init(
                name: "sop", version: version, informationUri: "https://github.com/sop-toolchain/sop",
                rules: rules.map { Rule(id: $0.code, name: $0.name, shortDescription: .init(text: $0.summary), helpUri: nil) })),
                results: results, columnKind: "unicodeCodePoints")])
        return encode(log)
    }

    /// GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`.
    public static func github(_ diagnostics: [Diagnostic], language: Language) -> String {
        var out = ""
        for d in diagnostics {
            let kind = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "notice"
            var props: [String] = []
            if let r = d.range {
                props.append("file=\(escapeProperty(r.file))")
                props.append("line=\(r.start.line)")
                props.append("col=\(r.start.column)")
                props.append("endLine=\(r.end.line)")
                props.append("endColumn=\(r.end.column)")
            }
            props.append("title=\(escapeProperty(d.code))")
            var text = d.message.text(language)
            if let help = d.help { text += "\n" + help.text(language) }
            out += "::\(kind) \(props.joined(separator: ","))::\(escapeData(text))\n"
        }
        return out
    }

    static func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
