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

    /// Seconds a catalogue or manual build gives `dot` for one drawing: Graphviz's layout time
    /// grows much faster than the SOP (minutes for a few hundred steps over dozens of lanes),
    /// and a drawing that takes longer is left out rather than holding the whole build.
    public static let buildTimeout = 120.0

    /// True when `dot` can be run.
    public static var isAvailable: Bool { executable() != nil }

    /// The SVG `dot -Tsvg` draws from `dot`. When Graphviz's spline router gives up on a layout
    /// ("triangulation failed", a known Graphviz failure that the property tests met on a
    /// decision of many branches in one lane), the drawing is made again with straight edges
    /// (`splines=line`), which it can always route; the first failure is reported if that fails
    /// too.
    public static func svg(fromDOT dot: String, timeout: Double? = nil) throws -> String {
        guard let executable = executable() else { throw Failure.notInstalled }
        // Files, not pipes: a large drawing can never block `dot`, and nothing is shared.
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("sop-dot-\(UUID().uuidString)")
        try? fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.dot")
        do { try Data(dot.utf8).write(to: input) } catch { throw Failure.failed(status: -1, message: "\(error)") }
        do {
            return try run(executable, ["-Tsvg"], input: input, in: dir, timeout: timeout)
        } catch let first as Failure {
            guard case let .failed(status, message) = first, status > 0, message.contains("Pshortestpath") || message.contains("triangulation") else {
                throw first
            }
            do { return try run(executable, ["-Tsvg", "-Gsplines=line"], input: input, in: dir, timeout: timeout) } catch { throw first }
        }
    }

    /// `timeout`: seconds `dot` may take before it is stopped (Graphviz's layout time grows
    /// much faster than the drawing; a server must not wait minutes for one page).
    private static func run(_ executable: URL, _ arguments: [String], input: URL, in dir: URL, timeout: Double?) throws -> String {
        let fm = FileManager.default
        let output = dir.appendingPathComponent("out.svg"), errors = dir.appendingPathComponent("err.txt")
        try? fm.removeItem(at: output)
        _ = fm.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + ["-o", output.path, input.path]
        let errorHandle = try? FileHandle(forWritingTo: errors)
        process.standardError = errorHandle
        process.standardOutput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do { try process.run() } catch { throw Failure.failed(status: -1, message: "\(error)") }
        if let timeout, finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            finished.wait()
            try? errorHandle?.close()
            throw Failure.failed(status: -1, message: "dot took more than \(Int(timeout)) s and was stopped")
        }
        if timeout == nil { finished.wait() }
        process.waitUntilExit()
        try? errorHandle?.close()
        let errData = (try? Data(contentsOf: errors)) ?? Data()
        guard process.terminationStatus == 0, let outData = try? Data(contentsOf: output) else {
            throw Failure.failed(status: process.terminationStatus, message: String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: outData, as: UTF8.self)
    }
}
