/// A position in a source file. Lines and columns are 1-based; columns count Unicode
/// scalars (what an editor shows), `offset` counts UTF-8 bytes from the start of the file.
public struct SourceLocation: Hashable, Sendable, Comparable, Codable {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int
    /// 0-based UTF-8 byte offset.
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.offset < rhs.offset
    }
}

/// A half-open range `[start, end)` in one file.
public struct SourceRange: Hashable, Sendable, Codable {
    /// The path as the user gave it (never made absolute, so outputs stay portable).
    public var file: String
    public var start: SourceLocation
    public var end: SourceLocation

    public init(file: String, start: SourceLocation, end: SourceLocation) {
        self.file = file
        self.start = start
        self.end = end
    }
}

/// The text of one file, with a line index for rendering source excerpts.
public struct SourceFile: Sendable {
    /// The path as the user gave it.
    public let path: String
    /// The raw bytes.
    public let bytes: [UInt8]
    /// Byte offsets where each line starts (0-based index = line - 1).
    public let lineStarts: [Int]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts = [0]
        starts.reserveCapacity(bytes.count / 16 + 1)
        for (i, b) in bytes.enumerated() where b == 0x0A {
            starts.append(i + 1)
        }
        self.lineStarts = starts
    }

    /// The text of a 1-based line without its line break, or nil when out of range.
    public func line(_ number: Int) -> String? {
        guard number >= 1, number <= lineStarts.count else { return nil }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        if start >= end { return "" }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The location of a byte offset (1-based line and scalar column).
    public func location(ofOffset offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = lineStarts[lo]
        while i < clamped {
            // Count scalars: skip UTF-8 continuation bytes.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(line: lo + 1, column: column, offset: clamped)
    }
}
