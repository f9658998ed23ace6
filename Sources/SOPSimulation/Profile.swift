import SOPCalendar
import SOPIR

/// What a simulation assumes about the world around an SOP: arrivals, how long steps take,
/// which way decisions go, how often timers' conditions happen, and who is there to do the
/// work. Plain data; `sop simulate --profile` fills it from YAML (SOPSimulationProfile),
/// and every field has a default so that an SOP simulates with no profile at all.
public struct SimulationProfile: Sendable {
    /// The day the first case may arrive (local to the SOP's calendar).
    public var start: CivilDate = CivilDate(year: 2026, month: 1, day: 5)
    public var arrivals = Arrivals()
    /// How a *Waktu* range becomes a distribution.
    public var rangeShape: RangeShape = .triangular
    /// A fixed *Waktu* v becomes a triangular distribution from v(1 − spread) to v (mode v).
    public var spread: Double = 0.2
    /// The mix of duration classes (ringan / sedang / berat); equal when empty.
    public var classMix: [String: Double] = [:]
    /// Per node: overrides of its duration, branch probabilities and performer.
    public var steps: [Int: StepProfile] = [:]
    /// Per timer id: the share of cases in which its condition happens. Timers not listed
    /// race the step (activation timers) or use `lastResponseShare` (last-response timers).
    public var timerShares: [Int: Double] = [:]
    /// The share of cases in which a `since: last-response` timer's condition (no answer in
    /// time) happens, when the profile does not say.
    public var lastResponseShare: Double = 0.5
    /// Per actor index: staffing. Actors not listed have no limit on people.
    public var staff: [Int: Staff] = [:]
    /// Cases per independent run of the Monte Carlo engine (cases of one run share a period).
    public var chunkSize: Int = 4096
    /// Where each field came from, for the report's list of assumptions.
    public var assumptions: [String] = []

    public init() {}

    public enum RangeShape: String, Sendable, CaseIterable { case triangular, uniform }

    public struct Arrivals: Sendable {
        /// Mean arrivals per working day of the arrival calendar (the SOP's own).
        public var perDay: Double = 10
        /// Arrival hours (seconds of the local day); nil: the SOP's office hours, or all day
        /// for units that work every day.
        public var hours: ClosedRange<Int>? = nil
        /// Relative weights per ISO weekday (1 = Monday); empty: equal.
        public var weekdayWeights: [Int: Double] = [:]
        /// Relative weights per hour of the day (0…23); empty: equal.
        public var hourWeights: [Int: Double] = [:]
        /// Exponential gaps (Poisson) or equal gaps.
        public var poisson: Bool = true
        /// Replayed arrival instants, sorted; when set, they replace the process above.
        public var replay: [Double]? = nil
        public init() {}
    }

    public struct StepProfile: Sendable {
        /// The step's processing time, amounts in `unit`.
        public var duration: Distribution?
        public var unit: TimeUnit = .hour
        /// Per outgoing edge target node: probability.
        public var branches: [Int: Double]?
        public init() {}
    }

    public struct Staff: Sendable {
        /// Nil: no limit.
        public var people: Int?
        /// Working hours, seconds of the local day (08:00–16:00 by default).
        public var hours: ClosedRange<Int>
        public var week: CalendarSettings.Week
        public init(people: Int?, hours: ClosedRange<Int> = 8 * 3600...16 * 3600, week: CalendarSettings.Week = .mondayToFriday) {
            self.people = people
            self.hours = hours
            self.week = week
        }
    }
}
