import Dispatch
import SOPCalendar
import SOPIR

/// The simulator. Two engines behind one call: without a staffing limit every case is
/// independent, so cases run in chunks of `profile.chunkSize` on every core (the Monte Carlo
/// path, each chunk its own random stream: the same bytes on any number of cores); with
/// limited people, a discrete-event run in which cases queue per actor for a free person in
/// working hours. A discrete-event run longer than the working calendar's years allow (whole
/// years from the profile's start to the table's end) is split into independent
/// replications of that span, every one from the profile's start with empty queues (the
/// method of independent replications): the simulated time stays within the calendar, and
/// the replications run on every core.
public enum Simulator {
    public static func run(_ model: SimulationModel, cases: Int, seed: UInt64, logCases: Int = 0,
                           threads: Int? = nil) throws(SimulationError) -> (SimulationResult, [SimulatedEvent]) {
        guard model.graph.nodes.contains(where: { $0.isActivity }) else { throw .noSteps }
        let replay = model.profile.arrivals.replay
        let total = replay.map { min($0.count, cases) } ?? cases
        let chunk = model.hasStaffLimit ? (replay == nil ? model.casesPerReplication : total) : model.profile.chunkSize
        if total <= chunk {
            var run = CaseRun(model, seed: seed, stream: 0, firstCase: 0, cases: total, logCases: logCases)
            try run.run()
            run.result.engine = model.hasStaffLimit ? .discreteEvent : .monteCarlo
            return (run.result, run.log)
        }
        let chunks = (total + chunk - 1) / chunk
        let box = ResultBox(chunks)
        let workers = max(1, min(threads ?? ProcessInfo_activeProcessorCount(), chunks))
        // Each worker takes the next chunk not yet taken: on a shared machine a worker that
        // is descheduled holds back only its own chunk, not every chunk dealt to it in advance.
        // A chunk's stream and slot depend on its index only, so the result does not change.
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let c = box.take() {
                var run = CaseRun(model, seed: seed, stream: UInt64(c), firstCase: c * chunk,
                                  cases: min(chunk, total - c * chunk), logCases: logCases)
                do throws(SimulationError) { try run.run(); box.set(c, .success((run.result, run.log))) } catch { box.set(c, .failure(error)) }
            }
        }
        var result = SimulationResult(nodes: model.graph.nodes.count, timers: model.graph.timers.count, actors: model.graph.actors.count)
        var log: [SimulatedEvent] = []
        for c in 0..<chunks {
            switch box.get(c) {
            case let .success((r, l)): result.merge(r); log += l
            case let .failure(e): throw e
            }
        }
        result.engine = model.hasStaffLimit ? .discreteEvent : .monteCarlo
        result.replications = model.hasStaffLimit ? chunks : 1
        result.seed = seed
        return (result, log)
    }
}

func ProcessInfo_activeProcessorCount() -> Int {
    #if canImport(Glibc)
    return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
    return 2
    #endif
}

#if canImport(Glibc)
import Glibc
#endif

/// Results of the chunks, written from several threads, each slot by one thread.
final class ResultBox: @unchecked Sendable {
    private var slots: [Result<(SimulationResult, [SimulatedEvent]), SimulationError>?]
    private let lock = NSLockish()
    private var next = 0
    init(_ n: Int) { slots = .init(repeating: nil, count: n) }
    /// The next chunk to run, if any is left.
    func take() -> Int? { lock.sync { guard next < slots.count else { return nil }; next += 1; return next - 1 } }
    func set(_ i: Int, _ r: Result<(SimulationResult, [SimulatedEvent]), SimulationError>) { lock.sync { slots[i] = r } }
    func get(_ i: Int) -> Result<(SimulationResult, [SimulatedEvent]), SimulationError> { lock.sync { slots[i]! } }
}

final class NSLockish: @unchecked Sendable {
    private var m = pthread_mutex_t()
    init() { pthread_mutex_init(&m, nil) }
    deinit { pthread_mutex_destroy(&m) }
    func sync<T>(_ body: () -> T) -> T { pthread_mutex_lock(&m); defer { pthread_mutex_unlock(&m) }; return body() }
}

/// A pending event: ordered by time, then by the order it was scheduled in.
struct PendingEvent {
    var time: Double
    var seq: UInt64
    var kind: UInt8
    var token: Int32
    var gen: UInt32
    var aux: Int32
    @inline(__always) static func before(_ a: PendingEvent, _ b: PendingEvent) -> Bool {
        a.time < b.time || (a.time == b.time && a.seq < b.seq)
    }
}

struct EventHeap {
    var items: [PendingEvent] = []
    var isEmpty: Bool { items.isEmpty }

    /// Sift up with a hole (one write per level, no swaps).
    mutating func push(_ e: PendingEvent) {
        items.append(e)
        items.withUnsafeMutableBufferPointer { b in
            var i = b.count - 1
            while i > 0 {
                let p = (i - 1) >> 1
                if PendingEvent.before(e, b[p]) { b[i] = b[p]; i = p } else { break }
            }
            b[i] = e
        }
    }

    /// Sift down with a hole.
    mutating func pop() -> PendingEvent {
        let top = items[0]
        let last = items.removeLast()
        let n = items.count
        if n > 0 {
            items.withUnsafeMutableBufferPointer { b in
                var i = 0
                while true {
                    let l = 2 * i + 1
                    if l >= n { break }
                    var c = l
                    if l + 1 < n, PendingEvent.before(b[l + 1], b[l]) { c = l + 1 }
                    if PendingEvent.before(b[c], last) { b[i] = b[c]; i = c } else { break }
                }
                b[i] = last
            }
        }
        return top
    }
}

/// One run: `cases` cases arriving from the profile's start, in one event queue.
struct CaseRun {
    static let arrival: UInt8 = 0, workDone: UInt8 = 1, timerFire: UInt8 = 2
    static let maxActivations: Int32 = 10_000

    let m: SimulationModel
    var rng: SimRandom
    let firstCase: Int
    let cases: Int
    let logCases: Int
    var result: SimulationResult
    var log: [SimulatedEvent] = []
    var heap = EventHeap()
    var seq: UInt64 = 0
    var now: Double = 0

    // Cases (slots reused).
    var caseArrival = Column<Double>(), caseLive = Column<Int32>(), caseClass = Column<Int32>(), caseNumber = Column<Int>()
    var caseSteps = Column<Int32>(), caseAborted = Column<Bool>(), caseOutcome = Column<Int32>()
    var joinArrivals = Column<Int32>()
    var freeCases = Column<Int32>()
    // Tokens (slots reused).
    var tokCase = Column<Int32>(), tokNode = Column<Int32>(), tokGen = Column<UInt32>(), tokState = Column<UInt8>()
    var tokActivated = Column<Double>(), tokEnqueued = Column<Double>(), tokStarted = Column<Double>(), tokDeadline = Column<Double>()
    var tokWork = Column<Double>(), tokStartWork = Column<Double>(), tokFate = Column<Int32>()
    var freeTokens = Column<Int32>()
    // Actors.
    var busy: Column<Int>, queues: [[Int32]], queueHead: Column<Int>, queueLength: Column<Int>, lastQueueChange: Column<Double>
    /// Per actor: the clock is elapsed time. Per node: the one next node (-1: none or several).
    let continuous: Column<Bool>, onlyNext: Column<Int>
    // Arrivals.
    var arrivedCount = 0
    var arrivalWork: Double = 0
    var arrivalWeightMax = 1.0, arrivalRateScale = 1.0
    var wip = 0
    var lastWipChange: Double = 0
    var firstArrival: Double = .nan

    init(_ model: SimulationModel, seed: UInt64, stream: UInt64, firstCase: Int, cases: Int, logCases: Int) {
        m = model
        rng = SimRandom(seed: seed, stream: stream)
        self.firstCase = firstCase
        self.cases = cases
        self.logCases = logCases
        result = SimulationResult(nodes: model.graph.nodes.count, timers: model.graph.timers.count, actors: model.graph.actors.count)
        result.seed = seed
        let a = model.graph.actors.count
        busy = .init(repeating: 0, count: a)
        queues = .init(repeating: [], count: a)
        queueHead = .init(repeating: 0, count: a)
        queueLength = .init(repeating: 0, count: a)
        lastQueueChange = .init(repeating: 0, count: a)
        var continuous = Column<Bool>(capacity: a)
        for clock in model.clocks { continuous.append(clock.continuous) }
        self.continuous = continuous
        var onlyNext = Column<Int>(capacity: model.next.count)
        for n in model.next { onlyNext.append(n.count == 1 ? n[0] : -1) }
        self.onlyNext = onlyNext
    }

    /// Frees the columns (the result and the log stay).
    func deallocate() {
        for c in [caseArrival, tokActivated, tokEnqueued, tokStarted, tokDeadline, tokWork, tokStartWork, lastQueueChange] { c.deallocate() }
        for c in [caseLive, caseClass, caseSteps, caseOutcome, joinArrivals, freeCases, tokCase, tokNode, tokFate, freeTokens] { c.deallocate() }
        caseNumber.deallocate(); caseAborted.deallocate(); tokGen.deallocate(); tokState.deallocate()
        busy.deallocate(); queueHead.deallocate(); queueLength.deallocate(); continuous.deallocate(); onlyNext.deallocate()
    }

    // MARK: Scheduling

    @inline(__always) mutating func schedule(_ time: Double, _ kind: UInt8, token: Int32 = -1, gen: UInt32 = 0, aux: Int32 = 0) {
        seq &+= 1
        heap.push(PendingEvent(time: time, seq: seq, kind: kind, token: token, gen: gen, aux: aux))
    }

    mutating func run() throws(SimulationError) {
        defer { deallocate() }
        do {
            let origin = m.calendar.settings.offset.startOfDay(m.profile.start.dayNumber)
            now = Double(origin.seconds)
            arrivalWork = try m.arrivalClock.work(at: now)
            prepareArrivalWeights()
            try scheduleNextArrival()
            while !heap.isEmpty {
                let e = heap.pop()
                now = e.time
                result.events += 1
                switch e.kind {
                case Self.arrival: try arrive()
                case Self.workDone: try workDone(e.token, e.gen)
                default: try timerFired(e.token, e.gen, Int(e.aux))
                }
            }
            finish()
        } catch {
            throw SimulationError.outsideCalendar(year: Self.year(error))
        }
    }

    static func year(_ e: CalendarError) -> Int {
        switch e { case let .outsideTable(year): return year }
    }

    mutating func finish() {
        guard !firstArrival.isNaN else { return }
        let span = now - firstArrival
        result.observed = span
        for a in m.graph.actors.indices {
            if let p = m.people[a] {
                let clock = m.clocks[a]
                let w = ((try? clock.work(at: now)) ?? 0) - ((try? clock.work(at: firstArrival)) ?? 0)
                result.availableWork[a] = Double(p) * w
            }
            result.queueIntegral[a] += Double(queueLength[a]) * (now - lastQueueChange[a])
        }
        result.wipIntegral += Double(wip) * (now - lastWipChange)
    }

    // MARK: Arrivals

    mutating func prepareArrivalWeights() {
        let a = m.profile.arrivals
        guard !a.weekdayWeights.isEmpty || !a.hourWeights.isEmpty else { return }
        let everyDay = m.calendar.settings.week == .everyDay
        let days = everyDay ? Array(1...7) : Array(1...5)
        let dw = days.map { a.weekdayWeights[$0] ?? (a.weekdayWeights.isEmpty ? 1 : 0) }
        let hoursRange = a.hours ?? (everyDay ? 0...86_400 : 8 * 3600...16 * 3600)
        let hours = Array(hoursRange.lowerBound / 3600..<max(hoursRange.lowerBound / 3600 + 1, (hoursRange.upperBound + 3599) / 3600))
        let hw = hours.map { a.hourWeights[$0 % 24] ?? (a.hourWeights.isEmpty ? 1 : 0) }
        let meanW = (dw.reduce(0, +) / Double(dw.count)) * (hw.reduce(0, +) / Double(hw.count))
        arrivalWeightMax = (dw.max() ?? 1) * (hw.max() ?? 1)
        arrivalRateScale = meanW > 0 ? arrivalWeightMax / meanW : 1
    }

    func arrivalWeight(_ t: Double) -> Double {
        let a = m.profile.arrivals
        let offset = m.calendar.settings.offset
        let day = offset.day(of: Instant(seconds: Int64(t.rounded(.down))))
        let wd = CivilDate(dayNumber: day).isoWeekday
        let hour = Int(((t + Double(offset.minutes * 60)) - Double(day) * 86_400) / 3600) % 24
        let w1 = a.weekdayWeights.isEmpty ? 1 : a.weekdayWeights[wd] ?? 0
        let w2 = a.hourWeights.isEmpty ? 1 : a.hourWeights[hour] ?? 0
        return w1 * w2
    }

    mutating func scheduleNextArrival() throws(CalendarError) {
        guard arrivedCount < cases else { return }
        let a = m.profile.arrivals
        if let replay = a.replay {
            schedule(max(now, replay[firstCase + arrivedCount]), Self.arrival)
            return
        }
        let mean = m.arrivalClock.dayLength / max(a.perDay, 1e-12) / arrivalRateScale
        while true {
            arrivalWork += a.poisson ? rng.exponential(mean: mean) : mean
            let t = try m.arrivalClock.instant(atWork: arrivalWork)
            if arrivalRateScale == 1 || rng.uniform() * arrivalWeightMax < arrivalWeight(t) {
                schedule(t, Self.arrival)
                return
            }
        }
    }

    mutating func arrive() throws(CalendarError) {
        let number = firstCase + arrivedCount
        arrivedCount += 1
        result.arrived += 1
        if firstArrival.isNaN { firstArrival = now; lastWipChange = now; for a in 0..<lastQueueChange.count { lastQueueChange[a] = now } }
        result.wipIntegral += Double(wip) * (now - lastWipChange)
        lastWipChange = now
        wip += 1
        let c = newCase(number)
        try scheduleNextArrival()
        let t = newToken(c)
        try enter(t, 0)
    }

    mutating func newCase(_ number: Int) -> Int32 {
        let c: Int32
        if let f = freeCases.popLast() { c = f } else {
            c = Int32(caseArrival.count)
            caseArrival.append(0); caseLive.append(0); caseClass.append(0); caseNumber.append(0)
            caseSteps.append(0); caseAborted.append(false); caseOutcome.append(-1)
            joinArrivals.append(repeating: 0, count: m.joinCount)
        }
        let i = Int(c)
        caseArrival[i] = now; caseLive[i] = 0; caseNumber[i] = number; caseSteps[i] = 0; caseAborted[i] = false; caseOutcome[i] = -1
        for j in 0..<m.joinCount { joinArrivals[i * m.joinCount + j] = 0 }
        var cls: Int32 = 0
        if !m.classCumulative.isEmpty {
            let u = rng.uniform()
            cls = Int32(m.classCumulative.firstIndex { u < $0 } ?? m.classCumulative.count - 1)
        }
        caseClass[i] = cls
        return c
    }

    mutating func newToken(_ c: Int32) -> Int32 {
        let t: Int32
        if let f = freeTokens.popLast() { t = f } else {
            t = Int32(tokCase.count)
            tokCase.append(0); tokNode.append(0); tokGen.append(0); tokState.append(0)
            tokActivated.append(0); tokEnqueued.append(0); tokStarted.append(0); tokDeadline.append(.infinity)
            tokWork.append(0); tokStartWork.append(0); tokFate.append(-1)
        }
        tokCase[Int(t)] = c
        caseLive[Int(c)] += 1
        return t
    }

    // MARK: Flow

    /// Moves token `t` into `node`.
    mutating func enter(_ t: Int32, _ node: Int) throws(CalendarError) {
        let ti = Int(t), c = Int(tokCase[ti])
        if caseAborted[c] { dropToken(t); return }
        tokNode[ti] = Int32(node)
        switch m.kinds[node] {
        case .start, .parallelSplit:
            try follow(t, from: node)
        case .parallelJoin:
            let slot = c * m.joinCount + m.joinSlot[node]
            joinArrivals[slot] += 1
            if Int(joinArrivals[slot]) >= m.joinDegree[node] {
                joinArrivals[slot] = 0
                try follow(t, from: node)
            } else {
                releaseToken(t)
            }
        case .end:
            if m.namedEnd[node] || caseOutcome[c] < 0 { caseOutcome[c] = Int32(node) }
            releaseToken(t)
        case .task, .decision, .call:
            try activate(t, node)
        }
    }

    /// Moves token `t` along `node`'s outgoing flow (a new token for every extra target).
    @inline(__always) mutating func follow(_ t: Int32, from node: Int) throws(CalendarError) {
        let one = onlyNext[node]
        if one >= 0 { try enter(t, one) } else { try follow(t, m.next[node]) }
    }

    mutating func follow(_ t: Int32, _ targets: [Int]) throws(CalendarError) {
        guard let first = targets.first else { releaseToken(t); return }
        let c = tokCase[Int(t)]
        for target in targets.dropFirst() { try enter(newToken(c), target) }
        try enter(t, first)
    }

    mutating func activate(_ t: Int32, _ node: Int) throws(CalendarError) {
        let ti = Int(t), c = Int(tokCase[ti])
        caseSteps[c] += 1
        if caseSteps[c] > Self.maxActivations { caseAborted[c] = true; dropToken(t); return }
        tokGen[ti] &+= 1
        let gen = tokGen[ti]
        tokActivated[ti] = now
        tokFate[ti] = -1
        result.activations[node] += 1
        // The step's deadline, as the runtime computes it.
        var span = m.stepDeadline[node]
        if span == nil, !m.classNames.isEmpty { span = m.classDeadline[node][Int(caseClass[c])] }
        if let span {
            let from = m.deadlineFromStart[node] ? caseArrival[c] : now
            tokDeadline[ti] = Double(try m.calendar.deadline(after: span, from: Instant(seconds: Int64(from.rounded(.down)))).seconds)
        } else {
            tokDeadline[ti] = .infinity
        }
        // Timers: a real race, or the profile's share of cases in which the condition happens.
        for rule in m.timers[node] {
            if let share = rule.share {
                guard rng.uniform() < share else { continue }
                if rule.lastResponse {
                    // Fires after the step's work (the answer), counted from it.
                    if tokFate[ti] < 0 { tokFate[ti] = Int32(rule.id) }
                    continue
                }
            }
            if rule.lastResponse { continue }
            let due = try m.calendar.deadline(after: rule.after, from: Instant(seconds: Int64(now.rounded(.down))))
            schedule(Double(due.seconds), Self.timerFire, token: t, gen: gen, aux: Int32(rule.id))
        }
        // The work.
        var w = 0.0
        switch m.work[node] {
        case .none: break
        case let .one(d): w = d.sample(&rng)
        case let .classes(per, fallback):
            if let d = per[Int(caseClass[c])] { w = d.sample(&rng) } else if !fallback.isEmpty {
                w = fallback[Int(rng.uniform() * Double(fallback.count)) % fallback.count].sample(&rng)
            }
        }
        tokWork[ti] = w
        let a = m.actorOf[node]
        tokEnqueued[ti] = now
        if a >= 0, let p = m.people[a], busy[a] >= p {
            tokState[ti] = 1
            queues[a].append(t)
            changeQueue(a, by: 1)
        } else {
            try startWork(t)
        }
    }

    /// Actor `a`'s working seconds before `t`.
    @inline(__always) func work(_ a: Int, at t: Double) throws(CalendarError) -> Double {
        continuous[a] ? t : try m.clocks[a].work(at: t)
    }

    mutating func changeQueue(_ a: Int, by d: Int) {
        result.queueIntegral[a] += Double(queueLength[a]) * (now - lastQueueChange[a])
        lastQueueChange[a] = now
        queueLength[a] += d
        if queueLength[a] > result.maxQueue[a] { result.maxQueue[a] = queueLength[a] }
    }

    mutating func startWork(_ t: Int32) throws(CalendarError) {
        let ti = Int(t), node = Int(tokNode[ti]), a = m.actorOf[node]
        tokState[ti] = 2
        tokStarted[ti] = now
        var end = now
        if a >= 0 {
            busy[a] += 1
            if continuous[a] {
                // Every day, all day: working time is elapsed time (no copy of the clock).
                tokStartWork[ti] = now
                end = now + tokWork[ti]
            } else {
                let w0 = try m.clocks[a].work(at: now)
                tokStartWork[ti] = w0
                if m.elapsed[node] {
                    end = now + tokWork[ti]
                } else {
                    end = tokWork[ti] > 0 ? try m.clocks[a].instant(atWork: w0 + tokWork[ti]) : now
                }
            }
            let wait = now - tokEnqueued[ti]
            result.waitHours[a].add(wait / 3600)
            result.stepWaitHours[node].add(wait / 3600)
            if m.people[a] != nil {
                result.waitWorkingDays[a].add(try m.dayClock.work(at: now) / 86_400 - m.dayClock.work(at: tokEnqueued[ti]) / 86_400)
            }
        } else {
            end = now + tokWork[ti]
        }
        schedule(end, Self.workDone, token: t, gen: tokGen[ti])
    }

    /// Frees one of actor `a`'s people and gives the next waiting step to them.
    mutating func release(_ a: Int) throws(CalendarError) {
        busy[a] -= 1
        while queueHead[a] < queues[a].count {
            let next = queues[a][queueHead[a]]
            queueHead[a] += 1
            if queueHead[a] > 1024, queueHead[a] * 2 > queues[a].count {
                queues[a].removeFirst(queueHead[a]); queueHead[a] = 0
            }
            if tokState[Int(next)] == 1 {
                changeQueue(a, by: -1)
                if caseAborted[Int(tokCase[Int(next)])] { tokState[Int(next)] = 0; dropToken(next); continue }
                try startWork(next)
                return
            }
        }
    }

    mutating func workDone(_ t: Int32, _ gen: UInt32) throws(CalendarError) {
        let ti = Int(t)
        guard tokGen[ti] == gen, tokState[ti] == 2 else { return }
        let node = Int(tokNode[ti]), a = m.actorOf[node]
        if a >= 0 {
            result.busyWork[a] += m.elapsed[node] ? max(0, try work(a, at: now) - tokStartWork[ti]) : tokWork[ti]
            try release(a)
        }
        result.stepWorkHours[node].add(tokWork[ti] / 3600)
        tokState[ti] = 0
        // A last-response timer whose condition happens: the answer is given now, and the
        // case leaves by the timer when the time since it runs out.
        let fate = tokFate[ti]
        if tokDeadline[ti] < .infinity {
            result.deadlineChecked[node] += 1
            if now <= tokDeadline[ti] { result.deadlineMet[node] += 1 }
        }
        if fate >= 0 {
            let rule = m.timers[node].first { $0.id == Int(fate) }!
            let due = try m.calendar.deadline(after: rule.after, from: Instant(seconds: Int64(now.rounded(.down))))
            tokState[ti] = 3
            schedule(Double(due.seconds), Self.timerFire, token: t, gen: gen, aux: fate)
            return
        }
        tokGen[ti] &+= 1
        record(t, node, timer: nil)
        if !m.branchTargets[node].isEmpty {
            let u = rng.uniform()
            let cum = m.branchCumulative[node]
            var k = cum.count - 1
            for (i, v) in cum.enumerated() where u < v { k = i; break }
            try enter(t, m.branchTargets[node][k])
        } else {
            try follow(t, from: node)
        }
    }

    mutating func timerFired(_ t: Int32, _ gen: UInt32, _ id: Int) throws(CalendarError) {
        let ti = Int(t)
        guard tokGen[ti] == gen, tokState[ti] != 0 else { return }
        let node = Int(tokNode[ti]), a = m.actorOf[node]
        switch tokState[ti] {
        case 1:
            if a >= 0 { changeQueue(a, by: -1) }
        case 2:
            if a >= 0 {
                let done = try work(a, at: now) - tokStartWork[ti]
                result.busyWork[a] += m.elapsed[node] ? max(done, 0) : min(max(done, 0), tokWork[ti])
                try release(a)
            }
        default: break
        }
        let answered = tokState[ti] == 3
        tokState[ti] = 0
        tokGen[ti] &+= 1
        result.timersFired[id] += 1
        if tokDeadline[ti] < .infinity, !answered {
            result.deadlineChecked[node] += 1
            if now <= tokDeadline[ti] { result.deadlineMet[node] += 1 }
        }
        record(t, node, timer: id)
        try enter(t, m.graph.timers[id].target)
    }

    mutating func record(_ t: Int32, _ node: Int, timer: Int?) {
        let ti = Int(t), c = Int(tokCase[ti])
        guard caseNumber[c] < logCases else { return }
        log.append(SimulatedEvent(caseNumber: caseNumber[c], node: node, actor: m.actorOf[node], activated: tokActivated[ti],
                                  started: tokState[ti] == 1 ? now : tokStarted[ti], ended: now, timer: timer))
    }

    // MARK: Ends

    mutating func dropToken(_ t: Int32) { releaseToken(t) }

    /// The token leaves the case; the case ends with its last token.
    mutating func releaseToken(_ t: Int32) {
        let ti = Int(t), c = Int(tokCase[ti])
        tokGen[ti] &+= 1
        tokState[ti] = 0
        freeTokens.append(t)
        caseLive[c] -= 1
        if caseLive[c] == 0 { endCase(c) }
    }

    mutating func endCase(_ c: Int) {
        result.wipIntegral += Double(wip) * (now - lastWipChange)
        lastWipChange = now
        wip -= 1
        if caseAborted[c] {
            result.unfinished += 1
        } else {
            result.completed += 1
            let start = caseArrival[c]
            result.cycleHours.add((now - start) / 3600)
            let wd = ((try? m.dayClock.work(at: now)) ?? 0) - ((try? m.dayClock.work(at: start)) ?? 0)
            result.cycleWorkingDays.add(wd / 86_400)
            if let sla = m.sla, let due = try? m.calendar.deadline(after: sla, from: Instant(seconds: Int64(start.rounded(.down)))) {
                result.slaCases += 1
                if now <= Double(due.seconds) { result.slaMet += 1 }
            }
            let o = Int(caseOutcome[c])
            if o >= 0 { result.outcomes[o] += 1 }
        }
        freeCases.append(Int32(c))
    }
}
