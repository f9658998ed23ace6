import SOPIR
import SOPRuntime

/// `sop store check`: whether a store's projection (one summary per case: status, version,
/// open steps, deadlines, next due timer) is what its events fold to, for every case, and
/// whether every case with events has a summary and every summary has events. The events
/// are the truth; a difference means a write reached one and not the other.
public enum StoreCheck {
    /// What was read, and every difference found.
    public struct Report: Sendable, Equatable {
        public var cases = 0
        public var events = 0
        /// Case ids whose summary is not the fold of their events, or that have one without
        /// the other, each with the reason (in English; for a log or a terminal).
        public var differences: [(id: String, reason: String)] = []

        public var isConsistent: Bool { differences.isEmpty }

        public static func == (a: Report, b: Report) -> Bool {
            a.cases == b.cases && a.events == b.events && a.differences.map(\.id) == b.differences.map(\.id)
        }
    }

    /// Reads every event and every summary of `store` and compares.
    public static func check(_ store: CaseStore) throws -> Report {
        var report = Report()
        var byCase: [String: [Event]] = [:]
        var order: [String] = []
        for e in try store.allEvents() {
            if byCase[e.caseID] == nil { order.append(e.caseID) }
            byCase[e.caseID, default: []].append(e)
            report.events += 1
        }
        let summaries = try store.summaries(CaseFilter())
        let projected = Set(summaries.map(\.id))
        report.cases = Set(order).union(projected).count
        for id in summaries.map(\.id) where byCase[id] == nil {
            report.differences.append((id, "a summary without events"))
        }
        var graphs: [String: ProcessGraph] = [:]
        for id in order {
            let events = byCase[id]!
            guard case let .caseStarted(start)? = events.first?.body else {
                report.differences.append((id, "its first event is not case_started"))
                continue
            }
            if graphs[start.contentHash] == nil { graphs[start.contentHash] = try store.graph(hash: start.contentHash) }
            guard let g = graphs[start.contentHash] else {
                report.differences.append((id, "pinned to an SOP version the store does not hold"))
                continue
            }
            guard let stored = try store.summary(of: id) else {
                report.differences.append((id, "events without a summary"))
                continue
            }
            let folded = CaseSummary(state: CaseState(id: id, events: events, graph: g),
                                     engine: Engine(graph: g, calendar: WorkingCalendar(start.calendar)))
            if byNode(stored) != byNode(folded) {
                report.differences.append((id, "summary version \(stored.version) \(stored.status.rawValue) with \(stored.tasks.count) open step(s); "
                                           + "the events fold to version \(folded.version) \(folded.status.rawValue) with \(folded.tasks.count)"))
            }
        }
        return report
    }

    /// A summary with its open steps by node (stores list them so; the fold by activation).
    static func byNode(_ s: CaseSummary) -> CaseSummary {
        var s = s
        s.tasks.sort { $0.node < $1.node }
        return s
    }
}
