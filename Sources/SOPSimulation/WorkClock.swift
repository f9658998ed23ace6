import SOPCalendar

/// Working time of one actor: the days of a working calendar (national holidays and cuti
/// bersama off, or every day) and the hours of each day. `work(at:)` is the working seconds
/// done since the calendar's origin; `instant(atWork:)` its inverse. A task of `w` seconds of
/// work started at `t` ends at `instant(atWork: work(at: t) + w)`: the clock stops at the
/// end of the day and on days off.
public struct WorkClock: Sendable {
    public let calendar: WorkingCalendar
    /// Opening and closing second of the local day.
    public let open: Double
    public let length: Double
    let offsetSeconds: Double
    /// Every day, all day: working time is elapsed time.
    let continuous: Bool

    public init(calendar: WorkingCalendar, hours: ClosedRange<Int>) {
        self.calendar = calendar
        open = Double(hours.lowerBound)
        length = Double(max(1, hours.upperBound - hours.lowerBound))
        offsetSeconds = Double(calendar.settings.offset.minutes * 60)
        continuous = calendar.settings.week == .everyDay && hours.lowerBound == 0 && hours.upperBound >= 86_400
    }

    /// Seconds of a working day.
    public var dayLength: Double { length }

    @inline(__always) func localDay(_ t: Double) -> Int { Int(((t + offsetSeconds) / 86_400).rounded(.down)) }
    @inline(__always) func startOfDay(_ day: Int) -> Double { Double(day) * 86_400 - offsetSeconds }

    /// Working seconds before `t`.
    public func work(at t: Double) throws(CalendarError) -> Double {
        if continuous { return t }
        let day = localDay(t)
        let before = try calendar.workingDays(through: day - 1)
        let through = try calendar.workingDays(through: day)
        var w = Double(before) * length
        if through > before {
            w += min(max(t - startOfDay(day) - open, 0), length)
        }
        return w
    }

    /// The instant at which `w` working seconds have been done.
    public func instant(atWork w: Double) throws(CalendarError) -> Double {
        if continuous { return w }
        var k = Int((w / length).rounded(.down))
        var r = w - Double(k) * length
        if r <= 0, k > 0 { k -= 1; r = length }
        let day = try calendar.dayOfWorkingDay(k + 1)
        return startOfDay(day) + open + r
    }

    /// When `w` working seconds started at `t` are done.
    @inline(__always) public func advance(_ t: Double, by w: Double) throws(CalendarError) -> Double {
        if continuous { return t + w }
        if w <= 0 { return t }
        return try instant(atWork: work(at: t) + w)
    }
}
