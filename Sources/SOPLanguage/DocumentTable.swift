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
    public var count: Int { keys.count }
    /// For a printed requirement with `satisfied_by`: the document that satisfies it.
    public let satisfiedBy: [Int: Int]
    /// The satisfying document of each requirement written with `satisfied_by`, by its
    /// position in `SOPFile.mentions`.
    public let satisfiedByAt: [Int32: Int]

    /// The document that must be available for a requirement: the one that satisfies it
    /// when the file says so, else the document itself.
    @inline(__always) public func effective(_ document: Int) -> Int {
        satisfiedBy.isEmpty ? document : satisfiedBy[document] ?? document
    }

    let keys: ByteTable

    /// The matching key of a document (as `DocumentName.key` gives it).
    public func key(_ document: Int) -> String { keys.string(document) }

    public init(_ file: SOPFile) {
        var interner = Interner(keys: ByteTable(capacity: 2 * file.steps.count + 16))
        inputs = file.inputs.map { interner.intern($0.value) }
        var requires = Adjacency<Int>(reservingNodes: file.steps.count, items: file.steps.count)
        var produces = Adjacency<Int>(reservingNodes: file.steps.count, items: file.steps.count)
        var satisfiedBy: [Int: Int] = [:]
        var satisfiedByAt: [Int32: Int] = [:]
        for step in file.steps {
            for (position, doc) in zip(step.requires, file.requires(step)) {
                let d = file.withBytes(doc) { interner.intern($0) }
                requires.append(d)
                // The satisfying document is numbered right after the printed one, as
                // lowering names documents in this order.
                if let by = file.satisfiedBy[position] {
                    let alias = file.withBytes(by) { interner.intern($0) }
                    satisfiedBy[d] = alias
                    satisfiedByAt[position] = alias
                }
            }
            requires.endNode()
            for doc in file.produces(step) { produces.append(file.withBytes(doc) { interner.intern($0) }) }
            produces.endNode()
        }
        outputs = file.outputs.map { interner.intern($0.value) }
        self.requires = requires
        self.produces = produces
        self.satisfiedBy = satisfiedBy
        self.satisfiedByAt = satisfiedByAt
        keys = interner.keys
    }

    /// Normalises names into `scratch` and numbers each distinct key.
    struct Interner {
        var keys: ByteTable
        /// The key being looked up: `scratch[0..<length]` (a key is never longer than its name).
        var scratch: [UInt8] = []

        mutating func intern(_ name: String) -> Int {
            var name = name
            return name.withUTF8 { intern($0) }
        }

        /// The number of a name given as UTF-8 bytes.
        mutating func intern(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
            if scratch.count < utf8.count { scratch = [UInt8](repeating: 0, count: max(64, utf8.count * 2)) }
            let length = scratch.withUnsafeMutableBufferPointer { out -> Int in
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
            if length < 0 {
                var key = DocumentName.unicodeKey(String(decoding: utf8, as: UTF8.self))
                return key.withUTF8 { keys.insert($0).id }
            }
            return scratch.withUnsafeBufferPointer { keys.insert(UnsafeBufferPointer(rebasing: $0[0..<length])).id }
        }
    }
}
