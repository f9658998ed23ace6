/// Every document a file names, each distinct matching key (`DocumentName.key`) numbered
/// once, so that the rules compare documents as integers.
///
/// Keys are normalised into one byte buffer and interned in an open-addressing table: no
/// `String` is made per mention, and `key(_:)` makes one only when a message needs it.
public struct DocumentTable: Sendable {
    /// The documents each step requires, in written order.
    public let requires: Adjacency<Int>
    /// The documents each step produces, in written order.
    public let produces: Adjacency<Int>
    /// The documents of `inputs:` and `outputs:`, in written order.
    public let inputs: [Int]
    public let outputs: [Int]
    /// The number of distinct keys; documents are `0..<count`.
    public var count: Int { keyOffsets.count - 1 }

    let keyBytes: [UInt8]
    let keyOffsets: [Int]

    /// The matching key of a document (as `DocumentName.key` gives it).
    public func key(_ document: Int) -> String {
        String(decoding: keyBytes[keyOffsets[document]..<keyOffsets[document + 1]], as: UTF8.self)
    }

    public init(_ file: SOPFile) {
        var interner = Interner()
        inputs = file.inputs.map { interner.intern($0.value) }
        var requires = Adjacency<Int>(reservingNodes: file.steps.count, items: file.steps.count)
        var produces = Adjacency<Int>(reservingNodes: file.steps.count, items: file.steps.count)
        for step in file.steps {
            for doc in step.requires { requires.append(interner.intern(doc.value)) }
            requires.endNode()
            for doc in step.produces { produces.append(interner.intern(doc.value)) }
            produces.endNode()
        }
        outputs = file.outputs.map { interner.intern($0.value) }
        self.requires = requires
        self.produces = produces
        keyBytes = interner.bytes
        keyOffsets = interner.offsets
    }

    /// Normalises names into `scratch` and numbers each distinct key.
    struct Interner {
        var bytes: [UInt8] = []
        var offsets: [Int] = [0]
        var hashes: [UInt64] = []
        /// Open addressing, linear probing; -1 is an empty slot. Never more than half full.
        var slots = [Int](repeating: -1, count: 256)
        /// The key being looked up: `scratch[0..<length]` (a key is never longer than its name).
        var scratch: [UInt8] = []

        mutating func intern(_ name: String) -> Int {
            var name = name
            let length = name.withUTF8 { utf8 -> Int in
                if scratch.count < utf8.count { scratch = [UInt8](repeating: 0, count: max(64, utf8.count * 2)) }
                return scratch.withUnsafeMutableBufferPointer { out -> Int in
                    var n = 0
                    var space = false
                    for var c in utf8 {
                        if c >= 0x80 { return -1 }
                        if c >= 0x41 && c <= 0x5A { c += 0x20 }
                        if (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) {
                            if space, n > 0 { out[n] = 0x20; n += 1 }
                            out[n] = c
                            n += 1
                            space = false
                        } else {
                            space = true
                        }
                    }
                    return n
                }
            }
            if length < 0 { return intern(unicodeKey: DocumentName.unicodeKey(name)) }
            return scratch.withUnsafeBufferPointer { lookUpOrAdd(UnsafeBufferPointer(rebasing: $0[0..<length])) }
        }

        mutating func intern(unicodeKey key: String) -> Int {
            var key = key
            return key.withUTF8 { lookUpOrAdd($0) }
        }

        mutating func lookUpOrAdd(_ key: UnsafeBufferPointer<UInt8>) -> Int {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 // FNV-1a
            for b in key { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let id = slots[slot]
                if id < 0 { break }
                if hashes[id] == hash, equal(id, key) { return id }
                slot = (slot + 1) & mask
            }
            let id = hashes.count
            hashes.append(hash)
            bytes.append(contentsOf: key)
            offsets.append(bytes.count)
            slots[slot] = id
            if hashes.count * 2 > slots.count { grow() }
            return id
        }

        func equal(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
            let start = offsets[id], end = offsets[id + 1]
            guard end - start == key.count else { return false }
            return bytes.withUnsafeBufferPointer { stored in
                for i in 0..<key.count where stored[start + i] != key[i] { return false }
                return true
            }
        }

        mutating func grow() {
            slots = [Int](repeating: -1, count: slots.count * 2)
            let mask = slots.count - 1
            for (id, hash) in hashes.enumerated() {
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = id
            }
        }
    }
}
