import Foundation
import SOPCalendar

/// The event log of a sample of simulated cases, in the columns and the XES shape of the
/// runtime's export (`sop case export`), so process-mining tools see simulated and real
/// cases alike: one `schedule` and one `complete` (or `ate_abort` for a timeout) per step.
public enum SimulationLog {
    struct Row { var caseID: String; var at: Double; var activity: String; var number: String; var resource: String; var transition: String; var order: Int }

    static func rows(_ events: [SimulatedEvent], model: SimulationModel) -> [Row] {
        let g = model.graph
        var rows: [Row] = []
        for (k, e) in events.enumerated() {
            let n = g.nodes[e.node]
            let number = n.conditionOf != nil ? (n.number ?? "") + "?" : n.number ?? n.key ?? "#\(e.node)"
            let resource = e.actor >= 0 ? g.actors[e.actor].name : ""
            let caseID = "sim-\(e.caseNumber + 1)"
            rows.append(Row(caseID: caseID, at: e.activated, activity: n.label, number: number, resource: resource, transition: "schedule", order: 2 * k))
            if let t = e.timer {
                rows.append(Row(caseID: caseID, at: e.ended, activity: "\(n.label) [timeout \(g.timers[t].after.text)]", number: number, resource: "", transition: "ate_abort", order: 2 * k + 1))
            } else {
                rows.append(Row(caseID: caseID, at: e.ended, activity: n.label, number: number, resource: resource, transition: "complete", order: 2 * k + 1))
            }
        }
        return rows.sorted { ($0.caseID.count, $0.caseID, $0.at, $0.order) < ($1.caseID.count, $1.caseID, $1.at, $1.order) }
    }

    static func time(_ t: Double, _ model: SimulationModel) -> String {
        let offset = model.calendar.settings.offset
        let i = Instant(seconds: Int64(t.rounded(.down)))
        let day = offset.day(of: i)
        let sod = Int(i.seconds + Int64(offset.minutes * 60) - Int64(day) * 86_400)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(CivilDate(dayNumber: day))T\(two(sod / 3600)):\(two(sod % 3600 / 60)):\(two(sod % 60)).000\(offset)"
    }

    static func csvCell(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// The runtime's columns: `case_id,sequence,timestamp,sop_id,step,activity,resource,lifecycle`.
    public static func csv(_ events: [SimulatedEvent], model: SimulationModel) -> String {
        var out = "case_id,sequence,timestamp,sop_id,step,activity,resource,lifecycle\r\n"
        var sequence = 0, current = ""
        for r in rows(events, model: model) {
            if r.caseID != current { current = r.caseID; sequence = 0 }
            sequence += 1
            out += [r.caseID, String(sequence), time(r.at, model), model.graph.id, r.number, r.activity, r.resource, r.transition].map(csvCell).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func xml(_ s: String) -> String {
        var o = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: if c.value < 0x20 && c != "\t" && c != "\n" { o += "\u{FFFD}" } else { o.unicodeScalars.append(c) }
            }
        }
        return o
    }

    public static func xes(_ events: [SimulatedEvent], model: SimulationModel) -> String {
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <log xes.version="1.0" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
          <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
          <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
          <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
          <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
          <global scope="trace">
            <string key="concept:name" value="__INVALID__"/>
          </global>
          <global scope="event">
            <string key="concept:name" value="__INVALID__"/>
            <string key="lifecycle:transition" value="complete"/>
          </global>
          <classifier name="Activity" keys="concept:name"/>
          <classifier name="Activity and transition" keys="concept:name lifecycle:transition"/>
          <string key="concept:name" value="\(xml(model.graph.id)) (simulated)"/>

        """
        var current: String?
        var sequence = 0
        for r in rows(events, model: model) {
            if r.caseID != current {
                if current != nil { out += "  </trace>\n" }
                out += "  <trace>\n    <string key=\"concept:name\" value=\"\(xml(r.caseID))\"/>\n"
                out += "    <string key=\"sop:id\" value=\"\(xml(model.graph.id))\"/>\n    <string key=\"sop:hash\" value=\"\(xml(model.graph.contentHash))\"/>\n"
                current = r.caseID
                sequence = 0
            }
            sequence += 1
            out += "    <event>\n      <string key=\"concept:name\" value=\"\(xml(r.activity))\"/>\n      <string key=\"sop:step\" value=\"\(xml(r.number))\"/>\n"
            if !r.resource.isEmpty { out += "      <string key=\"org:resource\" value=\"\(xml(r.resource))\"/>\n" }
            out += "      <string key=\"lifecycle:transition\" value=\"\(r.transition)\"/>\n      <date key=\"time:timestamp\" value=\"\(time(r.at, model))\"/>\n      <int key=\"sop:sequence\" value=\"\(sequence)\"/>\n    </event>\n"
        }
        if current != nil { out += "  </trace>\n" }
        return out + "</log>\n"
    }
}
