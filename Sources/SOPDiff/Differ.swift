import SOPAnalysis
import SOPDiagnostics
import SOPIR

/// Compares two revisions of an SOP: their IRs (identity, actors, steps, flow, timers) and
/// their diagnostics. Reads what the compiler gives only, so how the YAML is written (key
/// order, comments, quoting, line wrapping) never shows. Transcription provenance
/// (`source`, `notes`, `corrections`, `inferred`) is not the SOP's content and is not compared.
public enum SOPDiffer {
    /// Steps whose actions are at least this alike (`WordDiff.similarity`) may be the same
    /// step when no `id` pairs them.
    public static let matchThreshold = 0.5

    public static func compare(_ old: DiffSide, _ new: DiffSide) -> SOPDiff {
        let a = old.graph, b = new.graph
        let steps = StepMatching(a, b)
        var diff = SOPDiff(oldPath: old.path, newPath: new.path, oldID: a.id, newID: b.id, name: b.name,
                           timing: timing(a, b))
        diff.identity = identity(a, b)
        diff.lists = lists(a, b)
        let actors = ActorMatching(a, b)
        diff.actors = actors.changes
        diff.steps = stepChanges(a, b, steps, actors)
        diff.flow = flow(a, b, steps)
        diff.diagnostics = diagnostics(old.diagnostics, new.diagnostics)
        return diff
    }

    // MARK: Identity

    static func identity(_ a: ProcessGraph, _ b: ProcessGraph) -> [FieldChange] {
        func fields(_ g: ProcessGraph) -> [(String, String?)] {
            let i = g.identity
            return [("id", g.id), ("name", g.name), ("draft", g.isDraft ? "true" : nil), ("number", i.number),
                    ("government", i.government), ("agency", i.agency), ("division", i.division), ("unit", i.unit),
                    ("activity", i.activity), ("subActivity", i.subActivity),
                    ("dates.created", i.created), ("dates.revised", i.revised), ("dates.effective", i.effective),
                    ("approvedBy.title", i.approvedBy?.title), ("approvedBy.name", i.approvedBy?.name),
                    ("approvedBy.nip", i.approvedBy?.nip), ("purpose", i.purpose)]
        }
        var out: [FieldChange] = []
        for ((field, x), (_, y)) in zip(fields(a), fields(b)) {
            if let c = fieldChange(field, x, y, words: !["id", "number", "dates.created", "dates.revised", "dates.effective", "approvedBy.nip"].contains(field)) {
                out.append(c)
            }
        }
        return out
    }

    static func fieldChange(_ field: String, _ old: String?, _ new: String?, words: Bool = true) -> FieldChange? {
        let x = old.map(WordDiff.normalised).flatMap { $0.isEmpty ? nil : $0 }
        let y = new.map(WordDiff.normalised).flatMap { $0.isEmpty ? nil : $0 }
        guard x != y else { return nil }
        var c = FieldChange(field: field, old: x, new: y)
        // A word diff where it helps: texts of several words, mostly alike.
        if words, let x, let y, WordDiff.words(x).count > 2, WordDiff.words(y).count > 2, WordDiff.similarity(x, y) >= 0.5 {
            let w = WordDiff.diff(x, y)
            if w.contains(where: { $0.op == .same }) { c.words = w }
        }
        return c
    }

    static func lists(_ a: ProcessGraph, _ b: ProcessGraph) -> [ListChange] {
        func fields(_ g: ProcessGraph) -> [(String, [String])] {
            let i = g.identity
            return [("legalBasis", i.legalBasis), ("qualifications", i.qualifications), ("equipment", i.equipment),
                    ("warnings", i.warnings), ("records", i.records), ("related", i.related.map(\.name)),
                    ("inputs", g.inputs.map { g.documents[$0].name }), ("outputs", g.outputs.map { g.documents[$0].name })]
        }
        var out: [ListChange] = []
        for ((field, x), (_, y)) in zip(fields(a), fields(b)) {
            let c = listChange(field, x, y)
            if !c.removed.isEmpty || !c.added.isEmpty || !c.reworded.isEmpty { out.append(c) }
        }
        return out
    }

    /// Items only on one side; a removed and an added item alike enough are one reworded item.
    static func listChange(_ field: String, _ old: [String], _ new: [String]) -> ListChange {
        var removed = multisetMinus(old.map(WordDiff.normalised), new.map(WordDiff.normalised))
        var added = multisetMinus(new.map(WordDiff.normalised), old.map(WordDiff.normalised))
        var c = ListChange(field: field)
        var pairs: [(Double, Int, Int)] = []
        for (i, r) in removed.enumerated() {
            for (j, x) in added.enumerated() {
                let s = WordDiff.similarity(r, x)
                if s >= 0.6 { pairs.append((s, i, j)) }
            }
        }
        pairs.sort { ($0.0, -$0.1, -$0.2) > ($1.0, -$1.1, -$1.2) }
        var usedR = Set<Int>(), usedA = Set<Int>(), reworded: [(Int, FieldChange)] = []
        for (_, i, j) in pairs where !usedR.contains(i) && !usedA.contains(j) {
            usedR.insert(i); usedA.insert(j)
            reworded.append((j, FieldChange(field: field, old: removed[i], new: added[j], words: WordDiff.diff(removed[i], added[j]))))
        }
        c.reworded = reworded.sorted { $0.0 < $1.0 }.map(\.1)
        removed = removed.enumerated().filter { !usedR.contains($0.offset) }.map(\.element)
        added = added.enumerated().filter { !usedA.contains($0.offset) }.map(\.element)
        c.removed = removed
        c.added = added
        return c
    }

    /// The items of `a` not in `b`, counting repeats, in `a`'s order.
    static func multisetMinus(_ a: [String], _ b: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for x in b { counts[x, default: 0] += 1 }
        var out: [String] = []
        for x in a {
            if let k = counts[x], k > 0 { counts[x] = k - 1 } else { out.append(x) }
        }
        return out
    }

    // MARK: Steps

    static func stepChanges(_ a: ProcessGraph, _ b: ProcessGraph, _ m: StepMatching, _ actors: ActorMatching) -> [StepChange] {
        var entries: [(Double, StepChange)] = []
        let moved = m.moved
        for (p, pair) in m.pairs.enumerated() {
            let x = a.nodes[pair.old], y = b.nodes[pair.new]
            var c = StepChange(kind: .changed, oldNumber: x.number, newNumber: y.number, key: y.key ?? x.key, action: WordDiff.normalised(y.label))
            if WordDiff.normalised(x.label) != WordDiff.normalised(y.label) { c.actionWords = WordDiff.diff(x.label, y.label) }
            c.moved = moved.contains(p)
            if c.moved {
                let i = m.oldSteps.firstIndex(of: pair.old)!, k = m.newPlace[pair.new]!
                c.afterOld = i > 0 ? a.nodes[m.oldSteps[i - 1]].number : nil
                c.afterNew = k > 0 ? b.nodes[m.newSteps[k - 1]].number : nil
            }
            let oldActors = x.allActors.map { actors.newIndex[$0].map { "n\($0)" } ?? "o\($0)" }
            let newActors = y.allActors.map { "n\($0)" }
            if oldActors != newActors {
                c.actor = FieldChange(field: "actor", old: actorNames(x, a), new: actorNames(y, b))
            }
            if !sameTime(x, y) { c.time = TimeChange(old: timeValue(x), new: timeValue(y)) }
            (c.requiresRemoved, c.requiresAdded) = documents(x.requires, a, y.requires, b)
            (c.producesRemoved, c.producesAdded) = documents(x.produces, a, y.produces, b)
            c.exits = exits(pair.old, pair.new, a, b, m)
            c.timers = timers(pair.old, pair.new, a, b, m)
            c.fields = otherFields(x, a, y, b, m)
            if c.actionWords != nil || c.moved || c.actor != nil || c.time != nil || !c.requiresRemoved.isEmpty || !c.requiresAdded.isEmpty
                || !c.producesRemoved.isEmpty || !c.producesAdded.isEmpty || !c.exits.isEmpty || !c.timers.isEmpty || !c.fields.isEmpty {
                entries.append((Double(m.newPlace[pair.new]!), c))
            }
        }
        for (k, n) in m.newSteps.enumerated() where m.oldOf[n] == nil {
            let y = b.nodes[n]
            var c = StepChange(kind: .added, newNumber: y.number, key: y.key, action: WordDiff.normalised(y.label))
            c.actorName = actorNames(y, b)
            c.timeValue = timeValue(y)
            c.requiresAdded = y.requires.map { b.documents[$0].name }
            c.producesAdded = y.produces.map { b.documents[$0].name }
            entries.append((Double(k), c))
        }
        for (k, n) in m.oldSteps.enumerated() where m.newOf[n] == nil {
            let x = a.nodes[n]
            var c = StepChange(kind: .removed, oldNumber: x.number, key: x.key, action: WordDiff.normalised(x.label))
            c.actorName = actorNames(x, a)
            c.timeValue = timeValue(x)
            c.requiresRemoved = x.requires.map { a.documents[$0].name }
            c.producesRemoved = x.produces.map { a.documents[$0].name }
            // After the new place of the nearest earlier step that is kept.
            var anchor = -1.0
            for prev in m.oldSteps[..<k].reversed() {
                if let q = m.newOf[prev] { anchor = Double(m.newPlace[q]!); break }
            }
            entries.append((anchor + 0.5 + Double(k) / 1e6, c))
        }
        return entries.sorted { $0.0 < $1.0 }.map(\.1)
    }

    static func actorNames(_ node: ProcessGraph.Node, _ g: ProcessGraph) -> String? {
        let names = node.allActors.map { g.actors[$0].name }
        return names.isEmpty ? nil : names.joined(separator: ", ")
    }

    static func documents(_ x: [Int], _ a: ProcessGraph, _ y: [Int], _ b: ProcessGraph) -> ([String], [String]) {
        let xk = x.map { a.documents[$0].key }, yk = y.map { b.documents[$0].key }
        let removed = x.filter { !yk.contains(a.documents[$0].key) }.map { a.documents[$0].name }
        let added = y.filter { !xk.contains(b.documents[$0].key) }.map { b.documents[$0].name }
        return (removed, added)
    }

    static func round(_ x: Double) -> Double { (x * 1_000_000).rounded() / 1_000_000 }

    static func timeValue(_ node: ProcessGraph.Node) -> TimeValue? {
        guard let text = node.duration?.text ?? node.recurrence?.text else { return nil }
        let r = WorkingDayRange.span(of: node)
        return TimeValue(text: WordDiff.normalised(text), minDays: round(r.min), maxDays: round(r.max), openEnded: r.openEnded)
    }

    static func timeValue(_ d: Duration) -> TimeValue {
        var node = ProcessGraph.Node(id: 0, kind: .task, label: "")
        node.duration = d
        let r = WorkingDayRange.span(of: node)
        return TimeValue(text: WordDiff.normalised(d.text), minDays: round(r.min), maxDays: round(r.max), openEnded: r.openEnded)
    }

    /// The same time, whatever its wording ("5 menit" and "5 Menit").
    static func sameTime(_ x: ProcessGraph.Node, _ y: ProcessGraph.Node) -> Bool {
        // Compared as values (not through their descriptions, which are slow to make).
        func same(_ a: Duration?, _ b: Duration?) -> Bool {
            guard let a, let b else { return a == nil && b == nil }
            func n(_ s: String?) -> String { s.map(WordDiff.normalised) ?? "" }
            return a.value == b.value && n(a.since) == n(b.since) && n(a.condition) == n(b.condition) && n(a.hours) == n(b.hours)
        }
        return same(x.duration, y.duration) && same(x.recurrence, y.recurrence)
            && (x.durationFrom == nil) == (y.durationFrom == nil) && (x.durationWindowOf == nil) == (y.durationWindowOf == nil)
    }

    static func otherFields(_ x: ProcessGraph.Node, _ a: ProcessGraph, _ y: ProcessGraph.Node, _ b: ProcessGraph, _ m: StepMatching) -> [FieldChange] {
        func condition(_ n: ProcessGraph.Node, _ g: ProcessGraph, _ side: Side) -> String? {
            m.condition(side, n.id).map { g.nodes[$0].question ?? g.nodes[$0].label }
        }
        let pairs: [(String, String?, String?)] = [
            ("kind", x.kind.rawValue, y.kind.rawValue), ("question", x.question, y.question),
            ("when", condition(x, a, .old), condition(y, b, .new)), ("call", x.callee, y.callee), ("via", x.via, y.via),
            ("note", x.note, y.note),
        ]
        return pairs.compactMap { fieldChange($0.0, $0.1, $0.2) }
    }

    // MARK: Exits and timers

    /// A target's identity across the revisions (a kept step is the same on both sides).
    static func resolve(_ node: Int, side: Side, _ g: ProcessGraph, _ m: StepMatching, skipThrough: Bool,
                        depth: Int = 0) -> (token: String, endpoint: Endpoint) {
        let n = g.nodes[node]
        if let step = n.conditionOf { return resolve(step, side: side, g, m, skipThrough: skipThrough, depth: depth) }
        if n.isStep {
            if let p = m.pairIndex(side, node) {
                return ("m\(p)", Endpoint(kind: .step, label: n.number ?? n.label))
            }
            // Through a step only this side has, to where the flow goes on.
            let out = m.out(side, node)
            if skipThrough, depth < 64, out.count == 1, out[0].kind == .sequence {
                return resolve(out[0].to, side: side, g, m, skipThrough: true, depth: depth + 1)
            }
            return ("\(side)\(node)", Endpoint(kind: .step, label: n.number ?? n.label, unmatched: true))
        }
        switch n.kind {
        case .end:
            return ("e:" + (n.key ?? n.label), Endpoint(kind: .end, label: n.label))
        case .parallelJoin where depth < 64:
            if let e = m.out(side, node).first { return resolve(e.to, side: side, g, m, skipThrough: skipThrough, depth: depth + 1) }
        case .parallelSplit where depth < 64:
            let parts = m.out(side, node).map { resolve($0.to, side: side, g, m, skipThrough: false, depth: depth + 1) }
            return ("p(" + parts.map(\.token).sorted().joined(separator: ",") + ")",
                    Endpoint(kind: .parallel, label: parts.map(\.endpoint.label).joined(separator: ", ")))
        default: break
        }
        return ("\(side)\(node)", Endpoint(kind: .step, label: n.number ?? n.label))
    }

    enum Side: String { case old = "o", new = "n" }

    static func exits(_ x: Int, _ y: Int, _ a: ProcessGraph, _ b: ProcessGraph, _ m: StepMatching) -> [ExitChange] {
        func list(_ node: Int, _ side: Side, _ g: ProcessGraph) -> [(group: String, kind: String, label: String?, token: String, endpoint: Endpoint)] {
            m.out(side, node).filter { $0.kind != .timeout }.map { e in
                let kind: String = e.kind == .sequence ? "next" : e.kind == .branch ? "branch" : "parallel"
                let label = e.label.map(WordDiff.normalised)
                let r = resolve(e.to, side: side, g, m, skipThrough: e.kind == .sequence)
                return (kind + "|" + (label?.lowercased() ?? ""), kind, label, r.token, r.endpoint)
            }
        }
        let old = list(x, .old, a), new = list(y, .new, b)
        var out: [ExitChange] = []
        var groups: [String] = []
        for e in old + new where !groups.contains(e.group) { groups.append(e.group) }
        for g in groups {
            let o = old.filter { $0.group == g }, n = new.filter { $0.group == g }
            let removed = o.filter { e in !n.contains { $0.token == e.token } }
            let added = n.filter { e in !o.contains { $0.token == e.token } }
            if removed.count == 1, added.count == 1 {
                out.append(ExitChange(kind: removed[0].kind, label: added[0].label, old: removed[0].endpoint, new: added[0].endpoint))
            } else {
                out += removed.map { ExitChange(kind: $0.kind, label: $0.label, old: $0.endpoint, new: nil) }
                out += added.map { ExitChange(kind: $0.kind, label: $0.label, old: nil, new: $0.endpoint) }
            }
        }
        return out
    }

    static func timers(_ x: Int, _ y: Int, _ a: ProcessGraph, _ b: ProcessGraph, _ m: StepMatching) -> [TimerChange] {
        struct Key: Equatable { var after: Duration.Value; var target: String; var since: String }
        func list(_ node: Int, _ side: Side, _ g: ProcessGraph) -> [(token: Key, value: TimerValue)] {
            m.timers(side, node).map { t in
                let r = resolve(t.target, side: side, g, m, skipThrough: false)
                let since = (t.since ?? .activation).rawValue
                return (Key(after: t.after.value, target: r.token, since: since), TimerValue(after: timeValue(t.after), target: r.endpoint, since: since))
            }
        }
        let old = list(x, .old, a), new = list(y, .new, b)
        let removed = old.filter { e in !new.contains { $0.token == e.token } }
        let added = new.filter { e in !old.contains { $0.token == e.token } }
        var out: [TimerChange] = []
        for k in 0..<max(removed.count, added.count) {
            out.append(TimerChange(old: k < removed.count ? removed[k].value : nil, new: k < added.count ? added[k].value : nil))
        }
        return out
    }

    // MARK: Flow

    static func reachable(_ g: ProcessGraph) -> Set<Int> {
        var seen: Set<Int> = [0], stack = [0]
        var out: [Int: [Int]] = [:]
        for e in g.edges { out[e.from, default: []].append(e.to) }
        for t in g.timers { out[t.node, default: []].append(t.target) }
        while let n = stack.popLast() {
            for t in out[n] ?? [] where seen.insert(t).inserted { stack.append(t) }
        }
        return seen
    }

    /// The loops of a graph: its strongly connected parts with more than one node or a
    /// self-edge (Tarjan, iterative).
    static func loops(_ g: ProcessGraph) -> [[Int]] {
        let count = g.nodes.count
        var succ = [[Int]](repeating: [], count: count)
        for e in g.edges { succ[e.from].append(e.to) }
        for t in g.timers { succ[t.node].append(t.target) }
        var index = [Int](repeating: -1, count: count), low = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count), stack: [Int] = [], next = 0
        var out: [[Int]] = []
        for root in 0..<count where index[root] < 0 {
            var work: [(Int, Int)] = [(root, 0)]
            index[root] = next; low[root] = next; next += 1; stack.append(root); onStack[root] = true
            while let (v, i) = work.last {
                if i < succ[v].count {
                    work[work.count - 1].1 += 1
                    let w = succ[v][i]
                    if index[w] < 0 {
                        index[w] = next; low[w] = next; next += 1; stack.append(w); onStack[w] = true
                        work.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                } else {
                    work.removeLast()
                    if let (u, _) = work.last { low[u] = min(low[u], low[v]) }
                    if low[v] == index[v] {
                        var part: [Int] = []
                        while let w = stack.popLast() { onStack[w] = false; part.append(w); if w == v { break } }
                        if part.count > 1 || succ[v].contains(v) { out.append(part.sorted()) }
                    }
                }
            }
        }
        return out.sorted { $0[0] < $1[0] }
    }

    static func flow(_ a: ProcessGraph, _ b: ProcessGraph, _ m: StepMatching) -> [FlowEffect] {
        var out: [FlowEffect] = []
        let ra = reachable(a), rb = reachable(b)
        func number(_ g: ProcessGraph, _ n: Int) -> String { g.nodes[n].number ?? g.nodes[n].label }
        let lost = m.newSteps.filter { n in
            !rb.contains(n) && (m.oldOf[n].map { ra.contains($0) } ?? true)
        }
        if !lost.isEmpty { out.append(FlowEffect(kind: .unreachable, steps: lost.map { number(b, $0) })) }
        let found = m.newSteps.filter { n in rb.contains(n) && (m.oldOf[n].map { !ra.contains($0) } ?? false) }
        if !found.isEmpty { out.append(FlowEffect(kind: .reachable, steps: found.map { number(b, $0) })) }
        func stepsOf(_ loop: [Int], _ g: ProcessGraph, _ side: Side) -> (tokens: Set<String>, numbers: [String]) {
            let steps = loop.map { g.nodes[$0].conditionOf ?? $0 }.filter { g.nodes[$0].isStep }
            var seen = Set<Int>(), ordered: [Int] = []
            for s in steps where seen.insert(s).inserted { ordered.append(s) }
            let tokens = Set(ordered.compactMap { m.pairIndex(side, $0).map { "m\($0)" } })
            return (tokens, ordered.map { number(g, $0) })
        }
        let la = loops(a).map { stepsOf($0, a, .old) }, lb = loops(b).map { stepsOf($0, b, .new) }
        // A loop is new when its kept steps did not all loop together before (a loop that
        // only gained an added step is the old one); gone when they do not any more.
        for l in lb where !l.numbers.isEmpty && (l.tokens.isEmpty || !la.contains(where: { l.tokens.isSubset(of: $0.tokens) })) {
            out.append(FlowEffect(kind: .newLoop, steps: l.numbers))
        }
        for l in la where !l.numbers.isEmpty && (l.tokens.isEmpty || !lb.contains(where: { l.tokens.isSubset(of: $0.tokens) })) {
            out.append(FlowEffect(kind: .loopRemoved, steps: l.numbers))
        }
        return out
    }

    // MARK: Timing

    static func longest(_ g: ProcessGraph) -> Timing.Longest? {
        guard let path = PathAnalysis(g).longestPath() else { return nil }
        let r = WorkingDayRange.of(path, in: g)
        var numbers: [String] = [], untimed: [String] = []
        for hop in path.hops where g.nodes[hop.node].isStep {
            let node = g.nodes[hop.node]
            numbers.append(node.number ?? node.label)
            if node.duration == nil && node.recurrence == nil { untimed.append(node.number ?? node.label) }
        }
        return Timing.Longest(minDays: round(r.min), maxDays: round(r.max), openEnded: r.openEnded, steps: numbers,
                              untimedSteps: untimed)
    }

    static func timing(_ a: ProcessGraph, _ b: ProcessGraph) -> Timing {
        Timing(oldLongest: longest(a), newLongest: longest(b), oldSLA: a.sla.map(timeValue), newSLA: b.sla.map(timeValue))
    }

    // MARK: Diagnostics

    static func diagnostics(_ old: [Diagnostic], _ new: [Diagnostic]) -> DiagnosticChanges {
        func key(_ d: Diagnostic) -> String { "\(d.severity.rawValue)|\(d.code)|\(d.message.en)" }
        func item(_ d: Diagnostic) -> DiagnosticChanges.Item {
            .init(severity: d.severity.rawValue, code: d.code, messageEN: d.message.en, messageID: d.message.id, line: d.range?.start.line)
        }
        func minus(_ x: [Diagnostic], _ y: [Diagnostic]) -> [DiagnosticChanges.Item] {
            var counts: [String: Int] = [:]
            for d in y { counts[key(d), default: 0] += 1 }
            var out: [DiagnosticChanges.Item] = []
            for d in x where d.severity != .error {
                if let k = counts[key(d)], k > 0 { counts[key(d)] = k - 1 } else { out.append(item(d)) }
            }
            return out
        }
        return DiagnosticChanges(introduced: minus(new, old), resolved: minus(old, new))
    }
}

/// Which actor of the old revision is which of the new: the same key, else the same name.
struct ActorMatching {
    var newIndex: [Int: Int] = [:]
    var changes: [ActorChange] = []

    init(_ a: ProcessGraph, _ b: ProcessGraph) {
        var taken = Set<Int>()
        for x in a.actors {
            if let y = b.actors.first(where: { $0.key == x.key }) { newIndex[x.index] = y.index; taken.insert(y.index) }
        }
        for x in a.actors where newIndex[x.index] == nil {
            let name = WordDiff.normalised(x.name).lowercased()
            if let y = b.actors.first(where: { !taken.contains($0.index) && WordDiff.normalised($0.name).lowercased() == name }) {
                newIndex[x.index] = y.index; taken.insert(y.index)
            }
        }
        for x in a.actors {
            guard let j = newIndex[x.index] else {
                changes.append(ActorChange(kind: .removed, oldKey: x.key, oldName: x.name, oldKind: x.kind.rawValue))
                continue
            }
            let y = b.actors[j]
            if x.key != y.key || WordDiff.normalised(x.name) != WordDiff.normalised(y.name) || x.kind != y.kind {
                changes.append(ActorChange(kind: .changed, oldKey: x.key, newKey: y.key, oldName: x.name, newName: y.name,
                                           oldKind: x.kind.rawValue, newKind: y.kind.rawValue))
            }
        }
        for y in b.actors where !taken.contains(y.index) {
            changes.append(ActorChange(kind: .added, newKey: y.key, newName: y.name, newKind: y.kind.rawValue))
        }
    }
}

/// Which step of the old revision is which of the new: by `id`, then by action text,
/// position and actor; and which kept steps changed their order.
struct StepMatching {
    struct Pair { var old: Int; var new: Int }
    /// How far from its place a step of a large SOP looks for its partner.
    static let window = 100
    let oldSteps: [Int], newSteps: [Int]
    private(set) var pairs: [Pair] = []
    private(set) var newOf: [Int: Int] = [:]
    private(set) var oldOf: [Int: Int] = [:]
    private var pairOfOld: [Int: Int] = [:], pairOfNew: [Int: Int] = [:]
    /// Per side: the edges out of each node, the condition node of each conditional step,
    /// the timers of each node; and each new step's place among the new steps.
    let outOld: [[ProcessGraph.Edge]], outNew: [[ProcessGraph.Edge]]
    let conditionOld: [Int: Int], conditionNew: [Int: Int]
    let timersOld: [Int: [ProcessGraph.Timer]], timersNew: [Int: [ProcessGraph.Timer]]
    let newPlace: [Int: Int]

    func out(_ side: SOPDiffer.Side, _ node: Int) -> [ProcessGraph.Edge] { side == .old ? outOld[node] : outNew[node] }
    func condition(_ side: SOPDiffer.Side, _ step: Int) -> Int? { side == .old ? conditionOld[step] : conditionNew[step] }
    func timers(_ side: SOPDiffer.Side, _ node: Int) -> [ProcessGraph.Timer] { (side == .old ? timersOld[node] : timersNew[node]) ?? [] }

    init(_ a: ProcessGraph, _ b: ProcessGraph) {
        func out(_ g: ProcessGraph) -> [[ProcessGraph.Edge]] {
            var o = [[ProcessGraph.Edge]](repeating: [], count: g.nodes.count)
            for e in g.edges { o[e.from].append(e) }
            return o
        }
        func conditions(_ g: ProcessGraph) -> [Int: Int] {
            var c: [Int: Int] = [:]
            for n in g.nodes { if let s = n.conditionOf, c[s] == nil { c[s] = n.id } }
            return c
        }
        outOld = out(a); outNew = out(b)
        conditionOld = conditions(a); conditionNew = conditions(b)
        timersOld = Dictionary(grouping: a.timers, by: \.node); timersNew = Dictionary(grouping: b.timers, by: \.node)
        oldSteps = a.nodes.filter(\.isStep).map(\.id)
        newSteps = b.nodes.filter(\.isStep).map(\.id)
        var place: [Int: Int] = [:]
        for (k, n) in newSteps.enumerated() { place[n] = k }
        newPlace = place
        var found: [(Int, Int)] = []
        var usedOld = Set<Int>(), usedNew = Set<Int>()
        // 1. The same `id`.
        var newByKey: [String: Int] = [:]
        for y in newSteps { if let key = b.nodes[y].key, newByKey[key] == nil { newByKey[key] = y } }
        for x in oldSteps {
            guard let key = a.nodes[x].key, let y = newByKey[key] else { continue }
            found.append((x, y)); usedOld.insert(x); usedNew.insert(y)
        }
        // 2. The same action, written as many times on both sides: the k-th with the k-th
        //    (linear; leaves only the reworded steps to the scoring below).
        var oldByText: [String: [Int]] = [:], newByText: [String: [Int]] = [:]
        for x in oldSteps where !usedOld.contains(x) { oldByText[WordDiff.normalised(a.nodes[x].label).lowercased(), default: []].append(x) }
        for y in newSteps where !usedNew.contains(y) { newByText[WordDiff.normalised(b.nodes[y].label).lowercased(), default: []].append(y) }
        for (text, xs) in oldByText {
            guard let ys = newByText[text], ys.count == xs.count else { continue }
            for (x, y) in zip(xs, ys) { found.append((x, y)); usedOld.insert(x); usedNew.insert(y) }
        }
        // 3. Alike actions, near places, the same actor: best pairs first.
        var candidates: [(score: Double, i: Int, j: Int)] = []
        let no = max(oldSteps.count - 1, 1), nn = max(newSteps.count - 1, 1)
        let large = (oldSteps.count - usedOld.count) * (newSteps.count - usedNew.count) > 250_000
        for (i, x) in oldSteps.enumerated() where !usedOld.contains(x) {
            // Steps with an id that the other side also uses are paired already; an id the
            // other side does not have may have been renamed, so the text decides.
            // Large SOPs: only steps near the same place are candidates (the work stays
            // linear in the steps, with `window` candidates each).
            let centre = Int((Double(i) / Double(no) * Double(nn)).rounded())
            let range = large ? max(0, centre - Self.window)...min(newSteps.count - 1, centre + Self.window) : 0...max(newSteps.count - 1, 0)
            for j in range where !newSteps.isEmpty && !usedNew.contains(newSteps[j]) {
                let y = newSteps[j]
                let text = WordDiff.similarity(a.nodes[x].label, b.nodes[y].label)
                guard text >= SOPDiffer.matchThreshold else { continue }
                let place = 1 - abs(Double(i) / Double(no) - Double(j) / Double(nn))
                let actorA = a.nodes[x].actor.map { WordDiff.normalised(a.actors[$0].name).lowercased() }
                let actorB = b.nodes[y].actor.map { WordDiff.normalised(b.actors[$0].name).lowercased() }
                let sameActor = actorA == actorB || a.nodes[x].actor.map { a.actors[$0].key } == b.nodes[y].actor.map { b.actors[$0].key }
                candidates.append((0.7 * text + 0.2 * place + (sameActor ? 0.1 : 0), i, j))
            }
        }
        candidates.sort { l, r in
            if l.score != r.score { return l.score > r.score }
            if abs(l.i - l.j) != abs(r.i - r.j) { return abs(l.i - l.j) < abs(r.i - r.j) }
            return (l.i, l.j) < (r.i, r.j)
        }
        for c in candidates {
            let x = oldSteps[c.i], y = newSteps[c.j]
            guard !usedOld.contains(x), !usedNew.contains(y) else { continue }
            found.append((x, y)); usedOld.insert(x); usedNew.insert(y)
        }
        found.sort { $0.0 < $1.0 }
        for (k, (x, y)) in found.enumerated() {
            pairs.append(Pair(old: x, new: y))
            newOf[x] = y; oldOf[y] = x; pairOfOld[x] = k; pairOfNew[y] = k
        }
    }

    func pairIndex(_ side: SOPDiffer.Side, _ node: Int) -> Int? {
        side == .old ? pairOfOld[node] : pairOfNew[node]
    }

    /// The pairs (by index) that are not in the longest run kept in the same order: the steps
    /// that moved (a step added or removed elsewhere renumbers, it does not move).
    var moved: Set<Int> {
        let seq = pairs.map { newPlace[$0.new]! }
        guard !seq.isEmpty else { return [] }
        // Longest increasing subsequence, O(n log n), with back links.
        var tails: [Int] = [], tailIndex: [Int] = [], previous = [Int](repeating: -1, count: seq.count)
        for (i, v) in seq.enumerated() {
            var lo = 0, hi = tails.count
            while lo < hi { let mid = (lo + hi) / 2; if tails[mid] < v { lo = mid + 1 } else { hi = mid } }
            if lo > 0 { previous[i] = tailIndex[lo - 1] }
            if lo == tails.count { tails.append(v); tailIndex.append(i) } else { tails[lo] = v; tailIndex[lo] = i }
        }
        var keep = Set<Int>()
        var k = tailIndex.last ?? -1
        while k >= 0 { keep.insert(k); k = previous[k] }
        return Set(seq.indices).subtracting(keep)
    }
}
