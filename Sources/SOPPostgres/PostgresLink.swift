import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import SOPDiagnostics
import SOPRuntime

/// Where a PostgreSQL database is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`
/// (`postgresql://` too). Without a password in the URL, `PGPASSWORD` is used if set.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// TLS as libpq's `sslmode` names it: `disable` (the default), `prefer`, `require`
    /// (encrypted, the server's certificate not checked), `verify-ca`, `verify-full`.
    public var sslmode: SSLMode = .disable
    /// The CA certificates (PEM) a `verify-ca` / `verify-full` server certificate must chain
    /// to; the system's trust store without it.
    public var sslrootcert: String?

    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public init(user: String, password: String?, host: String, port: Int, database: String) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
    }

    /// Whether `text` names a PostgreSQL database (and not a SQLite file).
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a URL, or explains in both languages what is wrong with it.
    public static func parse(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresURL {
        func bad(_ en: String, _ id: String) -> RuntimeError {
            RuntimeError(.storage,
                Message(en: "`\(redact(text))` is not a PostgreSQL URL: \(en)", id: "`\(redact(text))` bukan URL PostgreSQL: \(id)"),
                help: Message(en: "write it as postgres://USER@HOST:PORT/DATABASE (the password, if any, after USER: or in PGPASSWORD)",
                              id: "tulis sebagai postgres://USER@HOST:PORT/DATABASE (kata sandi, bila ada, setelah USER: atau di PGPASSWORD)"))
        }
        guard let scheme = text.range(of: "://"), isURL(text) else { throw bad("it must start with postgres://", "harus diawali postgres://") }
        var rest = Substring(text[scheme.upperBound...])
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        guard let at = rest.lastIndex(of: "@") else { throw bad("the user is missing (USER@HOST)", "pengguna tidak ada (USER@HOST)") }
        let userInfo = rest[..<at]
        let hostPart = rest[rest.index(after: at)...]
        var user = String(userInfo)
        var password: String?
        if let colon = userInfo.firstIndex(of: ":") {
            user = String(userInfo[..<colon])
            password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncoding
        }
        user = user.removingPercentEncoding ?? user
        guard !user.isEmpty else { throw bad("the user is missing (USER@HOST)", "pengguna tidak ada (USER@HOST)") }
        guard let slash = hostPart.firstIndex(of: "/") else { throw bad("the database is missing (/DATABASE)", "nama basis data tidak ada (/DATABASE)") }
        let database = String(hostPart[hostPart.index(after: slash)...]).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw bad("the database is missing (/DATABASE)", "nama basis data tidak ada (/DATABASE)") }
        let address = hostPart[..<slash]
        var host = String(address)
        var port = 5432
        if let colon = address.lastIndex(of: ":") {
            host = String(address[..<colon])
            guard let p = Int(address[address.index(after: colon)...]), (1...65535).contains(p) else {
                throw bad("the port must be a number from 1 to 65535", "port harus angka 1 sampai 65535")
            }
            port = p
        }
        guard !host.isEmpty else { throw bad("the host is missing", "host tidak ada") }
        if password == nil { password = environment["PGPASSWORD"] }
        var url = PostgresURL(user: user, password: password, host: host, port: port, database: database)
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let key = String(parts[0]), value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? "") : ""
            switch key {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    let modes = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw bad("sslmode must be one of \(modes), not `\(value)`", "sslmode harus salah satu dari \(modes), bukan `\(value)`")
                }
                url.sslmode = mode
            case "sslrootcert":
                url.sslrootcert = value
            default:
                throw bad("the parameter `\(key)` is not one the store takes (sslmode, sslrootcert)",
                          "parameter `\(key)` tidak dikenal penyimpanan (sslmode, sslrootcert)")
            }
        }
        return url
    }

    /// The URL without its password (for messages and logs).
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)" + (sslmode == .disable ? "" : "?sslmode=\(sslmode.rawValue)")
    }

    /// `text` with any password replaced by `***`.
    public static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else { return text }
        let userInfo = text[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}

/// A value bound to a query's `$n`.
public enum PGValue: Sendable {
    case int(Int?)
    case text(String?)
    case bool(Bool)
    case ints([Int])
    case texts([String])

    public static func of(_ v: Int?) -> PGValue { .int(v) }
    public static func of(_ v: String?) -> PGValue { .text(v) }
}

/// One connection to PostgreSQL, used synchronously: the case store's protocol is
/// synchronous (the desk's writer thread, the command line), so each query is sent on the
/// connection's own event loop (not the HTTP server's) and the calling thread waits for its
/// answer on a semaphore. Lost connections are made again on the next use (not inside a
/// transaction, which is then failed); while the server cannot be reached every call fails
/// at once with `R018` (HTTP 503), so a request never waits on a dead database for long.
public final class PostgresLink: @unchecked Sendable {
    public let url: PostgresURL
    /// Seconds a query may take before the connection is given up as lost.
    public var queryTimeout: Double = 30
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var lastFailure: (at: UInt64, error: RuntimeError)?
    private var nextID = 0
    /// BEGIN … COMMIT depth on this link (0: autocommit).
    private var depth = 0
    private var savepoints = 0
    /// The connection the open transaction began on.
    private var txConnection: PostgresConnection?
    private let logger: Logger

    /// The event loops of every link of this process: one thread, apart from the server's.
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    public init(url: PostgresURL) {
        self.url = url
        var l = Logger(label: "sop.postgres")
        l.logLevel = .critical
        logger = l
    }

    deinit {
        if let c = connection { Self.closeInBackground(c) }
    }

    public func close() {
        lock.lock()
        let c = connection
        connection = nil
        lock.unlock()
        if let c {
            let closing: EventLoopFuture<Void> = c.close()
            _ = try? Self.wait(closing, timeout: 5)
            withExtendedLifetime(c) {}
        }
    }

    /// Waits for a future on the calling thread (never one of the links' event loops).
    static func wait<T>(_ future: EventLoopFuture<T>, timeout: Double) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        future.whenComplete { r in
            box.result = r
            done.signal()
        }
        if done.wait(timeout: .now() + timeout) == .timedOut { throw Timeout() }
        return try box.result!.get()
    }

    struct Timeout: Error {}

    final class ResultBox<T>: @unchecked Sendable {
        var result: Result<T, Error>?
    }

    /// The open connection, made again when it was lost — outside transactions only: inside
    /// one, a lost or replaced connection fails the statement (and so the transaction).
    private func open() throws -> PostgresConnection {
        lock.lock()
        defer { lock.unlock() }
        if depth > 0 {
            guard let c = connection, c === txConnection, !c.isClosed else {
                throw RuntimeError.unavailable(url.description, "the connection was lost during a transaction")
            }
            return c
        }
        if let c = connection, !c.isClosed { return c }
        if let lost = connection {
            connection = nil
            Self.closeInBackground(lost)
        }
        // While the server is known to be down, fail at once for a quarter of a second.
        let now = DispatchTime.now().uptimeNanoseconds
        if let f = lastFailure, now - f.at < 250_000_000 { throw f.error }
        var config = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                                      database: url.database, tls: try tls())
        config.options.connectTimeout = .seconds(5)
        nextID += 1
        do {
            let c = try Self.wait(PostgresConnection.connect(on: Self.group.next(), configuration: config, id: nextID, logger: logger),
                                  timeout: 10)
            connection = c
            lastFailure = nil
            return c
        } catch {
            let e = describeConnectFailure(error)
            lastFailure = (DispatchTime.now().uptimeNanoseconds, e)
            throw e
        }
    }

    private var tlsContext: PostgresConnection.Configuration.TLS?

    /// TLS as the URL's `sslmode` asks (the context made once per link).
    private func tls() throws -> PostgresConnection.Configuration.TLS {
        if let tlsContext { return tlsContext }
        let made: PostgresConnection.Configuration.TLS
        do {
            switch url.sslmode {
            case .disable:
                made = .disable
            case .prefer, .require:
                var c = TLSConfiguration.makeClientConfiguration()
                c.certificateVerification = .none
                let context = try NIOSSLContext(configuration: c)
                made = url.sslmode == .prefer ? .prefer(context) : .require(context)
            case .verifyCA, .verifyFull:
                var c = TLSConfiguration.makeClientConfiguration()
                c.certificateVerification = url.sslmode == .verifyFull ? .fullVerification : .noHostnameVerification
                if let root = url.sslrootcert { c.trustRoots = .file(root) }
                made = .require(try NIOSSLContext(configuration: c))
            }
        } catch {
            throw RuntimeError(.storage,
                Message(en: "cannot set up TLS for \(url.description): \(error)", id: "TLS untuk \(url.description) tidak dapat disiapkan: \(error)"),
                help: Message(en: "check sslrootcert (a PEM file of CA certificates)", id: "periksa sslrootcert (berkas PEM sertifikat CA)"))
        }
        tlsContext = made
        return made
    }

    /// A failed connection attempt as a clear refusal: wrong password, unknown database or
    /// user are `R017` (fix the URL); an unreachable server is `R018` (try again).
    private func describeConnectFailure(_ error: Error) -> RuntimeError {
        if let p = error as? PSQLError, p.code == .server, let state = p.serverInfo?[.sqlState] {
            let text = p.serverInfo?[.message] ?? state
            switch state {
            case "28P01", "28000":
                return RuntimeError(.storage,
                    Message(en: "PostgreSQL refused the login of `\(url.user)` to \(url.description): \(text)",
                            id: "PostgreSQL menolak masuknya `\(url.user)` ke \(url.description): \(text)"),
                    help: Message(en: "check the user and the password (in the URL or PGPASSWORD)",
                                  id: "periksa pengguna dan kata sandinya (di URL atau PGPASSWORD)"))
            case "3D000":
                return RuntimeError(.storage,
                    Message(en: "PostgreSQL at \(url.host):\(url.port) has no database `\(url.database)`: \(text)",
                            id: "PostgreSQL di \(url.host):\(url.port) tidak punya basis data `\(url.database)`: \(text)"),
                    help: Message(en: "create it first: createdb -h \(url.host) -p \(url.port) -U \(url.user) \(url.database)",
                                  id: "buat dulu: createdb -h \(url.host) -p \(url.port) -U \(url.user) \(url.database)"))
            default:
                return RuntimeError.unavailable(url.description, text)
            }
        }
        if let p = error as? PSQLError, p.code == .sslUnsupported {
            return RuntimeError(.storage,
                Message(en: "PostgreSQL at \(url.host):\(url.port) does not offer TLS, which sslmode=\(url.sslmode.rawValue) requires",
                        id: "PostgreSQL di \(url.host):\(url.port) tidak menawarkan TLS, yang diwajibkan sslmode=\(url.sslmode.rawValue)"),
                help: Message(en: "turn on ssl in the server's postgresql.conf, or use sslmode=prefer or disable on a trusted network",
                              id: "nyalakan ssl di postgresql.conf server, atau pakai sslmode=prefer atau disable di jaringan tepercaya"))
        }
        if error is Timeout { return RuntimeError.unavailable(url.description, "no answer within 10 seconds") }
        return RuntimeError.unavailable(url.description, Self.reason(error))
    }

    static func reason(_ error: Error) -> String {
        if let p = error as? PSQLError {
            if let m = p.serverInfo?[.message] { return m }
            if p.code == .connectionError {
                let text = "\(p.underlying.map { "\($0)" } ?? "")"
                if text.contains("refused") { return "connection refused" }
                if text.lowercased().contains("timed out") || text.lowercased().contains("timeout") { return "connection timed out" }
                return "cannot connect"
            }
            if p.code == .serverClosedConnection || p.code == .uncleanShutdown { return "the server closed the connection" }
            if let u = p.underlying { return "\(p.code): \(u)" }
            return "\(p.code)"
        }
        return "\(error)"
    }

    static func binds(_ values: [PGValue]) -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for v in values {
            switch v {
            case let .int(i): if let i { binds.append(i) } else { binds.appendNull() }
            case let .text(t): if let t { binds.append(t) } else { binds.appendNull() }
            case let .bool(b): binds.append(b)
            case let .ints(a): binds.append(a)
            case let .texts(a): binds.append(a)
            }
        }
        return binds
    }

    /// Statements sent without waiting (`send`), checked when the next statement's answer
    /// arrives: the connection answers in order, so they are done by then.
    private var pending: [(future: EventLoopFuture<PostgresQueryResult>, connection: PostgresConnection)] = []

    /// Runs one statement; returns its rows, how many rows it changed and its command tag.
    /// A failure of a statement sent before it with `send` is thrown first.
    @discardableResult
    public func run(_ sql: String, _ values: [PGValue] = []) throws -> (rows: [PostgresRandomAccessRow], changed: Int, command: String) {
        let c = try open()
        let future = c.query(PostgresQuery(unsafeSQL: sql, binds: Self.binds(values)), logger: logger)
        let result: PostgresQueryResult
        do {
            result = try Self.wait(future, timeout: queryTimeout)
        } catch {
            try checkPending()
            throw classify(error, connection: c)
        }
        try checkPending()
        return (result.rows.map { $0.makeRandomAccess() }, result.metadata.rows ?? 0, result.metadata.command)
    }

    /// Sends a statement without waiting for its answer (inside a transaction: savepoints,
    /// the person on events). Its failure is thrown by the next `run`, and fails the
    /// transaction.
    public func send(_ sql: String, _ values: [PGValue] = []) throws {
        let c = try open()
        let future = c.query(PostgresQuery(unsafeSQL: sql, binds: Self.binds(values)), logger: logger)
        lock.withLock { pending.append((future, c)) }
    }

    private func checkPending() throws {
        let sent = lock.withLock { () -> [(future: EventLoopFuture<PostgresQueryResult>, connection: PostgresConnection)] in
            defer { pending.removeAll() }
            return pending
        }
        var first: Error?
        for p in sent {
            do { _ = try Self.wait(p.future, timeout: queryTimeout) } catch {
                if first == nil { first = classify(error, connection: p.connection) }
            }
        }
        if let first { throw first }
    }

    /// The SQLSTATE of a server error (`23505` unique violation, …), if it is one.
    public static func sqlState(_ error: Error) -> String? {
        if let e = error as? PostgresError { return e.state }
        return nil
    }

    /// A server's refusal of a statement keeps its SQLSTATE; a lost connection is `R018`.
    private func classify(_ error: Error, connection c: PostgresConnection) -> Error {
        if let p = error as? PSQLError, p.code == .server, let state = p.serverInfo?[.sqlState] {
            // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08xxx connection.
            if state.hasPrefix("57P") || state.hasPrefix("08") {
                drop(c)
                return RuntimeError.unavailable(url.description, p.serverInfo?[.message] ?? state)
            }
            // 40P01 deadlock, 40001 serialization failure: another node wrote the same rows
            // at the same moment; nothing of this statement was recorded (R006, 409).
            if state == "40P01" || state == "40001" {
                return RuntimeError(.conflict,
                    Message(en: "another node changed the same cases at the same moment (PostgreSQL \(state)); nothing was recorded",
                            id: "node lain mengubah kasus yang sama pada saat yang sama (PostgreSQL \(state)); tidak ada yang dicatat"),
                    help: Message(en: "look at the case again and retry if still needed", id: "lihat kembali kasus lalu ulangi bila masih perlu"))
            }
            return PostgresError(state: state, message: p.serverInfo?[.message] ?? state, detail: p.serverInfo?[.detail])
        }
        drop(c)
        if error is Timeout { return RuntimeError.unavailable(url.description, "no answer within \(Int(queryTimeout)) seconds") }
        return RuntimeError.unavailable(url.description, Self.reason(error))
    }

    private func drop(_ c: PostgresConnection) {
        lock.lock()
        if connection === c { connection = nil }
        lock.unlock()
        Self.closeInBackground(c)
    }

    /// Closes a connection without waiting, keeping it alive until its channel is closed
    /// (postgres-nio asserts that a connection is closed before it goes away).
    static func closeInBackground(_ c: PostgresConnection) {
        let closing: EventLoopFuture<Void> = c.close()
        closing.whenComplete { _ in withExtendedLifetime(c) {} }
    }

    // MARK: Transactions

    public var inTransaction: Bool { lock.withLock { depth > 0 } }

    /// Runs `body` in one REPEATABLE READ transaction (joins the open one, if any). `BEGIN` goes with the
    /// first statement; `COMMIT` is awaited and must answer `COMMIT` (PostgreSQL answers
    /// `ROLLBACK` to the commit of a failed transaction), else the whole body failed.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if lock.withLock({ depth > 0 }) { return try body() }
        let c = try open()
        lock.withLock { depth = 1; txConnection = c }
        defer { lock.withLock { depth = 0; txConnection = nil } }
        do {
            // REPEATABLE READ: every read of the transaction sees one snapshot, so a command
            // that loads a case twice cannot see another node's commit in between; writing a
            // row another node changed since is refused (40001, R006).
            try send("BEGIN ISOLATION LEVEL REPEATABLE READ")
            let result = try body()
            // Still at depth 1: a connection lost now is not silently made again for COMMIT.
            let tag = try run("COMMIT").command
            guard tag == "COMMIT" else {
                throw RuntimeError(.storage, Message(en: "PostgreSQL rolled the transaction back (\(tag))",
                                                     id: "PostgreSQL membatalkan transaksi (\(tag))"))
            }
            return result
        } catch {
            lock.withLock { pending.removeAll() }
            if !c.isClosed {
                _ = try? Self.wait(c.query("ROLLBACK", logger: logger), timeout: 5)
            }
            throw error
        }
    }

    /// Runs `body` in a savepoint of the open transaction (a transaction of its own outside
    /// one): when it throws, what it wrote is undone and the transaction goes on. The
    /// savepoint and its release go with the statements around them (no wait of their own).
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        guard lock.withLock({ depth > 0 }) else { return try transaction(body) }
        let name = "sp\(savepoints)"
        savepoints += 1
        defer { savepoints -= 1 }
        try send("SAVEPOINT \(name)")
        do {
            let result = try body()
            try send("RELEASE SAVEPOINT \(name)")
            return result
        } catch {
            // A lost connection cannot roll back: the whole transaction fails with it.
            if let e = error as? RuntimeError, e.code == .unavailable { throw error }
            try run("ROLLBACK TO SAVEPOINT \(name)")
            throw error
        }
    }

    /// Runs the statements of `migrations` not yet applied, in order, each in its own
    /// transaction, under an advisory lock so that nodes starting together apply each once.
    public func migrate(_ migrations: [(name: String, sql: [String])]) throws {
        try transaction {
            try run("SELECT pg_advisory_xact_lock(7270014)")
            try run("CREATE TABLE IF NOT EXISTS sop_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            let done = Set(try run("SELECT name FROM sop_migrations").rows.map { try $0.text(0) })
            for m in migrations where !done.contains(m.name) {
                for statement in m.sql { try run(statement) }
                try run("INSERT INTO sop_migrations (name) VALUES ($1)", [.text(m.name)])
            }
        }
    }
}

/// A statement PostgreSQL refused, with its SQLSTATE.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public var state: String
    public var message: String
    public var detail: String?
    public var description: String { "PostgreSQL \(state): \(message)" + (detail.map { " (\($0))" } ?? "") }
}

extension PostgresRandomAccessRow {
    public func int(_ i: Int) throws -> Int { try self[i].decode(Int.self) }
    public func intOrNil(_ i: Int) throws -> Int? { try self[i].decode(Int?.self) }
    public func text(_ i: Int) throws -> String { try self[i].decode(String.self) }
    public func textOrNil(_ i: Int) throws -> String? { try self[i].decode(String?.self) }
    public func bool(_ i: Int) throws -> Bool { try self[i].decode(Bool.self) }
}
