import Foundation
import SOPCalendar
import SOPDiagnostics
import SOPIR
import SOPSimulation
import SOPYAML

/// Reads a simulation profile (YAML, through our reader) against one compiled SOP: names
/// resolve to the SOP's steps, branches, timers and actors; every problem is a located
/// diagnostic (with "did you mean" for names), never a silent default.
public struct ProfileReader {
    let file: SourceFile
    let graph: ProcessGraph
    let sink: DiagnosticSink
    var profile = SimulationProfile()

    /// The profile, or nil when it has errors (reported to `diagnostics`).
    public static func read(_ file: SourceFile, graph: ProcessGraph, diagnostics: DiagnosticSink) -> SimulationProfile? {
        var reader = ProfileReader(file: file, graph: graph, sink: diagnostics)
        let before = diagnostics.count(.error)
        guard let root = YAMLReader().read(file, diagnostics: diagnostics) else { return nil }
        reader.top(root)
        return diagnostics.count(.error) > before ? nil : reader.profile
    }

    // MARK: Diagnostics

    func error(_ code: String, _ node: YAMLNode, _ en: String, _ id: String, help: Message? = nil) {
        sink.emit(Diagnostic(severity: .error, code: code, message: Message(en: en, id: id), range: node.range(in: file.path), help: help))
    }

    /// Checks the keys of a mapping against `allowed`; returns the pairs by key.
    func mapping(_ node: YAMLNode, _ what: String, allowed: [String]) -> [String: (key: YAMLNode, value: YAMLNode)]? {
        guard node.kind == .mapping else {
            error("E0701", node, "`\(what)` must be a mapping, not \(node.typeName.en)", "`\(what)` harus berupa pemetaan, bukan \(node.typeName.id)")
            return nil
        }
        var out: [String: (key: YAMLNode, value: YAMLNode)] = [:]
        for p in node.pairs {
            let k = p.key.scalar
            if !allowed.isEmpty, !allowed.contains(k) {
                let near = NearMiss.best(for: k, among: allowed)
                error("E0702", p.key, "unknown key `\(k)` in `\(what)`" + (near.map { "; did you mean `\($0)`?" } ?? ""),
                      "kunci `\(k)` tidak dikenal di `\(what)`" + (near.map { "; maksud Anda `\($0)`?" } ?? ""),
                      help: Message(en: "keys here: \(allowed.joined(separator: ", "))", id: "kunci di sini: \(allowed.joined(separator: ", "))"))
                continue
            }
            out[k] = p
        }
        return out
    }

    func number(_ node: YAMLNode, _ what: String, min: Double = 0, max: Double = 1e9, integer: Bool = false) -> Double? {
        guard node.kind == .scalar, let v = Double(node.scalar.replacingOccurrences(of: ",", with: ".")), v.isFinite else {
            error("E0701", node, "`\(what)` must be a number, not `\(node.kind == .scalar ? node.scalar : node.typeName.en)`",
                  "`\(what)` harus berupa angka, bukan `\(node.kind == .scalar ? node.scalar : node.typeName.id)`")
            return nil
        }
        if v < min || v > max || (integer && v != v.rounded()) {
            error("E0706", node, "`\(what)` must be \(integer ? "a whole number " : "")from \(Self.show(min)) to \(Self.show(max)), not \(node.scalar)",
                  "`\(what)` harus \(integer ? "bilangan bulat " : "")dari \(Self.show(min)) sampai \(Self.show(max)), bukan \(node.scalar)")
            return nil
        }
        return v
    }

    static func show(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%g", v) }

    static let units: [(words: [String], unit: TimeUnit)] = [
        (["hari kerja", "working day", "working days", "hk"], .workingDay),
        (["detik", "second", "seconds", "s"], .second),
        (["menit", "minute", "minutes", "min"], .minute),
        (["jam", "hour", "hours", "h"], .hour),
        (["hari", "day", "days"], .day),
        (["minggu", "pekan", "week", "weeks"], .week),
        (["bulan", "month", "months"], .month),
        (["tahun", "year", "years"], .year),
    ]

    /// `4 jam`, `2 hari kerja`, `30 menit`.
    func amount(_ node: YAMLNode, _ what: String) -> (Double, TimeUnit)? {
        let text = node.kind == .scalar ? node.scalar.trimmingCharacters(in: .whitespaces).lowercased() : ""
        let parts = text.split(separator: " ", maxSplits: 1)
        if parts.count == 2, let v = Double(parts[0].replacingOccurrences(of: ",", with: ".")), v.isFinite {
            let word = parts[1].split(separator: " ").joined(separator: " ")
            if let u = Self.units.first(where: { $0.words.contains(word) }) {
                guard v >= 0, v <= 1e6 else {
                    error("E0706", node, "`\(what)` must not be negative or absurd, not `\(node.scalar)`", "`\(what)` tidak boleh negatif atau tidak masuk akal, bukan `\(node.scalar)`")
                    return nil
                }
                return (v, u.unit)
            }
            let near = NearMiss.best(for: word, among: Self.units.flatMap(\.words))
            error("E0701", node, "unknown time unit `\(word)` in `\(what)`" + (near.map { "; did you mean `\($0)`?" } ?? ""),
                  "satuan waktu `\(word)` tidak dikenal di `\(what)`" + (near.map { "; maksud Anda `\($0)`?" } ?? ""))
            return nil
        }
        error("E0701", node, "`\(what)` must be a time such as `4 jam` or `2 hari kerja`, not `\(node.kind == .scalar ? node.scalar : node.typeName.en)`",
              "`\(what)` harus berupa waktu seperti `4 jam` atau `2 hari kerja`, bukan `\(node.kind == .scalar ? node.scalar : node.typeName.id)`")
        return nil
    }

    /// `08:00-16:00` as seconds of the day.
    func hours(_ node: YAMLNode, _ what: String) -> ClosedRange<Int>? {
        func clock(_ s: Substring) -> Int? {
            let p = s.trimmingCharacters(in: .whitespaces).split(separator: ":")
            guard p.count == 2, let h = Int(p[0]), let m = Int(p[1]), (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else { return nil }
            return (h * 60 + m) * 60
        }
        let parts = node.kind == .scalar ? node.scalar.split(separator: "-") : []
        guard parts.count == 2, let a = clock(parts[0]), let b = clock(parts[1]) else {
            error("E0701", node, "`\(what)` must be hours such as `08:00-16:00`", "`\(what)` harus berupa jam seperti `08:00-16:00`")
            return nil
        }
        guard b > a else {
            error("E0706", node, "`\(what)`: the end must come after the start", "`\(what)`: jam akhir harus setelah jam mulai")
            return nil
        }
        return a...b
    }

    // MARK: Sections

    static let topKeys = ["simulation", "start", "arrivals", "durations", "steps", "timers", "last_response_share", "staff"]

    mutating func top(_ root: YAMLNode) {
        guard let m = mapping(root, "profile", allowed: Self.topKeys) else { return }
        if let v = m["simulation"]?.value, number(v, "simulation", min: 1, max: 1, integer: true) == nil { return }
        if let v = m["start"]?.value {
            if let d = CivilDate(Substring(v.scalar)) { profile.start = d } else {
                error("E0701", v, "`start` must be a date YYYY-MM-DD, not `\(v.scalar)`", "`start` harus berupa tanggal YYYY-MM-DD, bukan `\(v.scalar)`")
            }
        }
        if let v = m["arrivals"]?.value { arrivals(v) }
        if let v = m["durations"]?.value { durations(v) }
        if let v = m["last_response_share"]?.value, let s = number(v, "last_response_share", max: 1) { profile.lastResponseShare = s }
        if let v = m["staff"]?.value { staff(v) }
        if let v = m["steps"]?.value { steps(v) }
        if let v = m["timers"]?.value { timers(v) }
    }

    static let weekdays: [String: Int] = [
        "senin": 1, "selasa": 2, "rabu": 3, "kamis": 4, "jumat": 5, "sabtu": 6, "minggu": 7,
        "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
    ]

    mutating func arrivals(_ node: YAMLNode) {
        guard let m = mapping(node, "arrivals", allowed: ["per_working_day", "per_day", "per_hour", "hours", "weekdays", "by_hour", "process", "csv"]) else { return }
        let rates = ["per_working_day", "per_day", "per_hour"].filter { m[$0] != nil }
        if rates.count > 1, let second = m[rates[1]] {
            error("E0701", second.key, "give one of per_working_day, per_day and per_hour, not \(rates.count)", "berikan salah satu dari per_working_day, per_day dan per_hour, bukan \(rates.count)")
        }
        if let h = m["hours"]?.value, let r = hours(h, "arrivals.hours") { profile.arrivals.hours = r }
        for key in ["per_working_day", "per_day"] {
            if let v = m[key]?.value, let x = number(v, "arrivals.\(key)", min: 1e-6, max: 1e7) { profile.arrivals.perDay = x }
        }
        if let v = m["per_hour"]?.value, let x = number(v, "arrivals.per_hour", min: 1e-6, max: 1e6) {
            let range = profile.arrivals.hours ?? (CalendarSettings.forSOP(graph.id).week == .everyDay ? 0...86_400 : 8 * 3600...16 * 3600)
            profile.arrivals.perDay = x * Double(range.upperBound - range.lowerBound) / 3600
        }
        if let v = m["process"]?.value {
            switch v.scalar {
            case "poisson": profile.arrivals.poisson = true
            case "regular": profile.arrivals.poisson = false
            default:
                let near = NearMiss.best(for: v.scalar, among: ["poisson", "regular"])
                error("E0701", v, "`arrivals.process` is `poisson` or `regular`, not `\(v.scalar)`" + (near.map { "; did you mean `\($0)`?" } ?? ""),
                      "`arrivals.process` adalah `poisson` atau `regular`, bukan `\(v.scalar)`" + (near.map { "; maksud Anda `\($0)`?" } ?? ""))
            }
        }
        if let v = m["weekdays"]?.value, let w = mapping(v, "arrivals.weekdays", allowed: Array(Self.weekdays.keys).sorted()) {
            for (k, p) in w.sorted(by: { $0.key < $1.key }) {
                if let x = number(p.value, "arrivals.weekdays.\(k)", max: 1e6) { profile.arrivals.weekdayWeights[Self.weekdays[k]!] = x }
            }
        }
        if let v = m["by_hour"]?.value, let w = mapping(v, "arrivals.by_hour", allowed: (0..<24).map(String.init)) {
            for (k, p) in w { if let x = number(p.value, "arrivals.by_hour.\(k)", max: 1e6) { profile.arrivals.hourWeights[Int(k)!] = x } }
        }
        if let v = m["csv"]?.value { replay(v) }
    }

    mutating func replay(_ node: YAMLNode) {
        let dir = (file.path as NSString).deletingLastPathComponent
        let path = node.scalar.hasPrefix("/") ? node.scalar : (dir as NSString).appendingPathComponent(node.scalar)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            error("E0707", node, "cannot read the arrivals CSV `\(node.scalar)`", "CSV kedatangan `\(node.scalar)` tidak dapat dibaca")
            return
        }
        let offset = CalendarSettings.forSOP(graph.id).offset
        var times: [Double] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let cell = line.split(separator: ",", maxSplits: 1).first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \r\"")) } ?? ""
            if cell.isEmpty { continue }
            guard let t = offset.parse(cell) else {
                if i == 0 && times.isEmpty { continue }   // a header
                error("E0707", node, "line \(i + 1) of `\(node.scalar)`: `\(cell.prefix(40))` is not a date-time", "baris \(i + 1) dari `\(node.scalar)`: `\(cell.prefix(40))` bukan tanggal-waktu")
                return
            }
            times.append(Double(t.seconds))
        }
        guard !times.isEmpty else {
            error("E0707", node, "the arrivals CSV `\(node.scalar)` has no arrival", "CSV kedatangan `\(node.scalar)` tidak memuat kedatangan")
            return
        }
        times.sort()
        profile.arrivals.replay = times
    }

    mutating func durations(_ node: YAMLNode) {
        guard let m = mapping(node, "durations", allowed: ["range", "spread", "classes"]) else { return }
        if let v = m["range"]?.value {
            if let s = SimulationProfile.RangeShape(rawValue: v.scalar) { profile.rangeShape = s } else {
                error("E0701", v, "`durations.range` is `triangular` or `uniform`, not `\(v.scalar)`", "`durations.range` adalah `triangular` atau `uniform`, bukan `\(v.scalar)`")
            }
        }
        if let v = m["spread"]?.value, let s = number(v, "durations.spread", max: 0.99) { profile.spread = s }
        if let v = m["classes"]?.value {
            var names: [String] = []
            for n in graph.nodes { if case let .classes(cs) = n.duration?.value { for c in cs where !names.contains(c.name) { names.append(c.name) } } }
            guard let c = mapping(v, "durations.classes", allowed: names.isEmpty ? ["ringan", "sedang", "berat"] : names) else { return }
            var sum = 0.0
            for (k, p) in c { if let x = number(p.value, "durations.classes.\(k)", max: 1) { profile.classMix[k] = x; sum += x } }
            if !c.isEmpty, abs(sum - 1) > 0.001 {
                error("E0705", v, "the class mix sums to \(Self.show(sum)), not 1", "campuran kelas berjumlah \(Self.show(sum)), bukan 1")
            }
        }
    }

    /// Step names: ids, table numbers, and `N?` for the condition of a conditional step.
    var stepNames: [(String, Int)] {
        var out: [(String, Int)] = []
        for n in graph.nodes where n.isActivity {
            if n.conditionOf != nil { if let num = n.number { out.append((num + "?", n.id)) }; continue }
            if let k = n.key { out.append((k, n.id)) }
            if let num = n.number { out.append((num, n.id)) }
        }
        return out
    }

    func resolveStep(_ key: YAMLNode, _ what: String) -> Int? {
        let names = stepNames
        if let hit = names.first(where: { $0.0 == key.scalar }) { return hit.1 }
        let near = NearMiss.best(for: key.scalar, among: names.map(\.0))
        error("E0703", key, "\(what): the SOP has no step `\(key.scalar)`" + (near.map { "; did you mean `\($0)`?" } ?? ""),
              "\(what): SOP tidak memiliki langkah `\(key.scalar)`" + (near.map { "; maksud Anda `\($0)`?" } ?? ""))
        return nil
    }

    mutating func steps(_ node: YAMLNode) {
        guard let m = mapping(node, "steps", allowed: []) else { return }
        for p in node.pairs {
            guard m[p.key.scalar] != nil, let id = resolveStep(p.key, "steps") else { continue }
            guard let s = mapping(p.value, "steps.\(p.key.scalar)", allowed: ["duration", "branches"]) else { continue }
            var sp = profile.steps[id] ?? SimulationProfile.StepProfile()
            if let d = s["duration"]?.value, let (dist, unit) = distribution(d, "steps.\(p.key.scalar).duration") {
                sp.duration = dist
                sp.unit = unit
            }
            if let b = s["branches"]?.value { sp.branches = branches(b, node: id, name: p.key.scalar) }
            profile.steps[id] = sp
        }
    }

    func distribution(_ node: YAMLNode, _ what: String) -> (Distribution, TimeUnit)? {
        if node.kind == .scalar {
            guard let (v, u) = amount(node, what) else { return nil }
            return (.fixed(v), u)
        }
        let keys = ["distribution", "value", "min", "mode", "max", "mean", "sd"]
        guard let m = mapping(node, what, allowed: keys) else { return nil }
        guard let kindNode = m["distribution"]?.value else {
            error("E0701", node, "`\(what)` needs `distribution:` (fixed, uniform, triangular, exponential, normal, lognormal)",
                  "`\(what)` memerlukan `distribution:` (fixed, uniform, triangular, exponential, normal, lognormal)")
            return nil
        }
        let needs: [String: [String]] = ["fixed": ["value"], "uniform": ["min", "max"], "triangular": ["min", "mode", "max"],
                                         "exponential": ["mean"], "normal": ["mean", "sd"], "lognormal": ["mean", "sd"]]
        guard let params = needs[kindNode.scalar] else {
            let near = NearMiss.best(for: kindNode.scalar, among: needs.keys.sorted())
            error("E0701", kindNode, "unknown distribution `\(kindNode.scalar)`" + (near.map { "; did you mean `\($0)`?" } ?? ""),
                  "distribusi `\(kindNode.scalar)` tidak dikenal" + (near.map { "; maksud Anda `\($0)`?" } ?? ""))
            return nil
        }
        var values: [Double] = []
        var unit: TimeUnit?
        for p in params {
            guard let v = m[p]?.value else {
                error("E0701", node, "a \(kindNode.scalar) distribution needs `\(p)`", "distribusi \(kindNode.scalar) memerlukan `\(p)`")
                return nil
            }
            guard let (x0, u0) = amount(v, "\(what).\(p)") else { return nil }
            // Working time in seconds, calendar time in days, working days as they are.
            let (x, u) = Self.normalised(x0, u0)
            if let unit, unit != u {
                error("E0701", v, "do not mix working time, working days and calendar days within `\(what)`",
                      "jangan mencampur waktu kerja, hari kerja dan hari kalender di dalam `\(what)`")
                return nil
            }
            unit = u
            values.append(x)
        }
        for extra in m.keys where extra != "distribution" && !params.contains(extra) {
            error("E0702", m[extra]!.key, "`\(extra)` is not a parameter of a \(kindNode.scalar) distribution (\(params.joined(separator: ", ")))",
                  "`\(extra)` bukan parameter distribusi \(kindNode.scalar) (\(params.joined(separator: ", ")))")
        }
        let d: Distribution
        switch kindNode.scalar {
        case "fixed": d = .fixed(values[0])
        case "uniform": d = .uniform(min: values[0], max: values[1])
        case "triangular": d = .triangular(min: values[0], mode: values[1], max: values[2])
        case "exponential": d = .exponential(mean: values[0])
        case "normal": d = .normal(mean: values[0], sd: values[1])
        default: d = .lognormal(mean: values[0], sd: values[1])
        }
        if case let .uniform(a, b) = d, b < a {
            error("E0706", node, "`\(what)`: max is below min", "`\(what)`: max lebih kecil dari min"); return nil
        }
        if case let .triangular(a, mo, b) = d, !(a <= mo && mo <= b) {
            error("E0706", node, "`\(what)`: a triangle needs min ≤ mode ≤ max", "`\(what)`: segitiga memerlukan min ≤ mode ≤ max"); return nil
        }
        return (d, unit ?? .hour)
    }

    static func normalised(_ v: Double, _ u: TimeUnit) -> (Double, TimeUnit) {
        switch u {
        case .second: return (v, .second)
        case .minute: return (v * 60, .second)
        case .hour: return (v * 3600, .second)
        case .day: return (v, .day)
        case .week: return (v * 7, .day)
        case .month: return (v * 30, .day)
        case .year: return (v * 365, .day)
        case .workingDay: return (v, .workingDay)
        }
    }

    func branches(_ node: YAMLNode, node id: Int, name: String) -> [Int: Double]? {
        let edges = graph.edges.filter { $0.from == id && $0.kind == .branch }
        let labels = edges.compactMap(\.label)
        if edges.isEmpty {
            error("E0703", node, "step `\(name)` is not a decision: it has no branches", "langkah `\(name)` bukan keputusan: tidak memiliki cabang")
            return nil
        }
        guard let m = mapping(node, "steps.\(name).branches", allowed: labels) else { return nil }
        var out: [Int: Double] = [:]
        var sum = 0.0
        for e in edges {
            guard let label = e.label, let p = m[label] else { continue }
            if let x = number(p.value, "steps.\(name).branches.\(label)", max: 1) { out[e.to, default: 0] += x; sum += x }
        }
        if m.count == labels.count, abs(sum - 1) > 0.001 {
            error("E0705", node, "the branches of `\(name)` sum to \(Self.show(sum)), not 1", "cabang `\(name)` berjumlah \(Self.show(sum)), bukan 1")
            return nil
        }
        if m.count < labels.count {
            // The branches not given share what is left equally.
            let rest = edges.filter { $0.label.map { m[$0] == nil } ?? true }
            guard sum <= 1.001 else {
                error("E0705", node, "the branches of `\(name)` sum to \(Self.show(sum)), more than 1", "cabang `\(name)` berjumlah \(Self.show(sum)), lebih dari 1")
                return nil
            }
            for e in rest { out[e.to, default: 0] += max(0, 1 - sum) / Double(rest.count) }
        }
        return out
    }

    mutating func timers(_ node: YAMLNode) {
        guard node.kind == .sequence else {
            error("E0701", node, "`timers` must be a list", "`timers` harus berupa daftar"); return
        }
        for item in node.children {
            guard let m = mapping(item, "timers", allowed: ["step", "goto", "after", "share"]) else { continue }
            guard let stepNode = m["step"]?.value else {
                error("E0701", item, "a timer entry needs `step`", "entri timer memerlukan `step`"); continue
            }
            guard let step = resolveStep(stepNode, "timers") else { continue }
            var candidates = graph.timers.filter { $0.node == step }
            if candidates.isEmpty {
                error("E0703", stepNode, "step `\(stepNode.scalar)` has no timer", "langkah `\(stepNode.scalar)` tidak memiliki timer"); continue
            }
            func targetName(_ t: ProcessGraph.Timer) -> String { let n = graph.nodes[t.target]; return n.key ?? n.number ?? n.label }
            if let g = m["goto"]?.value {
                let hit = candidates.filter { targetName($0) == g.scalar }
                if hit.isEmpty {
                    let names = candidates.map(targetName)
                    let near = NearMiss.best(for: g.scalar, among: names)
                    error("E0703", g, "no timer of `\(stepNode.scalar)` goes to `\(g.scalar)`" + (near.map { "; did you mean `\($0)`?" } ?? ""),
                          "tidak ada timer `\(stepNode.scalar)` yang menuju `\(g.scalar)`" + (near.map { "; maksud Anda `\($0)`?" } ?? ""),
                          help: Message(en: "its timers go to \(names.joined(separator: ", "))", id: "timernya menuju \(names.joined(separator: ", "))"))
                    continue
                }
                candidates = hit
            }
            if let a = m["after"]?.value {
                let hit = candidates.filter { $0.after.text.lowercased() == a.scalar.lowercased() }
                if hit.isEmpty {
                    error("E0703", a, "no timer of `\(stepNode.scalar)` runs `\(a.scalar)`", "tidak ada timer `\(stepNode.scalar)` selama `\(a.scalar)`",
                          help: Message(en: "its timers: \(candidates.map(\.after.text).joined(separator: ", "))", id: "timernya: \(candidates.map(\.after.text).joined(separator: ", "))"))
                    continue
                }
                candidates = hit
            }
            if candidates.count > 1 {
                error("E0703", item, "step `\(stepNode.scalar)` has \(candidates.count) timers: say which with `goto`", "langkah `\(stepNode.scalar)` memiliki \(candidates.count) timer: sebut yang mana dengan `goto`")
                continue
            }
            if let s = m["share"]?.value, let x = number(s, "timers.share", max: 1) { profile.timerShares[candidates[0].id] = x }
        }
    }

    mutating func staff(_ node: YAMLNode) {
        guard node.kind == .mapping else { _ = mapping(node, "staff", allowed: []); return }
        let settings = CalendarSettings.forSOP(graph.id)
        for p in node.pairs {
            guard let actor = graph.actors.first(where: { $0.key == p.key.scalar }) else {
                let near = NearMiss.best(for: p.key.scalar, among: graph.actors.map(\.key))
                error("E0704", p.key, "the SOP has no actor `\(p.key.scalar)`" + (near.map { "; did you mean `\($0)`?" } ?? ""),
                      "SOP tidak memiliki pelaksana `\(p.key.scalar)`" + (near.map { "; maksud Anda `\($0)`?" } ?? ""),
                      help: Message(en: "actors: \(graph.actors.map(\.key).joined(separator: ", "))", id: "pelaksana: \(graph.actors.map(\.key).joined(separator: ", "))"))
                continue
            }
            if p.value.kind == .scalar, p.value.scalar == "unlimited" { profile.staff[actor.index] = nil; continue }
            guard let m = mapping(p.value, "staff.\(p.key.scalar)", allowed: ["people", "hours", "calendar"]) else { continue }
            var s = SimulationProfile.Staff(people: nil, week: settings.week)
            if settings.week == .everyDay { s.hours = 0...86_400 }
            if let v = m["people"]?.value {
                if v.kind == .scalar, v.scalar == "unlimited" { s.people = nil } else if let x = number(v, "staff.\(p.key.scalar).people", min: 1, max: 100_000, integer: true) { s.people = Int(x) }
            }
            if let v = m["hours"]?.value, let h = hours(v, "staff.\(p.key.scalar).hours") { s.hours = h }
            if let v = m["calendar"]?.value {
                if let w = CalendarSettings.Week(rawValue: v.scalar) { s.week = w } else {
                    let near = NearMiss.best(for: v.scalar, among: CalendarSettings.Week.allCases.map(\.rawValue))
                    error("E0701", v, "`calendar` is `working-days` or `every-day`, not `\(v.scalar)`" + (near.map { "; did you mean `\($0)`?" } ?? ""),
                          "`calendar` adalah `working-days` atau `every-day`, bukan `\(v.scalar)`" + (near.map { "; maksud Anda `\($0)`?" } ?? ""))
                }
            }
            profile.staff[actor.index] = s
        }
    }
}
