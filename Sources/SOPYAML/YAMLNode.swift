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
/// gives them but already 1-based (converted once, in `YAMLReader`).
public final class YAMLDocument: @unchecked Sendable {
    /// One node; plain data, no references.
    struct Node {
        var kind: YAMLNode.Kind
        var style: ScalarStyle
        /// True when the scalar's text is ASCII (then byte equality is `String` equality).
        var isASCII: Bool
        /// The scalar's decoded text: `scalarBytes[scalarStart ..< scalarStart + scalarCount]`.
        var scalarStart: Int32
        var scalarCount: Int32
        /// The children: `children[childStart ..< childStart + childCount]`.
        var childStart: Int32
        var childCount: Int32
        var startLine: Int32, startColumn: Int32, startOffset: Int32
        var endLine: Int32, endColumn: Int32, endOffset: Int32
    }

    /// Immutable once read: `let`s, so reading them needs no exclusivity checks.
    let nodes: [Node]
    let scalarBytes: [UInt8]
    let children: [Int32]

    init(nodes: [Node], scalarBytes: [UInt8], children: [Int32]) {
        self.nodes = nodes
        self.scalarBytes = scalarBytes
        self.children = children
    }

    /// The scalar text of node `i` as a `String`.
    func scalarString(_ i: Int32) -> String {
        let n = nodes[Int(i)]
        guard n.scalarCount > 0 else { return "" }
        return scalarBytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(n.scalarStart)..<Int(n.scalarStart + n.scalarCount)]), as: UTF8.self)
        }
    }

    /// Whether node `i`'s scalar text equals `text` as `String`s compare (bytes when both
    /// are ASCII; canonical equivalence otherwise).
    func scalar(_ i: Int32, equals text: String) -> Bool {
        let n = nodes[Int(i)]
        let utf8 = text.utf8
        if n.isASCII, utf8.allSatisfy({ $0 < 0x80 }) {
            guard utf8.count == Int(n.scalarCount) else { return false }
            return scalarBytes.withUnsafeBufferPointer { bytes in
                var k = Int(n.scalarStart)
                for c in utf8 {
                    if bytes[k] != c { return false }
                    k += 1
                }
                return true
            }
        }
        return scalarString(i) == text
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
    let index: Int32

    init(_ document: YAMLDocument, _ index: Int32) {
        self.document = document
        self.index = index
    }

    var node: YAMLDocument.Node {
        @inline(__always) get { document.nodes[Int(index)] }
    }

    public var kind: Kind { node.kind }
    public var style: ScalarStyle { node.style }

    /// The text of a scalar; empty for collections.
    public var scalar: String { document.scalarString(index) }

    /// Calls `body` with the UTF-8 bytes of a scalar's text (empty for collections).
    @inline(__always)
    public func withScalarBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let n = node
        return try document.scalarBytes.withUnsafeBufferPointer {
            try body(UnsafeBufferPointer(rebasing: $0[Int(n.scalarStart)..<Int(n.scalarStart + n.scalarCount)]))
        }
    }

    /// True when the scalar's text is exactly `text`, compared as `String`s compare.
    public func scalarEquals(_ text: String) -> Bool { document.scalar(index, equals: text) }

    /// True when the scalar's text is exactly `text` (an ASCII literal such as a key name).
    public func scalarEquals(_ text: StaticString) -> Bool {
        let n = node
        let count = text.utf8CodeUnitCount
        guard n.isASCII, text.isASCII else { return scalar == text.description }
        guard Int(n.scalarCount) == count else { return false }
        return document.scalarBytes.withUnsafeBufferPointer { bytes in
            let p = bytes.baseAddress! + Int(n.scalarStart), q = text.utf8Start
            for i in 0..<count where p[i] != q[i] { return false }
            return true
        }
    }

    /// Number of children: sequence items, or mapping keys and values together.
    public var childCount: Int { Int(node.childCount) }

    /// Child `i`: a sequence item, or for a mapping key `i / 2` (even `i`) or its value (odd `i`).
    public func child(_ i: Int) -> YAMLNode {
        let n = node
        precondition(i >= 0 && i < Int(n.childCount), "child index out of range")
        return YAMLNode(document, document.children[Int(n.childStart) + i])
    }

    /// Sequence items, or mapping keys and values interleaved (`k0, v0, k1, v1, …`), in
    /// written order.
    public var children: [YAMLNode] {
        (0..<childCount).map(child)
    }

    public var start: SourceLocation {
        let n = node
        return SourceLocation(line: Int(n.startLine), column: Int(n.startColumn), offset: Int(n.startOffset))
    }

    public var end: SourceLocation {
        let n = node
        return SourceLocation(line: Int(n.endLine), column: Int(n.endColumn), offset: Int(n.endOffset))
    }

    /// Number of mapping entries or sequence items.
    public var count: Int { kind == .mapping ? childCount / 2 : childCount }

    /// The mapping's entries in written order.
    public var pairs: [(key: YAMLNode, value: YAMLNode)] {
        guard kind == .mapping else { return [] }
        return stride(from: 0, to: childCount - 1, by: 2).map { (child($0), child($0 + 1)) }
    }

    /// True for a plain scalar that YAML reads as null (`~`, `null`, or nothing at all).
    public var isNull: Bool {
        let n = node
        guard n.kind == .scalar, n.style == .plain else { return false }
        return withScalarBytes { b in
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

    /// The node's range in a file.
    public func range(in file: String) -> SourceRange {
        let n = node
        return SourceRange(file: file,
                           start: SourceLocation(line: Int(n.startLine), column: Int(n.startColumn), offset: Int(n.startOffset)),
                           end: SourceLocation(line: Int(n.endLine), column: Int(n.endColumn), offset: Int(n.endOffset)))
    }

    /// A short English and Indonesian name of the node's type, for messages.
    public var typeName: Message {
        switch kind {
        case .mapping: return Message(en: "a mapping", id: "sebuah pemetaan (mapping)")
        case .sequence: return Message(en: "a list", id: "sebuah daftar")
        case .scalar: return isNull ? Message(en: "nothing (null)", id: "kosong (null)") : Message(en: "a text", id: "sebuah teks")
        }
    }
}
