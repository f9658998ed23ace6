import Foundation
import SOPEventLog
import SOPIR

/// Exports case logs for process mining: XES 1.0 (IEEE 1849, read by pm4py, ProM, Disco)
/// and CSV. One trace per case; one event per activation (`schedule`), completion
/// (`complete`), timeout and cancellation. Deterministic: cases by id, events by sequence.
public enum EventLog {
    /// One case: its events (in order) and the graph it was pinned to.
    public struct Case {
        public var events: [Event]
        public var graph: ProcessGraph
        public init(events: [Event], graph: ProcessGraph) {
            self.events = events
            self.graph = graph
        }
    }

    /// A mined event: activity name, resource, lifecycle transition.
    struct Row {
        var caseID: String
        var sequence: Int
        var at: Instant
        var offset: UTCOffset
        var activity: String
        var number: String
        var resource: String?
        var transition: String
    }

    static func rows(_ c: Case) -> [Row] {
        let g = c.graph
        var offset = UTCOffset.wib
        var out: [Row] = []
        func activity(_ node: Int) -> (String, String) {
            let n = g.nodes[node]
            if n.conditionOf != nil { return (n.label, (n.number ?? "") + "?") }
            return (n.label, n.number ?? n.key ?? "#\(node)")
        }
        func actor(_ node: Int, _ index: Int?) -> String? {
            (index ?? g.nodes[node].actor).map { g.actors[$0].name }
        }
        for e in c.events {
            func add(_ node: Int, _ transition: String, resource: String?, activityName: String? = nil) {
                let (name, number) = activity(node)
                out.append(Row(caseID: e.caseID, sequence: e.sequence, at: e.at, offset: offset, activity: activityName ?? name,
                               number: number, resource: resource, transition: transition))
            }
            switch e.body {
            case let .caseStarted(s): offset = s.calendar.offset
            case let .taskActivated(node, _): add(node, "schedule", resource: actor(node, nil))
            case let .taskCompleted(done): add(done.node, "complete", resource: actor(done.node, done.actor))
            case let .occurrenceCompleted(done, _): add(done.node, "complete", resource: actor(done.node, done.actor))
            case let .childCompleted(node, _): add(node, "complete", resource: actor(node, nil))
            case let .responseRecorded(node, who, _):
                add(node, "resume", resource: actor(node, who), activityName: "\(activity(node).0) [tanggapan]")
            case let .timerFired(timer, node, _):
                add(node, "ate_abort", resource: nil, activityName: "\(activity(node).0) [timeout \(g.timers[timer].after.text)]")
            // The named end the case reached is an event of its own: the log says how it ended.
            case let .outcomeReached(node): add(node, "complete", resource: nil)
            case .caseCancelled:
                for task in CaseState(id: e.caseID, events: c.events.prefix { $0.sequence < e.sequence }, graph: g).openTasks {
                    add(task.node, "withdraw", resource: nil)
                }
            default: break
            }
        }
        return out
    }

    /// The traces of the cases, by case id.
    static func traces(_ cases: [Case]) -> [EventLogWriter.Trace] {
        cases.sorted(by: { ($0.events.first?.caseID ?? "") < ($1.events.first?.caseID ?? "") }).compactMap { c in
            guard let id = c.events.first?.caseID else { return nil }
            let events = rows(c).map {
                EventLogWriter.Event(sequence: $0.sequence, at: $0.at, offset: $0.offset, step: $0.number,
                                     activity: $0.activity, resource: $0.resource, transition: $0.transition)
            }
            return EventLogWriter.Trace(caseID: id, sopID: c.graph.id, sopHash: c.graph.contentHash, events: events)
        }
    }

    public static func xes(_ cases: [Case]) -> String {
        EventLogWriter.xes(traces(cases), name: "sop case log")
    }

    /// `case_id,sequence,timestamp,sop_id,step,activity,resource,lifecycle`, RFC 4180.
    public static func csv(_ cases: [Case]) -> String {
        EventLogWriter.csv(traces(cases))
    }
}
