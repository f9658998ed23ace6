import SOPDiagnostics
import SOPIR

/// Lowers a checked `SOPFile` to the `ProcessGraph` IR.
///
/// Node numbering is stable: 0 is the start, 1…n are the steps in written order, then one
/// split node per `parallel` step and one join node per join step (in step order), and the
/// end node last. Edges are sorted by source, then kind order as written. Call it only on
/// a file without errors; it never traps on a bad one (unresolved targets are dropped).
public enum Lowering {
    public static func lower(_ file: SOPFile) -> ProcessGraph {
        lower(CheckContext(file: file, catalog: nil))
    }

    /// Lowers the file of a check context, reusing its flow graph, actor and document numbers.
    public static func lower(_ context: CheckContext) -> ProcessGraph {
        let file = context.file
        let flow = context.flow
        let doc = file.document
        /// A scalar's text, without capturing the whole `SOPFile` in a closure.
        func text(_ ref: TextRef?) -> String? { ref.map { doc.string($0.node) } }
        let numbers = file.stepNumbers
        let n = file.steps.count

        // Actors in declared order.
        let actors = file.actors.enumerated().map { i, a in
            ProcessGraph.Actor(index: i, key: a.key.value, name: a.name?.value ?? a.key.value, kind: a.kind)
        }
        let actorOfStep = context.actorOfStep

        // Documents in order of first mention (inputs, then steps, then outputs), as the
        // check context numbered them, each named as it was first written. Every number gets
        // its entry even when its first mention is not met here (a printed requirement met
        // by two different `satisfied_by` documents: found by the fuzzer, the IR lacked the
        // later documents and a renderer indexed past its end).
        let table = context.documents
        var documents: [ProcessGraph.Document] = []
        documents.reserveCapacity(table.count)
        var named = [Bool](repeating: false, count: table.count)
        func document(_ id: Int, _ name: @autoclosure () -> String) -> Int {
            while documents.count <= id {
                documents.append(ProcessGraph.Document(index: documents.count, name: "", key: table.key(documents.count)))
            }
            if !named[id] {
                named[id] = true
                documents[id].name = name()
            }
            return id
        }
        let inputs = zip(file.inputs, table.inputs).map { document($1, $0.value) }

        var nodes: [ProcessGraph.Node] = [ProcessGraph.Node(id: 0, kind: .start, label: "Mulai")]
        nodes.reserveCapacity(n + 2)
        for step in file.steps {
            let kind: ProcessGraph.NodeKind = step.decision != nil ? .decision : step.call != nil ? .call : .task
            var node = ProcessGraph.Node(id: step.index + 1, kind: kind, label: text(step.action) ?? "")
            node.key = text(step.id)
            node.number = numbers[step.index]
            node.actor = actorOfStep[step.index] >= 0 ? Int(actorOfStep[step.index]) : nil
            if step.extraActors.count > 0 {
                let all = context.actors(of: step)
                if all.count > 1 { node.actors = all }
            }
            node.requires = zip(step.requires, zip(file.requires(step), table.requires[step.index])).map { position, pair in
                let d = document(pair.1, doc.string(pair.0.node))
                if let by = file.satisfiedBy[position], let alias = table.satisfiedByAt[position] {
                    documents[d].satisfiedBy = document(alias, doc.string(by.node))
                }
                return d
            }
            node.produces = zip(file.produces(step), table.produces[step.index]).map { document($1, doc.string($0.node)) }
            node.duration = step.duration.map { file.duration($0) }
            if let from = step.durationFrom {
                node.durationFrom = doc.scalar(from.node, equals: "start") ? 0 : flow.step(named: from, in: file).flatMap { $0 < n ? $0 + 1 : nil }
            }
            if step.durationWindowOf != nil, context.windowOfStep[step.index] >= 0 { node.durationWindowOf = Int(context.windowOfStep[step.index]) }
            let inferred = file.inferences(step).map { ProcessGraph.Inference(field: doc.string($0.field.node), reason: doc.string($0.reason.node)) }
            if !inferred.isEmpty { node.inferred = inferred }
            node.recurrence = step.recurring.map { file.duration($0) }
            node.via = text(step.via)
            node.note = text(step.note)
            node.question = text(file.decision(step)?.question)
            node.callee = text(step.call)
            node.source = span(file.range(ofNode: step.node))
            nodes.append(node)
        }
        let outputs = zip(file.outputs, table.outputs).map { document($1, $0.value) }
        // A number never met by name (none should be left): its key is its name.
        if documents.count < table.count { _ = document(table.count - 1, table.key(table.count - 1)) }
        for id in documents.indices where !named[id] { documents[id].name = documents[id].key }

        // Gateways for parallel blocks.
        var splitOf: [Int: Int] = [:]   // step index → split node
        var joinOf: [Int: Int] = [:]    // join step index → join node
        for step in file.steps {
            guard let parallel = file.parallel(step) else { continue }
            var split = ProcessGraph.Node(id: nodes.count, kind: .parallelSplit, label: "")
            split.actor = nodes[step.index + 1].actor
            split.source = span(file.headRange(ofNode: parallel.node))
            nodes.append(split)
            splitOf[step.index] = split.id
            if let join = parallel.join, let j = flow.step(named: join, in: file), joinOf[j] == nil {
                var node = ProcessGraph.Node(id: nodes.count, kind: .parallelJoin, label: "")
                node.actor = nodes[j + 1].actor
                node.source = span(file.range(join))
                nodes.append(node)
                joinOf[j] = node.id
            }
        }
        // A decision node before each conditional step (`when`): `ya` performs it, `tidak` passes it.
        var conditionOf: [Int: Int] = [:]   // step index → its condition's node
        for step in file.steps {
            guard let when = step.when else { continue }
            var node = ProcessGraph.Node(id: nodes.count, kind: .decision, label: doc.string(when.node))
            node.question = node.label
            node.number = numbers[step.index]
            node.actor = nodes[step.index + 1].actor
            node.actors = nodes[step.index + 1].actors
            node.conditionOf = step.index + 1
            node.source = span(file.range(when))
            conditionOf[step.index] = node.id
            nodes.append(node)
        }
        // One end node per declared outcome, then the default end.
        var outcomeNode: [Int] = []
        for outcome in file.outcomes {
            var node = ProcessGraph.Node(id: nodes.count, kind: .end, label: outcome.name?.value ?? outcome.key.value)
            node.key = outcome.key.value
            node.source = span(outcome.key.range)
            outcomeNode.append(node.id)
            nodes.append(node)
        }
        let endID = nodes.count
        nodes.append(ProcessGraph.Node(id: endID, kind: .end, label: "Selesai"))
        /// The end node a jump to `end` reaches: its outcome's, or the default one.
        func endNode(_ ref: TextRef?) -> Int {
            guard let ref, let k = flow.outcome(named: ref, in: file), k < outcomeNode.count else { return endID }
            return outcomeNode[k]
        }

        // Edges. A flow edge into a join step enters its join gateway instead.
        var edges: [ProcessGraph.Edge] = []
        var timers: [ProcessGraph.Timer] = []
        func nodeID(_ step: Int) -> Int { step == flow.end ? endID : step + 1 }
        /// Where a flow edge into `step` enters: its join gateway, then its condition.
        func entry(_ step: Int, from source: Int) -> Int {
            if let join = joinOf[step], source != join { return join }
            if let condition = conditionOf[step], source != condition { return condition }
            return nodeID(step)
        }
        /// Where a jump named `ref` (resolved to `step`) enters, outcome-aware for ends.
        func target(_ step: Int, _ ref: TextRef?, from source: Int) -> Int {
            step == flow.end ? endNode(ref) : entry(step, from: source)
        }
        if n > 0 { edges.append(ProcessGraph.Edge(from: 0, to: entry(0, from: 0), kind: .sequence)) }
        else { edges.append(ProcessGraph.Edge(from: 0, to: endID, kind: .sequence)) }
        for step in file.steps {
            let from = step.index + 1
            if let decision = file.decision(step) {
                for branch in decision.branches {
                    guard let t = flow.step(named: branch.target, in: file) else { continue }
                    edges.append(ProcessGraph.Edge(from: from, to: target(t, branch.target, from: from), kind: .branch, label: file.text(branch.label)))
                }
            } else if let split = splitOf[step.index] {
                edges.append(ProcessGraph.Edge(from: from, to: split, kind: .sequence))
                for branch in file.parallel(step)?.branches ?? [] {
                    guard let t = flow.step(named: branch, in: file), t != flow.end else { continue }
                    // A conditional branch asks its condition first, as anywhere else.
                    edges.append(ProcessGraph.Edge(from: split, to: conditionOf[t] ?? nodeID(t), kind: .parallel))
                }
            } else {
                if let condition = conditionOf[step.index] {
                    edges.append(ProcessGraph.Edge(from: condition, to: from, kind: .branch, label: "ya"))
                }
                // The sequence successor; a jump to `end` reaches the outcome named by `end:` or `next`.
                let ref = step.endOutcome ?? (step.isEnd ? nil : step.next)
                for e in flow.successors[step.index] where e.kind == .sequence {
                    let to = target(e.target, ref, from: from)
                    edges.append(ProcessGraph.Edge(from: from, to: to, kind: .sequence))
                    if let condition = conditionOf[step.index] {
                        edges.append(ProcessGraph.Edge(from: condition, to: to == from ? condition : to, kind: .branch, label: "tidak"))
                    }
                }
            }
            for timeout in file.timeouts(step) {
                guard let after = timeout.after.map(file.duration), let ref = timeout.target, let t = flow.step(named: ref, in: file) else { continue }
                let to = t == flow.end ? endNode(ref) : nodeID(t)
                let timer = ProcessGraph.Timer(id: timers.count, node: from, after: after, target: to, label: timeout.label.map(file.text),
                                             since: timeout.since == .activation ? nil : timeout.since)
                timers.append(timer)
                edges.append(ProcessGraph.Edge(from: from, to: to, kind: .timeout, label: after.text, timer: timer.id))
            }
        }
        for (step, join) in joinOf.sorted(by: { $0.key < $1.key }) {
            edges.append(ProcessGraph.Edge(from: join, to: entry(step, from: join), kind: .sequence))
        }
        edges.sort { ($0.from, $0.timer ?? -1) < ($1.from, $1.timer ?? -1) }
        // With named outcomes, the default end is kept only if something reaches it.
        if !outcomeNode.isEmpty, !edges.contains(where: { $0.to == endID }) { nodes.removeLast() }

        var identity = ProcessGraph.Identity()
        identity.number = file.number?.value
        identity.government = file.organization?.government?.value
        identity.agency = file.organization?.agency?.value
        identity.division = file.organization?.division?.value
        identity.unit = file.organization?.unit?.value
        identity.activity = file.activity?.value
        identity.subActivity = file.subActivity?.value
        identity.created = file.dates.created?.value
        identity.revised = file.dates.revised?.value
        identity.effective = file.dates.effective?.value
        identity.approvedBy = file.approvedBy.map {
            ProcessGraph.Approval(title: $0.title?.value, name: $0.name?.value, nip: $0.nip?.value)
        }
        identity.purpose = file.purpose?.value
        identity.legalBasis = file.legalBasis.map(\.value)
        identity.qualifications = file.qualifications.map(\.value)
        identity.related = file.related.map { ProcessGraph.Related(name: $0.name.value, id: $0.id?.value) }
        identity.equipment = file.equipment.map(\.value)
        identity.warnings = file.warnings.map(\.value)
        identity.records = file.records.map(\.value)
        identity.sourceDocument = file.source?.document?.value
        identity.sourceNumber = file.source?.sopNumber?.value
        if let lines = file.source?.lines, !lines.isEmpty { identity.sourceLines = lines.map(\.value) }
        identity.notes = file.notes.map(\.value)
        if !file.corrections.isEmpty {
            identity.corrections = file.corrections.map {
                ProcessGraph.Correction(printed: $0.printed.value, reading: $0.reading.value, kind: $0.kind.value,
                                        where: $0.where?.value, reason: $0.reason?.value)
            }
        }

        let graph = ProcessGraph(
            id: file.id?.value ?? "", name: file.name?.value ?? "", isDraft: file.isDraft, identity: identity,
            actors: actors, documents: documents, nodes: nodes, edges: edges, timers: timers,
            inputs: inputs, outputs: outputs, sla: file.sla?.value)
        return graph.sealed()
    }

    static func span(_ r: SourceRange) -> ProcessGraph.SourceSpan {
        ProcessGraph.SourceSpan(file: r.file, line: r.start.line, column: r.start.column, endLine: r.end.line, endColumn: r.end.column)
    }
}
