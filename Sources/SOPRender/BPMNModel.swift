import SOPIR

/// The engine a BPMN export targets: engines disagree on the language of conditions and
/// timer expressions. `neutral` writes ISO 8601 values and plain comparisons; `spiff` writes
/// Python (SpiffWorkflow 3, the tested target); `camunda7` writes JUEL `${…}`.
public enum BPMNEngine: String, CaseIterable, Sendable {
    case neutral, spiff, camunda7
}

/// The BPMN graph of one SOP, before layout: flow nodes in column order (left to right),
/// sequence flows, boundary timers and data references. Built from the IR only.
///
/// Rules it keeps (the linters' and the engines'): an activity has at most one outgoing
/// sequence flow (a decision gets an exclusive gateway after its task, a parallel block a
/// parallel gateway pair); every node with more than one incoming flow that is not a
/// parallel join gets a converging exclusive gateway in front of it; every id is an NCName
/// derived from the step's number or key, never from a counter of the export.
struct BPMNModel {
    enum Kind: String {
        case startEvent, endEvent, userTask, serviceTask, callActivity, exclusiveGateway, parallelGateway
        var isActivity: Bool { self == .userTask || self == .serviceTask || self == .callActivity }
        var isGateway: Bool { self == .exclusiveGateway || self == .parallelGateway }
    }

    /// What a flow node stands for in the IR.
    enum Role: Equatable {
        case node(Int)            // the IR node itself (start, end, step, condition, parallel gateway)
        case split(Int)           // the exclusive gateway after a decision's task
        case merge(Int)           // the converging gateway in front of an IR node
    }

    struct FlowNode {
        var id: String
        var kind: Kind
        var name: String?
        var role: Role
        var lane: Int
        var incoming: [String] = []
        var outgoing: [String] = []
        var defaultFlow: String?
    }

    struct Flow {
        var id: String
        var source: String
        var target: String
        var name: String?
        /// The branch label this flow carries (a decision's answer).
        var branch: String?
        /// The IR decision node whose answer the condition reads.
        var decision: Int?
    }

    struct Boundary {
        var id: String
        var attachedTo: String
        var timer: Int
        var outgoing: String = ""
    }

    struct DataReference {
        var id: String
        var document: Int
        var activity: String
        var isInput: Bool
    }

    var graph: ProcessGraph
    var nodes: [FlowNode] = []
    var flows: [Flow] = []
    var boundaries: [Boundary] = []
    var dataReferences: [DataReference] = []
    /// `dataReferences` by activity id.
    var dataReferencesOf: [String: [DataReference]] = [:]
    /// Lane names, in the SOP's actor order (plus the placeholder lane of drafts).
    var lanes: [String] = []
    var laneKeys: [String?] = []
    private(set) var index: [String: Int] = [:]

    func node(_ id: String) -> FlowNode { nodes[index[id]!] }

    init(_ graph: ProcessGraph) {
        self.graph = graph
        let drawing = Drawing(graph)
        lanes = drawing.lanes.map(\.name)
        laneKeys = drawing.lanes.map { $0.isPlaceholder ? nil : graph.actors.sorted { $0.index < $1.index }[$0.index].key }
        var laneOfNode: [Int: Int] = [:]
        for row in drawing.rows { laneOfNode[row.node.id] = row.lane }
        let outgoing = Dictionary(grouping: graph.edges, by: \.from)
        let incomingEdges = Dictionary(grouping: graph.edges, by: \.to)

        // Parallel gateways stand in the lane of the step before (split) or after (join).
        for node in graph.nodes where node.kind == .parallelSplit {
            laneOfNode[node.id] = incomingEdges[node.id]?.first.flatMap { laneOfNode[$0.from] } ?? 0
        }
        for node in graph.nodes where node.kind == .parallelJoin {
            laneOfNode[node.id] = outgoing[node.id]?.first.flatMap { laneOfNode[$0.to] } ?? 0
        }

        // Base ids of IR nodes.
        var baseID: [Int: String] = [:]
        var used: Set<String> = []
        func unique(_ id: String) -> String {
            var candidate = id
            var n = 2
            while used.contains(candidate) { candidate = "\(id)_\(n)"; n += 1 }
            used.insert(candidate)
            return candidate
        }
        for node in graph.nodes {
            let id: String
            switch node.kind {
            case .start: id = "StartEvent"
            case .end: id = node.key.map { "EndEvent_" + Self.ncname($0) } ?? "EndEvent"
            case .parallelSplit:
                let before = incomingEdges[node.id]?.first.map { graph.nodes[$0.from] }
                id = "Gateway_" + Self.stepToken(before) + "_fork"
            case .parallelJoin:
                let after = outgoing[node.id]?.first.map { graph.nodes[$0.to] }
                id = "Gateway_" + Self.stepToken(after) + "_join"
            default:
                id = node.conditionOf != nil ? "Activity_" + Self.stepToken(node) + "_condition" : "Activity_" + Self.stepToken(node)
            }
            baseID[node.id] = unique(id)
        }

        // Column order: start, then each row with its joins and merge in front and its
        // split and forks behind, then the ends; merges are inserted below once counted.
        var joinsBefore: [Int: [Int]] = [:], forksAfter: [Int: [Int]] = [:]
        for node in graph.nodes {
            if node.kind == .parallelJoin, let to = outgoing[node.id]?.first?.to { joinsBefore[to, default: []].append(node.id) }
            if node.kind == .parallelSplit, let from = incomingEdges[node.id]?.first?.from { forksAfter[from, default: []].append(node.id) }
        }
        var order: [Int] = []
        for row in drawing.rows {
            let n = row.node.id
            order += joinsBefore[n] ?? []
            order.append(n)
            order += forksAfter[n] ?? []
        }
        let placed = Set(order)
        for node in graph.nodes where (node.kind == .parallelSplit || node.kind == .parallelJoin) && !placed.contains(node.id) {
            order.append(node.id)
        }

        var built: [FlowNode] = []
        var splitOf: [Int: String] = [:]
        for n in order {
            let node = graph.nodes[n]
            // An outcome nothing reaches is declared (in `sop:sop`) but not drawn: an end
            // event without an incoming flow would be a second start to every BPMN reader.
            if node.kind == .end, incomingEdges[n] == nil { continue }
            let lane = laneOfNode[n] ?? 0
            let kind: Kind
            switch node.kind {
            case .start: kind = .startEvent
            case .end: kind = .endEvent
            case .parallelSplit, .parallelJoin: kind = .parallelGateway
            case .call: kind = .callActivity
            case .task, .decision:
                let actor = node.actor.flatMap { a in graph.actors.first { $0.index == a } }
                kind = actor?.kind == .system ? .serviceTask : .userTask
            }
            built.append(FlowNode(id: baseID[n]!, kind: kind, name: Self.name(of: node, in: graph), role: .node(n), lane: lane))
            if (outgoing[n] ?? []).contains(where: { $0.kind == .branch }) {
                let id = unique(baseID[n]! + "_split")
                splitOf[n] = id
                built.append(FlowNode(id: id, kind: .exclusiveGateway, name: node.question ?? node.label, role: .split(n), lane: lane))
            }
        }

        // Flows of the IR's edges, from the element each edge leaves.
        var flows: [Flow] = []
        var boundaries: [Boundary] = []
        func flowID(_ source: String, _ target: String) -> String { unique("Flow_" + source + "_to_" + target) }
        for (n, split) in splitOf.sorted(by: { $0.key < $1.key }) {
            flows.append(Flow(id: flowID(baseID[n]!, split), source: baseID[n]!, target: split))
        }
        var timerCount: [Int: Int] = [:]
        for edge in graph.edges {
            guard let target = baseID[edge.to], let source = baseID[edge.from] else { continue }
            switch edge.kind {
            case .branch:
                let split = splitOf[edge.from] ?? source
                flows.append(Flow(id: flowID(split, target), source: split, target: target, name: edge.label,
                                  branch: edge.label, decision: edge.from))
            case .timeout:
                let k = timerCount[edge.from, default: 0] + 1
                timerCount[edge.from] = k
                let boundary = unique(source + "_timer\(k)")
                let flow = flowID(boundary, target)
                boundaries.append(Boundary(id: boundary, attachedTo: source, timer: edge.timer ?? 0, outgoing: flow))
                flows.append(Flow(id: flow, source: boundary, target: target))
            case .sequence, .parallel:
                flows.append(Flow(id: flowID(source, target), source: source, target: target))
            }
        }

        // Converging gateways where more than one flow enters a node that is not a join.
        var flowsInto: [String: [Int]] = [:]
        for (i, f) in flows.enumerated() { flowsInto[f.target, default: []].append(i) }
        var withMerges: [FlowNode] = []
        for fn in built {
            if case let .node(n) = fn.role, graph.nodes[n].kind != .parallelJoin, (flowsInto[fn.id]?.count ?? 0) > 1 {
                let merge = unique(fn.id + "_merge")
                for i in flowsInto[fn.id] ?? [] { flows[i].target = merge }
                flows.append(Flow(id: flowID(merge, fn.id), source: merge, target: fn.id))
                withMerges.append(FlowNode(id: merge, kind: .exclusiveGateway, name: nil, role: .merge(n), lane: fn.lane))
            }
            withMerges.append(fn)
        }
        nodes = withMerges
        for (i, fn) in nodes.enumerated() { index[fn.id] = i }
        for flow in flows {
            if let s = index[flow.source] { nodes[s].outgoing.append(flow.id) }
            if let t = index[flow.target] { nodes[t].incoming.append(flow.id) }
        }
        self.flows = flows
        self.boundaries = boundaries

        // Data references: one per document a step requires or produces, beside its task.
        for fn in nodes where fn.kind.isActivity {
            guard case let .node(n) = fn.role else { continue }
            let node = graph.nodes[n]
            for d in node.requires { dataReferences.append(DataReference(id: unique(fn.id + "_in\(d)"), document: d, activity: fn.id, isInput: true)) }
            for d in node.produces { dataReferences.append(DataReference(id: unique(fn.id + "_out\(d)"), document: d, activity: fn.id, isInput: false)) }
        }
        dataReferencesOf = Dictionary(grouping: dataReferences, by: \.activity)
    }

    /// A step's token for ids: its number ("8.4"), else its key, else its node id.
    static func stepToken(_ node: ProcessGraph.Node?) -> String {
        guard let node else { return "x" }
        if let number = node.number, !number.isEmpty { return ncname(number) }
        if let key = node.key { return ncname(key) }
        return "n\(node.id)"
    }

    /// Letters, digits, `.`, `_`, `-` kept; anything else becomes `_`.
    static func ncname(_ text: String) -> String {
        String(text.map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "_" || c == "-") ? c : "_"
        })
    }

    /// The process id of a catalogue id (also a call activity's `calledElement`):
    /// `sop.` then the id with `/` as `.`.
    static func processID(_ sopID: String) -> String {
        "sop." + String(ncname(sopID).map { $0 == "_" ? "." : $0 })
    }

    /// The name of the Python / JUEL variable that holds a decision's answer.
    static func answerVariable(_ node: ProcessGraph.Node) -> String {
        "answer_" + String(stepToken(node).map { $0.isLetter || $0.isNumber ? $0 : "_" }) + (node.conditionOf != nil ? "_condition" : "")
    }

    /// What a flow node is called: "1. Memverifikasi …", "8.4? jika …", the outcome's name.
    static func name(of node: ProcessGraph.Node, in graph: ProcessGraph) -> String {
        switch node.kind {
        case .start: return "Mulai"
        case .end: return node.label
        case .parallelSplit, .parallelJoin: return ""
        default:
            if node.conditionOf != nil { return Drawing.conditionMark(node) + " " + (node.question ?? node.label) }
            return Drawing.title(of: node)
        }
    }
}
