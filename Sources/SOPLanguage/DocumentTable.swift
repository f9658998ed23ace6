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
        var scratch: [UInt8] = []

        mutating func intern(_ name: String) -> Int {
            var name = name
            scratch.removeAll(keepingCapacity: true)
            let ascii = name.withUTF8 { utf8 -> Bool in
                guard utf8.allSatisfy({ $0 < 0x80 }) else { return false }
                DocumentName.appendASCIIKey(utf8, to: &scratch)
                return true
            }
            if !ascii { scratch.append(contentsOf: DocumentName.unicodeKey(name).utf8) }
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 // FNV-1a
            for b in scratch { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let id = slots[slot]
                if id < 0 { break }
                if hashes[id] == hash, equal(id) { return id }
                slot = (slot + 1) & mask
            }
            let id = hashes.count
            hashes.append(hash)
            bytes.append(contentsOf: scratch)
            offsets.append(bytes.count)
            slots[slot] = id
            if hashes.count * 2 > slots.count { grow() }
            return id
        }

        func equal(_ id: Int) -> Bool {
            let start = offsets[id], end = offsets[id + 1]
            guard end - start == scratch.count else { return false }
            var i = 0
            while i < scratch.count {
                if bytes[start + i] != scratch[i] { return false }
                i += 1
            }
            return true
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
