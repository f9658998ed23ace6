import SOPCalendar
import SOPIR

/// The SOP and the profile compiled into flat tables the engine reads per event.
public struct SimulationModel: Sendable {
    public let graph: ProcessGraph
    public let profile: SimulationProfile
    /// The SOP's own calendar (deadlines, SLA, cycle time in working days, arrivals).
    public let calendar: WorkingCalendar
    /// Full days of the SOP's calendar: cycle times in working days.
    let dayClock: WorkClock
    let arrivalClock: WorkClock
    let clocks: [WorkClock]
    /// Per actor: people, or nil for no limit.
    let people: [Int?]

    enum Work: Sendable {
        case none
        case one(Distribution)
        /// Per class index (`classNames`), the class's distribution (nil: the step lacks it).
        case classes([Distribution?], fallback: [Distribution])
    }

    struct TimerRule: Sendable {
        var id: Int
        var after: TimeSpan
        var target: Int
        var lastResponse: Bool
        /// Nil: a real race with the step; else the share of cases in which it fires.
        var share: Double?
    }

    let kinds: [ProcessGraph.NodeKind]
    /// End nodes of declared outcomes.
    let namedEnd: [Bool]
    /// Performing actor per node, -1 for none.
    let actorOf: [Int]
    let work: [Work]
    /// Per node: the work is elapsed calendar time (`hari`, `minggu`, `bulan`), not working
    /// time of the actor (`jam`, `menit`, `hari kerja`).
    let elapsed: [Bool]
    /// Non-branch, non-timeout edges.
    let next: [[Int]]
    /// Decision branches: targets and cumulative probabilities.
    let branchTargets: [[Int]]
    let branchCumulative: [[Double]]
    let timers: [[TimerRule]]
    let joinDegree: [Int]
    /// Join slot per node (-1 for none), and how many joins.
    let joinSlot: [Int]
    let joinCount: Int
    /// The step's own deadline span (from activation, or the case's start when `fromStart`).
    let stepDeadline: [TimeSpan?]
    let deadlineFromStart: [Bool]
    let classDeadline: [[TimeSpan?]]
    public let classNames: [String]
    let classCumulative: [Double]
    let sla: TimeSpan?
    public var hasStaffLimit: Bool { people.contains { $0 != nil } }

    /// Whole years from the profile's start to the end of the working calendar's table (at
    /// least one): the span of one discrete-event replication.
    public var replicationYears: Int {
        let end = CivilDate(year: Holiday.lastYear, month: 12, day: 31).dayNumber
        return max(1, (end - profile.start.dayNumber + 1) / 365)
    }

    /// The cases `replicationYears` of arrivals bring on average, from the profile's start:
    /// the length of one discrete-event replication (at least one case; no limit when the
    /// span lies outside the working calendar, where the run itself reports it).
    public var casesPerReplication: Int {
        let offset = calendar.settings.offset
        let from = Double(offset.startOfDay(profile.start.dayNumber).seconds)
        let to = Double(offset.startOfDay(profile.start.dayNumber + 365 * replicationYears).seconds)
        guard let w0 = try? arrivalClock.work(at: from), let w1 = try? arrivalClock.work(at: to) else { return .max }
        return max(1, Int((profile.arrivals.perDay * (w1 - w0) / arrivalClock.dayLength).rounded()))
    }

    public init(graph: ProcessGraph, profile: SimulationProfile) {
        self.graph = graph
        self.profile = profile
        let settings = CalendarSettings.forSOP(graph.id)
        let calendar = WorkingCalendar(settings)
        self.calendar = calendar
        dayClock = WorkClock(calendar: calendar, hours: 0...86_400)
        // Office hours, unless the unit works every day (then all day).
        let office = settings.week == .everyDay ? 0...86_400 : 8 * 3600...16 * 3600
        arrivalClock = WorkClock(calendar: calendar, hours: profile.arrivals.hours ?? office)
        var clocks: [WorkClock] = []
        var people: [Int?] = []
        var calendars: [CalendarSettings.Week: WorkingCalendar] = [settings.week: calendar]
        for a in graph.actors {
            if let s = profile.staff[a.index] {
                var cs = settings
                cs.week = s.week
                let cal = calendars[s.week] ?? WorkingCalendar(cs)
                calendars[s.week] = cal
                clocks.append(WorkClock(calendar: cal, hours: s.hours))
                people.append(s.people)
            } else if a.kind == .system || a.kind == .external || settings.week == .everyDay {
                // Systems and the public are there all day, every day; so is a 112 centre.
                let every = calendars[.everyDay] ?? WorkingCalendar(CalendarSettings(week: .everyDay, offset: settings.offset))
                calendars[.everyDay] = every
                clocks.append(WorkClock(calendar: every, hours: 0...86_400))
                people.append(nil)
            } else {
                clocks.append(WorkClock(calendar: calendar, hours: office))
                people.append(nil)
            }
        }
        self.clocks = clocks
        self.people = people

        // Duration classes: names in first-seen order, the mix from the profile or equal.
        var classNames: [String] = []
        for n in graph.nodes {
            if case let .classes(cs) = n.duration?.value { for c in cs where !classNames.contains(c.name) { classNames.append(c.name) } }
        }
        self.classNames = classNames
        var cum: [Double] = []
        var total = 0.0
        let weights = classNames.map { profile.classMix[$0] ?? (profile.classMix.isEmpty ? 1 : 0) }
        let wsum = weights.reduce(0, +)
        for w in weights { total += wsum > 0 ? w / wsum : 1 / Double(max(1, weights.count)); cum.append(total) }
        classCumulative = cum

        let count = graph.nodes.count
        var kinds = [ProcessGraph.NodeKind](), actorOf = [Int](), work = [Work](), elapsed = [Bool]()
        var next = [[Int]](repeating: [], count: count), bt = [[Int]](repeating: [], count: count), bc = [[Double]](repeating: [], count: count)
        var timers = [[TimerRule]](repeating: [], count: count)
        var stepDeadline = [TimeSpan?](), fromStart = [Bool](), classDeadline = [[TimeSpan?]]()
        for e in graph.edges where e.kind != .timeout {
            if e.kind == .branch { bt[e.from].append(e.to) } else { next[e.from].append(e.to) }
        }
        for t in graph.timers {
            let last = t.since == .lastResponse
            timers[t.node].append(TimerRule(id: t.id, after: t.after.maximum ?? TimeSpan(0, .hour), target: t.target,
                                            lastResponse: last, share: profile.timerShares[t.id] ?? (last ? profile.lastResponseShare : nil)))
        }
        var joinSlot = [Int](repeating: -1, count: count), joins = 0
        for n in graph.nodes {
            kinds.append(n.kind)
            let actor = n.isActivity ? (n.allActors.first ?? -1) : -1
            actorOf.append(actor)
            if n.kind == .parallelJoin { joinSlot[n.id] = joins; joins += 1 }
            // Branch probabilities: the profile's, else equal.
            let targets = bt[n.id]
            if !targets.isEmpty {
                let given = profile.steps[n.id]?.branches
                var acc = 0.0
                bc[n.id] = targets.map { t in
                    acc += given.map { $0[t] ?? 0 } ?? 1 / Double(targets.count)
                    return acc
                }
            }
            // Work: the profile's distribution, else from the *Waktu*.
            let clock = actor >= 0 ? clocks[actor] : WorkClock(calendar: calendar, hours: office)
            let perDay = clock.dayLength, everyDay = clock.calendar.settings.week == .everyDay
            func seconds(_ unit: TimeUnit) -> Double { Self.seconds(unit, dayLength: perDay, everyDay: everyDay) }
            if let p = profile.steps[n.id], let d = p.duration {
                work.append(.one(d.scaled(seconds(p.unit))))
                elapsed.append(Self.isElapsed(p.unit))
            } else if n.isActivity, let d = n.duration {
                switch d.value {
                case let .amount(span, _, _): elapsed.append(Self.isElapsed(span.unit))
                case let .classes(cs): elapsed.append(cs.first.map { Self.isElapsed($0.span.unit) } ?? false)
                default: elapsed.append(false)
                }
                switch d.value {
                case let .amount(span, atMost, _):
                    work.append(.one(Self.distribution(span, atMost: atMost, profile).scaled(seconds(span.unit))))
                case let .classes(cs):
                    let per = classNames.map { name in cs.first { $0.name == name }.map { Self.distribution($0.span, atMost: false, profile).scaled(seconds($0.span.unit)) } }
                    work.append(.classes(per, fallback: cs.map { Self.distribution($0.span, atMost: false, profile).scaled(seconds($0.span.unit)) }))
                case .recurring, .notApplicable, .serviceHours:
                    work.append(.none)
                }
            } else {
                work.append(.none)
                elapsed.append(false)
            }
            // The step's own deadline, as the runtime sets it.
            var span: TimeSpan?
            var perClass = [TimeSpan?](repeating: nil, count: classNames.count)
            if n.isActivity, let d = n.duration, n.durationWindowOf == nil {
                switch d.value {
                case .amount: span = d.maximum
                case let .classes(cs): perClass = classNames.map { name in cs.first { $0.name == name }?.span }
                default: break
                }
            }
            stepDeadline.append(span)
            classDeadline.append(perClass)
            fromStart.append(n.durationFrom == 0)
        }
        self.kinds = kinds
        namedEnd = graph.nodes.map { $0.kind == .end && $0.key != nil }
        self.actorOf = actorOf
        self.work = work
        self.elapsed = elapsed
        self.next = next
        branchTargets = bt
        branchCumulative = bc
        self.timers = timers
        // A join waits for the branches of its block, not for its incoming edges.
        joinDegree = graph.joinBranchCounts()
        self.joinSlot = joinSlot
        joinCount = joins
        self.stepDeadline = stepDeadline
        deadlineFromStart = fromStart
        self.classDeadline = classDeadline
        sla = graph.sla?.maximum
    }

    /// Calendar units are elapsed time: a step of "3-5 hari" takes 3 to 5 days on the wall
    /// clock, weekends included, and keeps its person for that time.
    static func isElapsed(_ unit: TimeUnit) -> Bool { [.day, .week, .month, .year].contains(unit) }

    /// Seconds in one `unit`: working seconds for an actor whose working day lasts
    /// `dayLength` seconds (a working day is one such day; hours and minutes are working
    /// time), elapsed seconds for calendar units.
    public static func seconds(_ unit: TimeUnit, dayLength: Double, everyDay: Bool) -> Double {
        let calendarDay = 86_400.0
        switch unit {
        case .second: return 1
        case .minute: return 60
        case .hour: return 3600
        case .workingDay: return dayLength
        case .day: return calendarDay
        case .week: return calendarDay * 7
        case .month: return calendarDay * 30
        case .year: return calendarDay * 365
        }
    }

    /// The default distribution of a *Waktu* amount (in its own unit): a range as the
    /// profile's shape over it, "Maks. v" as a triangle from 0 to v with its mode at v/2, a
    /// fixed value as a triangle of ± the profile's spread around it.
    static func distribution(_ span: TimeSpan, atMost: Bool, _ profile: SimulationProfile) -> Distribution {
        if span.max > span.min {
            switch profile.rangeShape {
            case .triangular: return .triangular(min: span.min, mode: (span.min + span.max) / 2, max: span.max)
            case .uniform: return .uniform(min: span.min, max: span.max)
            }
        }
        if atMost { return .triangular(min: 0, mode: span.max / 2, max: span.max) }
        let s = profile.spread
        return s > 0 ? .triangular(min: span.max * (1 - s), mode: span.max, max: span.max) : .fixed(span.max)
    }
}
