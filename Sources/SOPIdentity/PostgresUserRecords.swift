import Foundation
import PostgresNIO
import SOPDiagnostics
import SOPPostgres

/// The rows in PostgreSQL (the same tables as SQLite's), on a connection of their own.
final class PostgresUserRecords: UserRecords {
    /// PostgreSQL gives no cheap change counter: nothing is kept.
    func changeStamp() -> Int64? { nil }
    private let link: PostgresLink

    init(url: PostgresURL) throws {
        link = PostgresLink(url: url)
        try link.migrate(Self.migrations)
    }

    static let migrations: [(name: String, sql: [String])] = [
        ("identity-v1", [
            """
            CREATE TABLE users (
                name TEXT PRIMARY KEY, display_name TEXT NOT NULL, password_hash TEXT NOT NULL,
                roles TEXT NOT NULL, disabled BOOLEAN NOT NULL DEFAULT FALSE, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE api_tokens (
                hash TEXT PRIMARY KEY, user_name TEXT NOT NULL REFERENCES users(name),
                label TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE TABLE sessions (key TEXT PRIMARY KEY, user_name TEXT NOT NULL, csrf TEXT NOT NULL, expires BIGINT NOT NULL)",
            "CREATE INDEX sessions_expires ON sessions (expires)",
        ]),
    ]

    static let userColumns = "name, display_name, roles, disabled, password_hash, created_at"

    static func user(_ r: PostgresRandomAccessRow) throws -> User {
        User(name: try r.text(0), displayName: try r.text(1), roles: try r.text(2).split(separator: "\n").map(String.init),
             disabled: try r.bool(3))
    }

    func insert(_ user: User, hash: String, createdAt: Int64) throws -> Bool {
        try link.run("""
            INSERT INTO users (name, display_name, password_hash, roles, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (name) DO NOTHING
            """, [.text(user.name), .text(user.displayName), .text(hash), .text(user.roles.joined(separator: "\n")),
                  .bool(user.disabled), .int(Int(createdAt))]).changed == 1
    }

    func all() throws -> [User] {
        try link.run("SELECT \(Self.userColumns) FROM users ORDER BY name").rows.map(Self.user)
    }

    func find(_ name: String) throws -> (user: User, hash: String)? {
        guard let r = try link.run("SELECT \(Self.userColumns) FROM users WHERE name = $1", [.text(name)]).rows.first else { return nil }
        return (try Self.user(r), try r.text(4))
    }

    func setDisabled(_ name: String, _ disabled: Bool) throws -> Bool {
        try link.run("UPDATE users SET disabled = $1 WHERE name = $2", [.bool(disabled), .text(name)]).changed == 1
    }

    func setHash(_ name: String, _ hash: String) throws -> Bool {
        try link.run("UPDATE users SET password_hash = $1 WHERE name = $2", [.text(hash), .text(name)]).changed == 1
    }

    func setRoles(_ name: String, _ roles: String) throws -> Bool {
        try link.run("UPDATE users SET roles = $1 WHERE name = $2", [.text(roles), .text(name)]).changed == 1
    }

    func insertToken(hash: String, user: String, label: String, createdAt: Int64) throws -> Bool {
        try link.run("INSERT INTO api_tokens (hash, user_name, label, created_at) SELECT $1, name, $2, $3 FROM users WHERE name = $4",
                     [.text(hash), .text(label), .int(Int(createdAt)), .text(user)]).changed == 1
    }

    func deleteTokens(of name: String) throws -> Int? {
        guard try !link.run("SELECT 1 FROM users WHERE name = $1", [.text(name)]).rows.isEmpty else { return nil }
        return try link.run("DELETE FROM api_tokens WHERE user_name = $1", [.text(name)]).changed
    }

    func user(tokenHash: String) throws -> User? {
        try link.run("""
            SELECT u.name, u.display_name, u.roles, u.disabled FROM api_tokens t JOIN users u ON u.name = t.user_name WHERE t.hash = $1
            """, [.text(tokenHash)]).rows.first.map(Self.user)
    }

    func insertSession(_ s: StoredSession) throws {
        try link.run("INSERT INTO sessions (key, user_name, csrf, expires) VALUES ($1, $2, $3, $4)",
                     [.text(s.key), .text(s.userName), .text(s.csrf), .int(Int(s.expires))])
    }

    func session(key: String) throws -> StoredSession? {
        try link.run("SELECT key, user_name, csrf, expires FROM sessions WHERE key = $1", [.text(key)]).rows.first.map {
            StoredSession(key: try $0.text(0), userName: try $0.text(1), csrf: try $0.text(2), expires: Int64(try $0.int(3)))
        }
    }

    func setSessionExpiry(key: String, expires: Int64) throws {
        try link.run("UPDATE sessions SET expires = $1 WHERE key = $2", [.int(Int(expires)), .text(key)])
    }

    func deleteSession(key: String) throws {
        try link.run("DELETE FROM sessions WHERE key = $1", [.text(key)])
    }

    func deleteSessions(expiredBy now: Int64) throws {
        try link.run("DELETE FROM sessions WHERE expires <= $1", [.int(Int(now))])
    }

    func dump() throws -> IdentityDump {
        let users = try link.run("SELECT \(Self.userColumns) FROM users ORDER BY name").rows.map {
            IdentityDump.UserRow(user: try Self.user($0), passwordHash: try $0.text(4), createdAt: Int64(try $0.int(5)))
        }
        let tokens = try link.run("SELECT hash, user_name, label, created_at FROM api_tokens ORDER BY hash").rows.map {
            IdentityDump.TokenRow(hash: try $0.text(0), userName: try $0.text(1), label: try $0.text(2), createdAt: Int64(try $0.int(3)))
        }
        return IdentityDump(users: users, tokens: tokens)
    }

    func load(_ dump: IdentityDump) throws {
        try link.transaction {
            for u in dump.users {
                try link.run("INSERT INTO users (name, display_name, password_hash, roles, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                             [.text(u.user.name), .text(u.user.displayName), .text(u.passwordHash), .text(u.user.roles.joined(separator: "\n")),
                              .bool(u.user.disabled), .int(Int(u.createdAt))])
            }
            for t in dump.tokens {
                try link.run("INSERT INTO api_tokens (hash, user_name, label, created_at) VALUES ($1, $2, $3, $4)",
                             [.text(t.hash), .text(t.userName), .text(t.label), .int(Int(t.createdAt))])
            }
        }
    }
}
