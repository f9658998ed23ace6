#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Byte strings numbered in the order they were first added (`0, 1, 2, …`): keys in one
/// buffer, an open-addressing table of their numbers. The check's tables (step ids, actor
/// keys, document keys, duration texts) use it so that no `String` is made per mention.
///
/// Bytes are compared as bytes: callers add ASCII text, or text already normalised, where
/// that is what `String` equality means.
struct ByteTable {
    private(set) var bytes: [UInt8] = []
    /// `offsets[id]..<offsets[id + 1]` is key `id` in `bytes`.
    private(set) var offsets: [Int] = [0]
    /// Linear probing. A slot is 0 when empty, else the key's hash (low 32 bits) above its
    /// number + 1: a probe compares hashes without touching the keys, in one cache line.
    private var slots: [UInt64]

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [UInt64](repeating: 0, count: size)
        offsets.reserveCapacity(capacity + 1)
    }

    /// The number of keys.
    var count: Int { offsets.count - 1 }

    /// Key `id`'s bytes.
    func key(_ id: Int) -> ArraySlice<UInt8> { bytes[offsets[id]..<offsets[id + 1]] }

    /// Key `id` as a `String`.
    func string(_ id: Int) -> String { String(decoding: key(id), as: UTF8.self) }

    /// The number of `key`, or nil when it was never added.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = UInt32(truncatingIfNeeded: Self.hash(key))
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if equal(id, key) { return id }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The number of `key`, adding it when it is new.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int, inserted: Bool) {
        let hash = UInt32(truncatingIfNeeded: Self.hash(key))
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if equal(id, key) { return (id, false) }
            }
            slot = (slot + 1) & mask
        }
        let id = count
        bytes.append(contentsOf: key)
        offsets.append(bytes.count)
        slots[slot] = UInt64(hash) << 32 | UInt64(id + 1)
        if count * 2 > slots.count { grow() }
        return (id, true)
    }

    /// A multiply-mix hash, eight bytes at a time (keys are short: ids, document names).
    @inline(__always) static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let raw = UnsafeRawBufferPointer(key)
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        var i = 0
        while i + 8 <= raw.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < raw.count {
            tail |= UInt64(raw[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    private func equal(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[id], end = offsets[id + 1]
        guard end - start == key.count else { return false }
        guard key.count > 0 else { return true }
        return bytes.withUnsafeBufferPointer { stored in
            memcmp(stored.baseAddress! + start, key.baseAddress!, key.count) == 0
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for entry in old where entry != 0 {
            var slot = Int(truncatingIfNeeded: entry >> 32) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}

/// Texts of the file numbered as `String` equality numbers them: ASCII texts by their bytes
/// in a `ByteTable`, any other text through a `String` (rare: ids are ASCII by rule, and a
/// non-ASCII text can equal an ASCII one under canonical equivalence, e.g. the Kelvin sign).
struct TextTable {
    private var ascii = ByteTable()
    /// Non-ASCII keys, and every key once one is non-ASCII, as `String`s.
    private var others: [String: Int] = [:]
    private var hasNonASCII = false
    private(set) var count = 0
    /// Each key's number in `ascii` (or -1), so that the dictionary can be filled late.
    private var asciiIDs: [Int] = []

    init(capacity: Int = 64) {
        ascii = ByteTable(capacity: capacity)
    }

    /// The number of `ref`'s text, or nil.
    func find(_ ref: TextRef, in file: SOPFile) -> Int? {
        if hasNonASCII || !file.isASCII(ref) {
            return others[file.text(ref)]
        }
        return file.withBytes(ref) { ascii.find($0).map { asciiIDs[$0] } }
    }

    /// The number of `ref`'s text, adding it when new.
    mutating func insert(_ ref: TextRef, in file: SOPFile) -> (id: Int, inserted: Bool) {
        if !hasNonASCII && file.isASCII(ref) {
            let (a, inserted) = file.withBytes(ref) { ascii.insert($0) }
            if inserted { asciiIDs.append(count); count += 1 }
            return (asciiIDs[a], inserted)
        }
        if !hasNonASCII {
            // From now on every lookup goes through `String`s: move the ASCII keys over.
            hasNonASCII = true
            for a in 0..<ascii.count { others[ascii.string(a)] = asciiIDs[a] }
        }
        let text = file.text(ref)
        if let id = others[text] { return (id, false) }
        others[text] = count
        count += 1
        return (count - 1, true)
    }
}
