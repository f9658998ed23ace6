import SOPIR

/// One day off from the national calendar.
public struct Holiday: Hashable, Sendable {
    public enum Kind: String, Sendable { case nationalHoliday = "libur", cutiBersama = "cuti" }
    public var date: CivilDate
    public var kind: Kind
    /// True when the source computed the date rather than read it from a decree.
    public var estimated: Bool
    public var nameID: String
    public var nameEN: String

    /// Every holiday of the embedded table (see `HolidayData.swift`), sorted by date.
    public static let all: [Holiday] = HolidayData.tsv.split(separator: "\n").compactMap { line in
        let f = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard f.count == 5, let date = CivilDate(f[0]), let kind = Kind(rawValue: String(f[1])) else { return nil }
        return Holiday(date: date, kind: kind, estimated: f[2] == "estimated", nameID: String(f[3]), nameEN: String(f[4]))
    }

    public static let firstYear = HolidayData.firstYear
    public static let lastYear = HolidayData.lastYear
    public static let source = HolidayData.source
}

/// How a unit counts its working days. Recorded in each case's first event, so replaying a
/// case gives the same deadlines even if the defaults change later.
public struct CalendarSettings: Hashable, Codable, Sendable {
    public enum Week: String, Codable, Sendable, CaseIterable {
        /// Monday to Friday minus national holidays (and cuti bersama unless counted).
        case mondayToFriday = "working-days"
        /// Every day is a working day: units that never close (a 112 centre).
        case everyDay = "every-day"
    }

    public var week: Week
    /// Count cuti bersama as working days (they are days off by default).
    public var cutiBersamaIsWorking: Bool
    /// The local time of the unit: WIB (+07:00) in Cirebon, WITA (+08:00) in Tarakan.
    public var offset: UTCOffset

    public init(week: Week = .mondayToFriday, cutiBersamaIsWorking: Bool = false, offset: UTCOffset = .wib) {
        self.week = week
        self.cutiBersamaIsWorking = cutiBersamaIsWorking
        self.offset = offset
    }

    /// The defaults for an SOP of the catalogue, by the longest matching id prefix in
    /// `overrides` (per organisation or per SOP).
    public static func forSOP(_ id: String, overrides: [(prefix: String, settings: CalendarSettings)] = builtInOverrides) -> CalendarSettings {
        overrides.filter { id.hasPrefix($0.prefix) }.max { $0.prefix.count < $1.prefix.count }?.settings ?? CalendarSettings()
    }

    /// Tarakan keeps WITA; the 112 centres of Cirebon work every day.
    public static let builtInOverrides: [(prefix: String, settings: CalendarSettings)] = [
        ("kota-tarakan/", CalendarSettings(offset: .wita)),
        ("kota-cirebon/dkis/siaga-112-", CalendarSettings(week: .everyDay)),
    ]
}

/// Errors of time arithmetic.
public enum CalendarError: Error, Hashable, Sendable {
    /// Working-day arithmetic left the years the holiday table covers.
    case outsideTable(year: Int)
}

/// Working-day arithmetic on the Indonesian calendar. `hari kerja` counts working days,
/// `hari` calendar days, `jam` and `menit` elapsed time.
///
/// A deadline of *n* working days from an instant is the end of the *n*-th working day
/// after the day of that instant (the day of receipt itself does not count): a complaint
/// received on Monday with 1 hari kerja is due at the end of Tuesday. Precomputed: one
/// flag and one running count per day of the table's years, so each deadline is a binary
/// search.
public struct WorkingCalendar: Sendable {
    public let settings: CalendarSettings
    private let firstDay: Int
    private let lastDay: Int
    /// `ordinal[i]`: working days among table days 0…i.
    private let ordinal: [Int32]
    private let holidays: [Int: Holiday]

    public init(_ settings: CalendarSettings = CalendarSettings()) {
        self.settings = settings
        firstDay = CivilDate(year: Holiday.firstYear, month: 1, day: 1).dayNumber
        lastDay = CivilDate(year: Holiday.lastYear, month: 12, day: 31).dayNumber
        var byDay: [Int: Holiday] = [:]
        for h in Holiday.all where byDay[h.date.dayNumber]?.kind != .nationalHoliday {
            byDay[h.date.dayNumber] = h
        }
        holidays = byDay
        var ordinal = [Int32](repeating: 0, count: lastDay - firstDay + 1)
        var count: Int32 = 0
        for d in firstDay...lastDay {
            if Self.isWorking(d, settings, byDay) { count += 1 }
            ordinal[d - firstDay] = count
        }
        self.ordinal = ordinal
    }

    private static func isWorking(_ day: Int, _ s: CalendarSettings, _ holidays: [Int: Holiday]) -> Bool {
        if s.week == .everyDay { return true }
        if CivilDate(dayNumber: day).isoWeekday >= 6 { return false }
        guard let h = holidays[day] else { return true }
        return h.kind == .cutiBersama && s.cutiBersamaIsWorking
    }

    /// The holiday on a date, if any (whatever the settings).
    public func holiday(on date: CivilDate) -> Holiday? { holidays[date.dayNumber] }

    public func isWorkingDay(_ date: CivilDate) throws(CalendarError) -> Bool {
        let d = date.dayNumber
        if settings.week == .everyDay { return true }
        guard d >= firstDay, d <= lastDay else { throw CalendarError.outsideTable(year: date.year) }
        return Self.isWorking(d, settings, holidays)
    }

    /// How many working days there are from the table's first day through `day` (inclusive):
    /// the running count the simulator's working clocks are built on. For a unit that works
    /// every day, the day number itself (any day, no table needed).
    public func workingDays(through day: Int) throws(CalendarError) -> Int {
        if settings.week == .everyDay { return day }
        if day < firstDay { return 0 }
        guard day <= lastDay else { throw CalendarError.outsideTable(year: CivilDate(dayNumber: day).year) }
        return Int(ordinal[day - firstDay])
    }

    /// The day whose running count (`workingDays(through:)`) first reaches `k`: the `k`-th
    /// working day of the table (for every-day units, day `k`).
    public func dayOfWorkingDay(_ k: Int) throws(CalendarError) -> Int {
        if settings.week == .everyDay { return k }
        return try workingDay(k, after: firstDay - 1)
    }

    /// The local day on which the `n`-th working day after `day` falls.
    public func workingDay(_ n: Int, after day: Int) throws(CalendarError) -> Int {
        if settings.week == .everyDay { return day + n }
        guard day >= firstDay - 1, day <= lastDay else { throw CalendarError.outsideTable(year: CivilDate(dayNumber: day).year) }
        let base = day < firstDay ? 0 : Int(ordinal[day - firstDay])
        let target = Int32(base + n)
        guard n > 0 else { return day }
        guard let last = ordinal.last, target <= last else { throw CalendarError.outsideTable(year: Holiday.lastYear + 1) }
        // The first table day whose running count reaches the target is that working day.
        var lo = max(0, day - firstDay), hi = ordinal.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if ordinal[mid] >= target { hi = mid } else { lo = mid + 1 }
        }
        return firstDay + lo
    }

    /// When `span` (its maximum) runs out, counted from `start`.
    public func deadline(after span: TimeSpan, from start: Instant) throws(CalendarError) -> Instant {
        let amount = span.max
        switch span.unit {
        case .second: return start + Int64(amount.rounded(.up))
        case .minute: return start + Int64((amount * 60).rounded(.up))
        case .hour: return start + Int64((amount * 3600).rounded(.up))
        case .day: return start + Int64((amount * 86_400).rounded(.up))
        case .week: return start + Int64((amount * 7 * 86_400).rounded(.up))
        case .workingDay:
            let day = settings.offset.day(of: start)
            let due = try workingDay(Int(amount.rounded(.up)), after: day)
            return settings.offset.startOfDay(due + 1)
        case .month, .year:
            let months = Int(amount.rounded(.up)) * (span.unit == .year ? 12 : 1)
            let day = settings.offset.day(of: start)
            let secondOfDay = start.seconds - settings.offset.startOfDay(day).seconds
            let date = CivilDate(dayNumber: day)
            let total = date.year * 12 + (date.month - 1) + months
            let y = total / 12, m = total % 12 + 1
            let target = CivilDate(year: y, month: m, day: min(date.day, CivilDate.daysIn(month: m, year: y)))
            return settings.offset.startOfDay(target.dayNumber) + secondOfDay
        }
    }

    /// The end of the period of a recurrence that contains `instant` (the deadline of one
    /// occurrence of a recurring step).
    /// The end of the period of `interval` units that contains `instant`: months are
    /// counted in blocks from January ("per triwulan": the end of the calendar quarter);
    /// other units add the further periods after the one that contains the instant.
    public func endOfPeriod(_ period: RecurrencePeriod, containing instant: Instant, interval: Int) throws(CalendarError) -> Instant {
        guard interval > 1 else { return try endOfPeriod(period, containing: instant) }
        if period == .month {
            let date = CivilDate(dayNumber: settings.offset.day(of: instant))
            let block = (date.month - 1) / interval
            let month = (block + 1) * interval + 1
            let next = month > 12 ? CivilDate(year: date.year + (month - 1) / 12, month: (month - 1) % 12 + 1, day: 1)
                                  : CivilDate(year: date.year, month: month, day: 1)
            return settings.offset.startOfDay(next.dayNumber)
        }
        var end = try endOfPeriod(period, containing: instant)
        for _ in 1..<interval { end = try endOfPeriod(period, containing: end) }
        return end
    }

    public func endOfPeriod(_ period: RecurrencePeriod, containing instant: Instant) throws(CalendarError) -> Instant {
        let day = settings.offset.day(of: instant)
        let date = CivilDate(dayNumber: day)
        switch period {
        case .day:
            return settings.offset.startOfDay(day + 1)
        case .workingDay:
            // Today when it is a working day, else the next working day.
            let due = try isWorkingDay(date) ? day : workingDay(1, after: day)
            return settings.offset.startOfDay(due + 1)
        case .week:
            return settings.offset.startOfDay(day + (8 - date.isoWeekday))
        case .month:
            let next = date.month == 12 ? CivilDate(year: date.year + 1, month: 1, day: 1) : CivilDate(year: date.year, month: date.month + 1, day: 1)
            return settings.offset.startOfDay(next.dayNumber)
        case .year:
            return settings.offset.startOfDay(CivilDate(year: date.year + 1, month: 1, day: 1).dayNumber)
        }
    }
}
