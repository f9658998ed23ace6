/// The executable graph of one SOP: the compiler's output and the only thing renderers,
/// the simulator and the runtime read. Plain `Codable` data; arrays are in a stable order
/// (nodes by number, edges by source then target), so equal SOPs give equal bytes.
public struct ProcessGraph: Codable, Sendable, Hashable {
    /// The IR format version; bumped on any incompatible change.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// The catalogue id (`kota-cirebon/dkis/pengaduan-lapor-sp4n`).
    public var id: String
    public var name: String
    public var isDraft: Bool
    public var identity: Identity
    public var actors: [Actor]
    public var documents: [Document]
    /// Nodes; `nodes[i].id == i`; node 0 is the start.
    public var nodes: [Node]
    public var edges: [Edge]
    public var timers: [Timer]
    /// Document indices that come from outside the SOP.
    public var inputs: [Int]
    /// Document indices that are the SOP's final products.
    public var outputs: [Int]
    public var sla: Duration?
    /// SHA-256 of the canonical JSON of everything above; set by `sealed()`.
    public var contentHash: String

    public init(id: String, name: String, isDraft: Bool, identity: Identity, actors: [Actor], documents: [Document],
                nodes: [Node], edges: [Edge], timers: [Timer], inputs: [Int], outputs: [Int], sla: Duration?) {
        self.formatVersion = Self.currentFormatVersion
        self.id = id
        self.name = name
        self.isDraft = isDraft
        self.identity = identity
        self.actors = actors
        self.documents = documents
        self.nodes = nodes
        self.edges = edges
        self.timers = timers
        self.inputs = inputs
        self.outputs = outputs
        self.sla = sla
        self.contentHash = ""
    }

    /// The node the process starts at.
    public var start: Node { nodes[0] }

    /// The edges leaving a node, in order.
    public func outgoing(_ node: Int) -> [Edge] { edges.filter { $0.from == node } }
}

extension ProcessGraph {
    /// The identity block of the SOP form (Permenpan RB 35/2012), for sheets and catalogues.
    public struct Identity: Codable, Sendable, Hashable {
        public var number: String?
        public var government: String?
        public var agency: String?
        public var division: String?
        public var unit: String?
        public var activity: String?
        public var subActivity: String?
        public var created: String?
        public var revised: String?
        public var effective: String?
        public var approvedBy: Approval?
        public var purpose: String?
        public var legalBasis: [String]
        public var qualifications: [String]
        public var related: [Related]
        public var equipment: [String]
        public var warnings: [String]
        public var records: [String]
        public var sourceDocument: String?
        /// The seed's line ranges the SOP is read from, each `[first, last]` (1-based, inclusive).
        public var sourceLines: [[Int]]?
        public var sourceNumber: Int?
        public var notes: [String]
        /// Every deviation of the file's texts from print (OCR fixes, layout repairs).
        public var corrections: [Correction]?

        public init() {
            legalBasis = []; qualifications = []; related = []; equipment = []; warnings = []; records = []; notes = []
        }
    }

    /// A recorded deviation from the printed text: `printed` as it stands in the source,
    /// `reading` as the file writes it.
    public struct Correction: Codable, Sendable, Hashable {
        public var printed: String
        public var reading: String
        /// `ocr` (a certain OCR error) or `layout` (text the scan split or interleaved).
        public var kind: String
        public var `where`: String?
        public var reason: String?
        public init(printed: String, reading: String, kind: String, where: String? = nil, reason: String? = nil) {
            self.printed = printed
            self.reading = reading
            self.kind = kind
            self.where = `where`
            self.reason = reason
        }
    }

    /// A cell of the table the source does not print and the file infers (the actor of a
    /// step whose column mark was lost): `field` is the YAML key, `reason` why.
    public struct Inference: Codable, Sendable, Hashable {
        public var field: String
        public var reason: String
        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    /// *Disahkan oleh*.
    public struct Approval: Codable, Sendable, Hashable {
        public var title: String?
        public var name: String?
        public var nip: String?
        public init(title: String?, name: String?, nip: String?) {
            self.title = title
            self.name = name
            self.nip = nip
        }
    }

    /// A *Keterkaitan* entry; `id` is set when it names an SOP of the catalogue.
    public struct Related: Codable, Sendable, Hashable {
        public var name: String
        public var id: String?
        public init(name: String, id: String?) {
            self.name = name
            self.id = id
        }
    }

    public enum ActorKind: String, Codable, Sendable, Hashable, CaseIterable {
        case person, unit, system, external
    }

    /// A swimlane. `index` is its position in the table's *Pelaksana* columns.
    public struct Actor: Codable, Sendable, Hashable {
        public var index: Int
        public var key: String
        public var name: String
        public var kind: ActorKind
        public init(index: Int, key: String, name: String, kind: ActorKind) {
            self.index = index
            self.key = key
            self.name = name
            self.kind = kind
        }
    }

    /// A document named in `requires` / `produces`; `key` is the normalised name used to
    /// match them (lower case, single spaces, no punctuation).
    public struct Document: Codable, Sendable, Hashable {
        public var index: Int
        public var name: String
        public var key: String
        /// A printed requirement met by an earlier output of another wording: that
        /// document's index (`requires: {name, satisfied_by}`).
        public var satisfiedBy: Int?
        public init(index: Int, name: String, key: String, satisfiedBy: Int? = nil) {
            self.index = index
            self.name = name
            self.key = key
            self.satisfiedBy = satisfiedBy
        }
    }

    public enum NodeKind: String, Codable, Sendable, Hashable {
        case start, task, decision, parallelSplit, parallelJoin, call, end
    }

    /// A place in the source: 1-based line and column of the step's first and last character.
    public struct SourceSpan: Codable, Sendable, Hashable {
        public var file: String
        public var line: Int
        public var column: Int
        public var endLine: Int
        public var endColumn: Int
        public init(file: String, line: Int, column: Int, endLine: Int, endColumn: Int) {
            self.file = file
            self.line = line
            self.column = column
            self.endLine = endLine
            self.endColumn = endColumn
        }
    }

    /// One node. Steps become `task`, `decision` or `call` nodes; `start`, `end` and the
    /// parallel gateways have no step of their own. A step with `when` gets a `decision`
    /// node of its own before it (`conditionOf` = the step's node). There is one `end` node
    /// per declared outcome (`key` = the outcome id, `label` = its name), and the default
    /// end node (`Selesai`, no key) last.
    public struct Node: Codable, Sendable, Hashable {
        public var id: Int
        public var kind: NodeKind
        /// The step's `id` in the YAML, when it has one.
        public var key: String?
        /// The table number ("1", "2", "8.4"); nil for nodes that are not steps.
        public var number: String?
        /// The activity text (or "Mulai" / "Selesai").
        public var label: String
        public var actor: Int?
        /// Every actor who may perform the step, when there are several (`actor: [a, b]`);
        /// `actor` is the first. Nil for one actor.
        public var actors: [Int]?
        public var requires: [Int]
        public var produces: [Int]
        public var duration: Duration?
        /// The node whose completion the duration counts from (`duration: {from: STEP}`; 0,
        /// the start node, for `from: start`); nil: from the step's own activation.
        public var durationFrom: Int?
        /// The actor whose window the duration is (`window_of`): not the step's own
        /// processing time, so no deadline of the step is set from it.
        public var durationWindowOf: Int?
        public var recurrence: Duration?
        public var via: String?
        public var note: String?
        /// The decision's question.
        public var question: String?
        /// The called SOP's catalogue id.
        public var callee: String?
        /// For the decision node of a conditional step (`when`): the step's node. Its
        /// branches are `ya` (to the step) and `tidak` (past it).
        public var conditionOf: Int?
        /// Cells of this row the file infers rather than reads from print.
        public var inferred: [Inference]?
        public var source: SourceSpan?

        public init(id: Int, kind: NodeKind, label: String) {
            self.id = id
            self.kind = kind
            self.label = label
            self.requires = []
            self.produces = []
        }

        /// True for nodes an actor acts on: the steps and the conditions of conditional steps.
        public var isActivity: Bool { kind == .task || kind == .decision || kind == .call }

        /// True for nodes an actor performs (a row of the SOP table).
        public var isStep: Bool { (kind == .task || kind == .decision || kind == .call) && conditionOf == nil }

        /// Every actor who may perform the node.
        public var allActors: [Int] { actors ?? actor.map { [$0] } ?? [] }

        /// Whether `field` of this row is inferred rather than printed.
        public func isInferred(_ field: String) -> Bool { inferred?.contains { $0.field == field } ?? false }
    }

    public enum EdgeKind: String, Codable, Sendable, Hashable {
        /// The next step in order, or `next:`.
        case sequence
        /// A decision branch; `label` is the branch label (`ya`, `tidak`).
        case branch
        /// A timer firing; `label` is the timer's duration text.
        case timeout
        /// A parallel split's outgoing branch.
        case parallel
    }

    /// A directed edge; `timer` indexes `timers` for timeout edges.
    public struct Edge: Codable, Sendable, Hashable {
        public var from: Int
        public var to: Int
        public var kind: EdgeKind
        public var label: String?
        public var timer: Int?
        public init(from: Int, to: Int, kind: EdgeKind, label: String? = nil, timer: Int? = nil) {
            self.from = from
            self.to = to
            self.kind = kind
            self.label = label
            self.timer = timer
        }
    }

    /// From when a timer counts.
    public enum TimerAnchor: String, Codable, Sendable, Hashable, CaseIterable {
        /// From the step's activation (the default).
        case activation
        /// From the last response recorded on the open step (`sop case respond`): "10 hari
        /// kerja tidak ada tanggapan dari pelapor" counts from the answer the reporter got.
        /// Not armed until a first response; re-armed at each one.
        case lastResponse = "last-response"
    }

    /// A timeout: when `node` is still open `after` its anchor (its activation unless
    /// `since` says otherwise), the case moves to `target`.
    public struct Timer: Codable, Sendable, Hashable {
        public var id: Int
        public var node: Int
        public var after: Duration
        public var target: Int
        public var label: String?
        /// Nil means `activation`; omitted from the JSON then, so older hashes stay valid.
        public var since: TimerAnchor?
        public init(id: Int, node: Int, after: Duration, target: Int, label: String?, since: TimerAnchor? = nil) {
            self.id = id
            self.node = node
            self.after = after
            self.target = target
            self.label = label
            self.since = since
        }
    }
}
