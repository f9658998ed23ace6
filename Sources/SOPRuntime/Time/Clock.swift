import Foundation

/// Where "now" comes from. The engine never reads the system time itself.
public protocol Clock: AnyObject, Sendable {
    func now() -> Instant
}

/// The computer's clock.
public final class SystemClock: Clock {
    public init() {}
    public func now() -> Instant { Instant(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))) }
}

/// A clock that moves only when told: scenarios, tests, `sop case advance`.
public final class VirtualClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Instant

    public init(_ start: Instant) { current = start }

    public func now() -> Instant { lock.withLock { current } }

    /// Moves the clock forward; a clock never goes back, so an earlier time is ignored.
    public func advance(to instant: Instant) {
        lock.withLock { if instant > current { current = instant } }
    }

    public func advance(bySeconds seconds: Int64) {
        lock.withLock { current = current + max(0, seconds) }
    }
}
