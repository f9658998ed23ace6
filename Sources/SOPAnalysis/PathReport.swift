import Foundation
import SOPDiagnostics
import SOPIR

/// What `sop paths` prints: the paths of one SOP as a narrative (text or Markdown, in
/// Indonesian or English) or as JSON. Deterministic: the same IR gives the same bytes.
public struct PathReport: Sendable {
    public enum Mode: Sendable, Equatable {
        /// The covering set.
        case cover
        /// Every path up to a limit.
        case all(limit: Int)
    }

    public let graph: ProcessGraph
    public let mode: Mode
    public let paths: [TrainingPath]
    /// Elements no path takes (cover), timers that never fire, and the listing's cut.
    public let uncoverable: [PathElement]
    public let silentTimers: [Int]
    public let listing: PathAnalysis.Listing?
    public let durations: [WorkingDayRange]
    /// How many paths any cover needs at least (`PathAnalysis.lowerBound`).
    public let lowerBound: Int

    /// Analyses `graph` in `mode`.
    public init(graph: ProcessGraph, mode: Mode) {
        self.graph = graph
        self.mode = mode
        let analysis = PathAnalysis(graph)
        switch mode {
        case .cover:
            let cover = analysis.cover()
            paths = cover.paths
            uncoverable = cover.uncoverable
            listing = nil
        case let .all(limit):
            let l = analysis.all(limit: limit)
            paths = l.paths
            uncoverable = []
            listing = l
        }
        silentTimers = analysis.silentTimers
        lowerBound = analysis.lowerBound
        durations = paths.map { WorkingDayRange.of($0, in: graph) }
    }

    /// How many steps, branches, timers and ends the paths take together.
    public struct Coverage: Sendable, Equatable {
        public var steps = 0, branches = 0, timers = 0, outcomes = 0
    }

    public func coverage() -> (taken: Coverage, total: Coverage) {
        func count(_ elements: some Sequence<PathElement>) -> Coverage {
            var c = Coverage()
            for e in elements {
                switch e {
                case .step: c.steps += 1
                case .branch: c.branches += 1
                case .timer: c.timers += 1
                case .outcome: c.outcomes += 1
                }
            }
            return c
        }
        let all = PathAnalysis(graph).elements
        let taken = Set(paths.flatMap { $0.elements(in: graph) })
        return (count(taken), count(all))
    }

    // MARK: Text and Markdown

    /// The narrative: plain text, or Markdown when `markdown`.
    public func narrative(_ language: Language, markdown: Bool) -> String {
        let n = PathNarrative(graph: graph, language: language)
        let t = { (en: String, id: String) in language == .id ? id : en }
        var out: [String] = []
        let (taken, total) = coverage()
        out.append(markdown ? "# \(t("Training paths", "Jalur pelatihan")): \(graph.name)" : "\(graph.name) (\(graph.id))")
        if markdown { out.append(""); out.append("`\(graph.id)`" + (graph.isDraft ? t(" — draft: the source table is incomplete", " — draf: tabel sumber tidak lengkap") : "")) }
        else if graph.isDraft { out.append(t("Draft: the source table is incomplete.", "Draf: tabel sumber tidak lengkap.")) }
        out.append("")
        let counts = t("\(taken.steps) of \(total.steps) steps, \(taken.branches) of \(total.branches) branches, \(taken.timers) of \(total.timers) timers and \(taken.outcomes) of \(total.outcomes) ends",
                       "\(taken.steps) dari \(total.steps) langkah, \(taken.branches) dari \(total.branches) cabang, \(taken.timers) dari \(total.timers) batas waktu dan \(taken.outcomes) dari \(total.outcomes) akhir")
        switch mode {
        case .cover:
            out.append(t(paths.count == 1 ? "1 path that takes \(counts)." : "\(paths.count) paths that together take \(counts).",
                         "\(paths.count) jalur yang " + (paths.count == 1 ? "" : "bersama-sama ") + "menempuh \(counts).")
                       + (paths.count == lowerBound ? t(" No fewer paths can.", " Tidak ada jumlah jalur yang lebih sedikit.")
                                                    : t(" At least \(lowerBound) are needed.", " Paling sedikit \(lowerBound) jalur diperlukan.")))
        case let .all(limit):
            if let l = listing, l.isCut || l.budgetSpent {
                let more = Self.count(l.loopFreeCount)
                out.append(l.isCut
                    ? t("The list is cut at the limit of \(limit) paths: the SOP has more (\(more) without loops alone). Raise --limit to see more.",
                        "Daftar dipotong pada batas \(limit) jalur: SOP ini memiliki lebih banyak (\(more) tanpa putaran saja). Naikkan --limit untuk melihat lebih banyak.")
                    : t("The search stopped after its work budget with \(paths.count) paths: the SOP has more (\(more) without loops alone).",
                        "Pencarian berhenti setelah batas kerjanya dengan \(paths.count) jalur: SOP ini memiliki lebih banyak (\(more) tanpa putaran saja)."))
            } else {
                out.append(t("All \(paths.count) paths, each loop taken at most once; together they take \(counts).",
                             "Semua \(paths.count) jalur, setiap putaran ditempuh paling banyak sekali; bersama-sama menempuh \(counts)."))
            }
        }
        if !silentTimers.isEmpty {
            let names = silentTimers.map { graph.timers[$0].after.text }.joined(separator: ", ")
            out.append(t("Never fires (another timer of the same step fires first): \(names).",
                         "Tidak pernah berjalan (batas waktu lain pada langkah yang sama lebih dulu): \(names)."))
        }
        if !uncoverable.isEmpty {
            out.append(t("No path takes \(uncoverable.count) element(s): no end can be reached through them.",
                         "\(uncoverable.count) unsur tidak ditempuh jalur mana pun: tidak ada akhir yang dapat dicapai melaluinya."))
        }
        for (i, path) in paths.enumerated() {
            out.append("")
            let head = t("Path \(i + 1)", "Jalur \(i + 1)") + " — " + t("ends: ", "berakhir: ") + n.outcomeName(path) + " · " + n.duration(durations[i])
            out.append(markdown ? "## " + head : head)
            if markdown { out.append("") }
            for (k, line) in n.lines(path).enumerated() {
                if markdown {
                    let title = line.isNote ? "*\(line.title)*" : "**\(line.title)**"
                    out.append("\(k + 1). \(title) · " + Self.markdownEscaped(n.sentence(line, emphasis: { "*\($0)*" })))
                } else {
                    out.append("  \(k + 1). \(line.title) · " + n.sentence(line))
                }
            }
            let end = durations[i].max <= 1e-9 && !durations[i].openEnded
                ? t("Ends: \(n.outcomeName(path)). No time is stated.", "Berakhir: \(n.outcomeName(path)). Waktunya tidak tertulis.")
                : t("Ends: \(n.outcomeName(path)). Done in \(n.duration(durations[i])).",
                    "Berakhir: \(n.outcomeName(path)). Selesai dalam \(n.duration(durations[i])).")
            out.append(markdown ? "\n" + end : "  " + end)
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// "12", "1.2e+30", "more than 10^308".
    static func count(_ value: Double) -> String {
        if !value.isFinite { return "> 10^308" }
        if value < 1e15 { return String(Int(value)) }
        return String(format: "%.1e", value)
    }

    /// Markdown's inline specials in text (not the emphasis we add).
    static func markdownEscaped(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "\\" || c == "`" || c == "<" || c == ">" || c == "[" || c == "]" || c == "|" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    // MARK: JSON

    struct JSONReport: Encodable {
        var sop: String
        var name: String
        var contentHash: String
        var mode: String
        var limit: Int?
        var cut: Bool?
        var loopFreePaths: Double?
        var lowerBound: Int
        var elements: [String: Int]
        var taken: [String: Int]
        var silentTimers: [Int]
        var uncoverable: [String]
        var paths: [JSONPath]
    }
    struct JSONPath: Encodable {
        var number: Int
        var outcome: JSONOutcome
        var duration: JSONDuration
        var hops: [JSONHop]
    }
    struct JSONOutcome: Encodable { var node: Int; var key: String?; var name: String }
    struct JSONDuration: Encodable { var minWorkingDays: Double; var maxWorkingDays: Double; var openEnded: Bool; var text: String; var textEn: String }
    struct JSONHop: Encodable {
        var node: Int
        var kind: String
        var ref: String?
        var number: String?
        var actors: [String]
        var label: String
        var duration: String?
        var branch: String?
        var timer: Int?
        var loopsBack: Bool?
    }

    /// The report as JSON (sorted keys; working days rounded to 0.01).
    public func json() -> String {
        let (taken, total) = coverage()
        func dict(_ c: Coverage) -> [String: Int] { ["steps": c.steps, "branches": c.branches, "timers": c.timers, "outcomes": c.outcomes] }
        let id = PathNarrative(graph: graph, language: .id), en = PathNarrative(graph: graph, language: .en)
        let report = JSONReport(
            sop: graph.id, name: graph.name, contentHash: graph.contentHash,
            mode: mode == .cover ? "cover" : "all",
            limit: { if case let .all(l) = mode { return l } else { return nil } }(),
            cut: listing.map { $0.isCut || $0.budgetSpent },
            loopFreePaths: listing.map { $0.loopFreeCount.isFinite ? $0.loopFreeCount : Double.greatestFiniteMagnitude },
            lowerBound: lowerBound,
            elements: dict(total), taken: dict(taken), silentTimers: silentTimers,
            uncoverable: uncoverable.map(describe),
            paths: paths.enumerated().map { i, p in
                JSONPath(number: i + 1,
                         outcome: JSONOutcome(node: p.end, key: graph.nodes[p.end].key, name: graph.nodes[p.end].label),
                         duration: JSONDuration(minWorkingDays: (durations[i].min * 100).rounded() / 100,
                                                maxWorkingDays: (durations[i].max * 100).rounded() / 100,
                                                openEnded: durations[i].openEnded, text: id.duration(durations[i]), textEn: en.duration(durations[i])),
                         hops: p.hops.map(hop))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    func hop(_ h: TrainingPath.Hop) -> JSONHop {
        let node = graph.nodes[h.node]
        var out = JSONHop(node: h.node, kind: node.conditionOf != nil ? "condition" : node.kind.rawValue,
                          ref: node.isActivity ? PathNarrative.ref(node, in: graph) : nil, number: node.number,
                          actors: node.allActors.map { graph.actors[$0].key }, label: node.conditionOf != nil ? (node.question ?? node.label) : node.label,
                          duration: node.duration?.text)
        switch h.exit {
        case let .branch(_, label)?: out.branch = label
        case let .timer(t)?: out.timer = t
        default: break
        }
        if h.loopsBack { out.loopsBack = true }
        return out
    }

    func describe(_ e: PathElement) -> String {
        switch e {
        case let .step(n): return "step \(graph.nodes[n].number ?? "#\(n)")"
        case let .branch(i): return "branch \(graph.edges[i].label ?? "") of \(graph.nodes[graph.edges[i].from].number ?? "#\(graph.edges[i].from)")"
        case let .timer(t): return "timer \(t)"
        case let .outcome(n): return "end \(graph.nodes[n].key ?? "Selesai")"
        }
    }
}
