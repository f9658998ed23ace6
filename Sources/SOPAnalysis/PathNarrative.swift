import SOPDiagnostics
import SOPIR

/// The course of events of a path told for a trainer, one line per step the case passes,
/// in Indonesian or English. Shared by `sop paths` (text, Markdown) and the manual (HTML):
/// each line keeps its parts so that every format can set them its own way.
public struct PathNarrative: Sendable {
    /// One line of the story.
    public struct Line: Hashable, Sendable {
        /// "Langkah 2", "Syarat langkah 8.4", "Step 2".
        public var title: String
        /// How the runtime and scenarios name the step: "2", "verifikasi", "8.4?".
        public var ref: String
        /// Who acts ("Tim Admin", "A atau B"); nil when the SOP does not say.
        public var actor: String?
        /// What they do (the activity, or the condition's question).
        public var action: String
        /// The *Waktu* as written, when there is one.
        public var duration: String?
        /// The answer taken at a decision ("ya", "tidak") or the timer that fired ("60 hari kerja").
        public var choice: String?
        /// What follows from it ("kembali ke langkah 2", "proses berakhir").
        public var consequence: String?
        /// The decision's question, when it has one ("Sesuai kewenangan instansi?").
        public var question: String?
        /// A timer fired: `choice` is its time, `consequence` its label.
        public var isTimer: Bool
        /// The timer counts from the last response, not from the step's start.
        public var afterResponse: Bool = false
        /// A line about the flow, not a step (a parallel block starts).
        public var isNote: Bool
        /// The condition of a conditional step: `action` is the condition, decided ya / tidak.
        public var isCondition: Bool = false
    }

    public let graph: ProcessGraph
    public let language: Language

    public init(graph: ProcessGraph, language: Language) {
        self.graph = graph
        self.language = language
    }

    func t(_ en: String, _ id: String) -> String { language == .id ? id : en }

    /// The lines of a path, in order; the end is told by `ending(_:)`.
    public func lines(_ path: TrainingPath) -> [Line] {
        var out: [Line] = []
        for hop in path.hops {
            let node = graph.nodes[hop.node]
            if node.kind == .parallelSplit {
                let heads = graph.edges.filter { $0.from == node.id && $0.kind == .parallel }.map { stepName($0.to) }
                out.append(Line(title: t("In parallel", "Bersamaan"), ref: "", actor: nil,
                                action: t("steps \(heads.joined(separator: ", ")) start together; all must be done before the case goes on",
                                          "langkah \(heads.joined(separator: ", ")) dimulai bersamaan; semuanya harus selesai sebelum kasus berlanjut"),
                                duration: nil, choice: nil, consequence: nil, question: nil, isTimer: false, isNote: true))
                continue
            }
            guard node.isActivity else { continue }
            var line = Line(title: title(node), ref: Self.ref(node, in: graph), actor: actorName(node), action: action(node),
                            duration: node.conditionOf == nil ? node.duration?.text : nil, choice: nil, consequence: nil,
                            question: nil, isTimer: false, isNote: false)
            line.isCondition = node.conditionOf != nil
            switch hop.exit {
            case let .branch(edge, label)?:
                line.choice = label
                if node.conditionOf == nil { line.question = node.question }
                let target = graph.edges[edge].to
                if let step = node.conditionOf {
                    let name = stepName(step)
                    line.consequence = target == step ? t("step \(name) is done", "langkah \(name) dilakukan")
                                                      : t("step \(name) is skipped", "langkah \(name) dilewati")
                } else {
                    line.consequence = consequence(to: target, loopsBack: hop.loopsBack)
                }
            case let .timer(id)?:
                let timer = graph.timers[id]
                line.isTimer = true
                line.afterResponse = timer.since == .lastResponse
                line.choice = timer.after.text
                let what = timer.label ?? consequence(to: timer.target, loopsBack: hop.loopsBack)
                line.consequence = what
            default: break
            }
            out.append(line)
        }
        return out
    }

    /// "Langkah 2" / "Syarat langkah 8.4" / "Step 2".
    public func title(_ node: ProcessGraph.Node) -> String {
        if let step = node.conditionOf { return t("Condition of step \(stepName(step))", "Syarat langkah \(stepName(step))") }
        return t("Step \(node.number ?? node.key ?? "#\(node.id)")", "Langkah \(node.number ?? node.key ?? "#\(node.id)")")
    }

    func stepName(_ id: Int) -> String {
        let n = graph.nodes[id]
        return n.number ?? n.key ?? "#\(id)"
    }

    /// How scenarios and `sop case` name a node: its id, else its number; `8.4?` for a condition.
    public static func ref(_ node: ProcessGraph.Node, in graph: ProcessGraph) -> String {
        if let step = node.conditionOf {
            let s = graph.nodes[step]
            return (s.key ?? s.number ?? "#\(step)") + "?"
        }
        return node.key ?? node.number ?? "#\(node.id)"
    }

    func actorName(_ node: ProcessGraph.Node) -> String? {
        let names = node.allActors.map { graph.actors[$0].name }
        guard !names.isEmpty else { return nil }
        return names.joined(separator: t(" or ", " atau "))
    }

    func action(_ node: ProcessGraph.Node) -> String {
        var text = node.conditionOf != nil ? (node.question ?? node.label) : node.label
        if node.kind == .call, let callee = node.callee { text += t(" (calls the SOP \(callee))", " (memanggil SOP \(callee))") }
        return text
    }

    func consequence(to target: Int, loopsBack: Bool) -> String {
        let n = graph.nodes[target]
        if n.kind == .end { return t("the process ends", "proses berakhir") }
        var step = target
        // Through gateways to the step they lead to.
        while !graph.nodes[step].isActivity, let e = graph.edges.first(where: { $0.from == step && $0.kind != .timeout }) { step = e.to }
        let name = graph.nodes[step].conditionOf.map(stepName) ?? stepName(step)
        return loopsBack ? t("back to step \(name)", "kembali ke langkah \(name)") : t("on to step \(name)", "lanjut ke langkah \(name)")
    }

    /// The name of the end a path reaches: the outcome's name, or "Selesai".
    public func outcomeName(_ path: TrainingPath) -> String {
        let end = graph.nodes[path.end]
        return end.key == nil ? t("Done", "Selesai") : end.label
    }

    /// One sentence of a line, for plain text: "Tim Admin memverifikasi … (3-5 hari) — Sesuai
    /// kewenangan instansi? ya: lanjut ke langkah 3".
    public func sentence(_ line: Line, emphasis: (String) -> String = { $0 }) -> String {
        if line.isNote { return line.action }
        var s: String
        if line.isCondition {
            s = (line.actor.map { $0 + t(" decides: ", " menilai: ") } ?? t("Condition: ", "Syarat: ")) + line.action
        } else if let actor = line.actor {
            s = language == .id ? actor + " " + Self.lowercasingFirstWord(line.action) : actor + ": " + line.action
        } else {
            s = line.action
        }
        if let d = line.duration { s += " (\(d))" }
        if line.isTimer, let choice = line.choice {
            s += " — " + emphasis(line.afterResponse ? t("after a response, no answer within \(choice)", "setelah ditanggapi, tidak ada tanggapan lagi dalam \(choice)")
                                                      : t("not done within \(choice)", "tidak selesai dalam \(choice)"))
            if let c = line.consequence { s += ": " + c }
        } else if let choice = line.choice {
            s += " — " + (line.question.map { $0 + " " } ?? "") + emphasis(choice)
            if let c = line.consequence { s += ": " + c }
        }
        return s
    }

    /// "Memverifikasi laporan" → "memverifikasi laporan"; "LAPOR!-SP4N …", "SKPD …" and
    /// other words in capitals keep their case.
    static func lowercasingFirstWord(_ text: String) -> String {
        guard let first = text.first, first.isUppercase else { return text }
        let second = text.dropFirst().first
        guard let second, second.isLowercase else { return text }
        return first.lowercased() + text.dropFirst()
    }

    /// "8–18 hari kerja", "6–21 menit", "2 jam": the range in the largest unit that reads
    /// well — working days from one day on (shortest rounded down, longest up), else hours or
    /// minutes of elapsed time.
    public func duration(_ r: WorkingDayRange) -> String {
        let hours = (r.min * WorkingDayRange.hoursPerWorkingDay, r.max * WorkingDayRange.hoursPerWorkingDay)
        let text: String
        if r.max <= 1e-9 {
            text = t("no stated time", "tanpa waktu tertulis")
        } else if r.max >= 1 - 1e-9 {
            text = span(r.min, r.max) + t(" working days", " hari kerja")
        } else if hours.1 >= 1 - 1e-9 {
            text = span(hours.0, hours.1) + t(" hours", " jam")
        } else {
            text = span(hours.0 * 60, hours.1 * 60) + t(" minutes", " menit")
        }
        return r.openEnded ? text + t(", plus recurring steps", ", ditambah langkah berulang") : text
    }

    func span(_ lo: Double, _ hi: Double) -> String {
        let a = Int((lo + 1e-9).rounded(.down)), b = Int((hi - 1e-9).rounded(.up))
        return a == b ? "\(b)" : "\(a)–\(b)"
    }
}
