import Foundation
import SOPDiagnostics
import SOPIR

/// Two versions of an SOP under one profile, side by side with the differences: the
/// question policy staff ask before a change is signed.
public struct SimulationComparison: Sendable {
    public var old: SimulationReport
    public var new: SimulationReport

    public init(old: SimulationReport, new: SimulationReport) {
        self.old = old
        self.new = new
    }

    public struct Row: Sendable {
        public var en: String
        public var id: String
        public var old: String
        public var new: String
        public var change: String
    }

    static func delta(_ a: Double, _ b: Double, digits: Int = 2, percent: Bool = false) -> String {
        let d = b - a
        if percent { return String(format: "%+.1f pp", d * 100) }
        return String(format: "%+.\(digits)f", d)
    }

    public var rows: [Row] {
        var rows: [Row] = []
        let f = SimulationReport.f, pct = SimulationReport.pct
        func hist(_ en: String, _ id: String, _ q: Double?, wd: Bool) {
            let a = wd ? old.result.cycleWorkingDays : old.result.cycleHours, b = wd ? new.result.cycleWorkingDays : new.result.cycleHours
            let x = q.map { a.quantile($0) } ?? a.mean, y = q.map { b.quantile($0) } ?? b.mean
            rows.append(Row(en: en, id: id, old: f(x, 2), new: f(y, 2), change: Self.delta(x, y)))
        }
        hist("cycle time, mean (working days)", "waktu siklus, rata-rata (hari kerja)", nil, wd: true)
        hist("cycle time, p50 (working days)", "waktu siklus, p50 (hari kerja)", 0.5, wd: true)
        hist("cycle time, p90 (working days)", "waktu siklus, p90 (hari kerja)", 0.9, wd: true)
        hist("cycle time, p95 (working days)", "waktu siklus, p95 (hari kerja)", 0.95, wd: true)
        hist("cycle time, mean (hours)", "waktu siklus, rata-rata (jam)", nil, wd: false)
        let sa = old.slaShare, sb = new.slaShare
        rows.append(Row(en: "SLA met (\(old.graph.sla?.text ?? "—") → \(new.graph.sla?.text ?? "—"))", id: "SLA terpenuhi (\(old.graph.sla?.text ?? "—") → \(new.graph.sla?.text ?? "—"))",
                        old: sa.map(pct) ?? "—", new: sb.map(pct) ?? "—", change: (sa != nil && sb != nil) ? Self.delta(sa!, sb!, percent: true) : "—"))
        // Each step's own deadline (its *Waktu*), matched by table number.
        var numbers: [String] = []
        for r in [old, new] {
            for n in r.graph.nodes where r.result.deadlineChecked[n.id] > 0 { if let k = n.number, !numbers.contains(k) { numbers.append(k) } }
        }
        for k in numbers {
            func met(_ r: SimulationReport) -> (Double, String)? {
                guard let n = r.graph.nodes.first(where: { $0.number == k && $0.conditionOf == nil }), r.result.deadlineChecked[n.id] > 0 else { return nil }
                return (Double(r.result.deadlineMet[n.id]) / Double(r.result.deadlineChecked[n.id]), n.duration?.text ?? "")
            }
            let a = met(old), b = met(new)
            let waktu = a?.1 == b?.1 ? (a?.1 ?? b?.1 ?? "") : "\(a?.1 ?? "—") → \(b?.1 ?? "—")"
            rows.append(Row(en: "step \(k) within its Waktu (\(waktu))", id: "langkah \(k) dalam Waktu-nya (\(waktu))",
                            old: a.map { pct($0.0) } ?? "—", new: b.map { pct($0.0) } ?? "—",
                            change: (a != nil && b != nil) ? Self.delta(a!.0, b!.0, percent: true) : "—"))
        }
        // Outcomes by name (the versions may differ in their ends).
        var names: [String] = []
        for o in old.outcomes + new.outcomes where !names.contains(o.name) { names.append(o.name) }
        for name in names {
            let a = old.outcomes.first { $0.name == name }?.share, b = new.outcomes.first { $0.name == name }?.share
            rows.append(Row(en: "outcome: \(name)", id: "akhir: \(name)", old: a.map(pct) ?? "—", new: b.map(pct) ?? "—",
                            change: Self.delta(a ?? 0, b ?? 0, percent: true)))
        }
        var actors: [String] = []
        for a in old.actors + new.actors where !actors.contains(a.name) { actors.append(a.name) }
        for name in actors {
            let a = old.actors.first { $0.name == name }, b = new.actors.first { $0.name == name }
            if a?.utilisation != nil || b?.utilisation != nil {
                rows.append(Row(en: "\(name): busy", id: "\(name): sibuk", old: a?.utilisation.map(pct) ?? "—", new: b?.utilisation.map(pct) ?? "—",
                                change: Self.delta(a?.utilisation ?? 0, b?.utilisation ?? 0, percent: true)))
                rows.append(Row(en: "\(name): wait (working days)", id: "\(name): menunggu (hari kerja)", old: a.map { f($0.waitWorkingDays, 2) } ?? "—",
                                new: b.map { f($0.waitWorkingDays, 2) } ?? "—", change: Self.delta(a?.waitWorkingDays ?? 0, b?.waitWorkingDays ?? 0)))
            } else {
                rows.append(Row(en: "\(name): working hours per case", id: "\(name): jam kerja per kasus", old: a.map { f($0.workHoursPerCase, 2) } ?? "—",
                                new: b.map { f($0.workHoursPerCase, 2) } ?? "—", change: Self.delta(a?.workHoursPerCase ?? 0, b?.workHoursPerCase ?? 0)))
            }
        }
        return rows
    }

    public func text(_ lang: Language) -> String {
        let id = lang == .id
        var out: [String] = []
        out.append(id ? "Perbandingan di bawah satu profil (\(old.result.completed) dan \(new.result.completed) kasus, seed \(old.result.seed))"
                      : "Comparison under one profile (\(old.result.completed) and \(new.result.completed) cases, seed \(old.result.seed))")
        out.append((id ? "LAMA: " : "OLD: ") + "\(old.graph.name) (\(old.graph.id))")
        out.append((id ? "BARU: " : "NEW: ") + "\(new.graph.name) (\(new.graph.id))")
        out.append("")
        let rs = rows
        let w = max(30, rs.map { (id ? $0.id : $0.en).count }.max() ?? 30)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        out.append(pad("", w) + "  " + (id ? "LAMA" : "OLD").leftPad(10) + "  " + (id ? "BARU" : "NEW").leftPad(10) + "  " + (id ? "SELISIH" : "CHANGE").leftPad(10))
        for r in rs { out.append(pad(id ? r.id : r.en, w) + "  " + r.old.leftPad(10) + "  " + r.new.leftPad(10) + "  " + r.change.leftPad(10)) }
        if let b = new.bottleneck, let u = b.utilisation {
            out.append("")
            out.append(id ? "Hambatan versi baru: \(b.name): \(SimulationReport.pct(u)) sibuk, kasus menunggu rata-rata \(SimulationReport.f(b.waitWorkingDays, 1)) hari kerja"
                          : "Bottleneck of the new version: \(b.name): \(SimulationReport.pct(u)) busy, cases wait \(SimulationReport.f(b.waitWorkingDays, 1)) working days on average")
        }
        return out.joined(separator: "\n") + "\n"
    }

    public func json() -> String {
        let rs = rows.map { "{\"change\": \(SimulationReport.quote($0.change)), \"metric\": \(SimulationReport.quote($0.en)), \"new\": \(SimulationReport.quote($0.new)), \"old\": \(SimulationReport.quote($0.old))}" }
        return "{\n  \"comparison\": [\n    " + rs.joined(separator: ",\n    ") + "\n  ],\n  \"new\": {\n" + new.jsonBody(indent: "    ") + "\n  },\n  \"old\": {\n" + old.jsonBody(indent: "    ") + "\n  }\n}\n"
    }
}
