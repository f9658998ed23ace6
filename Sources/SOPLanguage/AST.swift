import SOPDiagnostics
import SOPIR

/// A value with the range it was written at.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var range: SourceRange

    public init(_ value: Value, _ range: SourceRange) {
        self.value = value
        self.range = range
    }
}

/// The parsed SOP file: every key of `grammar/LANGUAGE.md`, each value with its range.
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
    public var actors: [ActorDecl] = []
    public var steps: [Step] = []

    public init(path: String, range: SourceRange) {
        self.path = path
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
    }

    public struct ActorDecl: Sendable {
        public var key: Located<String>
        public var name: Located<String>?
        public var kind: ProcessGraph.ActorKind
        public var note: Located<String>?
    }

    /// One row of the activity table. A class so that rules iterate steps without copying
    /// every field; it is filled by the parser and read-only after.
    public final class Step: @unchecked Sendable {
        /// 0-based position in `steps`.
        public var index: Int
        public var range: SourceRange
        public var id: Located<String>?
        public var action: Located<String>?
        public var actor: Located<String>?
        public var requires: [Located<String>] = []
        public var produces: [Located<String>] = []
        public var duration: Located<Duration>?
        public var via: Located<String>?
        public var note: Located<String>?
        public var next: Located<String>?
        public var decision: Decision?
        public var parallel: Parallel?
        public var call: Located<String>?
        public var timeouts: [Timeout] = []
        public var recurring: Located<Duration>?
        public var end: Located<Bool>?
        public var number: Located<String>?

        public init(index: Int, range: SourceRange) {
            self.index = index
            self.range = range
        }

        public var isEnd: Bool { end?.value == true }
    }

    public struct Decision: Sendable {
        /// The range of the `decision` key, for messages about the whole decision.
        public var keyRange: SourceRange
        public var question: Located<String>?
        public var branches: [Branch]
    }

    public struct Branch: Sendable {
        public var label: Located<String>
        public var target: Located<String>
    }

    public struct Parallel: Sendable {
        public var keyRange: SourceRange
        public var branches: [Located<String>]
        public var join: Located<String>?
    }

    public struct Timeout: Sendable {
        public var range: SourceRange
        public var after: Located<Duration>?
        public var target: Located<String>?
        public var label: Located<String>?
        public var since: Located<ProcessGraph.TimerAnchor>?
        /// Whether `after` / `goto` were written at all (a bad value is reported elsewhere).
        public var hasAfter: Bool
        public var hasTarget: Bool
    }
}

extension SOPFile {
    /// The table number of each step: "1", "2", … in written order; a draft's `number` wins.
    public var stepNumbers: [String] {
        steps.map { $0.number?.value ?? String($0.index + 1) }
    }
}
