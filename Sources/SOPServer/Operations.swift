import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SOPRuntime

/// Request counters and latency sums for `/metrics` (Prometheus text format 0.0.4).
public final class Metrics: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [String: Int] = [:]   // "method status" → count
    private var seconds: Double = 0
    private var count = 0
    /// Upper bounds of the latency histogram, in seconds.
    static let buckets: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]
    private var bucketCounts = [Int](repeating: 0, count: 8)
    let started = Date()

    func record(method: String, status: Int, seconds s: Double) {
        lock.withLock {
            requests["\(method) \(status)", default: 0] += 1
            seconds += s
            count += 1
            for (i, b) in Self.buckets.enumerated() where s <= b { bucketCounts[i] += 1 }
        }
    }

    func text(openTasks: Int, casesWithOpenSteps: Int) -> String {
        lock.withLock {
            var out = "# HELP sop_http_requests_total HTTP requests answered, by method and status.\n# TYPE sop_http_requests_total counter\n"
            for key in requests.keys.sorted() {
                let parts = key.split(separator: " ")
                out += "sop_http_requests_total{method=\"\(parts[0])\",status=\"\(parts[1])\"} \(requests[key]!)\n"
            }
            out += "# HELP sop_http_request_duration_seconds Time to answer a request.\n# TYPE sop_http_request_duration_seconds histogram\n"
            for (i, b) in Self.buckets.enumerated() {
                out += "sop_http_request_duration_seconds_bucket{le=\"\(b)\"} \(bucketCounts[i])\n"
            }
            out += "sop_http_request_duration_seconds_bucket{le=\"+Inf\"} \(count)\n"
            out += "sop_http_request_duration_seconds_sum \(seconds)\nsop_http_request_duration_seconds_count \(count)\n"
            out += "# HELP sop_open_tasks Open steps of running cases.\n# TYPE sop_open_tasks gauge\nsop_open_tasks \(openTasks)\n"
            out += "# HELP sop_cases_with_open_steps Running cases with an open step.\n# TYPE sop_cases_with_open_steps gauge\nsop_cases_with_open_steps \(casesWithOpenSteps)\n"
            out += "# HELP sop_uptime_seconds Seconds since the server started.\n# TYPE sop_uptime_seconds gauge\n"
            out += "sop_uptime_seconds \(Int(Date().timeIntervalSince(started)))\n"
            return out
        }
    }
}

/// One log line per request (method, path, status, time, user, request id) and the metrics.
/// Inside the authentication, so it knows the user; a refusal thrown further in is logged
/// with the status `ErrorMiddleware` gives it.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = SOPRequestContext
    let metrics: Metrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var status = 500
        defer {
            let s = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            metrics.record(method: request.method.rawValue, status: status, seconds: s)
            context.logger.info("request", metadata: [
                "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(status)",
                "ms": "\((s * 1000 * 10).rounded() / 10)", "user": "\(context.user?.name ?? "-")",
            ])
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch {
            status = ServerError.from(error).status.code   // what ErrorMiddleware will answer
            throw error
        }
    }
}

/// Headers on every answer: a Content-Security-Policy that allows our own resources only,
/// no framing, no MIME sniffing, no referrer leaks.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = SOPRequestContext
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let policy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var r = try await next(request, context)
        if r.headers[.contentSecurityPolicy] == nil { r.headers[.contentSecurityPolicy] = Self.policy }
        r.headers[.xContentTypeOptions] = "nosniff"
        r.headers[Self.frameOptions] = "DENY"
        r.headers[Self.referrerPolicy] = "no-referrer"
        return r
    }
}

/// The request id: the `X-Request-Id` a load balancer (deploy/nginx/sop.conf) or a client sent,
/// when it is a plain token of at most 128 characters, else Hummingbird's own. It is the
/// `request_id` of every log line of the request and goes back in the answer's `X-Request-Id`,
/// so one id follows a request from nginx's access log to the node's log.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = SOPRequestContext
    static let header = HTTPField.Name("X-Request-Id")!

    /// Whether `id` may be logged as it is: 1 to 128 letters, digits, `-`, `_`, `.`, `:`.
    static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128 && id.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x3A
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let given = request.headers[Self.header], Self.isValid(given) {
            context.logger[metadataKey: "hb.request.id"] = .string(given)
        }
        let id = context.id
        var r = try await next(request, context)
        r.headers[Self.header] = id
        return r
    }
}

enum Operations {
    static func add(to router: Router<SOPRequestContext>, _ state: ServerState) {
        router.get("/healthz") { _, _ -> Response in
            // The store answers (on PostgreSQL, the query goes to the database): 503 with the
            // reason while it cannot be reached, so a load balancer sends requests elsewhere.
            do {
                _ = try state.desk.earliestDue()
            } catch let e as RuntimeError where e.code == .unavailable {
                return Response(status: .serviceUnavailable,
                                headers: [.contentType: "text/plain; charset=utf-8", .retryAfter: "1"],
                                body: .init(byteBuffer: ByteBuffer(string: "unavailable: \(e.message.en)\n")))
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/metrics") { _, _ -> Response in
            let tasks = try state.desk.openTaskCount()
            let text = state.metrics.text(openTasks: tasks.tasks, casesWithOpenSteps: tasks.cases)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }
}

/// swift-log output: one JSON object per line on standard error (time, level, message,
/// metadata such as `hb.request.id`), keys sorted.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    private static let lock = NSLock()

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let (level, message) = (event.level, event.message)
        let now = Date().timeIntervalSince1970
        let millis = Int(now * 1000) % 1000
        let stamp = String(rfc3339(Instant(seconds: Int64(now)), UTCOffset(minutes: 0)).dropLast(6))
            + "." + String(String(millis + 1000).dropFirst()) + "Z"
        var fields: [(String, String)] = [("time", stamp), ("level", level.rawValue),
                                          ("message", message.description), ("logger", label)]
        for (k, v) in all { fields.append((k == "hb.request.id" ? "request_id" : k, "\(v)")) }
        fields.sort { $0.0 < $1.0 }
        let line = "{" + fields.map { JSON.string($0.0) + ":" + JSON.string($0.1) }.joined(separator: ",") + "}\n"
        Self.lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
    }
}
