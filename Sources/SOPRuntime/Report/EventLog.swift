import Foundation
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
        var sopID: String
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
                               number: number, resource: resource, transition: transition, sopID: g.id))
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

    /// `2025-03-03T09:00:00.000+07:00`.
    static func timestamp(_ at: Instant, _ offset: UTCOffset) -> String {
        let local = offset.format(at)   // "YYYY-MM-DD HH:MM[:SS]"
        let parts = local.split(separator: " ")
        let time = parts[1].count == 5 ? parts[1] + ":00" : parts[1]
        return "\(parts[0])T\(time).000\(offset)"
    }

    static func xml(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if ch.value < 0x20 && ch != "\n" && ch != "\t" { out += " " } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    public static func xes(_ cases: [Case]) -> String {
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <log xes.version="1.0" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
          <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
          <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
          <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
          <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
          <global scope="trace">
            <string key="concept:name" value="__INVALID__"/>
          </global>
          <global scope="event">
            <string key="concept:name" value="__INVALID__"/>
            <string key="lifecycle:transition" value="complete"/>
          </global>
          <classifier name="Activity" keys="concept:name"/>
          <classifier name="Activity and transition" keys="concept:name lifecycle:transition"/>
          <string key="concept:name" value="sop case log"/>

        """
        for c in cases.sorted(by: { ($0.events.first?.caseID ?? "") < ($1.events.first?.caseID ?? "") }) {
            guard let id = c.events.first?.caseID else { continue }
            out += "  <trace>\n"
            out += "    <string key=\"concept:name\" value=\"\(xml(id))\"/>\n"
            out += "    <string key=\"sop:id\" value=\"\(xml(c.graph.id))\"/>\n"
            out += "    <string key=\"sop:hash\" value=\"\(xml(c.graph.contentHash))\"/>\n"
            for r in rows(c) {
                out += "    <event>\n"
                out += "      <string key=\"concept:name\" value=\"\(xml(r.activity))\"/>\n"
                out += "      <string key=\"sop:step\" value=\"\(xml(r.number))\"/>\n"
                if let res = r.resource { out += "      <string key=\"org:resource\" value=\"\(xml(res))\"/>\n" }
                out += "      <string key=\"lifecycle:transition\" value=\"\(r.transition)\"/>\n"
                out += "      <date key=\"time:timestamp\" value=\"\(timestamp(r.at, r.offset))\"/>\n"
                out += "      <int key=\"sop:sequence\" value=\"\(r.sequence)\"/>\n"
                out += "    </event>\n"
            }
            out += "  </trace>\n"
        }
        return out + "</log>\n"
    }

    /// A field, quoted when it holds a comma, a quote or any line break. Checked by scalar:
    /// "\r\n" is one `Character`, equal to neither "\r" nor "\n" (found by the property tests).
    static func csvField(_ s: String) -> String {
        s.unicodeScalars.contains(where: { ",\"\n\r\u{0B}\u{0C}\u{85}\u{2028}\u{2029}".unicodeScalars.contains($0) })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// `case_id,sequence,timestamp,sop_id,step,activity,resource,lifecycle`, RFC 4180.
    public static func csv(_ cases: [Case]) -> String {
        var out = "case_id,sequence,timestamp,sop_id,step,activity,resource,lifecycle\r\n"
        for c in cases.sorted(by: { ($0.events.first?.caseID ?? "") < ($1.events.first?.caseID ?? "") }) {
            for r in rows(c) {
                out += [r.caseID, String(r.sequence), timestamp(r.at, r.offset), r.sopID, r.number, r.activity, r.resource ?? "", r.transition]
                    .map(csvField).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }
}
