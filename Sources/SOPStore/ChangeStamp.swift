import Foundation
import GRDB

/// A number that changes whenever anything is committed to one SQLite file — by this process
/// or another (`sop user disable` in a shell, a second server) — so that a reader may keep
/// what it read while the number stays the same: SQLite's `PRAGMA data_version`, read on a
/// connection of its own that never writes (the number counts the commits of every other
/// connection; comparing it is only meaningful on one connection).
///
/// A reader takes the stamp *before* it reads and keeps what it read under that stamp: a
/// commit between the two changes the stamp, so the kept result is never trusted past it.
public final class SQLiteChangeStamp: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private var queue: DatabaseQueue?

    public init(path: String) { self.path = path }

    /// The current stamp; nil when the file cannot be read this way (then keep nothing).
    public func current() -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        do {
            if queue == nil {
                var config = Configuration()
                config.readonly = true
                config.busyMode = .timeout(10)
                queue = try DatabaseQueue(path: path, configuration: config)
            }
            return try queue?.inDatabase { db in try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) }
        } catch {
            queue = nil
            return nil
        }
    }
}

/// What a reader keeps under a change stamp, by key: a hit only while the stamp is the one
/// it was read under. At most `limit` keys (all dropped when full).
public final class StampedCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [Key: (stamp: Int64, value: Value)] = [:]
    private let limit: Int

    public init(limit: Int = 1024) { self.limit = limit }

    /// The value kept for `key` under `stamp`, else `read()`'s, kept under `stamp` (nothing is
    /// kept when `stamp` is nil).
    public func value(_ key: Key, stamp: Int64?, read: () throws -> Value) rethrows -> Value {
        guard let stamp else { return try read() }
        if let hit = lock.withLock({ kept[key] }), hit.stamp == stamp { return hit.value }
        let value = try read()
        lock.withLock {
            if kept.count >= limit { kept.removeAll() }
            kept[key] = (stamp, value)
        }
        return value
    }
}
