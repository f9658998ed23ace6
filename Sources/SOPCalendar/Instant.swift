/// A point in time: whole seconds since 1970-01-01T00:00:00Z. Second resolution is what
/// an SOP needs (its shortest unit is the minute) and keeps events small and exact.
public struct Instant: Hashable, Comparable, Codable, Sendable {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public static func < (a: Instant, b: Instant) -> Bool { a.seconds < b.seconds }
    public static func + (a: Instant, s: Int64) -> Instant { Instant(seconds: a.seconds + s) }

    public init(from decoder: Decoder) throws {
        seconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(seconds)
    }
}

/// A calendar date without time (proleptic Gregorian), and conversions to day numbers.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        let w = (dayNumber + 3) % 7   // 1970-01-01 was a Thursday
        return (w < 0 ? w + 7 : w) + 1
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: Substring) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= CivilDate.daysIn(month: m, year: y) else { return nil }
        self.init(year: y, month: m, day: d)
    }
}

/// A fixed offset from UTC. Indonesia keeps no daylight saving time: WIB is +07:00, WITA
/// +08:00, WIT +09:00.
public struct UTCOffset: Hashable, Codable, Sendable, CustomStringConvertible {
    public var minutes: Int
    public init(minutes: Int) { self.minutes = minutes }

    public static let wib = UTCOffset(minutes: 7 * 60)
    public static let wita = UTCOffset(minutes: 8 * 60)
    public static let wit = UTCOffset(minutes: 9 * 60)

    public var description: String {
        let sign = minutes < 0 ? "-" : "+"
        let m = abs(minutes)
        return "\(sign)\(m / 60 < 10 ? "0" : "")\(m / 60):\(m % 60 < 10 ? "0" : "")\(m % 60)"
    }

    /// `WIB`, `WITA`, `WIT`, `+07:00`, `+7`.
    public init?(_ text: String) {
        let upper = text.uppercased()
        if let zone = Self.named.first(where: { $0.name == upper }) {
            self = zone.offset
            return
        }
        switch upper {
        case "Z", "UTC": self.init(minutes: 0)
        default:
            var t = Substring(text)
            guard let sign = t.first, sign == "+" || sign == "-" else { return nil }
            t = t.dropFirst()
            let parts = t.split(separator: ":")
            guard (1...2).contains(parts.count), let h = Int(parts[0]), h <= 14 else { return nil }
            let m = parts.count == 2 ? Int(parts[1]) : 0
            guard let m, m < 60 else { return nil }
            self.init(minutes: (sign == "-" ? -1 : 1) * (h * 60 + m))
        }
    }

    /// The local calendar day of an instant.
    public func day(of instant: Instant) -> Int {
        let local = instant.seconds + Int64(minutes) * 60
        return Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }

    /// The instant a local day starts (00:00 local time).
    public func startOfDay(_ day: Int) -> Instant {
        Instant(seconds: Int64(day) * 86_400 - Int64(minutes) * 60)
    }

    /// Indonesia's three zones by name.
    static let named: [(name: String, offset: UTCOffset)] = [("WIB", .wib), ("WITA", .wita), ("WIT", .wit)]

    /// The Indonesian name of the zone (`WIB`, `WITA`, `WIT`), else the offset (`+05:30`).
    public var zoneName: String { Self.named.first { $0.offset == self }?.name ?? description }

    /// `2025-04-10 09:30` in this offset (seconds only when not zero).
    public func format(_ instant: Instant, withOffset: Bool = false) -> String {
        let day = self.day(of: instant)
        let secondOfDay = instant.seconds + Int64(minutes) * 60 - Int64(day) * 86_400
        let h = Int(secondOfDay / 3600), m = Int(secondOfDay % 3600 / 60), s = Int(secondOfDay % 60)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var text = "\(CivilDate(dayNumber: day)) \(two(h)):\(two(m))"
        if s != 0 { text += ":\(two(s))" }
        if withOffset { text += " \(self)" }
        return text
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DDTHH:MM[:SS]`, local to this
    /// offset unless the text ends in `Z` or `±HH:MM`.
    public func parse(_ text: String) -> Instant? {
        var t = Substring(text.trimmingCharacters(in: .whitespaces))
        var offset = self
        if t.hasSuffix("Z") {
            offset = UTCOffset(minutes: 0)
            t = t.dropLast()
        } else if t.count > 16, let signIndex = t.lastIndex(where: { $0 == "+" || $0 == "-" }),
                  t.distance(from: t.startIndex, to: signIndex) >= 16,
                  let o = UTCOffset(String(t[signIndex...])) {
            offset = o
            t = t[..<signIndex]
        }
        let pieces = t.split(maxSplits: 1, whereSeparator: { $0 == "T" || $0 == " " })
        guard let first = pieces.first, let date = CivilDate(first) else { return nil }
        var secondOfDay = 0
        if pieces.count == 2 {
            let hms = pieces[1].split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(hms.count), hms.allSatisfy({ $0.count == 2 }),
                  let h = Int(hms[0]), let m = Int(hms[1]), h < 24, m < 60 else { return nil }
            let s = hms.count == 3 ? Int(hms[2]) : 0
            guard let s, s < 60 else { return nil }
            secondOfDay = h * 3600 + m * 60 + s
        }
        return Instant(seconds: offset.startOfDay(date.dayNumber).seconds + Int64(secondOfDay))
    }
}

import Foundation
