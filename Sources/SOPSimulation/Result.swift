/// The figures of a simulation: streaming statistics only (bounded memory whatever the
/// number of cases), mergeable in a fixed order.
public struct SimulationResult: Sendable {
    public enum Engine: String, Sendable { case monteCarlo = "monte-carlo", discreteEvent = "discrete-event" }
    public var engine: Engine = .monteCarlo
    public var seed: UInt64 = 1
    public var arrived: UInt64 = 0
    public var completed: UInt64 = 0
    /// Cases stopped after too many steps (a loop the profile makes near-certain).
    public var unfinished: UInt64 = 0
    public var events: UInt64 = 0
    /// Independent discrete-event replications, each from the profile's start (1: one run).
    public var replications = 1
    public var cycleHours = Histogram()
    public var cycleWorkingDays = Histogram()
    public var slaCases: UInt64 = 0
    public var slaMet: UInt64 = 0
    /// Per node: cases that ended there (end nodes).
    public var outcomes: [UInt64]
    /// Per timer id: how often it fired.
    public var timersFired: [UInt64]
    /// Per node: activations, deadline checks and deadlines met, waiting and work time.
    public var activations: [UInt64]
    public var deadlineChecked: [UInt64]
    public var deadlineMet: [UInt64]
    public var stepWaitHours: [Tally]
    public var stepWorkHours: [Tally]
    /// Per actor.
    public var busyWork: [Double]
    public var availableWork: [Double]
    public var waitHours: [Tally]
    public var waitWorkingDays: [Tally]
    public var queueIntegral: [Double]
    public var maxQueue: [Int]
    /// Cases in the system over time (for Little's law), and the observed span.
    public var wipIntegral: Double = 0
    public var observed: Double = 0

    public init(nodes: Int, timers: Int, actors: Int) {
        outcomes = .init(repeating: 0, count: nodes)
        timersFired = .init(repeating: 0, count: timers)
        activations = .init(repeating: 0, count: nodes)
        deadlineChecked = .init(repeating: 0, count: nodes)
        deadlineMet = .init(repeating: 0, count: nodes)
        stepWaitHours = .init(repeating: Tally(), count: nodes)
        stepWorkHours = .init(repeating: Tally(), count: nodes)
        busyWork = .init(repeating: 0, count: actors)
        availableWork = .init(repeating: 0, count: actors)
        waitHours = .init(repeating: Tally(), count: actors)
        waitWorkingDays = .init(repeating: Tally(), count: actors)
        queueIntegral = .init(repeating: 0, count: actors)
        maxQueue = .init(repeating: 0, count: actors)
    }

    public mutating func merge(_ o: SimulationResult) {
        arrived += o.arrived; completed += o.completed; unfinished += o.unfinished; events += o.events
        cycleHours.merge(o.cycleHours); cycleWorkingDays.merge(o.cycleWorkingDays)
        slaCases += o.slaCases; slaMet += o.slaMet
        for i in outcomes.indices { outcomes[i] += o.outcomes[i] }
        for i in timersFired.indices { timersFired[i] += o.timersFired[i] }
        for i in activations.indices {
            activations[i] += o.activations[i]; deadlineChecked[i] += o.deadlineChecked[i]; deadlineMet[i] += o.deadlineMet[i]
            stepWaitHours[i].merge(o.stepWaitHours[i]); stepWorkHours[i].merge(o.stepWorkHours[i])
        }
        for i in busyWork.indices {
            busyWork[i] += o.busyWork[i]; availableWork[i] += o.availableWork[i]
            waitHours[i].merge(o.waitHours[i]); waitWorkingDays[i].merge(o.waitWorkingDays[i])
            queueIntegral[i] += o.queueIntegral[i]; maxQueue[i] = max(maxQueue[i], o.maxQueue[i])
        }
        wipIntegral += o.wipIntegral; observed += o.observed
    }

    /// Busy share of the people's working time; nil for actors without a staffing limit.
    public func utilisation(_ actor: Int) -> Double? {
        availableWork[actor] > 0 ? busyWork[actor] / availableWork[actor] : nil
    }

    /// Time-average queue length.
    public func meanQueue(_ actor: Int) -> Double { observed > 0 ? queueIntegral[actor] / observed : 0 }

    /// Time-average number of cases in the system.
    public var meanInSystem: Double { observed > 0 ? wipIntegral / observed : 0 }
}

/// One row of the event log of a sample of simulated cases.
public struct SimulatedEvent: Sendable, Hashable {
    public var caseNumber: Int
    public var node: Int
    public var actor: Int
    /// Seconds since 1970 (UTC).
    public var activated: Double
    public var started: Double
    public var ended: Double
    /// `complete`, or the id of the timer that ended the step.
    public var timer: Int?
}

/// Why a simulation could not run.
public enum SimulationError: Error, Sendable, Hashable {
    /// The simulated time ran past the years of the working calendar.
    case outsideCalendar(year: Int)
    /// The SOP has no step to simulate.
    case noSteps
}
