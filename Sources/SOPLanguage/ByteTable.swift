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
    private var hashes: [UInt64] = []
    /// Linear probing; -1 is an empty slot. Never more than half full.
    private var slots: [Int]

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Int](repeating: -1, count: size)
    }

    /// The number of keys.
    var count: Int { hashes.count }

    /// Key `id`'s bytes.
    func key(_ id: Int) -> ArraySlice<UInt8> { bytes[offsets[id]..<offsets[id + 1]] }

    /// Key `id` as a `String`.
    func string(_ id: Int) -> String { String(decoding: key(id), as: UTF8.self) }

    /// The number of `key`, or nil when it was never added.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if hashes[id] == hash, equal(id, key) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// The number of `key`, adding it when it is new.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int, inserted: Bool) {
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[id] == hash, equal(id, key) { return (id, false) }
            slot = (slot + 1) & mask
        }
        let id = hashes.count
        hashes.append(hash)
        bytes.append(contentsOf: key)
        offsets.append(bytes.count)
        slots[slot] = id
        if hashes.count * 2 > slots.count { grow() }
        return (id, true)
    }

    @inline(__always) static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 // FNV-1a
        for b in key { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return hash
    }

    private func equal(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[id], end = offsets[id + 1]
        guard end - start == key.count else { return false }
        return bytes.withUnsafeBufferPointer { stored in
            for i in 0..<key.count where stored[start + i] != key[i] { return false }
            return true
        }
    }

    private mutating func grow() {
        slots = [Int](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = id
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
