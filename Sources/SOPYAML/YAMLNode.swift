import SOPDiagnostics

/// How a scalar was written. Quoted scalars are always text; only plain scalars may be
/// read as numbers or booleans by the language layer.
public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// One node of a YAML document with the exact place it was written.
///
/// Positions are 1-based (converted once from libyaml's 0-based marks in `YAMLReader`).
/// `end` is the position just after the node.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable, Hashable { case scalar, mapping, sequence }

    public var kind: Kind
    /// The text of a scalar; empty for collections.
    public var scalar: String
    public var style: ScalarStyle
    /// Sequence items, or mapping keys and values interleaved (`k0, v0, k1, v1, …`), in
    /// written order.
    public var children: [YAMLNode]
    public var start: SourceLocation
    public var end: SourceLocation

    public init(kind: Kind, scalar: String = "", style: ScalarStyle = .plain, children: [YAMLNode] = [],
                start: SourceLocation, end: SourceLocation) {
        self.kind = kind
        self.scalar = scalar
        self.style = style
        self.children = children
        self.start = start
        self.end = end
    }

    /// Number of mapping entries or sequence items.
    public var count: Int { kind == .mapping ? children.count / 2 : children.count }

    /// The mapping's entries in written order.
    public var pairs: [(key: YAMLNode, value: YAMLNode)] {
        guard kind == .mapping else { return [] }
        return stride(from: 0, to: children.count - 1, by: 2).map { (children[$0], children[$0 + 1]) }
    }

    /// True for a plain scalar that YAML reads as null (`~`, `null`, or nothing at all).
    public var isNull: Bool {
        kind == .scalar && style == .plain && (scalar.isEmpty || scalar == "~" || scalar == "null" || scalar == "Null" || scalar == "NULL")
    }

    /// The node's range in a file.
    public func range(in file: String) -> SourceRange {
        SourceRange(file: file, start: start, end: end)
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
