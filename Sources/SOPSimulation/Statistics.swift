import Foundation

/// A streaming histogram of non-negative values in log-spaced buckets (256 per doubling,
/// under 0.3 % relative error), with the exact count, sum, minimum and maximum: a million
/// cases cost a few kilobytes, not a million records. Merging is exact, so runs merged in a
/// fixed order give the same figures on any number of cores.
public struct Histogram: Sendable, Hashable {
    static let perOctave = 256.0
    static let base = 1.0 / 1024
    public private(set) var buckets: [UInt64] = []
    public private(set) var count: UInt64 = 0
    public private(set) var sum: Double = 0
    public private(set) var min: Double = .infinity
    public private(set) var max: Double = 0

    public init() {}

    @inline(__always) static func index(_ v: Double) -> Int {
        v < base ? 0 : 1 + Int((log2(v / base) * perOctave).rounded(.down))
    }

    public mutating func add(_ v0: Double) {
        let v = Swift.max(0, v0)
        let i = Self.index(v)
        if i >= buckets.count { buckets.append(contentsOf: repeatElement(0, count: i + 1 - buckets.count)) }
        buckets[i] += 1
        count += 1
        sum += v
        if v < min { min = v }
        if v > max { max = v }
    }

    public mutating func merge(_ o: Histogram) {
        if o.buckets.count > buckets.count { buckets.append(contentsOf: repeatElement(0, count: o.buckets.count - buckets.count)) }
        for (i, c) in o.buckets.enumerated() { buckets[i] += c }
        count += o.count
        sum += o.sum
        min = Swift.min(min, o.min)
        max = Swift.max(max, o.max)
    }

    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// The value below which a share `q` of the values lie (the bucket's midpoint, within the
    /// exact minimum and maximum).
    public func quantile(_ q: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = UInt64((q * Double(count)).rounded(.up))
        var seen: UInt64 = 0
        for (i, c) in buckets.enumerated() where c > 0 {
            seen += c
            if seen >= Swift.max(rank, 1) {
                let v: Double
                if i == 0 { v = Self.base / 2 } else {
                    let lo = Self.base * exp2(Double(i - 1) / Self.perOctave), hi = Self.base * exp2(Double(i) / Self.perOctave)
                    v = (lo * hi).squareRoot()
                }
                return Swift.min(Swift.max(v, min), max)
            }
        }
        return max
    }

    /// Counts in `bins` equal bins from 0 to `upTo` (the last bin takes what lies above), for
    /// drawing.
    public func bins(_ bins: Int, upTo: Double) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: bins)
        guard upTo > 0 else { return out }
        for (i, c) in buckets.enumerated() where c > 0 {
            let v = i == 0 ? Self.base / 2 : Self.base * exp2((Double(i) - 0.5) / Self.perOctave)
            let b = Swift.min(bins - 1, Int(v / upTo * Double(bins)))
            out[b] += c
        }
        return out
    }
}

/// Mean and count of a stream (Welford-free: sums in a fixed order are deterministic).
public struct Tally: Sendable, Hashable {
    public var count: UInt64 = 0
    public var sum: Double = 0
    public init() {}
    public mutating func add(_ v: Double) { count += 1; sum += v }
    public mutating func merge(_ o: Tally) { count += o.count; sum += o.sum }
    public var mean: Double { count == 0 ? 0 : sum / Double(count) }
}
