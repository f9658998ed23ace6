/// An open document: its bytes and line starts, with the conversions between LSP positions
/// (line and UTF-16 code unit, LSP 3.17's default `utf-16` encoding) and UTF-8 byte offsets.
public struct TextDocument: Sendable {
    public var uri: String
    public var path: String
    public var version: Int
    public private(set) var bytes: [UInt8]
    /// Byte offsets where each line starts.
    public private(set) var lineStarts: [Int]

    public init(uri: String, path: String, version: Int, text: String) {
        self.uri = uri
        self.path = path
        self.version = version
        self.bytes = Array(text.utf8)
        self.lineStarts = Self.lineStarts(of: bytes)
    }

    static func lineStarts(of bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        return starts
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The byte offset of an LSP position. A line past the end is the end of the text; a
    /// character past the end of its line is the line's end; a position inside a character
    /// written as two UTF-16 units (a surrogate pair) is the start of that character.
    public func offset(line: Int, character: Int) -> Int {
        guard line >= 0 else { return 0 }
        guard line < lineStarts.count else { return bytes.count }
        var i = lineStarts[line]
        let end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : bytes.count
        var units = 0
        while i < end, units < character {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            let width = length == 4 ? 2 : 1
            if units + width > character { break }
            units += width
            i = min(end, i + length)
        }
        return i
    }

    /// The LSP position (line, UTF-16 character) of a byte offset.
    public func position(ofOffset offset: Int) -> (line: Int, character: Int) {
        let clamped = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        var units = 0
        var i = lineStarts[lo]
        while i < clamped {
            let b = bytes[i]
            if b & 0xC0 != 0x80 { units += b >= 0xF0 ? 2 : 1 }
            i += 1
        }
        return (lo, units)
    }

    /// Replaces the bytes between two offsets (an incremental change) and re-indexes lines.
    public mutating func replace(from start: Int, to end: Int, with text: String) {
        let a = max(0, min(start, bytes.count)), b = max(a, min(end, bytes.count))
        bytes.replaceSubrange(a..<b, with: Array(text.utf8))
        lineStarts = Self.lineStarts(of: bytes)
    }

    public mutating func replaceAll(with text: String) {
        bytes = Array(text.utf8)
        lineStarts = Self.lineStarts(of: bytes)
    }

    /// The text of a 0-based line, without its line break.
    public func line(_ n: Int) -> String {
        guard n >= 0, n < lineStarts.count else { return "" }
        var end = n + 1 < lineStarts.count ? lineStarts[n + 1] : bytes.count
        while end > lineStarts[n], bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[lineStarts[n]..<end], as: UTF8.self)
    }

    /// The bytes of a line before a byte offset on it.
    public func linePrefix(upTo offset: Int) -> String {
        let (line, _) = position(ofOffset: offset)
        let start = lineStarts[line]
        return String(decoding: bytes[start..<max(start, min(offset, bytes.count))], as: UTF8.self)
    }
}
