import Foundation

/// Runs Graphviz `dot` to turn the DOT drawing into SVG (`--format svg`).
public enum Graphviz {
    /// Why `dot` could not draw.
    public enum Failure: Error, Equatable {
        /// `dot` is not on the PATH.
        case notInstalled
        /// `dot` ran and failed; its standard error.
        case failed(status: Int32, message: String)
    }

    /// The `dot` executable on the PATH, if any.
    public static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("dot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// True when `dot` can be run.
    public static var isAvailable: Bool { executable() != nil }

    /// The SVG `dot -Tsvg` draws from `dot`.
    public static func svg(fromDOT dot: String) throws -> String {
        guard let executable = executable() else { throw Failure.notInstalled }
        // Files, not pipes: a large drawing can never block `dot`, and nothing is shared.
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("sop-dot-\(UUID().uuidString)")
        try? fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.dot"), output = dir.appendingPathComponent("out.svg")
        let errors = dir.appendingPathComponent("err.txt")
        do {
            try Data(dot.utf8).write(to: input)
            _ = fm.createFile(atPath: errors.path, contents: nil)
        } catch { throw Failure.failed(status: -1, message: "\(error)") }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-Tsvg", "-o", output.path, input.path]
        let errorHandle = try? FileHandle(forWritingTo: errors)
        process.standardError = errorHandle
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure.failed(status: -1, message: "\(error)") }
        process.waitUntilExit()
        try? errorHandle?.close()
        let errData = (try? Data(contentsOf: errors)) ?? Data()
        guard process.terminationStatus == 0, let outData = try? Data(contentsOf: output) else {
            throw Failure.failed(status: process.terminationStatus, message: String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: outData, as: UTF8.self)
    }
}
