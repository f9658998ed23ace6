import SOPIR

/// How long a path takes, shortest and longest, in working days.
///
/// Every *Waktu* is converted with the IR's estimate (`TimeUnit.estimatedHours`: a working
/// day is 7/5 of a calendar day, a month 30 days, minutes and hours elapsed time), so a
/// path of "1-3 hari" and "3-5 hari kerja" takes 3.7–7.1 working days. The runtime counts on
/// the real calendar; this is the range a trainer quotes.
///
/// - a range `min-max` adds `min` to the shortest and `max` to the longest; "Maks. 3 hari"
///   adds 0 and 3; an extension ("dapat diperpanjang 7 hari kerja") adds to the longest only;
/// - duration classes (ringan / sedang / berat) add the smallest class to the shortest and
///   the largest to the longest;
/// - a duration counted from an earlier step (`duration: {from: …}`) ends that long after
///   that step's end (or the case's start), never before the previous step;
/// - another party's window (`window_of`) may close at once or at its end: 0 to its length;
/// - a timer that fires ends its step exactly its time after the step opened (after the
///   last response, for a timer counted from it: then up to the step's own time more);
/// - a recurring step without an end to its recurrence adds nothing and makes the path
///   `openEnded`; not applicable and service hours add nothing.
public struct WorkingDayRange: Hashable, Sendable, Codable {
    public var min: Double
    public var max: Double
    /// A recurring step with no end keeps the case open longer than `max`.
    public var openEnded: Bool

    public init(min: Double, max: Double, openEnded: Bool = false) {
        self.min = min
        self.max = max
        self.openEnded = openEnded
    }

    /// Hours of elapsed time in one working day, by the IR's estimate.
    public static let hoursPerWorkingDay = TimeUnit.workingDay.estimatedHours

    static func days(_ value: Double, _ unit: TimeUnit) -> Double {
        value * unit.estimatedHours / hoursPerWorkingDay
    }

    /// The range of a path.
    public static func of(_ path: TrainingPath, in graph: ProcessGraph) -> WorkingDayRange {
        var lo = 0.0, hi = 0.0, open = false
        var finished: [Int: (Double, Double)] = [:]
        for hop in path.hops {
            let node = graph.nodes[hop.node]
            guard node.isActivity else { continue }
            let own = span(of: node)
            if own.openEnded { open = true }
            if case let .timer(id)? = hop.exit {
                let timer = graph.timers[id]
                let after = timer.after.maximum.map { days($0.max, $0.unit) } ?? 0
                if timer.since == .lastResponse {
                    lo += after
                    hi += own.max + after
                } else {
                    lo += after
                    hi += after
                }
            } else if let from = node.durationFrom, node.durationWindowOf == nil {
                let base = from == 0 ? (0.0, 0.0) : (finished[from] ?? (lo, hi))
                lo = Swift.max(lo, base.0 + own.min)
                hi = Swift.max(hi, base.1 + own.max)
            } else {
                lo += own.min
                hi += own.max
            }
            finished[hop.node] = (lo, hi)
        }
        return WorkingDayRange(min: lo, max: hi, openEnded: open)
    }

    /// One step's own time.
    public static func span(of node: ProcessGraph.Node) -> WorkingDayRange {
        if let r = node.recurrence, case let .recurring(rec) = r.value, rec.lasting == nil, node.duration == nil {
            return WorkingDayRange(min: 0, max: 0, openEnded: true)
        }
        guard let d = node.duration else { return WorkingDayRange(min: 0, max: 0) }
        var range: WorkingDayRange
        switch d.value {
        case let .amount(span, atMost, ext):
            range = WorkingDayRange(min: atMost ? 0 : days(span.min, span.unit), max: days(span.max, span.unit))
            if let ext { range.max += days(ext.max, ext.unit) }
        case let .classes(classes):
            let lows = classes.map { days($0.span.min, $0.span.unit) }, highs = classes.map { days($0.span.max, $0.span.unit) }
            range = WorkingDayRange(min: lows.min() ?? 0, max: highs.max() ?? 0)
        case let .recurring(rec):
            guard let lasting = rec.lasting else { return WorkingDayRange(min: 0, max: 0, openEnded: true) }
            range = WorkingDayRange(min: days(lasting.min, lasting.unit), max: days(lasting.max, lasting.unit))
        case .notApplicable, .serviceHours:
            range = WorkingDayRange(min: 0, max: 0)
        }
        if node.durationWindowOf != nil { range.min = 0 }
        return range
    }
}
