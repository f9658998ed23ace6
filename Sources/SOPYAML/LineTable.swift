import SOPDiagnostics

/// Turns libyaml's (line, column) into the UTF-8 byte offset of the same place.
///
/// libyaml's `mark.index` counts characters, not bytes, so it is not a `SourceLocation.offset`.
/// Nodes store line and column only (smaller nodes); the byte offset is found when asked:
/// the line's first byte from a table, then `column - 1` characters walked in the bytes.
///
/// The table must count lines as libyaml does: it breaks lines at `\n`, `\r\n`, a lone `\r`,
/// NEL (U+0085), LS (U+2028) and PS (U+2029), and starts counting after a UTF-8 byte order
/// mark. For a file with none of these but `\n` and `\r\n` (every SOP written so far), that
/// is `SourceFile.lineStarts`, shared without a copy; otherwise the reader builds its own.
struct LineTable: Sendable {
    let bytes: [UInt8]
    /// Byte offset where each libyaml line starts (index 0 is line 1).
    let lineStarts: [Int]
    /// True when the file is all ASCII: then a column is a byte count, nothing to walk.
    let isASCII: Bool
    /// True when the lines are the file's `\n` lines (`SourceFile.lineStarts`).
    let plainBreaks: Bool

    /// The table for a file: `file.lineStarts` when `plainBreaks` (the file has no byte order
    /// mark and no line break but `\n` and `\r\n`), else one built with libyaml's breaks.
    init(_ file: SourceFile, plainBreaks: Bool, isASCII: Bool) {
        bytes = file.bytes
        lineStarts = plainBreaks ? file.lineStarts : Self.libyamlLineStarts(file.bytes)
        self.isASCII = isASCII
        self.plainBreaks = plainBreaks
    }

    /// The byte offset of 1-based `line` and `column` (columns count characters), clamped to
    /// the file. A line past the last is the end of the file: libyaml ends the stream on a
    /// new line when the file does not end with a line break.
    @inline(__always)
    func offset(line: Int, column: Int) -> Int {
        guard line >= 1, line <= lineStarts.count else { return line < 1 ? 0 : bytes.count }
        if isASCII { return min(lineStarts[line - 1] + max(0, column - 1), bytes.count) }
        return bytes.withUnsafeBufferPointer { b in
            let n = b.count
            var i = lineStarts[line - 1]
            var remaining = column - 1
            // Usually the line up to the column is ASCII, so the column is the offset: check
            // those bytes eight at a time (the last load may overlap the one before).
            let ascii = i + remaining
            if remaining <= 0 { return min(i, n) }
            if ascii <= n, i + 8 <= n {
                let base = UnsafeRawPointer(b.baseAddress!)
                if remaining < 8 {
                    // One load, the bytes past the column masked off (little-endian).
                    let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    if w & (0x8080_8080_8080_8080 >> (64 - 8 * UInt64(remaining))) == 0 { return ascii }
                } else {
                    var any: UInt64 = 0
                    var k = i
                    while k + 8 < ascii {
                        any |= base.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                        k += 8
                    }
                    any |= base.loadUnaligned(fromByteOffset: ascii - 8, as: UInt64.self)
                    if any & 0x8080_8080_8080_8080 == 0 { return ascii }
                }
            }
            while remaining > 0, i < n {
                // ASCII eight bytes (eight characters) at a time.
                if remaining >= 8, i + 8 <= n,
                   UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    remaining -= 8
                    continue
                }
                let lead = b[i]
                i += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                remaining -= 1
            }
            return min(i, n)
        }
    }

    /// The location of a 1-based line and column, with its byte offset.
    @inline(__always)
    func location(line: Int32, column: Int32) -> SourceLocation {
        SourceLocation(line: Int(line), column: Int(column), offset: offset(line: Int(line), column: Int(column)))
    }

    /// Where each line starts when lines break as libyaml breaks them (see the type's comment).
    static func libyamlLineStarts(_ bytes: [UInt8]) -> [Int] {
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        var starts = [bom ? 3 : 0]
        var i = starts[0]
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            var width = 0
            if b == 0x0A { width = 1 }
            else if b == 0x0D { width = i + 1 < n && bytes[i + 1] == 0x0A ? 2 : 1 }
            else if b == 0xC2, i + 1 < n, bytes[i + 1] == 0x85 { width = 2 }
            else if b == 0xE2, i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 { width = 3 }
            if width > 0 {
                i += width
                starts.append(i)
            } else {
                i += 1
            }
        }
        return starts
    }
}
