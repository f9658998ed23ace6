import SOPAnalysis
import SOPDiagnostics
import SOPIR

/// One side of a comparison: what the compiler gives for one file (its IR and its
/// warnings and notes) and the name to show for it.
public struct DiffSide: Sendable {
    public var path: String
    public var graph: ProcessGraph
    public var diagnostics: [Diagnostic]
    public init(path: String, graph: ProcessGraph, diagnostics: [Diagnostic]) {
        self.path = path
        self.graph = graph
        self.diagnostics = diagnostics
    }
}

/// What a revision of one SOP changes, in the SOP's own terms. Every list is in a stable
/// order, so the same two files give the same bytes in every format.
public struct SOPDiff: Codable, Sendable, Equatable {
    public var oldPath: String
    public var newPath: String
    public var oldID: String
    public var newID: String
    public var name: String
    /// Scalar fields of the identity block (`number`, `revised`, `approvedBy.name`, …).
    public var identity: [FieldChange] = []
    /// List fields of the identity block (`legalBasis`, `equipment`, `inputs`, …).
    public var lists: [ListChange] = []
    public var actors: [ActorChange] = []
    public var steps: [StepChange] = []
    public var flow: [FlowEffect] = []
    public var timing: Timing
    public var diagnostics: DiagnosticChanges = DiagnosticChanges()

    /// True when anything differs that the SOP means (not how its file is written).
    public var hasChanges: Bool {
        !identity.isEmpty || !lists.isEmpty || !actors.isEmpty || !steps.isEmpty || !flow.isEmpty
            || timing.changed || !diagnostics.introduced.isEmpty || !diagnostics.resolved.isEmpty
    }
}

/// A scalar field before and after (nil: absent on that side).
public struct FieldChange: Codable, Sendable, Equatable {
    /// The field's name in the IR (`number`, `dates.revised`, `approvedBy.name`).
    public var field: String
    public var old: String?
    public var new: String?
    /// Word-level difference when both sides have a text.
    public var words: [WordDiff.Segment]?
}

/// A list field: items removed, added, and items reworded (paired by their words).
public struct ListChange: Codable, Sendable, Equatable {
    public var field: String
    public var removed: [String] = []
    public var added: [String] = []
    public var reworded: [FieldChange] = []
}

/// An actor (a *Pelaksana* column) added, removed, renamed or of another kind.
public struct ActorChange: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case added, removed, changed }
    public var kind: Kind
    public var oldKey: String?
    public var newKey: String?
    public var oldName: String?
    public var newName: String?
    public var oldKind: String?
    public var newKind: String?
}

/// A time with its meaning in working days (`nil` days: no time applies).
public struct TimeValue: Codable, Sendable, Equatable {
    /// The *Waktu* as written.
    public var text: String
    /// Shortest and longest, in working days (the estimate `sop paths` uses).
    public var minDays: Double
    public var maxDays: Double
    public var openEnded: Bool
}

/// Where an exit of a step leads: a step (its number on that side) or an end.
public struct Endpoint: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case step, end, parallel }
    public var kind: Kind
    /// The step's number, the end's label, or the parallel branches' first steps.
    public var label: String
    /// For a step: whether it is new (or gone) in this revision.
    public var unmatched: Bool?
}

/// An exit of a step (`next`, a branch, a parallel branch) that leads elsewhere now.
public struct ExitChange: Codable, Sendable, Equatable {
    /// `next`, `branch` or `parallel`.
    public var kind: String
    /// The branch label (`ya`, `tidak`).
    public var label: String?
    public var old: Endpoint?
    public var new: Endpoint?
}

/// A timer of a step added, removed or changed.
public struct TimerChange: Codable, Sendable, Equatable {
    public var old: TimerValue?
    public var new: TimerValue?
}

public struct TimerValue: Codable, Sendable, Equatable {
    public var after: TimeValue
    public var target: Endpoint
    /// `activation` or `last-response`.
    public var since: String
}

/// One step added, removed, moved or changed.
public struct StepChange: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case added, removed, changed }
    public var kind: Kind
    public var oldNumber: String?
    public var newNumber: String?
    /// The step's `id`, when it has one (the new side's for a kept step).
    public var key: String?
    /// The action text (the new side's, or the old one for a removed step).
    public var action: String
    /// Word-level difference of the action, when it changed.
    public var actionWords: [WordDiff.Segment]?
    /// The step changed its place among the steps kept (not only its number).
    public var moved: Bool = false
    /// For a moved step: the step it came after before and comes after now (old and new
    /// numbers; nil: it was or is the first).
    public var afterOld: String?
    public var afterNew: String?
    public var actor: FieldChange?
    public var time: TimeChange?
    public var requiresRemoved: [String] = []
    public var requiresAdded: [String] = []
    public var producesRemoved: [String] = []
    public var producesAdded: [String] = []
    public var exits: [ExitChange] = []
    public var timers: [TimerChange] = []
    /// Other fields: `question`, `call`, `via`, `note`, `recurrence`, `kind`.
    public var fields: [FieldChange] = []
    /// For an added or removed step: its actor and time.
    public var actorName: String?
    public var timeValue: TimeValue?
}

public struct TimeChange: Codable, Sendable, Equatable {
    public var old: TimeValue?
    public var new: TimeValue?
}

/// A change of the flow as a whole.
public struct FlowEffect: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// A step no case reaches any more (or a new step no case reaches).
        case unreachable
        /// A step unreachable before is reached now.
        case reachable
        /// Steps that now form a loop.
        case newLoop
        /// A loop of the old revision is gone.
        case loopRemoved
    }
    public var kind: Kind
    /// Step numbers on the side the effect is seen (new, except for `loopRemoved`).
    public var steps: [String]
}

/// The longest path and the SLA, before and after, in working days.
public struct Timing: Codable, Sendable, Equatable {
    public struct Longest: Codable, Sendable, Equatable {
        public var minDays: Double
        public var maxDays: Double
        public var openEnded: Bool
        /// The step numbers of the path, in order.
        public var steps: [String]
        /// Its steps without a stated time (they count as nothing).
        public var untimedSteps: [String]
    }
    public var oldLongest: Longest?
    public var newLongest: Longest?
    public var oldSLA: TimeValue?
    public var newSLA: TimeValue?

    public var changed: Bool {
        !TimeValue.sameMeaning(oldSLA, newSLA) || !Longest.sameLength(oldLongest, newLongest)
    }
}

extension Timing.Longest {
    /// Equal lengths (the steps may be numbered otherwise).
    static func sameLength(_ a: Self?, _ b: Self?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.minDays == b.minDays && a.maxDays == b.maxDays && a.openEnded == b.openEnded
    }
}

extension TimeValue {
    /// Equal in working days, whatever the wording.
    static func sameMeaning(_ a: Self?, _ b: Self?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.minDays == b.minDays && a.maxDays == b.maxDays && a.openEnded == b.openEnded
    }
}

/// Warnings and notes that appear or disappear (errors stop the comparison).
public struct DiagnosticChanges: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var severity: String
        public var code: String
        public var messageEN: String
        public var messageID: String
        /// The line on its side (the new file for introduced, the old for resolved).
        public var line: Int?
    }
    public var introduced: [Item] = []
    public var resolved: [Item] = []
}

/// The comparison of a set of files (`sop diff --git`): each matched by `id`.
public struct FileDiff: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case added, removed, changed, unchanged }
    public var status: Status
    public var oldPath: String?
    public var newPath: String?
    public var id: String
    public var name: String
    public var diff: SOPDiff?

    public init(status: Status, oldPath: String? = nil, newPath: String? = nil, id: String, name: String, diff: SOPDiff? = nil) {
        self.status = status
        self.oldPath = oldPath
        self.newPath = newPath
        self.id = id
        self.name = name
        self.diff = diff
    }
}
