import SOPDiagnostics

/// How a scalar was written. Quoted scalars are always text; only plain scalars may be
/// read as numbers or booleans by the language layer.
public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A whole YAML file as read by `YAMLReader`: every node in one flat array, every scalar's
/// text in one byte buffer, every collection's children in one index array.
///
/// Nothing is allocated per node, so building and freeing the tree costs a few large
/// arrays rather than one array and one string per node. Positions are stored as libyaml
/// gives them but already 1-based (converted once, in `YAMLReader`); byte offsets are
/// computed when asked, from the file's line table.
public final class YAMLDocument: @unchecked Sendable {
    /// One node; plain data, no references. 28 bytes: a large file has about one node per
    /// 15 bytes, so every field here costs pages to fill and to free.
    struct Node {
        /// A scalar's decoded text is `scalarBytes[start ..< start + count]`, or the file's
        /// bytes there when `inSource`; a collection's children are `children[start ..< start
        /// + count]` (a node is one or the other).
        var start: Int32
        var count: Int32
        /// 1-based lines and columns (columns in characters, as libyaml counts them). No byte
        /// offsets: libyaml gives a character index, and `LineTable` finds the byte from the
        /// line and column when a position is asked for.
        var startLine: Int32, startColumn: Int32
        var endLine: Int32, endColumn: Int32
        var kind: YAMLNode.Kind
        var style: ScalarStyle
        /// True when the scalar's text is ASCII (then byte equality is `String` equality).
        var isASCII: Bool
        /// True when the scalar's text is the file's own bytes (a plain scalar on one line is
        /// written as it reads), so it was not copied.
        var inSource: Bool
    }

    /// Immutable once read: `let`s, so reading them needs no exclusivity checks.
    let nodes: [Node]
    let scalarBytes: [UInt8]
    let children: [Int32]
    /// The file's bytes and lines, for byte offsets.
    let lines: LineTable
    /// What `YAMLReader.read(_:after:diagnostics:)` needs to read the file again after an
    /// edit: whether reading it reported nothing, whether it has anchors or aliases (a
    /// subtree may then appear twice), and where libyaml ended the stream (1-based line and
    /// column).
    let clean: Bool
    let usesAnchors: Bool
    let streamEnd: (line: Int32, column: Int32)

    init(nodes: [Node], scalarBytes: [UInt8], children: [Int32], lines: LineTable,
         clean: Bool, usesAnchors: Bool, streamEnd: (line: Int32, column: Int32)) {
        self.nodes = nodes
        self.scalarBytes = scalarBytes
        self.children = children
        self.lines = lines
        self.clean = clean
        self.usesAnchors = usesAnchors
        self.streamEnd = streamEnd
    }

    // MARK: Reading by node index
    //
    // The same reading API as `YAMLNode`, by index: a caller that walks many nodes (the
    // language's step parser) keeps one reference to the document instead of one per handle.

    @inline(__always) public func kind(_ i: Int32) -> YAMLNode.Kind { nodes[Int(i)].kind }
    @inline(__always) public func style(_ i: Int32) -> ScalarStyle { nodes[Int(i)].style }
    /// Number of children: sequence items, or mapping keys and values together.
    @inline(__always) public func childCount(_ i: Int32) -> Int {
        let n = nodes[Int(i)]
        return n.kind == .scalar ? 0 : Int(n.count)
    }

    /// Child `k` of node `i`: a sequence item, or for a mapping key `k / 2` (even `k`) or its value (odd `k`).
    @inline(__always) public func child(_ i: Int32, _ k: Int) -> Int32 {
        let n = nodes[Int(i)]
        precondition(n.kind != .scalar && k >= 0 && k < Int(n.count), "child index out of range")
        return children[Int(n.start) + k]
    }

    /// The handle of node `i`.
    public func node(_ i: Int32) -> YAMLNode { YAMLNode(self, i) }

    /// Calls `body` with node `i`'s scalar text (empty for collections): a slice of
    /// `scalarBytes` or, for a scalar taken as written, of the file.
    @inline(__always)
    func withText<R>(_ i: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let n = nodes[Int(i)]
        guard n.kind == .scalar else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        let r = Int(n.start)..<Int(n.start) + Int(n.count)
        if n.inSource {
            return try lines.bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
        }
        return try scalarBytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    /// Calls `body` with the UTF-8 bytes of node `i`'s scalar text (empty for collections).
    @inline(__always)
    public func withScalarBytes<R>(_ i: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withText(i, body)
    }

    /// The scalar text of node `i` as a `String` (empty for collections).
    public func string(_ i: Int32) -> String {
        withText(i) { $0.isEmpty ? "" : String(decoding: $0, as: UTF8.self) }
    }

    /// True when node `i`'s scalar text is ASCII (then byte equality is `String` equality).
    @inline(__always) public func isASCII(_ i: Int32) -> Bool { nodes[Int(i)].isASCII }

    /// Whether node `i`'s scalar text equals `text` as `String`s compare (bytes when both
    /// are ASCII; canonical equivalence otherwise).
    public func scalar(_ i: Int32, equals text: String) -> Bool {
        let n = nodes[Int(i)]
        let utf8 = text.utf8
        if n.isASCII, utf8.allSatisfy({ $0 < 0x80 }) {
            return withText(i) { bytes in
                guard utf8.count == bytes.count else { return false }
                var k = 0
                for c in utf8 {
                    if bytes[k] != c { return false }
                    k += 1
                }
                return true
            }
        }
        return string(i) == text
    }

    /// True when node `i`'s scalar text is exactly `text` (an ASCII literal such as a key name).
    @inline(__always)
    public func scalar(_ i: Int32, equals text: StaticString) -> Bool {
        let n = nodes[Int(i)]
        let count = text.utf8CodeUnitCount
        guard n.isASCII, text.isASCII else { return string(i) == text.description }
        return withText(i) { bytes in
            guard bytes.count == count else { return false }
            let q = text.utf8Start
            for k in 0..<count where bytes[k] != q[k] { return false }
            return true
        }
    }

    /// True for a plain scalar that YAML reads as null (`~`, `null`, or nothing at all).
    public func isNull(_ i: Int32) -> Bool {
        let n = nodes[Int(i)]
        guard n.kind == .scalar, n.style == .plain else { return false }
        return withScalarBytes(i) { b in
            switch b.count {
            case 0: return true
            case 1: return b[0] == UInt8(ascii: "~")
            case 4: return (b[0] == UInt8(ascii: "n") && b[1] == UInt8(ascii: "u") && b[2] == UInt8(ascii: "l") && b[3] == UInt8(ascii: "l"))
                || (b[0] == UInt8(ascii: "N") && ((b[1] == UInt8(ascii: "u") && b[2] == UInt8(ascii: "l") && b[3] == UInt8(ascii: "l"))
                    || (b[1] == UInt8(ascii: "U") && b[2] == UInt8(ascii: "L") && b[3] == UInt8(ascii: "L"))))
            default: return false
            }
        }
    }

    /// Where node `i` starts (1-based line and column, 0-based byte offset).
    public func start(_ i: Int32) -> SourceLocation {
        let n = nodes[Int(i)]
        return lines.location(line: n.startLine, column: n.startColumn)
    }

    /// The position just after node `i`.
    public func end(_ i: Int32) -> SourceLocation {
        let n = nodes[Int(i)]
        return lines.location(line: n.endLine, column: n.endColumn)
    }

    /// Node `i`'s range in a file.
    public func range(_ i: Int32, in file: String) -> SourceRange {
        SourceRange(file: file, start: start(i), end: end(i))
    }
}

/// One node of a YAML document with the exact place it was written: a handle into its
/// `YAMLDocument` (which it keeps alive).
///
/// Positions are 1-based (converted once from libyaml's 0-based marks in `YAMLReader`).
/// `end` is the position just after the node.
public struct YAMLNode: @unchecked Sendable {
    public enum Kind: Sendable, Hashable { case scalar, mapping, sequence }

    public let document: YAMLDocument
    /// The node's index in `document`, for the index-based reading API.
    public let index: Int32

    init(_ document: YAMLDocument, _ index: Int32) {
        self.document = document
        self.index = index
    }

    public var kind: Kind { document.kind(index) }
    public var style: ScalarStyle { document.style(index) }

    /// The text of a scalar; empty for collections.
    public var scalar: String { document.string(index) }

    /// Calls `body` with the UTF-8 bytes of a scalar's text (empty for collections).
    @inline(__always)
    public func withScalarBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try document.withScalarBytes(index, body)
    }

    /// True when the scalar's text is exactly `text`, compared as `String`s compare.
    public func scalarEquals(_ text: String) -> Bool { document.scalar(index, equals: text) }

    /// True when the scalar's text is exactly `text` (an ASCII literal such as a key name).
    public func scalarEquals(_ text: StaticString) -> Bool { document.scalar(index, equals: text) }

    /// Number of children: sequence items, or mapping keys and values together.
    public var childCount: Int { document.childCount(index) }

    /// Child `i`: a sequence item, or for a mapping key `i / 2` (even `i`) or its value (odd `i`).
    public func child(_ i: Int) -> YAMLNode { YAMLNode(document, document.child(index, i)) }

    /// Sequence items, or mapping keys and values interleaved (`k0, v0, k1, v1, …`), in
    /// written order.
    public var children: [YAMLNode] {
        (0..<childCount).map(child)
    }

    public var start: SourceLocation { document.start(index) }
    public var end: SourceLocation { document.end(index) }

    /// Number of mapping entries or sequence items.
    public var count: Int { kind == .mapping ? childCount / 2 : childCount }

    /// The mapping's entries in written order.
    public var pairs: [(key: YAMLNode, value: YAMLNode)] {
        guard kind == .mapping else { return [] }
        return stride(from: 0, to: childCount - 1, by: 2).map { (child($0), child($0 + 1)) }
    }

    /// True for a plain scalar that YAML reads as null (`~`, `null`, or nothing at all).
    public var isNull: Bool { document.isNull(index) }

    /// The node's range in a file.
    public func range(in file: String) -> SourceRange { document.range(index, in: file) }

    /// A short English and Indonesian name of the node's type, for messages.
    public var typeName: Message {
        switch kind {
        case .mapping: return Message(en: "a mapping", id: "sebuah pemetaan (mapping)")
        case .sequence: return Message(en: "a list", id: "sebuah daftar")
        case .scalar: return isNull ? Message(en: "nothing (null)", id: "kosong (null)") : Message(en: "a text", id: "sebuah teks")
        }
    }
}
