import Foundation

/// xoshiro256** seeded through SplitMix64: fast, 256 bits of state, the same stream on every
/// machine. Each run (a chunk of independent cases, or the one queueing run) has its own
/// stream derived from the seed and the run's number, so results do not depend on the
/// number of cores.
public struct SimRandom: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64, stream: UInt64 = 0) {
        var x = seed &+ 0x9E37_79B9_7F4A_7C15 &* (stream &+ 1)
        func next() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = next(); s1 = next(); s2 = next(); s3 = next()
    }

    @inline(__always) public mutating func nextUInt64() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always) public mutating func uniform() -> Double {
        Double(nextUInt64() >> 11) * 0x1.0p-53
    }

    /// Uniform in (0, 1]: safe under a logarithm.
    @inline(__always) public mutating func open() -> Double {
        Double((nextUInt64() >> 11) + 1) * 0x1.0p-53
    }

    @inline(__always) public mutating func exponential(mean: Double) -> Double {
        -mean * Foundation.log(open())
    }

    /// Standard normal (Box–Muller, one of the pair).
    public mutating func normal() -> Double {
        let u = open(), v = uniform()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}

/// A distribution of an amount (seconds once compiled).
public enum Distribution: Hashable, Sendable {
    case fixed(Double)
    case uniform(min: Double, max: Double)
    case triangular(min: Double, mode: Double, max: Double)
    case exponential(mean: Double)
    /// Normal, redrawn below zero.
    case normal(mean: Double, sd: Double)
    /// Log-normal with the given mean and standard deviation of the amount itself.
    case lognormal(mean: Double, sd: Double)

    public var mean: Double {
        switch self {
        case let .fixed(v): return v
        case let .uniform(a, b): return (a + b) / 2
        case let .triangular(a, m, b): return (a + m + b) / 3
        case let .exponential(m): return m
        case let .normal(m, _): return m
        case let .lognormal(m, _): return m
        }
    }

    /// The same distribution with every amount multiplied by `k`.
    public func scaled(_ k: Double) -> Distribution {
        switch self {
        case let .fixed(v): return .fixed(v * k)
        case let .uniform(a, b): return .uniform(min: a * k, max: b * k)
        case let .triangular(a, m, b): return .triangular(min: a * k, mode: m * k, max: b * k)
        case let .exponential(m): return .exponential(mean: m * k)
        case let .normal(m, s): return .normal(mean: m * k, sd: s * k)
        case let .lognormal(m, s): return .lognormal(mean: m * k, sd: s * k)
        }
    }

    @inline(__always) public func sample(_ r: inout SimRandom) -> Double {
        switch self {
        case let .fixed(v): return v
        case let .uniform(a, b): return a + (b - a) * r.uniform()
        case let .triangular(a, m, b):
            guard b > a else { return a }
            let u = r.uniform(), f = (m - a) / (b - a)
            return u < f ? a + ((b - a) * (m - a) * u).squareRoot() : b - ((b - a) * (b - m) * (1 - u)).squareRoot()
        case let .exponential(m): return r.exponential(mean: m)
        case let .normal(m, s):
            for _ in 0..<64 {
                let x = m + s * r.normal()
                if x >= 0 { return x }
            }
            return 0
        case let .lognormal(m, s):
            guard m > 0 else { return 0 }
            let sigma2 = Foundation.log(1 + (s * s) / (m * m))
            let mu = Foundation.log(m) - sigma2 / 2
            return Foundation.exp(mu + sigma2.squareRoot() * r.normal())
        }
    }
}
