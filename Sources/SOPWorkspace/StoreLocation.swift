import Foundation
import SOPDiagnostics
import SOPPostgres
import SOPRuntime
import SOPStore

/// Where cases (and users) are kept, as `--db` names it everywhere: a SQLite file (the
/// default, nothing to configure) or a PostgreSQL database, `postgres://USER@HOST:PORT/DB`,
/// which several `sop serve` nodes share. The command line, the server and `sop store copy`
/// all choose the store here.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// Reads `--db`: a `postgres://` URL, else a SQLite file's path.
    public init(parsing db: String) throws {
        if PostgresURL.isURL(db) {
            self = .postgres(try PostgresURL.parse(db))
        } else if db.contains("://") {
            throw RuntimeError(.storage,
                Message(en: "`\(PostgresURL.redact(db))` is neither a file nor a postgres:// URL",
                        id: "`\(PostgresURL.redact(db))` bukan berkas dan bukan URL postgres://"),
                help: Message(en: "give a SQLite file (sop.db) or postgres://USER@HOST:PORT/DATABASE",
                              id: "berikan berkas SQLite (sop.db) atau postgres://USER@HOST:PORT/DATABASE"))
        } else {
            self = .sqlite(path: db)
        }
    }

    /// `--db` as it may be shown: a URL's password replaced by `***`.
    public static func redact(_ db: String) -> String { PostgresURL.redact(db) }

    /// A store several nodes may share (timers are then looked for every second, since
    /// another node may have started a case).
    public var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The path, or the URL without its password.
    public var description: String {
        switch self {
        case let .sqlite(path): return path
        case let .postgres(url): return url.description
        }
    }

    /// Opens the case store (created, or migrated, on first use).
    public func openCaseStore() throws -> DeskStore {
        switch self {
        case let .sqlite(path): return try SQLiteCaseStore(path: path)
        case let .postgres(url): return try PostgresCaseStore(url: url)
        }
    }
}
