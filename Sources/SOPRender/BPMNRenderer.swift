import SOPIR

/// BPMN 2.0 XML of one SOP (`sop render --format bpmn`), with its diagram interchange laid
/// out by `BPMNLayout`. The mapping is documented in `Docs/BPMN.md`; in short: one process
/// in one pool, a lane per actor; `userTask` for people and units, `serviceTask` for
/// systems, `callActivity` for `call`; a decision's task is followed by an exclusive
/// gateway whose flows carry the branch labels and conditions; parallel blocks are parallel
/// gateway pairs; timeouts are interrupting boundary timers; named outcomes are end events;
/// documents are data objects with input and output associations; everything else of the
/// sheet (identity block, numbers, *Waktu* texts, notes, inferred cells) is kept in
/// `documentation` and in extension elements of the namespace `urn:sop:bpmn:1`.
///
/// Deterministic: ids come from step numbers and keys, never from a clock or a counter of
/// the run, so the same IR gives the same bytes.
public struct BPMNRenderer {
    /// The namespace of our extension elements.
    public static let namespace = "urn:sop:bpmn:1"

    public var engine: BPMNEngine

    public init(engine: BPMNEngine = .neutral) { self.engine = engine }

    /// The process id of a catalogue SOP, as a call activity's `calledElement` names it.
    public static func processID(of sopID: String) -> String { BPMNModel.processID(sopID) }

    public func render(_ graph: ProcessGraph) -> String {
        let model = BPMNModel(graph)
        let layout = BPMNLayout(model)
        var w = LineWriter(indentUnit: "  ")
        let processID = BPMNModel.processID(graph.id)
        let collaborationID = "Collaboration_" + processID.dropFirst(4)
        w.writeLine("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        w.writeLine("<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" "
            + "xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\" "
            + "xmlns:dc=\"http://www.omg.org/spec/DD/20100524/DC\" "
            + "xmlns:di=\"http://www.omg.org/spec/DD/20100524/DI\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            + "xmlns:sop=\"\(Self.namespace)\" "
            + "id=\"Definitions\" targetNamespace=\"urn:sop:catalogue\" exporter=\"sop\" exporterVersion=\"1\" "
            + "sop:engine=\"\(engine.rawValue)\">")
        w.withIndent { w in
            w.writeLine("<bpmn:collaboration id=\"\(collaborationID)\">")
            w.withIndent { w in
                w.writeLine("<bpmn:participant id=\"Participant\" name=\"\(x(graph.name))\" processRef=\"\(processID)\" />")
            }
            w.writeLine("</bpmn:collaboration>")
            writeProcess(&w, model, processID)
            writeDiagram(&w, model, layout, collaborationID)
        }
        w.writeLine("</bpmn:definitions>")
        return w.text
    }

    // MARK: - The process

    private func writeProcess(_ w: inout LineWriter, _ model: BPMNModel, _ processID: String) {
        let graph = model.graph
        w.writeLine("<bpmn:process id=\"\(processID)\" name=\"\(x(graph.name))\" isExecutable=\"true\">")
        w.withIndent { w in
            documentation(&w, processDocumentation(graph))
            w.writeLine("<bpmn:extensionElements>")
            w.withIndent { w in writeIdentity(&w, graph) }
            w.writeLine("</bpmn:extensionElements>")
            w.writeLine("<bpmn:laneSet id=\"LaneSet\">")
            w.withIndent { w in
                for (l, name) in model.lanes.enumerated() {
                    let key = model.laneKeys[l]
                    w.writeLine("<bpmn:lane id=\"\(laneID(model, l))\" name=\"\(x(name))\">")
                    w.withIndent { w in
                        if let key, let actor = graph.actors.first(where: { $0.key == key }) {
                            w.writeLine("<bpmn:extensionElements>")
                            w.withIndent { w in
                                w.writeLine("<sop:actor key=\"\(x(actor.key))\" kind=\"\(actor.kind.rawValue)\" />")
                            }
                            w.writeLine("</bpmn:extensionElements>")
                        }
                        for fn in model.nodes where fn.lane == l { w.writeLine("<bpmn:flowNodeRef>\(fn.id)</bpmn:flowNodeRef>") }
                        for b in model.boundaries where model.node(b.attachedTo).lane == l {
                            w.writeLine("<bpmn:flowNodeRef>\(b.id)</bpmn:flowNodeRef>")
                        }
                    }
                    w.writeLine("</bpmn:lane>")
                }
            }
            w.writeLine("</bpmn:laneSet>")
            for doc in graph.documents {
                w.writeLine("<bpmn:dataObject id=\"\(dataObjectID(doc.index))\" name=\"\(x(doc.name))\" />")
            }
            for fn in model.nodes { writeFlowNode(&w, model, fn) }
            for b in model.boundaries { writeBoundary(&w, model, b) }
            for d in model.dataReferences {
                w.writeLine("<bpmn:dataObjectReference id=\"\(d.id)\" name=\"\(x(graph.documents[d.document].name))\" dataObjectRef=\"\(dataObjectID(d.document))\" />")
            }
            for flow in model.flows { writeFlow(&w, model, flow) }
        }
        w.writeLine("</bpmn:process>")
    }

    private func writeFlowNode(_ w: inout LineWriter, _ model: BPMNModel, _ fn: BPMNModel.FlowNode) {
        let graph = model.graph
        var attributes = "id=\"\(fn.id)\""
        if let name = fn.name, !name.isEmpty { attributes += " name=\"\(x(name))\"" }
        if fn.kind == .exclusiveGateway, case .merge = fn.role { attributes += " gatewayDirection=\"Converging\"" }
        if fn.kind == .exclusiveGateway, case .split = fn.role { attributes += " gatewayDirection=\"Diverging\"" }
        if fn.kind == .parallelGateway { attributes += fn.incoming.count > 1 ? " gatewayDirection=\"Converging\"" : " gatewayDirection=\"Diverging\"" }
        if fn.kind == .serviceTask { attributes += " implementation=\"##unspecified\"" }
        var node: ProcessGraph.Node?
        if case let .node(n) = fn.role { node = graph.nodes[n] }
        if fn.kind == .callActivity, let callee = node?.callee { attributes += " calledElement=\"\(BPMNModel.processID(callee))\"" }
        w.writeLine("<bpmn:\(fn.kind.rawValue) \(attributes)>")
        w.withIndent { w in
            if let node, fn.kind.isActivity {
                documentation(&w, stepDocumentation(node, graph))
                w.writeLine("<bpmn:extensionElements>")
                w.withIndent { w in writeStep(&w, node, graph) }
                w.writeLine("</bpmn:extensionElements>")
            } else if let node, fn.kind == .endEvent, let key = node.key {
                w.writeLine("<bpmn:extensionElements>")
                w.withIndent { w in w.writeLine("<sop:outcome key=\"\(x(key))\" />") }
                w.writeLine("</bpmn:extensionElements>")
            }
            for id in fn.incoming { w.writeLine("<bpmn:incoming>\(id)</bpmn:incoming>") }
            for id in fn.outgoing { w.writeLine("<bpmn:outgoing>\(id)</bpmn:outgoing>") }
            if fn.kind.isActivity {
                let references = model.dataReferencesOf[fn.id] ?? []
                let inputs = references.filter(\.isInput)
                let outputs = references.filter { !$0.isInput }
                if !inputs.isEmpty {
                    w.writeLine("<bpmn:property id=\"\(fn.id)_placeholder\" name=\"__targetRef_placeholder\" />")
                }
                for d in inputs {
                    w.writeLine("<bpmn:dataInputAssociation id=\"\(d.id)_association\">")
                    w.withIndent { w in
                        w.writeLine("<bpmn:sourceRef>\(d.id)</bpmn:sourceRef>")
                        w.writeLine("<bpmn:targetRef>\(fn.id)_placeholder</bpmn:targetRef>")
                    }
                    w.writeLine("</bpmn:dataInputAssociation>")
                }
                for d in outputs {
                    w.writeLine("<bpmn:dataOutputAssociation id=\"\(d.id)_association\">")
                    w.withIndent { w in w.writeLine("<bpmn:targetRef>\(d.id)</bpmn:targetRef>") }
                    w.writeLine("</bpmn:dataOutputAssociation>")
                }
                if node?.recurrence != nil {
                    w.writeLine("<bpmn:standardLoopCharacteristics testBefore=\"false\">")
                    w.withIndent { w in
                        w.writeLine("<bpmn:loopCondition xsi:type=\"bpmn:tFormalExpression\">\(x(loopCondition()))</bpmn:loopCondition>")
                    }
                    w.writeLine("</bpmn:standardLoopCharacteristics>")
                }
            }
        }
        w.writeLine("</bpmn:\(fn.kind.rawValue)>")
    }

    private func writeBoundary(_ w: inout LineWriter, _ model: BPMNModel, _ b: BPMNModel.Boundary) {
        let graph = model.graph
        let timer = graph.timers[b.timer]
        let name = timer.label ?? "Lewat \(timer.after.text)"
        w.writeLine("<bpmn:boundaryEvent id=\"\(b.id)\" name=\"\(x(name))\" cancelActivity=\"true\" attachedToRef=\"\(b.attachedTo)\">")
        w.withIndent { w in
            documentation(&w, "Waktu: \(timer.after.text)" + (timer.since == .lastResponse ? " (sejak tanggapan terakhir / since the last response)" : ""))
            w.writeLine("<bpmn:extensionElements>")
            w.withIndent { w in
                var attributes = "after=\"\(x(timer.after.text))\""
                if let since = timer.since { attributes += " since=\"\(since.rawValue)\"" }
                if let label = timer.label { attributes += " label=\"\(x(label))\"" }
                w.writeLine("<sop:timer \(attributes) />")
            }
            w.writeLine("</bpmn:extensionElements>")
            w.writeLine("<bpmn:outgoing>\(b.outgoing)</bpmn:outgoing>")
            w.writeLine("<bpmn:timerEventDefinition id=\"\(b.id)_definition\">")
            w.withIndent { w in
                let (element, expression) = timerExpression(timer, graph)
                w.writeLine("<bpmn:\(element) xsi:type=\"bpmn:tFormalExpression\">\(x(expression))</bpmn:\(element)>")
            }
            w.writeLine("</bpmn:timerEventDefinition>")
        }
        w.writeLine("</bpmn:boundaryEvent>")
    }

    private func writeFlow(_ w: inout LineWriter, _ model: BPMNModel, _ flow: BPMNModel.Flow) {
        var attributes = "id=\"\(flow.id)\""
        if let name = flow.name { attributes += " name=\"\(x(name))\"" }
        attributes += " sourceRef=\"\(flow.source)\" targetRef=\"\(flow.target)\""
        guard let branch = flow.branch, let decision = flow.decision else {
            w.writeLine("<bpmn:sequenceFlow \(attributes) />")
            return
        }
        w.writeLine("<bpmn:sequenceFlow \(attributes)>")
        w.withIndent { w in
            let condition = self.condition(BPMNModel.answerVariable(model.graph.nodes[decision]), equals: branch)
            w.writeLine("<bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">\(x(condition))</bpmn:conditionExpression>")
        }
        w.writeLine("</bpmn:sequenceFlow>")
    }

    // MARK: - Expressions per engine

    /// The condition that a decision's answer is `label`.
    func condition(_ variable: String, equals label: String) -> String {
        var quoted = "\""
        for c in label {
            if c == "\\" || c == "\"" { quoted.append("\\") }
            quoted.append(c)
        }
        quoted += "\""
        switch engine {
        case .neutral, .spiff: return "\(variable) == \(quoted)"
        case .camunda7: return "${\(variable) == \(quoted)}"
        }
    }

    /// A recurring step loops until the host says its last occurrence is done.
    func loopCondition() -> String {
        switch engine {
        case .neutral, .spiff: return "not sop_last_occurrence"
        case .camunda7: return "${!sopLastOccurrence}"
        }
    }

    /// The timer's element (`timeDuration` or `timeDate`) and expression. Elapsed time is an
    /// ISO 8601 duration every engine reads; working days and times counted from the last
    /// response need the host's calendar: a call of `sop_due` (see Docs/BPMN.md).
    func timerExpression(_ timer: ProcessGraph.Timer, _ graph: ProcessGraph) -> (String, String) {
        guard let span = timer.after.maximum else { return ("timeDuration", engine == .spiff ? "\"PT0S\"" : "PT0S") }
        let amount = Self.number(span.max)
        if span.unit != .workingDay && timer.since == nil {
            let iso: String
            switch span.unit {
            case .second: iso = "PT\(amount)S"
            case .minute: iso = "PT\(amount)M"
            case .hour: iso = "PT\(amount)H"
            case .day: iso = "P\(amount)D"
            case .week: iso = "P\(amount)W"
            case .month: iso = "P\(amount)M"
            case .year: iso = "P\(amount)Y"
            case .workingDay: iso = "P\(amount)D"
            }
            return ("timeDuration", engine == .spiff ? "\"\(iso)\"" : iso)
        }
        let since = timer.since == .lastResponse
        switch engine {
        case .neutral, .spiff:
            return ("timeDate", "sop_due(\(amount), \"\(span.unit.rawValue)\", \"\(graph.id)\"" + (since ? ", since=sop_last_response)" : ")"))
        case .camunda7:
            return ("timeDate", "${sopCalendar.due(\(amount), \"\(span.unit.rawValue)\", \"\(graph.id)\", execution" + (since ? ", sopLastResponse)}" : ", null)}"))
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    // MARK: - What the sheet says

    private func processDocumentation(_ graph: ProcessGraph) -> String {
        let i = graph.identity
        var lines: [String] = ["SOP \(graph.name)" + (graph.isDraft ? " (\(Drawing.draftMark))" : "")]
        if let v = i.number { lines.append("Nomor SOP: \(v)") }
        let org = [i.government, i.agency, i.division, i.unit].compactMap { $0 }
        if !org.isEmpty { lines.append("Organisasi: " + org.joined(separator: " / ")) }
        if let v = i.created { lines.append("Tanggal Pembuatan: \(v)") }
        if let v = i.revised { lines.append("Tanggal Revisi: \(v)") }
        if let v = i.effective { lines.append("Tanggal Efektif: \(v)") }
        if let a = i.approvedBy { lines.append("Disahkan oleh: " + [a.title, a.name, a.nip.map { "NIP \($0)" }].compactMap { $0 }.joined(separator: ", ")) }
        if let sla = graph.sla { lines.append("SLA: \(sla.text)") }
        return lines.joined(separator: "\n")
    }

    private func stepDocumentation(_ node: ProcessGraph.Node, _ graph: ProcessGraph) -> String {
        var lines: [String] = []
        if node.conditionOf != nil {
            lines.append("Syarat langkah \(node.number ?? ""): \(node.question ?? node.label)")
        } else {
            lines.append("\(node.number ?? "-"). \(node.label)")
        }
        let actors = node.allActors.compactMap { a in graph.actors.first { $0.index == a }?.name }
        if !actors.isEmpty { lines.append("Pelaksana: " + actors.joined(separator: " atau ")) }
        if node.conditionOf == nil {
            if !node.requires.isEmpty { lines.append("Kelengkapan: " + node.requires.map { graph.documents[$0].name }.joined(separator: "; ")) }
            if let d = node.duration { lines.append("Waktu: \(d.text)") }
            if !node.produces.isEmpty { lines.append("Output: " + node.produces.map { graph.documents[$0].name }.joined(separator: "; ")) }
            if let r = node.recurrence { lines.append("Berulang: \(r.text)") }
            if let v = node.via { lines.append("Melalui: \(v)") }
            if let c = node.callee { lines.append("Menjalankan SOP \(c)") }
            if let n = node.note { lines.append("Keterangan: \(n)") }
        }
        return lines.joined(separator: "\n")
    }

    private func writeStep(_ w: inout LineWriter, _ node: ProcessGraph.Node, _ graph: ProcessGraph) {
        var attributes = ""
        if let number = node.number { attributes += " number=\"\(x(number))\"" }
        if let key = node.key ?? node.conditionOf.flatMap({ graph.nodes[$0].key }) { attributes += " key=\"\(x(key))\"" }
        if node.conditionOf != nil { attributes += " condition=\"true\"" }
        attributes += " answer=\"\(BPMNModel.answerVariable(node))\""
        w.writeLine("<sop:step\(attributes)>")
        w.withIndent { w in
            w.writeLine("<sop:action>\(x(node.label))</sop:action>")
            for a in node.allActors { if let actor = graph.actors.first(where: { $0.index == a }) { w.writeLine("<sop:actor key=\"\(x(actor.key))\" />") } }
            if let q = node.question { w.writeLine("<sop:question>\(x(q))</sop:question>") }
            if let d = node.duration {
                var attrs = ""
                if let from = node.durationFrom { attrs += " from=\"\(from == 0 ? "start" : x(graph.nodes[from].key ?? graph.nodes[from].number ?? "\(from)"))\"" }
                if let a = node.durationWindowOf, let actor = graph.actors.first(where: { $0.index == a }) { attrs += " windowOf=\"\(x(actor.key))\"" }
                w.writeLine("<sop:duration\(attrs)>\(x(d.text))</sop:duration>")
            }
            if let r = node.recurrence { w.writeLine("<sop:recurrence>\(x(r.text))</sop:recurrence>") }
            if let v = node.via { w.writeLine("<sop:via>\(x(v))</sop:via>") }
            if let c = node.callee { w.writeLine("<sop:call>\(x(c))</sop:call>") }
            if let n = node.note { w.writeLine("<sop:note>\(x(n))</sop:note>") }
            for d in node.requires where graph.documents[d].satisfiedBy != nil {
                let by = graph.documents[d].satisfiedBy!
                w.writeLine("<sop:satisfiedBy document=\"\(dataObjectID(d))\" by=\"\(x(graph.documents[by].name))\" />")
            }
            for inference in node.inferred ?? [] {
                w.writeLine("<sop:inferred field=\"\(x(inference.field))\">\(x(inference.reason))</sop:inferred>")
            }
        }
        w.writeLine("</sop:step>")
    }

    private func writeIdentity(_ w: inout LineWriter, _ graph: ProcessGraph) {
        let i = graph.identity
        w.writeLine("<sop:sop id=\"\(x(graph.id))\" draft=\"\(graph.isDraft)\">")
        w.withIndent { w in
            func field(_ name: String, _ value: String?) { if let value { w.writeLine("<sop:\(name)>\(x(value))</sop:\(name)>") } }
            field("number", i.number)
            field("government", i.government); field("agency", i.agency); field("division", i.division); field("unit", i.unit)
            field("activity", i.activity); field("subActivity", i.subActivity)
            field("created", i.created); field("revised", i.revised); field("effective", i.effective)
            if let a = i.approvedBy {
                var attrs = ""
                if let t = a.title { attrs += " title=\"\(x(t))\"" }
                if let n = a.name { attrs += " name=\"\(x(n))\"" }
                if let nip = a.nip { attrs += " nip=\"\(x(nip))\"" }
                w.writeLine("<sop:approvedBy\(attrs) />")
            }
            field("purpose", i.purpose)
            for v in i.legalBasis { field("legalBasis", v) }
            for v in i.qualifications { field("qualification", v) }
            for r in i.related {
                w.writeLine("<sop:related" + (r.id.map { " id=\"\(x($0))\"" } ?? "") + ">\(x(r.name))</sop:related>")
            }
            for v in i.equipment { field("equipment", v) }
            for v in i.warnings { field("warning", v) }
            for v in i.records { field("record", v) }
            if let doc = i.sourceDocument {
                var attrs = " document=\"\(x(doc))\""
                if let n = i.sourceNumber { attrs += " sopNumber=\"\(n)\"" }
                if let lines = i.sourceLines { attrs += " lines=\"" + lines.map { $0.map(String.init).joined(separator: "-") }.joined(separator: ",") + "\"" }
                w.writeLine("<sop:source\(attrs) />")
            }
            for v in i.notes { field("note", v) }
            for c in i.corrections ?? [] {
                var attrs = " printed=\"\(x(c.printed))\" reading=\"\(x(c.reading))\" kind=\"\(x(c.kind))\""
                if let wh = c.where { attrs += " where=\"\(x(wh))\"" }
                if let r = c.reason { attrs += " reason=\"\(x(r))\"" }
                w.writeLine("<sop:correction\(attrs) />")
            }
            if let sla = graph.sla { field("sla", sla.text) }
            for d in graph.inputs { w.writeLine("<sop:input document=\"\(dataObjectID(d))\" />") }
            for d in graph.outputs { w.writeLine("<sop:output document=\"\(dataObjectID(d))\" />") }
            for node in graph.nodes where node.kind == .end && node.key != nil {
                w.writeLine("<sop:outcome key=\"\(x(node.key!))\">\(x(node.label))</sop:outcome>")
            }
        }
        w.writeLine("</sop:sop>")
    }

    // MARK: - Diagram

    private func writeDiagram(_ w: inout LineWriter, _ model: BPMNModel, _ layout: BPMNLayout, _ collaborationID: String) {
        func bounds(_ r: BPMNLayout.Rect) -> String {
            "<dc:Bounds x=\"\(r.x)\" y=\"\(r.y)\" width=\"\(r.width)\" height=\"\(r.height)\" />"
        }
        func shape(_ w: inout LineWriter, _ element: String, _ r: BPMNLayout.Rect, extra: String = "") {
            w.writeLine("<bpmndi:BPMNShape id=\"\(element)_di\" bpmnElement=\"\(element)\"\(extra)>")
            w.withIndent { w in w.writeLine(bounds(r)) }
            w.writeLine("</bpmndi:BPMNShape>")
        }
        func edge(_ w: inout LineWriter, _ element: String, _ points: [BPMNLayout.Point]) {
            w.writeLine("<bpmndi:BPMNEdge id=\"\(element)_di\" bpmnElement=\"\(element)\">")
            w.withIndent { w in for p in points { w.writeLine("<di:waypoint x=\"\(p.x)\" y=\"\(p.y)\" />") } }
            w.writeLine("</bpmndi:BPMNEdge>")
        }
        w.writeLine("<bpmndi:BPMNDiagram id=\"Diagram\">")
        w.withIndent { w in
            w.writeLine("<bpmndi:BPMNPlane id=\"Plane\" bpmnElement=\"\(collaborationID)\">")
            w.withIndent { w in
                shape(&w, "Participant", layout.pool, extra: " isHorizontal=\"true\"")
                for (l, r) in layout.lanes.enumerated() { shape(&w, laneID(model, l), r, extra: " isHorizontal=\"true\"") }
                for fn in model.nodes { shape(&w, fn.id, layout.shapes[fn.id]!) }
                for b in model.boundaries { shape(&w, b.id, layout.shapes[b.id]!) }
                for d in model.dataReferences { shape(&w, d.id, layout.shapes[d.id]!) }
                for flow in model.flows { edge(&w, flow.id, layout.edges[flow.id] ?? []) }
                for d in model.dataReferences { edge(&w, d.id + "_association", layout.edges[d.id + "_association"]!) }
            }
            w.writeLine("</bpmndi:BPMNPlane>")
        }
        w.writeLine("</bpmndi:BPMNDiagram>")
    }

    // MARK: - Helpers

    private func laneID(_ model: BPMNModel, _ l: Int) -> String {
        model.laneKeys[l].map { "Lane_" + BPMNModel.ncname($0) } ?? "Lane_unassigned"
    }

    private func dataObjectID(_ d: Int) -> String { "DataObject_\(d)" }

    private func documentation(_ w: inout LineWriter, _ text: String) {
        w.writeLine("<bpmn:documentation>\(x(text))</bpmn:documentation>")
    }

    /// XML text and attribute escaping; line ends and tabs as character references (so that
    /// attribute normalisation keeps them).
    private func x(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            case "\r": out += "&#13;"
            default:
                // XML 1.0 cannot carry control characters: shown by their Control Pictures
                // (U+0001 → ␁), as every other drawing shows them.
                if scalar.value < 0x20, let picture = Unicode.Scalar(0x2400 + scalar.value) {
                    out.unicodeScalars.append(picture)
                } else if scalar.value != 0xFFFE && scalar.value != 0xFFFF {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
