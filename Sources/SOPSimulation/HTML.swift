import Foundation
import SOPDiagnostics

/// The self-contained HTML report: inline SVG histogram of cycle times, utilisation bars,
/// and the comparison of two versions. No script, no external resource.
public enum SimulationHTML {
    static func esc(_ s: String) -> String {
        var o = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "'": o += "&#39;"
            default: if c.value < 0x20 && c != "\n" { o += "\u{FFFD}" } else { o.unicodeScalars.append(c) }
            }
        }
        return o
    }

    static func histogram(_ r: SimulationReport, _ lang: Language) -> String {
        let h = r.result.cycleWorkingDays
        let upTo = max(h.quantile(0.99) * 1.05, 0.01)
        let bins = h.bins(40, upTo: upTo)
        let top = Double(bins.max() ?? 1)
        let w = 640.0, hgt = 200.0, bw = w / 40
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(hgt) + 30)\" width=\"\(Int(w))\" height=\"\(Int(hgt) + 30)\" role=\"img\" aria-label=\"\(lang == .id ? "histogram waktu siklus" : "cycle time histogram")\">"
        for (i, c) in bins.enumerated() where c > 0 {
            let bh = Double(c) / max(top, 1) * hgt
            s += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b6ea5\"/>", Double(i) * bw + 1, hgt - bh, bw - 2, bh)
        }
        s += "<line x1=\"0\" y1=\"\(Int(hgt))\" x2=\"\(Int(w))\" y2=\"\(Int(hgt))\" stroke=\"#333\"/>"
        for k in 0...4 {
            let x = Double(k) / 4 * w
            s += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"%@\">%.1f</text>", min(max(x, 12), w - 12), hgt + 16, k == 0 ? "start" : (k == 4 ? "end" : "middle"), upTo * Double(k) / 4)
        }
        s += "<text x=\"\(Int(w / 2))\" y=\"\(Int(hgt) + 29)\" font-size=\"11\" text-anchor=\"middle\">\(lang == .id ? "hari kerja" : "working days")</text></svg>"
        return s
    }

    static func bars(_ r: SimulationReport, _ lang: Language) -> String {
        let staffed = r.actors.filter { $0.utilisation != nil }
        guard !staffed.isEmpty else { return "<p>\(esc(lang == .id ? "Tanpa batas staf: tidak ada antrean." : "No staffing limit: no queues."))</p>" }
        let rowH = 26.0, w = 640.0
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(rowH * Double(staffed.count)))\" width=\"\(Int(w))\" height=\"\(Int(rowH * Double(staffed.count)))\" role=\"img\">"
        for (i, a) in staffed.enumerated() {
            let u = min(max(a.utilisation ?? 0, 0), 1)
            let y = Double(i) * rowH
            s += String(format: "<rect x=\"220\" y=\"%.0f\" width=\"%.1f\" height=\"18\" fill=\"%@\"/>", y + 3, u * 360, u > 0.85 ? "#b03a2e" : "#3b6ea5")
            s += "<text x=\"214\" y=\"\(Int(y) + 17)\" font-size=\"12\" text-anchor=\"end\">\(esc(String(a.name.prefix(32))))</text>"
            s += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\">%.1f %%</text>", 226 + u * 360, y + 17, u * 100)
        }
        return s + "</svg>"
    }

    static func pre(_ text: String) -> String { "<pre>\(esc(text))</pre>" }

    public static func page(_ reports: [SimulationReport], comparison: SimulationComparison?, language lang: Language) -> String {
        let id = lang == .id
        let title = (id ? "Simulasi — " : "Simulation — ") + reports.map(\.graph.name).joined(separator: " / ")
        var body = "<h1>\(esc(title))</h1>\n"
        if let c = comparison {
            body += "<h2>\(id ? "Perbandingan" : "Comparison")</h2>\n<table><thead><tr><th></th><th>\(id ? "Lama" : "Old")</th><th>\(id ? "Baru" : "New")</th><th>\(id ? "Selisih" : "Change")</th></tr></thead><tbody>\n"
            for r in c.rows { body += "<tr><td>\(esc(id ? r.id : r.en))</td><td>\(esc(r.old))</td><td>\(esc(r.new))</td><td>\(esc(r.change))</td></tr>\n" }
            body += "</tbody></table>\n"
        }
        for (i, r) in reports.enumerated() {
            let label = reports.count == 2 ? (i == 0 ? (id ? "Lama: " : "Old: ") : (id ? "Baru: " : "New: ")) : ""
            body += "<section><h2>\(esc(label + r.graph.name))</h2>\n"
            body += "<h3>\(id ? "Waktu siklus" : "Cycle time")</h3>\n" + histogram(r, lang) + "\n"
            body += "<h3>\(id ? "Pemanfaatan pelaksana" : "Actor utilisation")</h3>\n" + bars(r, lang) + "\n"
            body += pre(r.text(lang)) + "</section>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="\(id ? "id" : "en")"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:,">
        <title>\(esc(title))</title>
        <style>body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2rem .5rem;text-align:right}td:first-child{text-align:left}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}</style>
        </head><body>
        \(body)</body></html>

        """
    }
}
