import Foundation
import GRDB
import HummingbirdBcrypt
import SOPDiagnostics
import SOPIR
import SOPWorkspace

/// A person who may log in: a name, roles, a bcrypt password hash (never the password).
public struct User: Hashable, Sendable {
    /// The login name: lower-case letters, digits, `.`, `-`, `_` (1 to 64 characters).
    public var name: String
    public var displayName: String
    /// `admin`, `viewer`, or actors: an actor key (`penghubung`), an actor's name
    /// ("Pejabat Penghubung", matched across the catalogue) or `sop-id:key` for one SOP's actor.
    public var roles: [String]
    public var disabled: Bool

    public init(name: String, displayName: String, roles: [String], disabled: Bool = false) {
        self.name = name
        self.displayName = displayName
        self.roles = roles
        self.disabled = disabled
    }

    public var isAdmin: Bool { roles.contains(Role.admin) }

    /// The person as the case desk sees them: name and roles.
    public var person: Person { Person(name: name, roles: roles) }
}

/// A refusal of a user command: a clear message in both languages.
public struct IdentityError: Error, CustomStringConvertible, Sendable {
    public var message: Message
    public init(_ message: Message) { self.message = message }
    public var description: String { message.en }
}

/// Users and API tokens in the case store's SQLite file (tables `users`, `api_tokens`),
/// created by its own GRDB migrations beside the store's. Passwords are kept as bcrypt
/// hashes; tokens as the hex SHA-256 of the token (a token is random, 256 bits, so a fast
/// hash suffices), shown once when made. Safe to use from many threads.
public final class UserStore: Sendable {
    private let pool: DatabasePool
    /// bcrypt's cost: 2^cost rounds (12 by default; tests lower it).
    public let cost: UInt8

    public init(path: String, cost: UInt8 = 12) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        self.cost = cost
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch {
            throw IdentityError(Message(en: "cannot open the user store \(path): \(error)",
                                        id: "penyimpanan pengguna \(path) tidak dapat dibuka: \(error)"))
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("identity-v1") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    name TEXT PRIMARY KEY, display_name TEXT NOT NULL, password_hash TEXT NOT NULL,
                    roles TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
                CREATE TABLE api_tokens (
                    hash TEXT PRIMARY KEY, user_name TEXT NOT NULL REFERENCES users(name),
                    label TEXT NOT NULL, created_at INTEGER NOT NULL);
                """)
        }
        return m
    }

    /// A valid login name, or nil.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy { s in
            ("a"..."z").contains(s) || ("0"..."9").contains(s) || s == "." || s == "-" || s == "_"
        }
    }

    /// Adds a user; refuses a taken name, an invalid name or a password under 8 characters.
    public func add(_ user: User, password: String) throws {
        guard Self.isValidName(user.name) else {
            throw IdentityError(Message(en: "`\(user.name)` is not a valid user name: use lower-case letters, digits, `.`, `-` or `_`",
                                        id: "`\(user.name)` bukan nama pengguna yang sah: pakai huruf kecil, angka, `.`, `-` atau `_`"))
        }
        try Self.checkPassword(password)
        let hash = Bcrypt.hash(password, cost: cost)
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE name = ?", arguments: [user.name]) ?? false {
                throw IdentityError(Message(en: "a user `\(user.name)` already exists", id: "pengguna `\(user.name)` sudah ada"))
            }
            try db.execute(sql: "INSERT INTO users (name, display_name, password_hash, roles, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [user.name, user.displayName, hash, user.roles.joined(separator: "\n"), user.disabled,
                                       Int64(Date().timeIntervalSince1970)])
        }
    }

    static func checkPassword(_ password: String) throws {
        guard password.count >= 8 else {
            throw IdentityError(Message(en: "the password is too short: at least 8 characters",
                                        id: "kata sandi terlalu pendek: paling sedikit 8 karakter"))
        }
        // bcrypt reads at most 72 bytes: a longer password would be silently cut.
        guard password.utf8.count <= 72 else {
            throw IdentityError(Message(en: "the password is too long: at most 72 bytes",
                                        id: "kata sandi terlalu panjang: paling banyak 72 byte"))
        }
    }

    /// Every user, by name.
    public func list() throws -> [User] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY name").map(Self.user) }
    }

    public func user(named name: String) throws -> User? {
        try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM users WHERE name = ?", arguments: [name]).map(Self.user) }
    }

    static func user(_ row: Row) -> User {
        let roles: String = row["roles"]
        return User(name: row["name"], displayName: row["display_name"],
                    roles: roles.split(separator: "\n").map(String.init), disabled: row["disabled"])
    }

    private func requireUser(_ db: Database, _ name: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE name = ?", arguments: [name]) ?? false else {
            throw IdentityError(Message(en: "no user `\(name)`", id: "tidak ada pengguna `\(name)`"))
        }
    }

    /// Disables (or enables) a user: a disabled user cannot log in and their tokens stop working.
    public func setDisabled(_ name: String, _ disabled: Bool) throws {
        try pool.write { db in
            try requireUser(db, name)
            try db.execute(sql: "UPDATE users SET disabled = ? WHERE name = ?", arguments: [disabled, name])
        }
    }

    public func setPassword(_ name: String, _ password: String) throws {
        try Self.checkPassword(password)
        let hash = Bcrypt.hash(password, cost: cost)
        try pool.write { db in
            try requireUser(db, name)
            try db.execute(sql: "UPDATE users SET password_hash = ? WHERE name = ?", arguments: [hash, name])
        }
    }

    public func setRoles(_ name: String, _ roles: [String]) throws {
        try pool.write { db in
            try requireUser(db, name)
            try db.execute(sql: "UPDATE users SET roles = ? WHERE name = ?", arguments: [roles.joined(separator: "\n"), name])
        }
    }

    /// The user whose password this is, if enabled; nil for an unknown user, a wrong
    /// password or a disabled user alike (no way to tell which). An unknown user costs a
    /// bcrypt check too, so timing does not tell either.
    public func authenticate(name: String, password: String) throws -> User? {
        let row = try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM users WHERE name = ?", arguments: [name]) }
        guard let row else {
            _ = Bcrypt.verify(password, hash: Self.dummyHash)
            return nil
        }
        let hash: String = row["password_hash"]
        guard Bcrypt.verify(password, hash: hash) else { return nil }
        let user = Self.user(row)
        return user.disabled ? nil : user
    }

    /// A hash of nothing anyone knows, to spend the same time on an unknown user.
    private static let dummyHash = Bcrypt.hash("sop-no-such-user-\(UInt64.random(in: 0...UInt64.max))", cost: 12)

    /// Makes a new API token for `name`; returns it (the only time it is shown).
    public func makeToken(for name: String, label: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token = "sop_" + bytes.map { String(format: "%02x", $0) }.joined()
        try pool.write { db in
            try requireUser(db, name)
            try db.execute(sql: "INSERT INTO api_tokens (hash, user_name, label, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [Self.tokenHash(token), name, label, Int64(Date().timeIntervalSince1970)])
        }
        return token
    }

    /// Removes every token of a user; returns how many.
    @discardableResult
    public func revokeTokens(of name: String) throws -> Int {
        try pool.write { db in
            try requireUser(db, name)
            try db.execute(sql: "DELETE FROM api_tokens WHERE user_name = ?", arguments: [name])
            return db.changesCount
        }
    }

    /// The enabled user holding this token, if any.
    public func authenticate(token: String) throws -> User? {
        guard token.hasPrefix("sop_"), token.utf8.count == 68 else { return nil }
        let row = try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT u.* FROM api_tokens t JOIN users u ON u.name = t.user_name WHERE t.hash = ?",
                             arguments: [Self.tokenHash(token)])
        }
        guard let row else { return nil }
        let user = Self.user(row)
        return user.disabled ? nil : user
    }

    static func tokenHash(_ token: String) -> String { SHA256.hex(Array(token.utf8)) }
}
