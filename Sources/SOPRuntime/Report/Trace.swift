import SOPDiagnostics
import SOPIR

/// Human-readable lines for events: what happened when, with deadlines and whether they
/// were met. Used by `sop run`, `sop case show` and scenario traces.
public struct Trace {
    public let graph: ProcessGraph
    public let offset: UTCOffset
    public let language: Language

    public init(graph: ProcessGraph, offset: UTCOffset, language: Language) {
        self.graph = graph
        self.offset = offset
        self.language = language
    }

    func t(_ en: String, _ id: String) -> String { language == .id ? id : en }

    public func time(_ i: Instant) -> String { offset.format(i) }

    /// "3 Verifikasi laporan".
    public func step(_ node: Int) -> String {
        let n = graph.nodes[node]
        switch n.kind {
        case .end: return n.key == nil ? t("End", "Selesai") : t("End", "Selesai") + " “\(n.label)”"
        case .start: return t("Start", "Mulai")
        default:
            let label = n.label.count > 70 ? String(n.label.prefix(67)) + "…" : n.label
            // The condition of a conditional step is named as `sop case decide` names it: "8.4?".
            let name = n.conditionOf != nil ? (n.number ?? "") + "?" : n.number ?? n.key ?? "#\(node)"
            return "\(name) \(label)"
        }
    }

    func actor(_ index: Int?) -> String {
        guard let index, index < graph.actors.count else { return t("(no actor in the source)", "(pelaksana tidak tercantum)") }
        return graph.actors[index].name
    }

    /// One line per event (some events, such as a join, print nothing).
    public func line(_ e: Event, state before: CaseState) -> String? {
        let at = time(e.at)
        switch e.body {
        case let .caseStarted(s):
            var text = "\(at)  \(e.caseID) " + t("started", "dimulai") + ": \(graph.name)"
            if let c = s.durationClass { text += t(" (class \(c))", " (kelas \(c))") }
            if let sla = s.slaDeadline { text += t("; SLA due ", "; batas SLA ") + time(sla) }
            if let p = s.parent { text += t("; called by ", "; dipanggil oleh ") + p }
            return text
        case let .taskActivated(node, deadline):
            let who = actor(graph.nodes[node].actor)
            let due = deadline.map { t(", due ", ", batas ") + time($0) } ?? ""
            return "\(at)  " + t("open", "buka") + "   \(step(node)) [\(who)]\(due)"
        case let .taskCompleted(c):
            let late = lateness(c.node, at: e.at, before)
            var text = "\(at)  " + t("done", "selesai") + " \(step(c.node)) " + t("by ", "oleh ") + actor(c.actor) + late
            if !c.documents.isEmpty { text += t("; documents: ", "; dokumen: ") + c.documents.map { graph.documents[$0].name }.joined(separator: ", ") }
            for w in c.waived { text += t("; waived ", "; dikecualikan ") + "“\(graph.documents[w.document].name)” (\(w.reason))" }
            if let note = c.note { text += t("; note: ", "; catatan: ") + note }
            return text
        case let .responseRecorded(node, actor, note):
            return "\(at)  " + t("reply", "tanggap") + "  \(step(node)) " + t("by ", "oleh ") + self.actor(actor ?? graph.nodes[node].actor)
                + (note.map { t("; note: ", "; catatan: ") + $0 } ?? "")
        case let .occurrenceCompleted(c, next):
            let late = lateness(c.node, at: e.at, before)
            return "\(at)  " + t("done", "selesai") + " \(step(c.node)) " + t("(one occurrence) by ", "(satu kali) oleh ") + actor(c.actor) + late
                + (next.map { t("; next due ", "; berikutnya batas ") + time($0) } ?? "")
        case let .decisionTaken(_, branch, target):
            return "\(at)  " + t("branch", "cabang") + " “\(branch)” → \(step(target))"
        case let .timerScheduled(timer, _, due):
            let label = graph.timers[timer].after.text
            return "\(at)  " + t("timer", "timer") + "  \(label) → \(step(graph.timers[timer].target)), " + t("fires ", "berbunyi ") + time(due)
        case let .timerFired(timer, node, target):
            return "\(at)  " + t("TIMEOUT", "WAKTU HABIS") + " \(graph.timers[timer].after.text) " + t("on", "pada") + " \(step(node)) → \(step(target))"
        case .joinReached:
            return nil
        case let .childStarted(node, child, sop):
            return "\(at)  " + t("call", "panggil") + "   \(step(node)): " + t("child case ", "kasus turunan ") + "\(child) (\(sop))"
        case let .childCompleted(node, child):
            return "\(at)  " + t("done", "selesai") + " \(step(node)): " + t("child case ", "kasus turunan ") + "\(child) " + t("completed", "selesai")
        case let .outcomeReached(node):
            return "\(at)  " + t("outcome", "hasil") + "  “\(graph.nodes[node].label)”"
        case .caseCompleted:
            return "\(at)  \(e.caseID) " + t("completed", "selesai")
        case let .caseCancelled(reason, by):
            return "\(at)  \(e.caseID) " + t("cancelled", "dibatalkan") + (by.map { t(" by ", " oleh ") + $0 } ?? "") + ": \(reason)"
        }
    }

    private func lateness(_ node: Int, at: Instant, _ before: CaseState) -> String {
        guard let due = before.openTask(node)?.deadline else { return "" }
        return at > due ? t(" — LATE (due ", " — TERLAMBAT (batas ") + time(due) + ")" : t(" — on time", " — tepat waktu")
    }

    /// The lines of `events`, which follow `state` (by default, the whole log from its start).
    public func lines(_ events: [Event], after state: CaseState? = nil) -> [String] {
        var state = state ?? CaseState(id: events.first?.caseID ?? "")
        let tables = FoldTables(graph)
        var out: [String] = []
        for e in events {
            if let l = line(e, state: state) { out.append(l) }
            state.apply(e, tables: tables)
        }
        return out
    }

    /// The open steps and the SLA at `now`, as an operator sees them.
    public func status(_ state: CaseState, now: Instant) -> [String] {
        var out: [String] = []
        let status: String
        switch state.status {
        case .running: status = t("running", "berjalan")
        case .completed: status = t("completed", "selesai")
        case .cancelled: status = t("cancelled", "dibatalkan")
        }
        var head = "\(state.id): \(status)"
        if let sla = state.start?.slaDeadline {
            let verdict = state.breachedSLA(now: now) ? t("BREACHED", "TERLAMPAUI")
                : state.status == .running ? t("met so far", "terpenuhi sejauh ini") : t("met", "terpenuhi")
            head += "; SLA " + time(sla) + " " + verdict
        }
        if !state.breachedSteps.isEmpty {
            head += t("; steps late: ", "; langkah terlambat: ") + state.breachedSteps.map { graph.nodes[$0].number ?? "#\($0)" }.joined(separator: ", ")
        }
        out.append(head)
        for task in state.openTasks {
            var l = "  " + t("open: ", "terbuka: ") + "\(step(task.node)) [\(actor(graph.nodes[task.node].actor))]"
            if let d = task.deadline { l += t(", due ", ", batas ") + time(d) + (now > d ? t(" — OVERDUE", " — LEWAT BATAS") : "") }
            if let c = task.child { l += t(", waiting for ", ", menunggu ") + c }
            out.append(l)
        }
        return out
    }
}
