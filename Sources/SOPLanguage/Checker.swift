import SOPDiagnostics
import SOPIR

/// What a rule reads: the parsed file, its flow, and (when a folder is checked) the ids of
/// the catalogue.
public struct CheckContext: Sendable {
    public let file: SOPFile
    public let flow: FlowGraph
    /// Catalogue ids known when a folder is checked; nil when a single file is checked.
    public let catalog: Set<String>?
    /// Every document of `requires`, `produces`, `inputs` and `outputs`, numbered once.
    public let documents: DocumentTable

    public init(file: SOPFile, catalog: Set<String>?) {
        self.file = file
        self.flow = FlowGraph(file)
        self.catalog = catalog
        self.documents = DocumentTable(file)
        (self.actorOfStep, self.extraActorIndex, self.windowOfStep) = Self.actors(file)
        self.flowIsIncomplete = Self.isIncomplete(file, flow)
    }

    /// The declared actor of each step (an index into `file.actors`), or -1 when the step
    /// names none or one that is not declared.
    public let actorOfStep: [Int32]
    /// The declared actor of each entry of `file.extraActors` (`actor: [a, b]` beyond the
    /// first), or -1.
    public let extraActorIndex: [Int32]
    /// The declared actor of each step's `duration: {window_of: …}`, or -1.
    public let windowOfStep: [Int32]

    static func actors(_ file: SOPFile) -> ([Int32], [Int32], [Int32]) {
        var keys = TextTable(capacity: file.actors.count)
        var actorOfKey: [Int32] = []
        for (i, actor) in file.actors.enumerated() where keys.insert(actor.ref, in: file).inserted { actorOfKey.append(Int32(i)) }
        func index(_ ref: TextRef?) -> Int32 { ref.flatMap { keys.find($0, in: file) }.map { actorOfKey[$0] } ?? -1 }
        return (file.steps.map { index($0.actor) }, file.extraActors.map { index($0) }, file.steps.map { index($0.durationWindowOf) })
    }

    /// Every declared actor of a step (`actor` and the rest of `actor: [a, b]`), in written order.
    public func actors(of step: SOPFile.Step) -> [Int] {
        var result: [Int] = []
        if actorOfStep[step.index] >= 0 { result.append(Int(actorOfStep[step.index])) }
        for k in step.extraActors where extraActorIndex[Int(k)] >= 0 && !result.contains(Int(extraActorIndex[Int(k)])) {
            result.append(Int(extraActorIndex[Int(k)]))
        }
        return result
    }

    /// True when some jump names no step, or a step says where it goes twice: the flow
    /// rules (reachability, ends, loops, joins) then stay silent rather than report
    /// consequences of that one mistake.
    public let flowIsIncomplete: Bool

    static func isIncomplete(_ file: SOPFile, _ flow: FlowGraph) -> Bool {
        if flow.hasUnresolvedTarget { return true }
        for step in file.steps {
            var ways = 0
            if step.decision != nil { ways += 1 }
            if step.next != nil { ways += 1 }
            if step.parallel != nil { ways += 1 }
            if step.isEnd { ways += 1 }
            if ways > 1 { return true }
            if step.when != nil, step.decision != nil || step.parallel != nil { return true }
        }
        return false
    }

    /// The step number as printed in the table ("1", "2", "8.4"): a draft's `number`
    /// wins, else the position (see `SOPFile.stepNumbers`).
    public func number(_ index: Int) -> String { file.number(index) }

    /// How many findings of one rule in a file get a "did you mean": each compares a name
    /// with every candidate of the file, which a file with thousands of mistakes cannot afford.
    public static let suggestionLimit = 200

    /// Errors about the flow become warnings in a draft, whose table is known to be incomplete.
    public var flowSeverity: Severity { file.isDraft ? .warning : .error }

    /// The range of a step's first line, where step-level diagnostics point.
    public func head(_ step: SOPFile.Step) -> SourceRange { file.head(step) }
}

/// "Did you mean" for the first `CheckContext.suggestionLimit` findings of one rule in a
/// file; the findings after it are reported without one.
struct SuggestionBudget {
    private var given = 0

    /// `search()` while the budget lasts, else nil.
    mutating func suggest(_ search: () -> String?) -> String? {
        defer { given += 1 }
        return given < CheckContext.suggestionLimit ? search() : nil
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
        DecisionBranches.self, DecisionSameTarget.self, ConditionalStep.self, TimeoutComplete.self, ParallelJoin.self,
        UnreachableStep.self, CycleWithoutExit.self, NoPathToEnd.self,
        UnusedActor.self, UnknownDocument.self, UnusedOutput.self, CriticalPath.self, DurationAnchor.self,
        CatalogReferences.self,
    ]

    public static func check(_ context: CheckContext, diagnostics: DiagnosticSink) {
        // `stpes:` was reported once, with its fix: the rules about steps would only repeat it.
        if context.file.misspeltKeys.contains("steps") {
            CatalogReferences().check(context, diagnostics: diagnostics)
            return
        }
        for rule in rules { rule.init().check(context, diagnostics: diagnostics) }
    }
}

/// Document names compared as the language reference says: ignoring case, spacing and punctuation.
public enum DocumentName {
    /// The matching key of a document name: lower case, words of letters and digits
    /// separated by single spaces, everything else dropped.
    public static func key(_ name: String) -> String {
        var name = name
        return name.withUTF8 { bytes -> String in
            if bytes.allSatisfy({ $0 < 0x80 }) {
                var out: [UInt8] = []
                out.reserveCapacity(bytes.count)
                appendASCIIKey(bytes, to: &out)
                return String(decoding: out, as: UTF8.self)
            }
            return unicodeKey(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The key of an ASCII name, appended to `out` as bytes.
    static func appendASCIIKey(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let start = out.count
        var space = false
        for var c in bytes {
            if c >= 0x41 && c <= 0x5A { c += 0x20 }
            if (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) {
                if space, out.count > start { out.append(0x20) }
                out.append(c)
                space = false
            } else {
                space = true
            }
        }
    }

    static func unicodeKey(_ name: String) -> String {
        var out = ""
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
