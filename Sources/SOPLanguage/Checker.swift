import SOPDiagnostics
import SOPIR

/// What a rule reads: the parsed file, its flow, and (when a folder is checked) the ids of
/// the catalogue.
public struct CheckContext: Sendable {
    public let file: SOPFile
    public let flow: FlowGraph
    /// The step numbers as printed in the table ("1", "2", "8.4").
    public let numbers: [String]
    /// Catalogue ids known when a folder is checked; nil when a single file is checked.
    public let catalog: Set<String>?

    public init(file: SOPFile, catalog: Set<String>?) {
        self.file = file
        self.flow = FlowGraph(file)
        self.numbers = file.stepNumbers
        self.catalog = catalog
    }

    /// Errors about the flow become warnings in a draft, whose table is known to be incomplete.
    public var flowSeverity: Severity { file.isDraft ? .warning : .error }

    /// The range of a step's first line, where step-level diagnostics point.
    public func head(_ step: SOPFile.Step) -> SourceRange {
        step.action?.range ?? step.id?.range ?? step.range
    }
}

/// A validation rule: one file, one job, a stable name and codes, every finding reported.
public protocol CheckRule: Sendable {
    /// A kebab-case name, e.g. `undefined-actor`.
    static var name: String { get }
    /// The codes this rule emits.
    static var codes: [String] { get }
    /// One line: what the rule checks.
    static var summary: String { get }
    init()
    func check(_ context: CheckContext, diagnostics: DiagnosticSink)
}

/// Runs the rules, in a fixed order.
public enum Checker {
    /// Every rule, in the order they run.
    public static let rules: [any CheckRule.Type] = [
        DuplicateStepID.self, FlowConflict.self, UndefinedActor.self, UndefinedStepTarget.self,
        DecisionBranches.self, TimeoutComplete.self, ParallelJoin.self,
        UnreachableStep.self, CycleWithoutExit.self, NoPathToEnd.self,
        UnusedActor.self, UnknownDocument.self, UnusedOutput.self, CriticalPath.self,
        CatalogReferences.self,
    ]

    public static func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        for rule in rules { rule.init().check(context, diagnostics: diagnostics) }
    }
}

/// Document names compared as the language reference says: ignoring case, spacing and punctuation.
public enum DocumentName {
    public static func key(_ name: String) -> String {
        var out = ""
        out.reserveCapacity(name.utf8.count)
        var space = false
        for c in name.lowercased().unicodeScalars {
            if c.properties.isAlphabetic || ("0"..."9").contains(c) {
                if space, !out.isEmpty { out.append(" ") }
                out.unicodeScalars.append(c)
                space = false
            } else {
                space = true
            }
        }
        return out
    }
}
