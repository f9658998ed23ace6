import SOPCalendar

/// The event-log formats of process mining, written from rows the caller mined: XES 1.0
/// (IEEE 1849: read by pm4py, ProM, Disco) and CSV (RFC 4180) with the columns
/// `case_id,sequence,timestamp,sop_id,step,activity,resource,lifecycle`. One writer for the
/// runtime's case export (`sop case export`) and the simulator's sample log (`sop simulate
/// --log`), so process-mining tools see real and simulated cases alike.
public enum EventLogWriter {
    /// One event of a trace.
    public struct Event: Sendable {
        public var sequence: Int
        public var at: Instant
        public var offset: UTCOffset
        public var step: String
        public var activity: String
        public var resource: String?
        /// `schedule`, `complete`, `resume`, `ate_abort`, `withdraw`.
        public var transition: String
        public init(sequence: Int, at: Instant, offset: UTCOffset, step: String, activity: String, resource: String?, transition: String) {
            self.sequence = sequence
            self.at = at
            self.offset = offset
            self.step = step
            self.activity = activity
            self.resource = resource
            self.transition = transition
        }
    }

    /// One case: its id, its SOP and the content hash of the graph it ran on, its events in order.
    public struct Trace: Sendable {
        public var caseID: String
        public var sopID: String
        public var sopHash: String
        public var events: [Event]
        public init(caseID: String, sopID: String, sopHash: String, events: [Event]) {
            self.caseID = caseID
            self.sopID = sopID
            self.sopHash = sopHash
            self.events = events
        }
    }

    /// `2025-03-03T09:00:00.000+07:00`.
    public static func timestamp(_ at: Instant, _ offset: UTCOffset) -> String {
        let local = offset.format(at)   // "YYYY-MM-DD HH:MM[:SS]"
        let parts = local.split(separator: " ")
        let time = parts[1].count == 5 ? parts[1] + ":00" : parts[1]
        return "\(parts[0])T\(time).000\(offset)"
    }

    /// Text for an XML attribute; control characters XML forbids become spaces.
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

    /// The log, its traces in the order given. `name` is the log's `concept:name`.
    public static func xes(_ traces: [Trace], name: String) -> String {
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
          <string key="concept:name" value="\(xml(name))"/>

        """
        for t in traces {
            out += "  <trace>\n"
            out += "    <string key=\"concept:name\" value=\"\(xml(t.caseID))\"/>\n"
            out += "    <string key=\"sop:id\" value=\"\(xml(t.sopID))\"/>\n"
            out += "    <string key=\"sop:hash\" value=\"\(xml(t.sopHash))\"/>\n"
            for e in t.events {
                out += "    <event>\n"
                out += "      <string key=\"concept:name\" value=\"\(xml(e.activity))\"/>\n"
                out += "      <string key=\"sop:step\" value=\"\(xml(e.step))\"/>\n"
                if let res = e.resource { out += "      <string key=\"org:resource\" value=\"\(xml(res))\"/>\n" }
                out += "      <string key=\"lifecycle:transition\" value=\"\(e.transition)\"/>\n"
                out += "      <date key=\"time:timestamp\" value=\"\(timestamp(e.at, e.offset))\"/>\n"
                out += "      <int key=\"sop:sequence\" value=\"\(e.sequence)\"/>\n"
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

    /// One row per event, traces in the order given.
    public static func csv(_ traces: [Trace]) -> String {
        var out = "case_id,sequence,timestamp,sop_id,step,activity,resource,lifecycle\r\n"
        for t in traces {
            for e in t.events {
                out += [t.caseID, String(e.sequence), timestamp(e.at, e.offset), t.sopID, e.step, e.activity, e.resource ?? "", e.transition]
                    .map(csvField).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }
}
