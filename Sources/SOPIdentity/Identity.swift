import Foundation
import GRDB
import HummingbirdBcrypt
import SOPDiagnostics
import SOPIR
import SOPStore
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

/// A logged-in browser as the store keeps it: the SHA-256 of its cookie (never the cookie),
/// the user, its CSRF token and when it expires (seconds since 1970). Kept in the store so
/// that a login on one node works on every node and survives a restart.
public struct StoredSession: Hashable, Sendable {
    public var key: String
    public var userName: String
    public var csrf: String
    public var expires: Int64
    public init(key: String, userName: String, csrf: String, expires: Int64) {
        self.key = key
        self.userName = userName
        self.csrf = csrf
        self.expires = expires
    }
}

/// Every user and token as stored (hashes only), for `sop store copy`.
public struct IdentityDump: Sendable, Equatable {
    public struct UserRow: Sendable, Equatable {
        public var user: User
        public var passwordHash: String
        public var createdAt: Int64
    }
    public struct TokenRow: Sendable, Equatable {
        public var hash: String
        public var userName: String
        public var label: String
        public var createdAt: Int64
    }
    public var users: [UserRow]
    public var tokens: [TokenRow]
}

/// Where the rows are: SQLite (GRDB) or PostgreSQL. `UserStore` holds the rules (names,
/// password lengths, bcrypt, token format); a backend only reads and writes rows.
protocol UserRecords: Sendable {
    /// False when the name is taken.
    func insert(_ user: User, hash: String, createdAt: Int64) throws -> Bool
    func all() throws -> [User]
    func find(_ name: String) throws -> (user: User, hash: String)?
    /// Each false when there is no such user.
    func setDisabled(_ name: String, _ disabled: Bool) throws -> Bool
    func setHash(_ name: String, _ hash: String) throws -> Bool
    func setRoles(_ name: String, _ roles: String) throws -> Bool
    func insertToken(hash: String, user: String, label: String, createdAt: Int64) throws -> Bool
    /// Nil when there is no such user.
    func deleteTokens(of name: String) throws -> Int?
    func user(tokenHash: String) throws -> User?
    /// A number that changes whenever anything is committed to the store (nil: keep nothing).
    func changeStamp() -> Int64?
    func insertSession(_ s: StoredSession) throws
    func session(key: String) throws -> StoredSession?
    func setSessionExpiry(key: String, expires: Int64) throws
    func deleteSession(key: String) throws
    func deleteSessions(expiredBy now: Int64) throws
    func dump() throws -> IdentityDump
    func load(_ dump: IdentityDump) throws
}

/// Users, API tokens and sessions in the case store (tables `users`, `api_tokens`,
/// `sessions`), created by their own migrations beside the store's, in the SQLite file or
/// the PostgreSQL database `--db` names. Passwords are kept as bcrypt hashes; tokens and
/// session cookies as the hex SHA-256 of the value (random, 256 bits, so a fast hash
/// suffices), shown once when made. Safe to use from many threads.
public final class UserStore: Sendable {
    private let records: any UserRecords
    /// The user of each token hash asked for (nil: none), kept while nothing is committed.
    private let tokens = StampedCache<String, User?>(limit: 4096)
    /// bcrypt's cost: 2^cost rounds (12 by default; tests lower it).
    public let cost: UInt8
    /// Where the users are (a path, or a URL without its password).
    public let location: String

    public convenience init(path: String, cost: UInt8 = 12) throws {
        try self.init(location: .sqlite(path: path), cost: cost)
    }

    public init(location: StoreLocation, cost: UInt8 = 12) throws {
        self.cost = cost
        self.location = location.description
        switch location {
        case let .sqlite(path): records = try SQLiteUserRecords(path: path)
        case let .postgres(url): records = try PostgresUserRecords(url: url)
        }
    }

    /// A valid login name, or nil.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy { s in
            ("a"..."z").contains(s) || ("0"..."9").contains(s) || s == "." || s == "-" || s == "_"
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// Adds a user; refuses a taken name, an invalid name or a password under 8 characters.
    public func add(_ user: User, password: String) throws {
        guard Self.isValidName(user.name) else {
            throw IdentityError(Message(en: "`\(user.name)` is not a valid user name: use lower-case letters, digits, `.`, `-` or `_`",
                                        id: "`\(user.name)` bukan nama pengguna yang sah: pakai huruf kecil, angka, `.`, `-` atau `_`"))
        }
        try Self.checkPassword(password)
        let hash = Bcrypt.hash(password, cost: cost)
        guard try records.insert(user, hash: hash, createdAt: Self.now()) else {
            throw IdentityError(Message(en: "a user `\(user.name)` already exists", id: "pengguna `\(user.name)` sudah ada"))
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
    public func list() throws -> [User] { try records.all() }

    public func user(named name: String) throws -> User? { try records.find(name)?.user }

    static func noUser(_ name: String) -> IdentityError {
        IdentityError(Message(en: "no user `\(name)`", id: "tidak ada pengguna `\(name)`"))
    }

    /// Disables (or enables) a user: a disabled user cannot log in and their tokens stop working.
    public func setDisabled(_ name: String, _ disabled: Bool) throws {
        guard try records.setDisabled(name, disabled) else { throw Self.noUser(name) }
    }

    public func setPassword(_ name: String, _ password: String) throws {
        try Self.checkPassword(password)
        guard try records.setHash(name, Bcrypt.hash(password, cost: cost)) else { throw Self.noUser(name) }
    }

    public func setRoles(_ name: String, _ roles: [String]) throws {
        guard try records.setRoles(name, roles.joined(separator: "\n")) else { throw Self.noUser(name) }
    }

    /// The user whose password this is, if enabled; nil for an unknown user, a wrong
    /// password or a disabled user alike (no way to tell which). An unknown user costs a
    /// bcrypt check too, so timing does not tell either.
    public func authenticate(name: String, password: String) throws -> User? {
        guard let (user, hash) = try records.find(name) else {
            _ = Bcrypt.verify(password, hash: Self.dummyHash)
            return nil
        }
        guard Bcrypt.verify(password, hash: hash) else { return nil }
        return user.disabled ? nil : user
    }

    /// A hash of nothing anyone knows, to spend the same time on an unknown user.
    private static let dummyHash = Bcrypt.hash("sop-no-such-user-\(UInt64.random(in: 0...UInt64.max))", cost: 12)

    /// Makes a new API token for `name`; returns it (the only time it is shown).
    public func makeToken(for name: String, label: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token = "sop_" + bytes.map { String(format: "%02x", $0) }.joined()
        guard try records.insertToken(hash: Self.tokenHash(token), user: name, label: label, createdAt: Self.now()) else {
            throw Self.noUser(name)
        }
        return token
    }

    /// Removes every token of a user; returns how many.
    @discardableResult
    public func revokeTokens(of name: String) throws -> Int {
        guard let n = try records.deleteTokens(of: name) else { throw Self.noUser(name) }
        return n
    }

    /// The enabled user holding this token, if any. Every API request asks: the answer for a
    /// token hash is kept until anything is committed to the store (a user disabled, a token
    /// made or revoked, by this process or a shell's `sop user`), on SQLite.
    public func authenticate(token: String) throws -> User? {
        guard token.hasPrefix("sop_"), token.utf8.count == 68 else { return nil }
        let hash = Self.tokenHash(token)
        guard let user = try tokens.value(hash, stamp: records.changeStamp(), read: { try records.user(tokenHash: hash) }) else { return nil }
        return user.disabled ? nil : user
    }

    static func tokenHash(_ token: String) -> String { SHA256.hex(Array(token.utf8)) }

    // MARK: Sessions

    /// The key a session is kept under: the SHA-256 of its cookie.
    public static func sessionKey(cookie: String) -> String { SHA256.hex(Array(cookie.utf8)) }

    public func saveSession(_ session: StoredSession) throws {
        try records.insertSession(session)
        // Now and then, sessions that expired are removed.
        if UInt8.random(in: 0...255) == 0 { try records.deleteSessions(expiredBy: Self.now()) }
    }

    /// The live session of a cookie, its expiry moved on to `now + lifetime` (written at
    /// most once a minute per session, not on every request); nil when unknown or expired.
    public func session(cookie: String, lifetime: Int64) throws -> StoredSession? {
        let key = Self.sessionKey(cookie: cookie)
        guard var s = try records.session(key: key) else { return nil }
        let now = Self.now()
        guard s.expires > now else {
            try records.deleteSession(key: key)
            return nil
        }
        if now + lifetime - s.expires >= 60 {
            s.expires = now + lifetime
            try records.setSessionExpiry(key: key, expires: s.expires)
        }
        return s
    }

    public func removeSession(key: String) throws { try records.deleteSession(key: key) }

    // MARK: Copy

    /// Every user and token as stored (hashes only).
    public func dump() throws -> IdentityDump { try records.dump() }

    /// Writes users and tokens read from another store (into an empty one).
    public func load(_ dump: IdentityDump) throws { try records.load(dump) }
}

/// The rows in the SQLite file, through GRDB.
final class SQLiteUserRecords: UserRecords {
    private let pool: DatabasePool
    private let stamp: SQLiteChangeStamp

    init(path: String) throws {
        stamp = SQLiteChangeStamp(path: path)
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
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
        // v2: sessions in the store (they were in memory): a restart keeps people logged in.
        m.registerMigration("identity-v2") { db in
            try db.execute(sql: """
                CREATE TABLE sessions (
                    key TEXT PRIMARY KEY, user_name TEXT NOT NULL, csrf TEXT NOT NULL, expires INTEGER NOT NULL);
                CREATE INDEX sessions_expires ON sessions (expires);
                """)
        }
        return m
    }

    static func user(_ row: Row) -> User {
        let roles: String = row["roles"]
        return User(name: row["name"], displayName: row["display_name"],
                    roles: roles.split(separator: "\n").map(String.init), disabled: row["disabled"])
    }

    func insert(_ user: User, hash: String, createdAt: Int64) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO users (name, display_name, password_hash, roles, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO NOTHING
                """, arguments: [user.name, user.displayName, hash, user.roles.joined(separator: "\n"), user.disabled, createdAt])
            return db.changesCount == 1
        }
    }

    func all() throws -> [User] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY name").map(Self.user) }
    }

    func find(_ name: String) throws -> (user: User, hash: String)? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE name = ?", arguments: [name]).map { (Self.user($0), $0["password_hash"]) }
        }
    }

    private func update(_ sql: String, _ arguments: StatementArguments) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount == 1
        }
    }

    func setDisabled(_ name: String, _ disabled: Bool) throws -> Bool {
        try update("UPDATE users SET disabled = ? WHERE name = ?", [disabled, name])
    }

    func setHash(_ name: String, _ hash: String) throws -> Bool {
        try update("UPDATE users SET password_hash = ? WHERE name = ?", [hash, name])
    }

    func setRoles(_ name: String, _ roles: String) throws -> Bool {
        try update("UPDATE users SET roles = ? WHERE name = ?", [roles, name])
    }

    func insertToken(hash: String, user: String, label: String, createdAt: Int64) throws -> Bool {
        try update("INSERT INTO api_tokens (hash, user_name, label, created_at) SELECT ?, name, ?, ? FROM users WHERE name = ?",
                   [hash, label, createdAt, user])
    }

    func deleteTokens(of name: String) throws -> Int? {
        try pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE name = ?", arguments: [name]) ?? false else { return nil }
            try db.execute(sql: "DELETE FROM api_tokens WHERE user_name = ?", arguments: [name])
            return db.changesCount
        }
    }

    func changeStamp() -> Int64? { stamp.current() }

    // The two lookups of every request: one statement each, so no transaction around it
    // (`unsafeRead`: one statement reads one snapshot), and a statement prepared once per
    // connection.
    func user(tokenHash: String) throws -> User? {
        try pool.unsafeRead { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT u.* FROM api_tokens t JOIN users u ON u.name = t.user_name WHERE t.hash = ?"),
                             arguments: [tokenHash]).map(Self.user)
        }
    }

    func insertSession(_ s: StoredSession) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO sessions (key, user_name, csrf, expires) VALUES (?, ?, ?, ?)",
                           arguments: [s.key, s.userName, s.csrf, s.expires])
        }
    }

    func session(key: String) throws -> StoredSession? {
        try pool.unsafeRead { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE key = ?"), arguments: [key]).map {
                StoredSession(key: $0["key"], userName: $0["user_name"], csrf: $0["csrf"], expires: $0["expires"])
            }
        }
    }

    func setSessionExpiry(key: String, expires: Int64) throws {
        _ = try update("UPDATE sessions SET expires = ? WHERE key = ?", [expires, key])
    }

    func deleteSession(key: String) throws {
        _ = try update("DELETE FROM sessions WHERE key = ?", [key])
    }

    func deleteSessions(expiredBy now: Int64) throws {
        _ = try update("DELETE FROM sessions WHERE expires <= ?", [now])
    }

    func dump() throws -> IdentityDump {
        try pool.read { db in
            let users = try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY name").map {
                IdentityDump.UserRow(user: Self.user($0), passwordHash: $0["password_hash"], createdAt: $0["created_at"])
            }
            let tokens = try Row.fetchAll(db, sql: "SELECT * FROM api_tokens ORDER BY hash").map {
                IdentityDump.TokenRow(hash: $0["hash"], userName: $0["user_name"], label: $0["label"], createdAt: $0["created_at"])
            }
            return IdentityDump(users: users, tokens: tokens)
        }
    }

    func load(_ dump: IdentityDump) throws {
        try pool.write { db in
            for u in dump.users {
                try db.execute(sql: "INSERT INTO users (name, display_name, password_hash, roles, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [u.user.name, u.user.displayName, u.passwordHash, u.user.roles.joined(separator: "\n"),
                                           u.user.disabled, u.createdAt])
            }
            for t in dump.tokens {
                try db.execute(sql: "INSERT INTO api_tokens (hash, user_name, label, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [t.hash, t.userName, t.label, t.createdAt])
            }
        }
    }
}
