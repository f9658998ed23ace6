/// The unit of a time amount. `day` is calendar time, `workingDay` is Monday to Friday
/// minus holidays; `second`, `minute` and `hour` are elapsed time.
public enum TimeUnit: String, Codable, Sendable, Hashable, CaseIterable {
    case second, minute, hour, day, workingDay, week, month, year

    /// True for units counted on the working-day calendar.
    public var isWorkingTime: Bool { self == .workingDay }

    /// An estimate in calendar hours, for comparisons only (a working day counts 7/5 of a
    /// day, a month 30 days). The runtime uses the real calendar, never this.
    public var estimatedHours: Double {
        switch self {
        case .second: return 1.0 / 3600
        case .minute: return 1.0 / 60
        case .hour: return 1
        case .day: return 24
        case .workingDay: return 24 * 7 / 5
        case .week: return 24 * 7
        case .month: return 24 * 30
        case .year: return 24 * 365
        }
    }
}

/// An amount of time: exactly `max` when `min == max`, a range `min…max` otherwise.
/// A range's deadline is its maximum.
public struct TimeSpan: Codable, Sendable, Hashable {
    public var min: Double
    public var max: Double
    public var unit: TimeUnit

    public init(min: Double, max: Double, unit: TimeUnit) {
        self.min = min
        self.max = max
        self.unit = unit
    }

    public init(_ value: Double, _ unit: TimeUnit) {
        self.init(min: value, max: value, unit: unit)
    }

    public var estimatedHours: Double { max * unit.estimatedHours }
}

/// A duration class chosen when a case or step starts (ringan / sedang / berat).
public struct DurationClass: Codable, Sendable, Hashable {
    /// The class name as written, lower-cased (`ringan`).
    public var name: String
    public var span: TimeSpan

    public init(name: String, span: TimeSpan) {
        self.name = name
        self.span = span
    }
}

/// How often a recurring step runs.
public enum RecurrencePeriod: String, Codable, Sendable, Hashable {
    case day, workingDay, week, month, year
}

/// A recurrence: "Setiap hari kerja", "Setiap Awal Bulan di Hari Kerja",
/// "Setiap hari selama 10 hari kerja sejak jawaban terakhir".
public struct Recurrence: Codable, Sendable, Hashable {
    public var every: RecurrencePeriod
    /// Where in the period (`awal` for "awal bulan", start of the period).
    public var anchor: String?
    /// Only on working days ("di hari kerja").
    public var onWorkingDays: Bool
    /// For how long the recurrence lasts ("selama 10 hari kerja").
    public var lasting: TimeSpan?
    /// From which event it counts ("sejak jawaban terakhir").
    public var since: String?
    /// How many periods between occurrences ("per triwulan" = every 3 months); nil for 1.
    public var interval: Int?

    public init(every: RecurrencePeriod, anchor: String? = nil, onWorkingDays: Bool = false,
                lasting: TimeSpan? = nil, since: String? = nil, interval: Int? = nil) {
        self.every = every
        self.interval = interval
        self.anchor = anchor
        self.onWorkingDays = onWorkingDays
        self.lasting = lasting
        self.since = since
    }
}

/// A parsed *Waktu* value, with the text as written kept for display.
public struct Duration: Codable, Sendable, Hashable {
    public enum Value: Codable, Sendable, Hashable {
        /// A fixed amount or range; `atMost` for "Maks."; `extension` for "dapat diperpanjang".
        case amount(span: TimeSpan, atMost: Bool, extension: TimeSpan?)
        /// Classes, one chosen per case: ringan / sedang / berat.
        case classes(classes: [DurationClass])
        /// A recurring activity.
        case recurring(recurrence: Recurrence)
        /// `NA`, `-`: not applicable.
        case notApplicable
        /// Service hours, not a time span: "Pada hari dan jam kerja untuk pemohon informasi
        /// secara langsung dan setiap saat untuk pemohon informasi secara tidak langsung".
        case serviceHours
    }

    public var text: String
    public var value: Value
    /// The event the time counts from, when written ("sejak jawaban terakhir"); nil means
    /// from the activation of the step.
    public var since: String?
    /// The condition of an extension, when written ("dengan menyampaikan pemberitahuan
    /// kepada Pemohon informasi").
    public var condition: String?
    /// The hours the time is counted or the service given in, when written ("hari dan jam
    /// kerja" of "Pada hari dan jam kerja maksimal 10 hari kerja").
    public var hours: String?

    public init(text: String, value: Value, since: String? = nil, condition: String? = nil, hours: String? = nil) {
        self.text = text
        self.value = value
        self.since = since
        self.condition = condition
        self.hours = hours
    }

    /// The longest time the step may take, extension included, or nil when it does not apply.
    public var maximum: TimeSpan? {
        switch value {
        case let .amount(span, _, ext):
            guard let ext else { return span }
            if ext.unit == span.unit { return TimeSpan(min: span.min, max: span.max + ext.max, unit: span.unit) }
            return ext.estimatedHours > span.estimatedHours ? ext : span
        case let .classes(classes):
            return classes.max { $0.span.estimatedHours < $1.span.estimatedHours }?.span
        case let .recurring(r):
            return r.lasting
        case .notApplicable, .serviceHours:
            return nil
        }
    }

    /// The maximum as estimated hours (0 when not applicable), for critical-path estimates.
    public var estimatedHours: Double { maximum?.estimatedHours ?? 0 }
}
