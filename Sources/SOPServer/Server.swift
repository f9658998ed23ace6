import Foundation
import Hummingbird
import Logging
import NIOCore
import SOPDiagnostics
import SOPIdentity
import SOPIR
import SOPRuntime
import SOPWorkspace

/// What `sop serve` runs on.
public struct ServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Seconds a session lasts without use.
    public var sessionSeconds: Int64 = 8 * 3600
    /// Failed logins per name (or per address) before a pause.
    public var loginAttempts: Int = 5
    /// Seconds the pause lasts.
    public var loginPauseSeconds: Int64 = 300
    /// Lets `POST /api/test/clock` move the clock (a test server on a virtual clock only).
    public var testClock: VirtualClock?
    /// The longest request body accepted (bytes).
    public var maxBodySize: Int = 64 * 1024
    public init() {}
}

/// The request context: the person once authenticated, how (session or token), the
/// session's CSRF token.
public struct SOPRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: User?
    public var session: Session?
    /// A bearer token was sent and is not valid.
    public var badToken = false
    /// The peer's IP address (for login throttling).
    public var remoteAddress: String
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "-"
    }
    public var maxUploadSize: Int { 64 * 1024 }
}

/// Everything the handlers share: the case desk, the users, sessions, metrics, templates.
public final class ServerState: Sendable {
    public let desk: CaseDesk
    public let users: UserStore
    public let sessions: SessionStore
    public let throttle: LoginThrottle
    public let metrics: Metrics
    public let pages: Pages
    let flowcharts = Flowcharts()
    public let configuration: ServerConfiguration

    public init(desk: CaseDesk, users: UserStore, configuration: ServerConfiguration) throws {
        self.desk = desk
        self.users = users
        self.configuration = configuration
        sessions = SessionStore(users: users, lifetime: configuration.sessionSeconds)
        throttle = LoginThrottle(limit: configuration.loginAttempts, pause: configuration.loginPauseSeconds)
        metrics = Metrics()
        pages = try Pages()
    }
}

/// The server: builds the router (API, pages, operations) and runs it with the timer task.
public enum SOPServer {
    /// The router of the whole server, for `serve` and for tests without sockets.
    public static func router(_ state: ServerState) -> Router<SOPRequestContext> {
        let router = Router(context: SOPRequestContext.self)
        router.middlewares.add(RequestIDMiddleware())
        router.middlewares.add(SecurityHeadersMiddleware())
        router.middlewares.add(ErrorMiddleware(state: state))
        router.middlewares.add(AuthenticationMiddleware(state: state))
        router.middlewares.add(RequestLogMiddleware(metrics: state.metrics))
        Operations.add(to: router, state)
        API.add(to: router, state)
        Web.add(to: router, state)
        return router
    }

    /// Runs until SIGTERM / SIGINT (graceful: requests in flight finish), firing due timers
    /// by themselves meanwhile.
    public static func run(_ state: ServerState, logger: Logger, onRunning: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let app = Application(
            router: router(state),
            configuration: .init(address: .hostname(state.configuration.host, port: state.configuration.port), serverName: "sop"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        let timers = Task.detached { await TimerLoop(desk: state.desk, logger: logger).run() }
        defer { timers.cancel() }
        try await app.runService()
    }
}

/// Fires due timers by themselves: wakes at the earliest due timer of any case (at most a
/// minute apart, at least a second), fires each once through the desk.
struct TimerLoop: Sendable {
    let desk: CaseDesk
    let logger: Logger

    func run() async {
        while !Task.isCancelled {
            var wait: Int64 = 60
            do {
                let fired = try await desk.fireDueTimersAsync()
                if !fired.isEmpty {
                    logger.info("timers fired", metadata: ["events": "\(fired.count)", "cases": "\(Set(fired.map(\.caseID)).count)"])
                }
                if let due = try desk.earliestDue() {
                    wait = min(wait, max(1, due.seconds - desk.clock.now().seconds))
                }
            } catch let e as RuntimeError where e.code == .unavailable {
                logger.warning("timers wait for the store", metadata: ["error": "\(e.message.en)"])
            } catch {
                logger.error("timers failed", metadata: ["error": "\(error)"])
            }
            // A virtual clock moves by request, not by waiting: look again every second. On a
            // shared store another node may start a case with an earlier timer (or the
            // database may come back): look again every second as well.
            if desk.clock is VirtualClock || desk.location.isShared { wait = 1 }
            try? await Task.sleep(nanoseconds: UInt64(wait) * 1_000_000_000)
        }
    }
}

// MARK: Errors, in one place

/// A refusal the handlers throw; `ErrorMiddleware` turns it (and runtime and access errors)
/// into the response: JSON under `/api`, a page elsewhere.
public struct ServerError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var message: Message
    public var code: String?
    public var allowed: [String]?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: Message, code: String? = nil, allowed: [String]? = nil) {
        self.status = status
        self.message = message
        self.code = code
        self.allowed = allowed
    }

    static let unauthenticated = ServerError(.unauthorized, Message(en: "log in first", id: "silakan masuk terlebih dahulu"))

    /// The status of a runtime refusal: unknown case or step 404, a concurrent change 409,
    /// a broken store 500, any other rule 422.
    public static func from(_ error: Error) -> ServerError {
        switch error {
        case let e as ServerError: return e
        case let e as RuntimeError:
            let status: HTTPResponse.Status
            switch e.code {
            case .unknownCase, .unknownStep: status = .notFound
            case .conflict: status = .conflict
            case .storage: status = .internalServerError
            case .unavailable: status = .serviceUnavailable
            default: status = .unprocessableContent
            }
            var message = e.message
            if let help = e.help {
                message = Message(en: message.en + " (" + help.en + ")", id: message.id + " (" + help.id + ")")
            }
            return ServerError(status, message, code: e.code.rawValue)
        case let e as AccessError:
            return ServerError(.forbidden, e.message, allowed: e.allowed)
        case let e as IdentityError:
            return ServerError(.unprocessableContent, e.message)
        case let e as HTTPError:
            return ServerError(e.status, Message(en: e.body ?? e.status.reasonPhrase, id: e.body ?? e.status.reasonPhrase))
        case is DecodingError:
            return ServerError(.badRequest, Message(en: "the request body is not what this endpoint takes",
                                                    id: "isi permintaan tidak sesuai dengan yang diterima titik akhir ini"))
        default:
            return ServerError(.internalServerError, Message(en: "internal error", id: "kesalahan internal"))
        }
    }
}

struct ErrorMiddleware: RouterMiddleware {
    typealias Context = SOPRequestContext
    let state: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var e = ServerError.from(error)
            if e.status == .notFound, e.code == nil, !(error is ServerError) {
                e.message = Message(en: "no such page", id: "halaman tidak ditemukan")
            }
            if e.status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": "\(error)"])
            }
            if e.status == .serviceUnavailable {
                context.logger.warning("store unavailable", metadata: ["error": "\(error)"])
                e.headers[.retryAfter] = "1"
            }
            let api = request.uri.path.hasPrefix("/api") || request.uri.path == "/openapi.json"
            let language = api ? Language.of(request) : Language.page(request)
            if api {
                var body = "{\"error\":{\"status\":\(e.status.code),\"message\":\(JSON.string(e.message.text(language)))"
                if let code = e.code { body += ",\"code\":\(JSON.string(code))" }
                if let allowed = e.allowed { body += ",\"allowed\":[" + allowed.map(JSON.string).joined(separator: ",") + "]" }
                body += "}}"
                var headers = e.headers
                headers[.contentType] = "application/json"
                if e.status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"sop\"" }
                return Response(status: e.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
            }
            if e.status == .unauthorized {
                var r = Response(status: .seeOther, headers: [.location: "/login"])
                r.headers[.cacheControl] = "no-store"
                return r
            }
            return try state.pages.error(e, language: language, user: context.user, session: context.session)
        }
    }
}

extension Language {
    /// The language of a page: the one chosen with the language button (cookie `sop_lang`),
    /// else Indonesian, whatever the browser's own language.
    static func page(_ request: Request) -> Language {
        if let c = request.cookies["sop_lang"]?.value, let l = Language(rawValue: c) { return l }
        return .id
    }

    /// The language of an API answer: the first of `Accept-Language` that we speak, else
    /// Indonesian.
    static func of(_ request: Request) -> Language {
        guard let header = request.headers[.acceptLanguage] else { return .id }
        var best: (Language, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";")
            let tag = pieces[0].trimmingCharacters(in: .whitespaces).lowercased()
            var q = 1.0
            for p in pieces.dropFirst() {
                let kv = p.trimmingCharacters(in: .whitespaces)
                if kv.hasPrefix("q="), let v = Double(kv.dropFirst(2)) { q = v }
            }
            let lang: Language? = tag.hasPrefix("en") ? .en : (tag.hasPrefix("id") || tag.hasPrefix("in")) ? .id : nil
            if let lang, q > (best?.1 ?? 0) { best = (lang, q) }
        }
        return best?.0 ?? .id
    }
}

/// Small JSON writing helpers (sorted keys written by hand, strings escaped per RFC 8259).
enum JSON {
    static func string(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        append(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string (quoted, escaped) to `out`: runs of bytes that need no
    /// escape are copied at once.
    static func append(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "<") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                start = i + 1
                switch b {
                case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
                case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
                case UInt8(ascii: "\n"): out.append(contentsOf: [92, UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): out.append(contentsOf: [92, UInt8(ascii: "r")])
                case UInt8(ascii: "\t"): out.append(contentsOf: [92, UInt8(ascii: "t")])
                case UInt8(ascii: "<"): out.append(contentsOf: Array("\\u003c".utf8))   // safe inside HTML too
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// RFC 3339 with the case's offset: `2026-05-08T16:00:00+07:00`.
func rfc3339(_ instant: Instant, _ offset: UTCOffset) -> String {
    let local = instant.seconds + Int64(offset.minutes) * 60
    let day = Int((local >= 0 ? local : local - 86_399) / 86_400)
    let secs = Int(local - Int64(day) * 86_400)
    let d = CivilDate(dayNumber: day)
    let m = abs(offset.minutes)
    if (0...9999).contains(d.year), m < 6000 {
        // Every answer writes a few of these (deadlines, times, the log line): the 25 bytes
        // written in place.
        return String(unsafeUninitializedCapacity: 25) { b in
            func put(_ at: Int, _ value: Int, _ width: Int) {
                var n = value
                for k in stride(from: at + width - 1, through: at, by: -1) {
                    b[k] = UInt8(truncatingIfNeeded: 48 + n % 10)
                    n /= 10
                }
            }
            put(0, d.year, 4); b[4] = UInt8(ascii: "-"); put(5, d.month, 2); b[7] = UInt8(ascii: "-"); put(8, d.day, 2)
            b[10] = UInt8(ascii: "T"); put(11, secs / 3600, 2); b[13] = UInt8(ascii: ":"); put(14, secs / 60 % 60, 2)
            b[16] = UInt8(ascii: ":"); put(17, secs % 60, 2); b[19] = UInt8(ascii: offset.minutes < 0 ? "-" : "+")
            put(20, m / 60, 2); b[22] = UInt8(ascii: ":"); put(23, m % 60, 2)
            return 25
        }
    }
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let sign = offset.minutes < 0 ? "-" : "+"
    var y = String(d.year)
    while y.count < 4 { y = "0" + y }
    return "\(y)-\(two(d.month))-\(two(d.day))T\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))\(sign)\(two(m / 60)):\(two(m % 60))"
}
