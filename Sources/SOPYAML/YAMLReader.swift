import CYAML
import SOPDiagnostics

/// Reads one YAML file into a located tree, on libyaml's event API.
///
/// This is the only place where libyaml's 0-based marks become our 1-based
/// `SourceLocation`s. It refuses what YAML allows but a policy file must not: duplicate
/// keys, alias expansion beyond a bound, absurd depth or size, invalid UTF-8, several
/// documents, an empty file, a root that is not a mapping. It never throws and never
/// stops the process: every problem becomes a diagnostic and the result is nil.
public struct YAMLReader: Sendable {
    /// Bounds that keep a hostile or broken file from costing unbounded time or memory.
    public struct Limits: Sendable {
        public var maxBytes: Int = 64 << 20
        public var maxDepth: Int = 64
        public var maxAliasNodes: Int = 10_000
        public init() {}
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// The root mapping of the file, or nil after reporting why there is none.
    public func read(_ file: SourceFile, diagnostics: DiagnosticSink) -> YAMLNode? {
        let path = file.path
        if file.bytes.count > limits.maxBytes {
            diagnostics.emit(ReaderMessage.tooLarge(bytes: file.bytes.count, limit: limits.maxBytes).diagnostic(at: nil))
            return nil
        }
        let scan = Self.scan(file.bytes)
        if let bad = scan.firstInvalid {
            let loc = file.location(ofOffset: bad)
            diagnostics.emit(ReaderMessage.invalidUTF8.diagnostic(at: SourceRange(file: path, start: loc, end: loc)))
            return nil
        }
        let lines = LineTable(file, plainBreaks: scan.plainBreaks, isASCII: scan.isASCII)
        let reported = diagnostics.diagnostics.count
        var builder = TreeBuilder(path: path, limits: limits, file: file, lines: lines, diagnostics: diagnostics)
        let ok: Bool = file.bytes.withUnsafeBufferPointer { buffer in
            builder.run(buffer)
        }
        guard ok else { return nil }
        let document = builder.document(clean: diagnostics.diagnostics.count == reported)
        guard let root = builder.root.map({ YAMLNode(document, $0) }) else {
            let loc = SourceLocation(line: 1, column: 1, offset: 0)
            diagnostics.emit(ReaderMessage.emptyFile.diagnostic(at: SourceRange(file: path, start: loc, end: loc)))
            return nil
        }
        if root.kind == .scalar && root.isNull {
            diagnostics.emit(ReaderMessage.emptyFile.diagnostic(at: root.range(in: path)))
            return nil
        }
        guard root.kind == .mapping else {
            diagnostics.emit(ReaderMessage.rootNotMapping(root.typeName).diagnostic(at: root.range(in: path)))
            return nil
        }
        return root
    }

    /// The byte offset of the first invalid UTF-8 sequence, or nil when the text is valid.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? { scan(bytes).firstInvalid }

    /// One pass over the bytes before parsing: the byte offset of the first invalid UTF-8
    /// sequence (nil when the text is valid), whether the file's lines are its `\n` lines
    /// as libyaml counts them (no byte order mark, no lone `\r`, NEL, LS or PS; see
    /// `LineTable`), and whether it is all ASCII.
    static func scan(_ bytes: [UInt8]) -> (firstInvalid: Int?, plainBreaks: Bool, isASCII: Bool) {
        bytes.withUnsafeBytes { raw -> (Int?, Bool, Bool) in
            var i = 0
            let n = raw.count
            var plain = !(n >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF)
            var ascii = true
            while i < n {
                let b = raw[i]
                if b < 0x80 {
                    // ASCII runs without `\r` eight bytes at a time (`\r` has to be looked at).
                    if i + 8 <= n {
                        let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        let cr = w ^ 0x0D0D_0D0D_0D0D_0D0D
                        if w & 0x8080_8080_8080_8080 == 0, (cr &- 0x0101_0101_0101_0101) & ~cr & 0x8080_8080_8080_8080 == 0 {
                            i += 8
                            continue
                        }
                    }
                    if b == 0x0D, i + 1 >= n || raw[i + 1] != 0x0A { plain = false }
                    i += 1
                    continue
                }
                ascii = false
                let need: Int
                if b & 0xE0 == 0xC0, b >= 0xC2 { need = 1 }
                else if b & 0xF0 == 0xE0 { need = 2 }
                else if b & 0xF8 == 0xF0, b <= 0xF4 { need = 3 }
                else { return (i, plain, false) }
                for k in 1...need where i + k >= n || raw[i + k] & 0xC0 != 0x80 { return (i, plain, false) }
                if need == 1 {
                    if b == 0xC2, raw[i + 1] == 0x85 { plain = false }        // NEL
                } else if need == 2 {
                    let c = raw[i + 1]
                    if (b == 0xE0 && c < 0xA0) || (b == 0xED && c >= 0xA0) { return (i, plain, false) }
                    if b == 0xE2, c == 0x80, raw[i + 2] == 0xA8 || raw[i + 2] == 0xA9 { plain = false }   // LS, PS
                } else if need == 3 {
                    let c = raw[i + 1]
                    if (b == 0xF0 && c < 0x90) || (b == 0xF4 && c >= 0x90) { return (i, plain, false) }
                }
                i += need + 1
            }
            return (nil, plain, ascii)
        }
    }

    /// A bare libyaml event parse of the bytes, building nothing: the baseline the
    /// compile benchmark compares with. Returns the number of events, or -1 on a syntax error.
    public static func countEvents(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer -> Int in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return -1 }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            var count = 0
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return -1 }
                let type = event.type
                yaml_event_delete(&event)
                count += 1
                if type == YAML_STREAM_END_EVENT { return count }
            }
        }
    }
}

/// Turns libyaml events into a `YAMLDocument` with a stack of open collections.
struct TreeBuilder {
    let path: String
    let limits: YAMLReader.Limits
    let file: SourceFile
    let lines: LineTable
    let diagnostics: DiagnosticSink
    /// The document being built (moved into a `YAMLDocument` at the end).
    var nodes: [YAMLDocument.Node] = []
    var scalarBytes: [UInt8] = []
    var children: [Int32] = []
    var root: Int32?
    /// An open collection: its node, where its children start in `pending`, and whether it
    /// is a mapping (whose keys must be scalars).
    struct Open {
        var node: Int32
        var firstChild: Int32
        var isMapping: Bool
    }
    /// The open collections, innermost last.
    var stack: [Open] = []
    /// The anchors of open collections, innermost last (rare: kept apart so that `stack`
    /// holds no references).
    var openAnchors: [(node: Int32, name: String)] = []
    /// Children of the open collections, in order; moved to `document.children` when a
    /// collection ends.
    var pending: [Int32] = []
    var anchors: [String: (node: Int32, size: Int)] = [:]
    /// A place in the file as libyaml's character index and as a byte offset, moved forward
    /// to each plain scalar (see `byteOffset`).
    var cursorCharacter = 0, cursorByte = 0
    var aliasNodes = 0
    var documents = 0
    /// Whether an anchor or an alias was read, and the stream's end (1-based).
    var sawAnchor = false
    var streamEnd: (line: Int32, column: Int32) = (1, 1)

    init(path: String, limits: YAMLReader.Limits, file: SourceFile, lines: LineTable, diagnostics: DiagnosticSink) {
        self.path = path
        self.limits = limits
        self.file = file
        self.lines = lines
        self.diagnostics = diagnostics
        // Sized for dense files so that the arrays never grow (growing copies them, and the
        // copy touches twice the pages): the generated benchmark has a node (and a child) per
        // 15 bytes, the real SOPs one per 27 to 60; decoded scalar text is 0.8 to 0.9 of the
        // file. Capacity that is never written costs no memory, only address space.
        nodes.reserveCapacity(file.bytes.count / 8 + 16)
        children.reserveCapacity(file.bytes.count / 8 + 16)
        scalarBytes.reserveCapacity(file.bytes.count + 16)
    }

    /// libyaml's 0-based mark as our 1-based location with its byte offset (the one
    /// conversion point).
    @inline(__always)
    func location(_ mark: yaml_mark_t) -> SourceLocation {
        lines.location(line: Int32(truncatingIfNeeded: mark.line + 1), column: Int32(truncatingIfNeeded: mark.column + 1))
    }

    func range(_ start: yaml_mark_t, _ end: yaml_mark_t) -> SourceRange {
        SourceRange(file: path, start: location(start), end: location(end))
    }

    /// The byte offset of a mark at or after the cursor's line (marks of successive scalars
    /// only move forward), walking from the cursor or from the mark's line start, whichever
    /// is nearer; every byte is walked at most once, so the whole file costs one pass. Nil
    /// when the mark is not in the line table.
    @inline(__always)
    mutating func byteOffset(_ mark: yaml_mark_t) -> Int? {
        let index = Int(mark.index)
        // An ASCII file (so without a byte order mark) has one byte per character.
        if lines.isASCII { return index }
        let lineStart = index - Int(mark.column)
        if cursorCharacter < lineStart || cursorCharacter > index {
            guard Int(mark.line) < lines.lineStarts.count else { return nil }
            cursorCharacter = lineStart
            cursorByte = lines.lineStarts[Int(mark.line)]
        }
        return lines.bytes.withUnsafeBufferPointer { b -> Int? in
            let n = b.count
            while cursorCharacter < index, cursorByte < n {
                if index - cursorCharacter >= 8, cursorByte + 8 <= n,
                   UnsafeRawPointer(b.baseAddress! + cursorByte).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    cursorCharacter += 8
                    cursorByte += 8
                    continue
                }
                let lead = b[cursorByte]
                cursorByte += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                cursorCharacter += 1
            }
            return cursorCharacter == index && cursorByte <= n ? cursorByte : nil
        }
    }

    /// A new node with libyaml's 0-based marks made 1-based; its index in the document.
    @inline(__always)
    mutating func addNode(_ kind: YAMLNode.Kind, style: ScalarStyle = .plain, isASCII: Bool = true, inSource: Bool = false,
                          start: Int = 0, count: Int = 0, startMark: yaml_mark_t, endMark: yaml_mark_t) -> Int32 {
        nodes.append(YAMLDocument.Node(
            start: Int32(truncatingIfNeeded: start), count: Int32(truncatingIfNeeded: count),
            startLine: Int32(truncatingIfNeeded: startMark.line + 1), startColumn: Int32(truncatingIfNeeded: startMark.column + 1),
            endLine: Int32(truncatingIfNeeded: endMark.line + 1), endColumn: Int32(truncatingIfNeeded: endMark.column + 1),
            kind: kind, style: style, isASCII: isASCII, inSource: inSource))
        return Int32(truncatingIfNeeded: nodes.count - 1)
    }

    /// Parses the whole stream; false after reporting an error.
    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return false }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                reportSyntaxError(parser)
                return false
            }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                streamEnd = (Int32(truncatingIfNeeded: event.start_mark.line + 1), Int32(truncatingIfNeeded: event.start_mark.column + 1))
                return true
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    diagnostics.emit(ReaderMessage.multipleDocuments.diagnostic(at: range(event.start_mark, event.end_mark)))
                    return false
                }
            case YAML_SCALAR_EVENT:
                let data = event.data.scalar
                let style: ScalarStyle
                switch data.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: style = .literal
                case YAML_FOLDED_SCALAR_STYLE: style = .folded
                default: style = .plain
                }
                // The text is valid UTF-8 (checked before parsing; libyaml only decodes escapes).
                let length = Int(data.length)
                var isASCII = true
                var start = scalarBytes.count
                var inSource = false
                if length > 0 {
                    let text = UnsafeBufferPointer(start: data.value, count: length)
                    var any: UInt8 = 0
                    for b in text { any |= b }
                    isASCII = any < 0x80
                    // A plain scalar on one line reads as it is written: most values and every
                    // plain key. Point at the file instead of copying (the byte span checks it).
                    if style == .plain, event.start_mark.line == event.end_mark.line,
                       let from = byteOffset(event.start_mark), let to = byteOffset(event.end_mark), to - from == length {
                        assert(lines.bytes[from..<to].elementsEqual(text), "a plain scalar differs from its source")
                        start = from
                        inSource = true
                    } else {
                        scalarBytes.append(contentsOf: text)
                    }
                }
                let node = addNode(.scalar, style: style, isASCII: isASCII, inSource: inSource, start: start, count: length,
                                   startMark: event.start_mark, endMark: event.end_mark)
                if let anchor = data.anchor {
                    sawAnchor = true
                    anchors[String(cString: anchor)] = (node, 1)
                }
                guard append(node, isScalar: true) else { return false }
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                if stack.count >= limits.maxDepth {
                    diagnostics.emit(ReaderMessage.tooDeep(limits.maxDepth).diagnostic(at: range(event.start_mark, event.end_mark)))
                    return false
                }
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchorPointer = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                let node = addNode(isMapping ? .mapping : .sequence, startMark: event.start_mark, endMark: event.end_mark)
                stack.append(Open(node: node, firstChild: Int32(truncatingIfNeeded: pending.count), isMapping: isMapping))
                if let anchorPointer {
                    sawAnchor = true
                    openAnchors.append((node, String(cString: anchorPointer)))
                }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let open = stack.popLast() else { return false }
                let i = Int(open.node)
                let childStart = children.count
                let first = Int(open.firstChild)
                children.append(contentsOf: pending[first...])
                pending.removeSubrange(first...)
                let end = event.end_mark
                nodes[i].start = Int32(truncatingIfNeeded: childStart)
                nodes[i].count = Int32(truncatingIfNeeded: children.count - childStart)
                nodes[i].endLine = Int32(truncatingIfNeeded: end.line + 1)
                nodes[i].endColumn = Int32(truncatingIfNeeded: end.column + 1)
                if open.isMapping { checkKeys(open.node) }
                if let anchor = openAnchors.last, anchor.node == open.node {
                    openAnchors.removeLast()
                    anchors[anchor.name] = (open.node, size(open.node))
                }
                guard append(open.node, isScalar: false) else { return false }
            case YAML_ALIAS_EVENT:
                sawAnchor = true
                let name = String(cString: event.data.alias.anchor)
                guard let target = anchors[name] else {
                    diagnostics.emit(ReaderMessage.unknownAlias(name).diagnostic(at: range(event.start_mark, event.end_mark)))
                    return false
                }
                aliasNodes += target.size
                if aliasNodes > limits.maxAliasNodes {
                    diagnostics.emit(ReaderMessage.aliasLimit(limits.maxAliasNodes).diagnostic(at: range(event.start_mark, event.end_mark)))
                    return false
                }
                guard append(target.node, isScalar: nodes[Int(target.node)].kind == .scalar) else { return false }
            default:
                break
            }
        }
    }

    /// The document built (after `run` returned true).
    func document(clean: Bool) -> YAMLDocument {
        YAMLDocument(nodes: nodes, scalarBytes: scalarBytes, children: children, lines: lines,
                     clean: clean, usesAnchors: sawAnchor, streamEnd: streamEnd)
    }

    /// The number of nodes of a subtree (an alias of it costs as much as a copy would).
    func size(_ node: Int32) -> Int {
        let n = nodes[Int(node)]
        var total = 1
        if n.kind != .scalar {
            for k in 0..<Int(n.count) { total += size(children[Int(n.start) + k]) }
        }
        return total
    }

    /// Adds a finished node to the open collection, or makes it the root.
    @inline(__always)
    mutating func append(_ node: Int32, isScalar: Bool) -> Bool {
        guard let parent = stack.last else {
            root = node
            return true
        }
        if !isScalar, parent.isMapping, (pending.count - Int(parent.firstChild)) % 2 == 0 {
            diagnostics.emit(ReaderMessage.complexKey.diagnostic(at: range(of: node)))
            return false
        }
        pending.append(node)
        return true
    }

    /// The range of a node in the file.
    func range(of node: Int32) -> SourceRange {
        let n = nodes[Int(node)]
        return SourceRange(file: path, start: lines.location(line: n.startLine, column: n.startColumn),
                           end: lines.location(line: n.endLine, column: n.endColumn))
    }

    /// Calls `body` with a scalar's text (as `YAMLDocument.withText`, before there is one).
    @inline(__always)
    func withText<R>(_ node: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let n = nodes[Int(node)]
        guard n.kind == .scalar else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        let r = Int(n.start)..<Int(n.start) + Int(n.count)
        if n.inSource { return lines.bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[r])) } }
        return scalarBytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    func scalarString(_ node: Int32) -> String {
        withText(node) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether two keys' texts are equal as `String`s compare: bytes when both are ASCII.
    func sameScalar(_ a: Int32, _ b: Int32) -> Bool {
        let x = nodes[Int(a)], y = nodes[Int(b)]
        guard x.isASCII, y.isASCII else { return scalarString(a) == scalarString(b) }
        guard x.count == y.count else { return false }
        return withText(a) { p in withText(b) { q in
            for i in 0..<p.count where p[i] != q[i] { return false }
            return true
        } }
    }

    /// Reports every key written twice, at the second, with a note at the first.
    func checkKeys(_ mapping: Int32) {
        let m = nodes[Int(mapping)]
        let n = Int(m.count) / 2
        if n < 2 { return }
        let first = Int(m.start)
        if n <= 12 {
            // Each pair is compared, but first by a summary of each key (length, first and
            // last byte), which tells almost every two different keys apart with no text
            // read. A key that is not ASCII has no summary (0): `String` equality may hold
            // between different bytes (canonical equivalence), so it is always compared.
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 12) { summary in
                for i in 0..<n {
                    let key = children[first + 2 * i]
                    summary[i] = nodes[Int(key)].isASCII ? withText(key) { t in
                        t.isEmpty ? 1 << 63 : 1 << 63 | UInt64(t.count) << 16 | UInt64(t[0]) << 8 | UInt64(t[t.count - 1])
                    } : 0
                }
                for i in 1..<n {
                    let key = children[first + 2 * i], s = summary[i]
                    for j in 0..<i where (s == 0 || summary[j] == 0 || s == summary[j]) && sameScalar(children[first + 2 * j], key) {
                        reportDuplicate(key, first: children[first + 2 * j])
                        break
                    }
                }
            }
        } else {
            var seen: [String: Int] = [:]
            for i in 0..<n {
                let key = children[first + 2 * i]
                let text = scalarString(key)
                if let j = seen[text] {
                    reportDuplicate(key, first: children[first + 2 * j])
                } else {
                    seen[text] = i
                }
            }
        }
    }

    func reportDuplicate(_ key: Int32, first: Int32) {
        let label = Label(range: range(of: first), message: Message(en: "first written here", id: "pertama ditulis di sini"))
        diagnostics.emit(ReaderMessage.duplicateKey(scalarString(key)).diagnostic(at: range(of: key), labels: [label]))
    }

    func reportSyntaxError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        let context = parser.context.map { String(cString: $0) }
        let mark = location(parser.problem_mark)
        // A tab in the leading whitespace of the problem line is the usual cause.
        let lineText = file.line(mark.line) ?? ""
        let leading = lineText.prefix { $0 == " " || $0 == "\t" }
        let isTab = leading.contains("\t") || (problem.contains("cannot start any token") && lineText.unicodeScalars.dropFirst(max(0, mark.column - 1)).first == "\t")
        var notes: [Message] = []
        let raw = "libyaml: \(problem)" + (context.map { " (\($0))" } ?? "")
        notes.append(Message(en: raw, id: raw))
        var labels: [Label] = []
        if context != nil, parser.context_mark.line != parser.problem_mark.line || parser.context_mark.column != parser.problem_mark.column {
            let c = location(parser.context_mark)
            labels.append(Label(range: SourceRange(file: path, start: c, end: c),
                                message: Message(en: "this started here", id: "bagian ini dimulai di sini")))
        }
        diagnostics.emit(ReaderMessage.syntax(problem: problem, context: context, isTab: isTab)
            .diagnostic(at: SourceRange(file: path, start: mark,
                                        end: SourceLocation(line: mark.line, column: mark.column + 1, offset: lines.offset(line: mark.line, column: mark.column + 1))),
                        labels: labels, notes: notes))
    }
}
