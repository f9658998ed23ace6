import ArgumentParser
import Foundation
import Logging
import SOPIdentity
import SOPRuntime
import SOPServer
import SOPWorkspace

/// `sop serve`: the runtime as a shared service (see Docs/Server.md).
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the catalogue's cases over HTTP: login, task lists, case pages, a REST API (see /openapi.json).",
        discussion: """
        Users come from `sop user` in the same --db. With --db postgres://…, several nodes \
        share one database behind a load balancer: sessions, tokens and timers work on \
        every node, and while the database is unreachable requests answer 503. \
        Timers fire by themselves. Logs go to \
        standard error, one JSON object per line; SIGTERM or Ctrl-C stops gracefully.
        """)

    @Option(name: .long, help: "The catalogue folder.") var catalog: String = "sops"
    @Option(name: .long, help: "The case store: a SQLite file (created on first use) or postgres://USER@HOST:PORT/DATABASE.") var db: String = "sop.db"
    @Option(name: .long, help: "The address to listen on.") var host: String = "127.0.0.1"
    @Option(name: .long, help: "The port to listen on (0: any free port, printed).") var port: Int = 8080
    @Option(name: .long, help: "For tests: run on a virtual clock starting at this local time (WIB), moved by POST /api/test/clock.")
    var testClock: String?
    @Option(name: .long, help: "Failed logins (per name or address) before a 5-minute pause.") var loginAttempts: Int = 5
    @Option(name: .long, help: "Writer lanes (threads, each with its own database connection; a case always takes the same one). Default: 4 on PostgreSQL, 1 on SQLite (the only number it takes).")
    var writers: Int?
    @Option(name: .long, help: "Least level logged: info (a line per request), warning or error.") var logLevel: String = "info"

    func run() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, not \(port)") }
        guard loginAttempts >= 1 else { throw ValidationError("--login-attempts must be at least 1") }
        if let writers, !(1...64).contains(writers) { throw ValidationError("--writers must be 1 to 64, not \(writers)") }
        guard let level = Logger.Level(rawValue: logLevel), [.info, .warning, .error].contains(level) else {
            throw ValidationError("--log-level must be info, warning or error, not `\(logLevel)`")
        }
        LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        var logger = Logger(label: "sop.serve")
        logger.logLevel = level
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.loginAttempts = loginAttempts
        var clock: Clock = SystemClock()
        if let testClock {
            guard let start = UTCOffset.wib.parse(testClock) else { throw ValidationError("--test-clock must be a time like 2026-05-04 08:00, not `\(testClock)`") }
            let virtual = VirtualClock(start)
            configuration.testClock = virtual
            clock = virtual
        }
        let state: ServerState
        do {
            guard FileManager.default.fileExists(atPath: catalog) else {
                printError("sop: cannot read `\(catalog)`: no such file or folder\n")
                throw ExitCode(2)
            }
            let (catalogue, _) = try Catalogue.load(catalog)
            if !catalogue.skipped.isEmpty {
                logger.warning("SOPs with errors are not served", metadata: ["files": "\(catalogue.skipped.joined(separator: ", "))"])
            }
            let location = try StoreLocation(parsing: db)
            let desk = try CaseDesk(catalogue: catalogue, location: location, clock: clock, writers: writers)
            state = try ServerState(desk: desk, users: try UserStore(location: location), configuration: configuration)
        } catch let e as ExitCode { throw e } catch let e as RuntimeError {
            printError(e.render((try? parseLanguage(nil)) ?? .en) + "\n")
            throw ExitCode(2)
        } catch {
            printError("sop: \(error)\n")
            throw ExitCode(2)
        }
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        let host = self.host
        Task {
            defer { done.signal() }
            do {
                try await SOPServer.run(state, logger: logger) { port in
                    print("sop serve: listening on http://\(host):\(port)")
                    fflush(nil)
                }
            } catch { failure.error = error }
        }
        done.wait()
        if let error = failure.error {
            printError("sop: the server stopped: \(error)\n")
            throw ExitCode(2)
        }
    }
}

private final class FailureBox: @unchecked Sendable {
    var error: Error?
}
