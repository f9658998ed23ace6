import SOPDiagnostics
import SOPIR
import SOPYAML

/// A value with the range it was written at.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var range: SourceRange

    public init(_ value: Value, _ range: SourceRange) {
        self.value = value
        self.range = range
    }
}

/// The parsed SOP file: every key of `grammar/LANGUAGE.md`. The identity block and the
/// actors are `Located` values; the steps are plain numbers that point into `document` and
/// into the side tables below (see `Step`, and Docs/Proposals/0002-compact-ast.md).
/// Produced by `SOPParser`, read by the rules and by `Lowering`.
public struct SOPFile: Sendable {
    public var path: String
    public var range: SourceRange
    public var version: Located<Int>?
    public var id: Located<String>?
    public var name: Located<String>?
    public var number: Located<String>?
    public var isDraft = false
    public var organization: Organization?
    public var activity: Located<String>?
    public var subActivity: Located<String>?
    public var dates = Dates()
    public var approvedBy: Approval?
    public var purpose: Located<String>?
    public var legalBasis: [Located<String>] = []
    public var qualifications: [Located<String>] = []
    public var related: [RelatedRef] = []
    public var equipment: [Located<String>] = []
    public var warnings: [Located<String>] = []
    public var records: [Located<String>] = []
    public var inputs: [Located<String>] = []
    public var outputs: [Located<String>] = []
    public var sla: Located<Duration>?
    public var source: SourceRef?
    public var notes: [Located<String>] = []
    /// Every deviation from print (`corrections:`).
    public var corrections: [Correction] = []
    /// The named ends of the process (`outcomes:`), in written order.
    public var outcomes: [OutcomeDecl] = []
    public var actors: [ActorDecl] = []
    public var steps: [Step] = []
    /// The side tables steps point into.
    public var decisions: [Decision] = []
    public var parallels: [Parallel] = []
    public var timeouts: [Timeout] = []
    /// Every document named by a step's `requires` and `produces`.
    public var mentions: [TextRef] = []
    /// Each distinct duration text of the steps, parsed once.
    public var durations: [Duration] = []
    /// The actors after the first of steps performed by any of several (`actor: [a, b]`).
    public var extraActors: [TextRef] = []
    /// The `satisfied_by` of a requirement, by its position in `mentions`.
    public var satisfiedBy: [Int32: TextRef] = [:]
    /// The `inferred` entries of the steps: field and reason.
    public var inferences: [(field: TextRef, reason: TextRef)] = []
    /// Keys written misspelt (an unknown key whose nearest allowed key is this one), already
    /// reported once with their fix: `actors`, `steps` (top level), `step.actor`, `step.id`.
    /// The rules stay silent about what such a key would have said (one message per mistake).
    public var misspeltKeys: Set<String> = []
    /// The YAML document the `TextRef`s and node indices point into.
    public let document: YAMLDocument

    public init(path: String, document: YAMLDocument, range: SourceRange) {
        self.path = path
        self.document = document
        self.range = range
    }

    public struct Organization: Sendable {
        public var government, agency, division, unit: Located<String>?
    }

    public struct Dates: Sendable {
        public var created, revised, effective: Located<String>?
    }

    public struct Approval: Sendable {
        public var title, name, nip: Located<String>?
    }

    public struct RelatedRef: Sendable {
        public var name: Located<String>
        public var id: Located<String>?
    }

    public struct SourceRef: Sendable {
        public var document: Located<String>?
        public var sopNumber: Located<Int>?
        public var page: Located<Int>?
        /// Line ranges of the seed, `[first, last]`.
        public var lines: [Located<[Int]>] = []
    }

    /// A `corrections:` entry.
    public struct Correction: Sendable {
        public var range: SourceRange
        public var printed: Located<String>
        public var reading: Located<String>
        public var kind: Located<String>
        public var `where`: Located<String>?
        public var reason: Located<String>?
    }

    /// An `outcomes:` entry: a named end of the process.
    public struct OutcomeDecl: Sendable {
        public var key: Located<String>
        public var ref: TextRef
        public var name: Located<String>?
    }

    public struct ActorDecl: Sendable {
        public var key: Located<String>
        /// The key as written, for comparing with steps' `actor` without `String`s.
        public var ref: TextRef
        public var name: Located<String>?
        public var kind: ProcessGraph.ActorKind
        public var note: Located<String>?
    }

    /// One row of the activity table, as plain numbers: each value is a `TextRef` to the
    /// scalar the author wrote (read through `SOPFile.text`, `range`, `located`), lists are
    /// ranges into the file's shared arrays, and decisions, parallel blocks, timeouts and
    /// durations are indices into its side tables. A step holds no reference and no
    /// `String`, so a file of 100,000 steps is a few flat arrays, and rules walk it without
    /// reference counting. Filled by the parser, read-only after.
    public struct Step: Sendable {
        /// 0-based position in `steps`.
        public var index: Int
        /// The step's mapping in the YAML document.
        public var node: Int32
        public var id: TextRef?
        public var action: TextRef?
        public var actor: TextRef?
        public var via: TextRef?
        public var note: TextRef?
        public var next: TextRef?
        public var call: TextRef?
        /// A draft's table number (`8.4`).
        public var number: TextRef?
        /// True when `end: true` or `end: OUTCOME`.
        public var isEnd = false
        /// The outcome of `end: OUTCOME`.
        public var endOutcome: TextRef?
        /// Positions in `SOPFile.extraActors` (`actor: [a, b, …]` beyond the first).
        public var extraActors: Range<Int32> = 0..<0
        /// The printed condition of a conditional step (`when`).
        public var when: TextRef?
        /// The step the duration counts from (`duration: {from: STEP}`), or `start`.
        public var durationFrom: TextRef?
        /// The actor whose window the duration is (`duration: {window_of: ACTOR}`).
        public var durationWindowOf: TextRef?
        /// Positions in `SOPFile.inferences`.
        public var inferred: Range<Int32> = 0..<0
        public var duration: TimedRef?
        public var recurring: TimedRef?
        /// Index into `SOPFile.decisions`.
        public var decision: Int32?
        /// Index into `SOPFile.parallels`.
        public var parallel: Int32?
        /// Positions in `SOPFile.timeouts`.
        public var timeouts: Range<Int32> = 0..<0
        /// Positions in `SOPFile.mentions`.
        public var requires: Range<Int32> = 0..<0
        public var produces: Range<Int32> = 0..<0

        public init(index: Int, node: Int32) {
            self.index = index
            self.node = node
        }
    }

    public struct Decision: Sendable {
        /// The `decision` mapping, whose first line messages about the whole decision point at.
        public var node: Int32
        public var question: TextRef?
        public var branches: [Branch]
    }

    public struct Branch: Sendable {
        public var label: TextRef
        public var target: TextRef
    }

    public struct Parallel: Sendable {
        /// The `parallel` mapping.
        public var node: Int32
        public var branches: [TextRef]
        public var join: TextRef?
    }

    public struct Timeout: Sendable {
        /// The timeout's mapping.
        public var node: Int32
        public var after: TimedRef?
        public var target: TextRef?
        public var label: TextRef?
        public var since: ProcessGraph.TimerAnchor?
        /// Whether `after` / `goto` were written at all (a bad value is reported elsewhere).
        public var hasAfter: Bool
        public var hasTarget: Bool
    }
}

/// A scalar the author wrote, by its node in the file's YAML document: the AST keeps these
/// rather than `String`s, and makes a `String` only when a message or the IR needs one.
public struct TextRef: Hashable, Sendable {
    public let node: Int32
    public init(node: Int32) { self.node = node }
}

/// A duration as written (`text`) and as parsed (`value`, an index into `SOPFile.durations`).
public struct TimedRef: Hashable, Sendable {
    public let text: TextRef
    public let value: Int32
}

extension SOPFile {
    /// The text of a scalar.
    public func text(_ ref: TextRef) -> String { document.string(ref.node) }

    /// Where a scalar was written.
    public func range(_ ref: TextRef) -> SourceRange { document.range(ref.node, in: path) }

    /// A scalar's text with where it was written.
    public func located(_ ref: TextRef) -> Located<String> { Located(text(ref), range(ref)) }

    /// Calls `body` with the UTF-8 bytes of a scalar.
    @inline(__always)
    public func withBytes<R>(_ ref: TextRef, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try document.withScalarBytes(ref.node, body)
    }

    /// True when the scalar's text is ASCII (then comparing bytes is comparing `String`s).
    public func isASCII(_ ref: TextRef) -> Bool { document.isASCII(ref.node) }

    /// A parsed duration.
    public func duration(_ ref: TimedRef) -> Duration { durations[Int(ref.value)] }

    /// The range of a whole node (a step's or a timeout's mapping).
    public func range(ofNode node: Int32) -> SourceRange { document.range(node, in: path) }

    /// The first line of a mapping: from its start to the end of its first key.
    public func headRange(ofNode node: Int32) -> SourceRange {
        let end = document.childCount(node) > 0 ? document.end(document.child(node, 0)) : document.start(node)
        return SourceRange(file: path, start: document.start(node), end: end)
    }

    /// The documents a step requires / produces, in written order.
    public func requires(_ step: Step) -> ArraySlice<TextRef> { mentions[Int(step.requires.lowerBound)..<Int(step.requires.upperBound)] }
    public func produces(_ step: Step) -> ArraySlice<TextRef> { mentions[Int(step.produces.lowerBound)..<Int(step.produces.upperBound)] }

    public func decision(_ step: Step) -> Decision? { step.decision.map { decisions[Int($0)] } }
    public func parallel(_ step: Step) -> Parallel? { step.parallel.map { parallels[Int($0)] } }
    /// The actors of a step after the first (`actor: [a, b, …]`).
    public func extraActors(_ step: Step) -> ArraySlice<TextRef> { extraActors[Int(step.extraActors.lowerBound)..<Int(step.extraActors.upperBound)] }
    /// The `inferred` entries of a step.
    public func inferences(_ step: Step) -> ArraySlice<(field: TextRef, reason: TextRef)> {
        inferences[Int(step.inferred.lowerBound)..<Int(step.inferred.upperBound)]
    }
    public func timeouts(_ step: Step) -> ArraySlice<Timeout> { timeouts[Int(step.timeouts.lowerBound)..<Int(step.timeouts.upperBound)] }

    /// The range of a step's first line, where step-level diagnostics point.
    /// Where a step starts for a reader: its `id`, else its first key.
    public func start(_ step: Step) -> SourceRange {
        if let id = step.id { return range(id) }
        if document.kind(step.node) == .mapping, document.childCount(step.node) > 0 {
            return range(ofNode: document.child(step.node, 0))
        }
        return range(ofNode: step.node)
    }

    public func head(_ step: Step) -> SourceRange {
        if let action = step.action { return range(action) }
        if let id = step.id { return range(id) }
        return range(ofNode: step.node)
    }

    /// The table number of step `index`: "1", "2", … in written order; a draft's `number` wins.
    public func number(_ index: Int) -> String {
        let step = steps[index]
        return step.number.map(text) ?? String(index + 1)
    }

    /// The table number of each step.
    public var stepNumbers: [String] { steps.indices.map(number) }
}
