import Foundation
import SOPDiagnostics
import SOPIR

/// A simulation's figures for people (text, HTML, in Indonesian or English) and scripts
/// (JSON): one version, or two versions of an SOP side by side.
public struct SimulationReport: Sendable {
    public var model: SimulationModel
    public var result: SimulationResult
    public var cases: Int

    public init(model: SimulationModel, result: SimulationResult, cases: Int) {
        self.model = model
        self.result = result
        self.cases = cases
    }

    var graph: ProcessGraph { model.graph }

    // MARK: Figures

    public struct ActorFigure: Sendable {
        public var actor: Int
        public var name: String
        public var people: Int?
        public var utilisation: Double?
        public var waitHours: Double
        public var waitWorkingDays: Double
        public var meanQueue: Double
        public var maxQueue: Int
        public var workHoursPerCase: Double
    }

    public var actors: [ActorFigure] {
        graph.actors.map { a in
            let i = a.index
            return ActorFigure(actor: i, name: a.name, people: model.people[i], utilisation: result.utilisation(i),
                               waitHours: result.waitHours[i].mean, waitWorkingDays: result.waitWorkingDays[i].mean,
                               meanQueue: result.meanQueue(i), maxQueue: result.maxQueue[i],
                               workHoursPerCase: result.completed > 0 ? result.busyWork[i] / 3600 / Double(result.completed) : 0)
        }
    }

    /// The most utilised staffed actor (ties: the longer wait), if any actor is staffed.
    public var bottleneck: ActorFigure? {
        actors.filter { $0.utilisation != nil }.max { a, b in
            (a.utilisation ?? 0, a.waitHours) < (b.utilisation ?? 0, b.waitHours)
        }
    }

    public struct Outcome: Sendable { public var node: Int; public var name: String; public var share: Double; public var count: UInt64 }

    public var outcomes: [Outcome] {
        let total = Double(max(result.completed, 1))
        return graph.nodes.filter { $0.kind == .end }.map { n in
            Outcome(node: n.id, name: n.key == nil ? "Selesai" : n.label, share: Double(result.outcomes[n.id]) / total, count: result.outcomes[n.id])
        }
    }

    public var slaShare: Double? { result.slaCases > 0 ? Double(result.slaMet) / Double(result.slaCases) : nil }

    func stepName(_ node: Int) -> String {
        let n = graph.nodes[node]
        let label = n.label.count > 60 ? String(n.label.prefix(57)) + "…" : n.label
        let number = n.conditionOf != nil ? (n.number ?? "") + "?" : n.number ?? n.key ?? "#\(node)"
        return "\(number) \(label)"
    }

    func timerName(_ id: Int) -> String {
        let t = graph.timers[id]
        let target = graph.nodes[t.target]
        let to = target.kind == .end ? (target.key ?? target.label) : (target.number ?? target.key ?? target.label)
        return "\(graph.nodes[t.node].number ?? "#\(t.node)") → \(to) (\(t.after.text))"
    }

    // MARK: Text

    static func f(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
    static func pct(_ v: Double) -> String { String(format: "%.1f %%", v * 100) }

    public func text(_ lang: Language) -> String {
        let id = lang == .id
        var out: [String] = []
        let r = result
        out.append((id ? "Simulasi: " : "Simulation: ") + "\(graph.name) (\(graph.id))")
        out.append(id ? "Mesin \(r.engine.rawValue) · \(r.completed) kasus selesai dari \(r.arrived) · seed \(r.seed) · mulai \(model.profile.start) · \(r.events) kejadian"
                      : "Engine \(r.engine.rawValue) · \(r.completed) cases completed of \(r.arrived) · seed \(r.seed) · from \(model.profile.start) · \(r.events) events")
        if r.replications > 1 {
            let y = model.replicationYears
            out.append(id ? "\(r.replications) replikasi independen \(y) tahun, masing-masing dari \(model.profile.start) dengan antrean kosong"
                          : "\(r.replications) independent replications of \(y) year\(y == 1 ? "" : "s"), each from \(model.profile.start) with empty queues")
        }
        if r.unfinished > 0 {
            out.append(id ? "PERINGATAN: \(r.unfinished) kasus dihentikan setelah \(CaseRun.maxActivations) langkah (perulangan)"
                          : "WARNING: \(r.unfinished) cases stopped after \(CaseRun.maxActivations) steps (a loop)")
        }
        out.append("")
        let wd = r.cycleWorkingDays, h = r.cycleHours
        func line(_ x: Histogram) -> String {
            "\(id ? "rata-rata" : "mean") \(Self.f(x.mean, 2)) · p50 \(Self.f(x.quantile(0.5), 2)) · p90 \(Self.f(x.quantile(0.9), 2)) · p95 \(Self.f(x.quantile(0.95), 2)) · p99 \(Self.f(x.quantile(0.99), 2)) · \(id ? "maks" : "max") \(Self.f(x.max, 2))"
        }
        out.append((id ? "Waktu siklus (hari kerja): " : "Cycle time (working days): ") + line(wd))
        out.append((id ? "Waktu siklus (jam):        " : "Cycle time (hours):        ") + line(h))
        if let s = slaShare, let sla = graph.sla {
            out.append(id ? "SLA \(sla.text): \(Self.pct(s)) kasus tepat waktu" : "SLA \(sla.text): \(Self.pct(s)) of cases on time")
        }
        out.append("")
        out.append(id ? "Akhir kasus:" : "Outcomes:")
        for o in outcomes { out.append("  \(Self.pct(o.share).leftPad(8))  \(o.name)") }
        if !graph.timers.isEmpty {
            out.append(id ? "Timer yang berjalan (per kasus):" : "Timers fired (per case):")
            for t in graph.timers {
                let share = Double(r.timersFired[t.id]) / Double(max(r.completed, 1))
                out.append("  \(Self.pct(share).leftPad(8))  \(timerName(t.id))")
            }
        }
        let steps = graph.nodes.filter { r.deadlineChecked[$0.id] > 0 }
        if !steps.isEmpty {
            out.append(id ? "Tenggat per langkah (tepat waktu):" : "Step deadlines (met):")
            for n in steps {
                out.append("  \(Self.pct(Double(r.deadlineMet[n.id]) / Double(r.deadlineChecked[n.id])).leftPad(8))  \(stepName(n.id)) — \(n.duration?.text ?? "")")
            }
        }
        out.append("")
        out.append(id ? "Pelaksana:" : "Actors:")
        for a in actors {
            var s = "  \(a.name): "
            if let u = a.utilisation, let p = a.people {
                s += id ? "\(p) orang, \(Self.pct(u)) sibuk, menunggu rata-rata \(Self.f(a.waitWorkingDays, 2)) hari kerja (\(Self.f(a.waitHours, 1)) jam), antrean rata-rata \(Self.f(a.meanQueue, 1)), maks \(a.maxQueue)"
                        : "\(p) people, \(Self.pct(u)) busy, cases wait \(Self.f(a.waitWorkingDays, 2)) working days on average (\(Self.f(a.waitHours, 1)) h), mean queue \(Self.f(a.meanQueue, 1)), max \(a.maxQueue)"
            } else {
                s += id ? "tanpa batas orang, \(Self.f(a.workHoursPerCase, 2)) jam kerja per kasus" : "no staffing limit, \(Self.f(a.workHoursPerCase, 2)) working hours per case"
            }
            out.append(s)
        }
        if let b = bottleneck, let u = b.utilisation {
            out.append("")
            out.append(id ? "Hambatan: \(b.name): \(Self.pct(u)) sibuk, kasus menunggu rata-rata \(Self.f(b.waitWorkingDays, 1)) hari kerja"
                          : "Bottleneck: \(b.name): \(Self.pct(u)) busy, cases wait \(Self.f(b.waitWorkingDays, 1)) working days on average")
        }
        if !model.profile.assumptions.isEmpty {
            out.append("")
            out.append(id ? "Asumsi:" : "Assumptions:")
            for a in model.profile.assumptions { out.append("  - \(a)") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    public func json() -> String { "{\n" + jsonBody(indent: "  ") + "\n}\n" }

    func jsonBody(indent i: String) -> String {
        let r = result
        func hist(_ x: Histogram) -> String {
            "{\"max\": \(Self.num(x.max)), \"mean\": \(Self.num(x.mean)), \"p50\": \(Self.num(x.quantile(0.5))), \"p90\": \(Self.num(x.quantile(0.9))), \"p95\": \(Self.num(x.quantile(0.95))), \"p99\": \(Self.num(x.quantile(0.99)))}"
        }
        var f: [String] = []
        f.append("\"actors\": [" + actors.map { a in
            "{\"maxQueue\": \(a.maxQueue), \"meanQueue\": \(Self.num(a.meanQueue)), \"name\": \(Self.quote(a.name)), \"people\": \(a.people.map(String.init) ?? "null"), \"utilisation\": \(a.utilisation.map(Self.num) ?? "null"), \"waitHours\": \(Self.num(a.waitHours)), \"waitWorkingDays\": \(Self.num(a.waitWorkingDays)), \"workHoursPerCase\": \(Self.num(a.workHoursPerCase))}"
        }.joined(separator: ", ") + "]")
        f.append("\"arrived\": \(r.arrived)")
        f.append("\"bottleneck\": \(bottleneck.map { Self.quote($0.name) } ?? "null")")
        f.append("\"completed\": \(r.completed)")
        f.append("\"cycleHours\": \(hist(r.cycleHours))")
        f.append("\"cycleWorkingDays\": \(hist(r.cycleWorkingDays))")
        f.append("\"engine\": \(Self.quote(r.engine.rawValue))")
        f.append("\"events\": \(r.events)")
        f.append("\"meanInSystem\": \(Self.num(r.meanInSystem))")
        f.append("\"outcomes\": [" + outcomes.map { "{\"count\": \($0.count), \"name\": \(Self.quote($0.name)), \"share\": \(Self.num($0.share))}" }.joined(separator: ", ") + "]")
        f.append("\"replications\": \(r.replications)")
        f.append("\"seed\": \(r.seed)")
        f.append("\"sla\": " + (slaShare.map { "{\"met\": \(Self.num($0)), \"span\": \(Self.quote(graph.sla?.text ?? ""))}" } ?? "null"))
        f.append("\"sop\": \(Self.quote(graph.id))")
        f.append("\"start\": \(Self.quote(model.profile.start.description))")
        f.append("\"steps\": [" + graph.nodes.filter { r.activations[$0.id] > 0 }.map { n in
            let met = r.deadlineChecked[n.id] > 0 ? Self.num(Double(r.deadlineMet[n.id]) / Double(r.deadlineChecked[n.id])) : "null"
            return "{\"activations\": \(r.activations[n.id]), \"deadlineMet\": \(met), \"name\": \(Self.quote(stepName(n.id))), \"waitHours\": \(Self.num(r.stepWaitHours[n.id].mean)), \"workHours\": \(Self.num(r.stepWorkHours[n.id].mean))}"
        }.joined(separator: ", ") + "]")
        f.append("\"timers\": [" + graph.timers.map { t in
            "{\"fired\": \(r.timersFired[t.id]), \"name\": \(Self.quote(timerName(t.id))), \"share\": \(Self.num(Double(r.timersFired[t.id]) / Double(max(r.completed, 1))))}"
        }.joined(separator: ", ") + "]")
        f.append("\"unfinished\": \(r.unfinished)")
        return f.map { i + $0 }.joined(separator: ",\n")
    }

    static func num(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        return String(format: "%.6g", v)
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\u003c"
            default:
                if u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
