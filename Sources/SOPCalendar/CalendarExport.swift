import SOPIR

/// The working calendar as data, for engines that run our SOPs elsewhere (the BPMN export's
/// `sop_due` timers, Docs/BPMN.md): every holiday and cuti bersama of the table, the default
/// settings and the per-organisation overrides. Deterministic JSON (keys in a fixed order).
public enum CalendarExport {
    public static func json() -> String {
        func settings(_ s: CalendarSettings) -> String {
            "{\"week\": \"\(s.week.rawValue)\", \"cutiBersama\": \"\(s.cutiBersamaIsWorking ? "working" : "off")\", \"offset\": \"\(s.offset)\"}"
        }
        func quoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                default:
                    if scalar.value < 0x20 { out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16) } else { out.unicodeScalars.append(scalar) }
                }
            }
            return out + "\""
        }
        var lines: [String] = []
        lines.append("{")
        lines.append("  \"format\": 1,")
        lines.append("  \"source\": \(quoted(Holiday.source)),")
        lines.append("  \"firstYear\": \(Holiday.firstYear),")
        lines.append("  \"lastYear\": \(Holiday.lastYear),")
        lines.append("  \"rule\": \"n hari kerja from an instant: the end of the n-th working day after the local day of the instant (that day does not count)\",")
        lines.append("  \"default\": \(settings(CalendarSettings())),")
        lines.append("  \"overrides\": [")
        let overrides = CalendarSettings.builtInOverrides
        for (i, o) in overrides.enumerated() {
            lines.append("    {\"prefix\": \(quoted(o.prefix)), \"settings\": \(settings(o.settings))}" + (i + 1 < overrides.count ? "," : ""))
        }
        lines.append("  ],")
        lines.append("  \"holidays\": [")
        let all = Holiday.all
        for (i, h) in all.enumerated() {
            lines.append("    {\"date\": \"\(h.date)\", \"kind\": \"\(h.kind == .cutiBersama ? "cutiBersama" : "holiday")\", \"estimated\": \(h.estimated), \"name\": \(quoted(h.nameID))}" + (i + 1 < all.count ? "," : ""))
        }
        lines.append("  ]")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
