#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// JSON-RPC framing over file descriptors (LSP's base protocol): `Content-Length: N` headers,
/// a blank line, N bytes of JSON. A frame that cannot be read is answered with a parse error
/// and skipped; the stream goes on.
public struct StdioTransport {
    let input: Int32
    let output: Int32
    var buffer: [UInt8] = []
    var start = 0
    var eof = false
    /// The largest message read (a bigger one is skipped and refused).
    public static let maxMessage = 64 << 20

    public init(input: Int32 = 0, output: Int32 = 1) {
        self.input = input
        self.output = output
    }

    /// What reading the next frame gave.
    public enum Frame {
        case message([UInt8])
        /// A frame whose header could not be read, or too large a body (skipped).
        case malformed(String)
        case end
    }

    mutating func fill() -> Bool {
        if eof { return false }
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { eof = true; return false }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
    }

    /// Reads the next frame.
    public mutating func next() -> Frame {
        // The header: up to the first blank line.
        var headerEnd: (Int, Int)?
        while headerEnd == nil {
            if let found = Self.blankLine(in: buffer, from: start) { headerEnd = found; break }
            if buffer.count - start > 65536 {
                // No blank line in 64 KiB: not a header; drop it.
                buffer.removeAll(); start = 0
                return .malformed("a header longer than 64 KiB")
            }
            if !fill() {
                if buffer.count > start { buffer.removeAll(); start = 0; return .malformed("the stream ended inside a header") }
                return .end
            }
        }
        let (end, separator) = headerEnd!
        let header = String(decoding: buffer[start..<end], as: UTF8.self)
        start = end + separator
        var length: Int?
        for line in header.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            if parts[0].trimmingSpaces.lowercased() == "content-length" { length = Int(parts[1].trimmingSpaces) }
        }
        guard let length, length >= 0 else { return .malformed("no valid Content-Length header") }
        var remaining = length
        if length > Self.maxMessage {
            // Skip the body without keeping it.
            while remaining > 0 {
                let have = min(remaining, buffer.count - start)
                start += have
                remaining -= have
                if remaining > 0, !fill() { return .end }
            }
            return .malformed("a message of \(length) bytes is over the limit")
        }
        while buffer.count - start < length {
            if !fill() { return .malformed("the stream ended inside a message") }
        }
        let body = Array(buffer[start..<start + length])
        start += length
        return .message(body)
    }

    /// The end of the header and the length of the blank line (`\r\n\r\n`, or `\n\n`).
    static func blankLine(in bytes: [UInt8], from: Int) -> (Int, Int)? {
        var i = from
        while i + 1 < bytes.count {
            if bytes[i] == 0x0A, bytes[i + 1] == 0x0A { return (i, 2) }
            if bytes[i] == 0x0D, i + 3 < bytes.count, bytes[i + 1] == 0x0A, bytes[i + 2] == 0x0D, bytes[i + 3] == 0x0A { return (i, 4) }
            i += 1
        }
        return nil
    }

    /// Writes one message with its header.
    public func send(_ message: JSON) {
        var body: [UInt8] = []
        message.write(into: &body)
        let frame = Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
        var written = 0
        while written < frame.count {
            let n = frame[written...].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            written += n
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

extension LanguageServer {
    /// Serves a client on standard input and output until `exit` or the end of input;
    /// returns the exit status (0 after `shutdown` then `exit`, else 1).
    public func serve(input: Int32 = 0, output: Int32 = 1) -> Int32 {
        var transport = StdioTransport(input: input, output: output)
        while true {
            switch transport.next() {
            case let .message(bytes):
                for reply in handle(bytes) { transport.send(reply) }
                if let status = exitStatus { return status }
            case let .malformed(reason):
                transport.send(Self.error(id: .null, .parseError, reason))
            case .end:
                return shutdownRequested ? 0 : 1
            }
        }
    }
}
