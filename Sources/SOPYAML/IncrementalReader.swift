import SOPDiagnostics

/// Reading a file again after an edit, by re-parsing only the list item that holds it.
///
/// An editor sends the whole SOP after each keystroke, and libyaml's parse is most of a
/// re-check (11 of 16 ms for a 1,000-step file). A keystroke almost always falls inside one
/// item of a block list — one step of `steps:`, one line of `requirements:` — so the reader
/// cuts that item's lines out of the new text (from the line of its `- ` to the line of the
/// next item's `- `, or of whatever ends the list), parses them alone, and splices the item
/// into the previous tree, moving everything after it by the lines and bytes the edit added.
/// Lines are cut whole, so columns inside the item are those of the file.
///
/// The result is the tree `read` would build, position for position (a test compares the
/// two after thousands of random edits). Whenever that cannot be shown locally, it reads the
/// whole file instead: the previous read reported something, the file has anchors or aliases
/// or breaks lines other than with `\n`, the edit crosses an item's first line or is not
/// inside any block list item, or the cut-out text is not exactly one list item that reads
/// without a diagnostic (a new item, a dedent, a document marker: all re-read in full).
extension YAMLReader {
    /// The root mapping of `file`, re-parsing only what changed since `previous` (the root
    /// `read` returned for an earlier text of the same file) when it can; else as `read`.
    public func read(_ file: SourceFile, after previous: YAMLNode?, diagnostics: DiagnosticSink) -> YAMLNode? {
        if let previous, let root = reread(file, previous: previous) { return root }
        return read(file, diagnostics: diagnostics)
    }

    /// The spliced tree, or nil when the edit must be read in full.
    func reread(_ file: SourceFile, previous: YAMLNode) -> YAMLNode? {
        let old = previous.document
        let a = old.lines.bytes, b = file.bytes
        guard old.clean, !old.usesAnchors, old.lines.plainBreaks, b.count <= limits.maxBytes,
              old.kind(previous.index) == .mapping else { return nil }
        // The edited span: old bytes [from, oldEnd) became new bytes [from, newEnd).
        let (prefix, suffix) = Self.commonEnds(a, b)
        if prefix == a.count && prefix == b.count { return previous }
        let from = prefix, oldEnd = a.count - suffix, delta = b.count - a.count
        guard let cut = Self.item(containing: from, oldEnd, in: old, root: previous.index) else { return nil }

        // The item's lines in the new text, read alone.
        let chunk = SourceFile(path: file.path, bytes: Array(b[cut.start ..< cut.end + delta]))
        let scan = Self.scan(chunk.bytes)
        guard scan.firstInvalid == nil, scan.plainBreaks, !Self.hasDocumentMarker(chunk.bytes) else { return nil }
        var chunkLimits = limits
        chunkLimits.maxDepth -= cut.depth
        guard chunkLimits.maxDepth > 0 else { return nil }
        let sink = DiagnosticSink()
        var builder = TreeBuilder(path: file.path, limits: chunkLimits, file: chunk,
                                  lines: LineTable(chunk, plainBreaks: true, isASCII: scan.isASCII), diagnostics: sink)
        let ok = chunk.bytes.withUnsafeBufferPointer { builder.run($0) }
        guard ok, sink.diagnostics.isEmpty, !builder.sawAnchor, builder.documents == 1, let list = builder.root,
              builder.nodes[Int(list)].kind == .sequence, builder.nodes[Int(list)].count == 1 else { return nil }
        let fresh = builder.document(clean: true)
        let item = fresh.children[Int(fresh.nodes[Int(list)].start)]
        // Its `- ` must stay where it was (first line, same column): the list's start, the
        // previous item's end and the next items' alignment depend on it.
        guard fresh.nodes[Int(list)].startLine == 1, fresh.nodes[Int(list)].startColumn == cut.dash else { return nil }

        // The whole new file's lines (and whether it is still valid UTF-8 and `\n`-broken).
        let whole = Self.scan(b)
        guard whole.firstInvalid == nil, whole.plainBreaks else { return nil }
        let lineDelta = Int32(file.lineStarts.count - old.lines.lineStarts.count)
        var splice = Splice(old: old, fresh: fresh, replaced: cut.node, item: item,
                            firstLine: cut.firstLine, oldEndLine: cut.endLine, lineDelta: lineDelta,
                            start: cut.start, oldEnd: cut.end, delta: delta, next: cut.next)
        guard let root = splice.copyOld(previous.index), splice.ok else { return nil }
        let end = old.streamEnd
        let document = YAMLDocument(nodes: splice.nodes, scalarBytes: splice.scalarBytes, children: splice.children,
                                    lines: LineTable(file, plainBreaks: true, isASCII: whole.isASCII), clean: true, usesAnchors: false,
                                    streamEnd: (end.line + lineDelta, end.column))
        return YAMLNode(document, root)
    }

    /// Whether a line starts with `---`, `...` or `%`: alone the text would end its document
    /// there and read, where in the file what follows is an error.
    static func hasDocumentMarker(_ bytes: [UInt8]) -> Bool {
        var lineStart = true
        for (i, c) in bytes.enumerated() {
            if lineStart {
                if c == 0x25 { return true }
                if (c == 0x2D || c == 0x2E), i + 2 < bytes.count, bytes[i + 1] == c, bytes[i + 2] == c { return true }
            }
            lineStart = c == 0x0A
        }
        return false
    }

    /// The lengths of the common prefix and the common suffix of two texts (not overlapping).
    static func commonEnds(_ a: [UInt8], _ b: [UInt8]) -> (Int, Int) {
        a.withUnsafeBufferPointer { p in b.withUnsafeBufferPointer { q in
            let n = min(p.count, q.count)
            var i = 0
            while i + 8 <= n, UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    == UnsafeRawPointer(q.baseAddress! + i).loadUnaligned(as: UInt64.self) { i += 8 }
            while i < n, p[i] == q[i] { i += 1 }
            var j = 0
            while j < n - i, p[p.count - 1 - j] == q[q.count - 1 - j] { j += 1 }
            return (i, j)
        } }
    }

    /// Where the deepest block list item holding old bytes [from, to) is cut: its node, its
    /// lines' bytes [start, end) and lines [firstLine, endLine) (1-based), the number of
    /// collections around its list (the list's depth as the reader counts it), the column of
    /// its `-`, and the place of the token after it (where libyaml ends the item's
    /// collections).
    struct Cut {
        var node: Int32
        var start: Int, end: Int
        var firstLine: Int32, endLine: Int32
        var depth: Int
        var dash: Int32
        var next: (line: Int32, column: Int32)
    }

    static func item(containing from: Int, _ to: Int, in doc: YAMLDocument, root: Int32) -> Cut? {
        let starts = doc.lines.lineStarts
        let bytes = doc.lines.bytes
        func lineStart(_ line: Int32) -> Int { Int(line) <= starts.count ? starts[Int(line) - 1] : bytes.count }
        /// The column (1-based) of the `-` opening an item that starts at `line`/`column`:
        /// the line up to the item is spaces, one `-` and spaces; nil otherwise.
        func dash(_ line: Int32, _ column: Int32) -> Int32? {
            let s = lineStart(line), n = Int(column) - 1
            guard n >= 2, s + n <= bytes.count else { return nil }
            var k = 0
            while k < n, bytes[s + k] == 0x20 { k += 1 }
            guard k < n, bytes[s + k] == 0x2D else { return nil }
            let d = k
            k += 1
            guard k < n else { return nil }
            while k < n, bytes[s + k] == 0x20 { k += 1 }
            return k == n ? Int32(d + 1) : nil
        }
        var best: Cut?
        var node = root, depth = 0
        descend: while true {
            let n = doc.nodes[Int(node)]
            guard n.kind != .scalar else { break }
            let count = Int(n.count)
            if n.kind == .sequence {
                for k in 0..<count {
                    let child = doc.children[Int(n.start) + k]
                    let c = doc.nodes[Int(child)]
                    let start = lineStart(c.startLine)
                    if start > from { break }
                    let end: Int, endLine: Int32, next: (line: Int32, column: Int32)
                    if k + 1 < count {
                        let after = doc.nodes[Int(doc.children[Int(n.start) + k + 1])]
                        guard let d = dash(after.startLine, after.startColumn) else { break descend }
                        (end, endLine, next) = (lineStart(after.startLine), after.startLine, (after.startLine, d))
                    } else {
                        (end, endLine, next) = (lineStart(n.endLine), n.endLine, (n.endLine, n.endColumn))
                    }
                    guard to < end else { continue }
                    // The edit is in this item's lines: cut here if its line opens with `- `.
                    guard endLine > c.startLine, let d = dash(c.startLine, c.startColumn) else { break descend }
                    best = Cut(node: child, start: start, end: end, firstLine: c.startLine, endLine: endLine, depth: depth, dash: d, next: next)
                    node = child
                    depth += 1
                    continue descend
                }
                break
            } else {
                // A mapping: the value whose span holds the edit.
                var k = 1
                var found: Int32?
                while k < count {
                    let v = doc.children[Int(n.start) + k]
                    let c = doc.nodes[Int(v)]
                    if lineStart(c.startLine) <= from, to < lineStart(c.endLine + 1) { found = v }
                    k += 2
                }
                guard let v = found else { break }
                node = v
                depth += 1
            }
        }
        return best
    }
}

/// Copies the previous tree into new arrays, putting the re-read item in place of the old
/// one and moving what follows it.
private struct Splice {
    typealias Node = YAMLDocument.Node
    let old: YAMLDocument, fresh: YAMLDocument
    let replaced: Int32, item: Int32
    let firstLine: Int32, oldEndLine: Int32, lineDelta: Int32
    let start: Int, oldEnd: Int, delta: Int
    let next: (line: Int32, column: Int32)
    var nodes: [Node] = []
    var children: [Int32] = []
    var scalarBytes: [UInt8] = []
    /// False when a node outside the item turned out to lie inside its lines.
    var ok = true

    init(old: YAMLDocument, fresh: YAMLDocument, replaced: Int32, item: Int32, firstLine: Int32, oldEndLine: Int32,
         lineDelta: Int32, start: Int, oldEnd: Int, delta: Int, next: (line: Int32, column: Int32)) {
        (self.old, self.fresh, self.replaced, self.item) = (old, fresh, replaced, item)
        (self.firstLine, self.oldEndLine, self.lineDelta) = (firstLine, oldEndLine, lineDelta)
        (self.start, self.oldEnd, self.delta, self.next) = (start, oldEnd, delta, next)
        nodes.reserveCapacity(old.nodes.count + fresh.nodes.count)
        children.reserveCapacity(old.children.count + fresh.children.count)
        scalarBytes.reserveCapacity(old.scalarBytes.count + fresh.scalarBytes.count)
    }

    /// An old line outside the item: unchanged before it, moved after it.
    mutating func line(_ l: Int32) -> Int32 {
        if l <= firstLine { return l }
        if l >= oldEndLine { return l + lineDelta }
        ok = false
        return l
    }

    mutating func copyOld(_ i: Int32) -> Int32? {
        guard ok else { return nil }
        if i == replaced { return copyFresh(item) }
        var n = old.nodes[Int(i)]
        n.startLine = line(n.startLine)
        n.endLine = line(n.endLine)
        let index = Int32(nodes.count)
        if n.kind == .scalar {
            if n.inSource {
                let s = Int(n.start)
                if s + Int(n.count) <= start { } else if s >= oldEnd { n.start = Int32(s + delta) } else { ok = false }
            } else {
                n.start = Int32(scalarBytes.count)
                scalarBytes.append(contentsOf: old.scalarBytes[Int(old.nodes[Int(i)].start) ..< Int(old.nodes[Int(i)].start + n.count)])
            }
            nodes.append(n)
            return index
        }
        nodes.append(n)
        var mine: [Int32] = []
        mine.reserveCapacity(Int(n.count))
        for k in 0..<Int(n.count) {
            guard let c = copyOld(old.children[Int(n.start) + k]) else { return nil }
            mine.append(c)
        }
        nodes[Int(index)].start = Int32(children.count)
        children.append(contentsOf: mine)
        return index
    }

    /// A node of the re-read item: its lines moved to the item's place in the file, and a
    /// collection that the item's end closed ended where the next token is.
    mutating func copyFresh(_ i: Int32) -> Int32 {
        var n = fresh.nodes[Int(i)]
        let shift = firstLine - 1
        let atEnd = (fresh.streamEnd.line, fresh.streamEnd.column)
        let moved = (next.line + lineDelta, next.column)
        // What the end of the text closes (collections) or leaves empty (a key without a
        // value) is, in the file, at the next token.
        let closed = n.kind != .scalar && (n.endLine, n.endColumn) == atEnd
        let empty = n.kind == .scalar && n.style == .plain && n.count == 0 && (n.startLine, n.startColumn) == atEnd
        n.startLine += shift
        n.endLine += shift
        if closed || empty { (n.endLine, n.endColumn) = moved }
        if empty { (n.startLine, n.startColumn) = moved }
        let index = Int32(nodes.count)
        if n.kind == .scalar {
            if n.inSource {
                n.start += Int32(start)
            } else {
                let from = Int(n.start)
                n.start = Int32(scalarBytes.count)
                scalarBytes.append(contentsOf: fresh.scalarBytes[from ..< from + Int(n.count)])
            }
            nodes.append(n)
            return index
        }
        nodes.append(n)
        var mine: [Int32] = []
        mine.reserveCapacity(Int(n.count))
        for k in 0..<Int(n.count) { mine.append(copyFresh(fresh.children[Int(n.start) + k])) }
        nodes[Int(index)].start = Int32(children.count)
        children.append(contentsOf: mine)
        return index
    }
}

extension YAMLNode {
    /// Whether two trees are the same node for node: kind, style, text, start and end (line,
    /// column and byte offset). How the tests and the fuzzer hold a re-read to a full read.
    public func isSame(as other: YAMLNode) -> Bool {
        var stack = [(self, other)]
        while let (x, y) = stack.popLast() {
            guard x.kind == y.kind, x.style == y.style, x.scalar == y.scalar, x.start == y.start, x.end == y.end,
                  x.childCount == y.childCount else { return false }
            for k in 0..<x.childCount { stack.append((x.child(k), y.child(k))) }
        }
        return true
    }
}
