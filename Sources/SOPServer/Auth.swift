import Foundation
import Hummingbird
import SOPDiagnostics
import SOPIdentity
import SOPIR

/// A logged-in browser: who, its CSRF token (hidden field of every form), when it expires.
public struct Session: Sendable {
    public var id: String
    public var userName: String
    public var csrf: String
    public var expires: Int64
}

/// Random hex of `bytes` bytes from the system's generator.
func randomHex(_ bytes: Int) -> String {
    var g = SystemRandomNumberGenerator()
    let hex = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes * 2)
    for _ in 0..<bytes {
        let b = UInt8.random(in: 0...255, using: &g)
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Sessions in the store (SQLite or PostgreSQL, beside the users), keyed by the SHA-256 of
/// the cookie's value (a leaked table holds no usable cookie): a login on one node works on
/// every node behind the load balancer, and a restart logs no one out.
public final class SessionStore: Sendable {
    let users: UserStore
    let lifetime: Int64

    init(users: UserStore, lifetime: Int64) {
        self.users = users
        self.lifetime = lifetime
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// A new session for `user`; returns the cookie value (shown once, to the browser).
    public func create(for user: String) throws -> (cookie: String, session: Session) {
        let cookie = randomHex(32)
        let session = Session(id: UserStore.sessionKey(cookie: cookie), userName: user, csrf: randomHex(16), expires: Self.now() + lifetime)
        try users.saveSession(StoredSession(key: session.id, userName: user, csrf: session.csrf, expires: session.expires))
        return (cookie, session)
    }

    /// The live session of a cookie, its expiry moved on.
    func session(cookie: String) throws -> Session? {
        try users.session(cookie: cookie, lifetime: lifetime).map {
            Session(id: $0.key, userName: $0.userName, csrf: $0.csrf, expires: $0.expires)
        }
    }

    func remove(_ id: String) throws { try users.removeSession(key: id) }
}

/// Login throttling: after `limit` failures for a name (or four times as many from one
/// address, which an office may share) within the pause, every attempt is refused (429)
/// until the pause ends, whether the password is right or not, and whether the name exists
/// or not.
public final class LoginThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: (count: Int, since: Int64)] = [:]
    let limit: Int
    let pause: Int64

    init(limit: Int, pause: Int64) {
        self.limit = limit
        self.pause = pause
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    func isBlocked(_ keys: [String]) -> Bool {
        let now = Self.now()
        return lock.withLock {
            keys.contains { k in
                guard let f = failures[k] else { return false }
                if now - f.since > pause { failures[k] = nil; return false }
                return f.count >= (k.hasPrefix("addr:") ? limit * 4 : limit)
            }
        }
    }

    func fail(_ keys: [String]) {
        let now = Self.now()
        lock.withLock {
            for k in keys {
                if let f = failures[k], now - f.since <= pause { failures[k] = (f.count + 1, f.since) } else { failures[k] = (1, now) }
            }
        }
    }

    func succeed(_ keys: [String]) { lock.withLock { for k in keys { failures[k] = nil } } }
}

extension ServerState {
    /// Runs a blocking read of the store on a GCD thread when the store is PostgreSQL (a
    /// network round trip), so that it never holds one of Swift's few cooperative threads
    /// (two on two cores) while it waits; on SQLite (microseconds, no network) it runs here.
    func offPool<T>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        guard desk.location.isShared else { return try body() }
        let box = OffPoolResult<T>()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                box.result = Result { try body() }
                c.resume()
            }
        }
        return try box.result!.get()
    }
}

private final class OffPoolResult<T>: @unchecked Sendable { var result: Result<T, Error>? }

/// Finds who asks: `Authorization: Bearer sop_…` (scripts) or the `sop_session` cookie
/// (browsers). A request with neither stays anonymous; handlers that need a person refuse it
/// (401). A bearer header that is wrong never falls back to the cookie: the request stays
/// anonymous and is refused the same way, with the token named as the cause.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = SOPRequestContext
    let state: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let auth = request.headers[.authorization] {
            let users = state.users
            let token = String(auth.dropFirst(7))
            if auth.hasPrefix("Bearer "), let user = try await state.offPool({ try users.authenticate(token: token) }) {
                context.user = user
            } else {
                context.badToken = true
            }
        } else if let cookie = request.cookies["sop_session"]?.value {
            let (users, sessions) = (state.users, state.sessions)
            let found = try await state.offPool { () throws -> (User, Session)? in
                guard let session = try sessions.session(cookie: cookie) else { return nil }
                if let user = try users.user(named: session.userName), !user.disabled { return (user, session) }
                try sessions.remove(session.id)
                return nil
            }
            if let (user, session) = found {
                context.user = user
                context.session = session
            }
        }
        return try await next(request, context)
    }
}

extension SOPRequestContext {
    /// The authenticated user, or 401.
    func requireUser() throws -> User {
        if badToken { throw ServerError(.unauthorized, Message(en: "the API token is not valid", id: "token API tidak sah")) }
        guard let user else { throw ServerError.unauthenticated }
        return user
    }
}
