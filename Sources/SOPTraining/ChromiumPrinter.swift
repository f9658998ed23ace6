import Foundation

/// Prints an HTML file to PDF with headless Chromium (`--print-to-pdf`), the way a browser
/// prints it: the page's script runs first, `@page` sizes are honoured, no header or footer
/// is added.
public enum ChromiumPrinter {
    /// Why the PDF could not be made.
    public enum Failure: Error, Equatable, Sendable {
        /// No Chromium on the PATH (nor at `SOP_CHROMIUM`).
        case notInstalled
        /// Chromium ran and failed, or wrote no PDF; its last words.
        case failed(status: Int32, message: String)
        /// Chromium did not finish in time and was stopped.
        case timedOut(seconds: Int)
    }

    /// The browser: `$SOP_CHROMIUM`, else `chromium`, `chromium-browser`, `google-chrome` on the PATH.
    public static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let explicit = environment["SOP_CHROMIUM"], !explicit.isEmpty {
            return FileManager.default.isExecutableFile(atPath: explicit) ? URL(fileURLWithPath: explicit) : nil
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for dir in path.split(separator: ":") where !dir.isEmpty {
                let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }

    /// Prints `html` (a file) to `pdf`; gives up after `timeout` seconds.
    public static func printPDF(html: URL, to pdf: URL, timeout: Int = 300) throws(Failure) {
        guard let browser = executable() else { throw .notInstalled }
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("sop-chromium-\(UUID().uuidString)")
        try? fm.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: work) }
        let log = work.appendingPathComponent("stderr.txt")
        _ = fm.createFile(atPath: log.path, contents: nil)
        try? fm.removeItem(at: pdf)
        let process = Process()
        process.executableURL = browser
        var arguments = ["--headless", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run", "--disable-extensions",
                         "--user-data-dir=\(work.appendingPathComponent("profile").path)",
                         "--print-to-pdf=\(pdf.path)", html.absoluteURL.absoluteString]
        // Chromium refuses to run as root inside its sandbox.
        if getuid() == 0 { arguments.insert("--no-sandbox", at: 1) }
        process.arguments = arguments
        let errorHandle = try? FileHandle(forWritingTo: log)
        process.standardError = errorHandle
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw .failed(status: -1, message: "\(error)") }
        let deadline = Date().addingTimeInterval(TimeInterval(timeout))
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw .timedOut(seconds: timeout)
            }
            usleep(50_000)
        }
        try? errorHandle?.close()
        let status = process.terminationStatus
        guard status == 0, let size = (try? fm.attributesOfItem(atPath: pdf.path))?[.size] as? Int, size > 0 else {
            let text = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
            let last = text.split(separator: "\n").suffix(5).joined(separator: "\n")
            throw .failed(status: status, message: last)
        }
    }
}
