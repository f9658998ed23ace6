import SOPCalendar
import SOPEventLog

/// The event log of a sample of simulated cases, in the columns and the XES shape of the
/// runtime's export (`sop case export`, the same writer), so process-mining tools see
/// simulated and real cases alike: one `schedule` and one `complete` (or `ate_abort` for a
/// timeout) per step.
public enum SimulationLog {
    static func traces(_ events: [SimulatedEvent], model: SimulationModel) -> [EventLogWriter.Trace] {
        let g = model.graph
        let offset = model.calendar.settings.offset
        struct Row { var caseNumber: Int; var order: Int; var event: EventLogWriter.Event }
        var rows: [Row] = []
        func at(_ t: Double) -> Instant { Instant(seconds: Int64(t.rounded(.down))) }
        for (k, e) in events.enumerated() {
            let n = g.nodes[e.node]
            let number = n.conditionOf != nil ? (n.number ?? "") + "?" : n.number ?? n.key ?? "#\(e.node)"
            let resource = e.actor >= 0 ? g.actors[e.actor].name : nil
            rows.append(Row(caseNumber: e.caseNumber, order: 2 * k, event: .init(
                sequence: 0, at: at(e.activated), offset: offset, step: number, activity: n.label, resource: resource, transition: "schedule")))
            let end: EventLogWriter.Event
            if let t = e.timer {
                end = .init(sequence: 0, at: at(e.ended), offset: offset, step: number,
                            activity: "\(n.label) [timeout \(g.timers[t].after.text)]", resource: nil, transition: "ate_abort")
            } else {
                end = .init(sequence: 0, at: at(e.ended), offset: offset, step: number, activity: n.label, resource: resource, transition: "complete")
            }
            rows.append(Row(caseNumber: e.caseNumber, order: 2 * k + 1, event: end))
        }
        rows.sort { ($0.caseNumber, $0.event.at, $0.order) < ($1.caseNumber, $1.event.at, $1.order) }
        var traces: [EventLogWriter.Trace] = []
        for r in rows {
            if traces.last?.caseID != "sim-\(r.caseNumber + 1)" {
                traces.append(.init(caseID: "sim-\(r.caseNumber + 1)", sopID: g.id, sopHash: g.contentHash, events: []))
            }
            var e = r.event
            e.sequence = traces[traces.count - 1].events.count + 1
            traces[traces.count - 1].events.append(e)
        }
        return traces
    }

    /// The runtime's columns: `case_id,sequence,timestamp,sop_id,step,activity,resource,lifecycle`.
    public static func csv(_ events: [SimulatedEvent], model: SimulationModel) -> String {
        EventLogWriter.csv(traces(events, model: model))
    }

    public static func xes(_ events: [SimulatedEvent], model: SimulationModel) -> String {
        EventLogWriter.xes(traces(events, model: model), name: "\(model.graph.id) (simulated)")
    }
}
