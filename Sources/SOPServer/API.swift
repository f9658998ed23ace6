import Foundation
import Hummingbird
import NIOCore
import SOPDiagnostics
import SOPIdentity
import SOPIR
import SOPRuntime
import SOPWorkspace

/// The REST API under `/api` (described by `openapi.json`): JSON in and out, snake_case keys,
/// times in RFC 3339 with the case's offset, refusals as `{"error": {...}}`.
enum API {
    // MARK: Shapes

    struct ActorItem: Encodable { var key: String; var name: String }
    struct SOPItem: Encodable {
        var id: String
        var name: String
        var number: String?
        var actors: [ActorItem]
        var durationClasses: [String]
        var steps: Int
    }
    struct TaskItem: Encodable {
        var `case`: String
        var caseVersion: Int
        var sop: String
        var sopName: String
        var step: String
        var label: String
        var actorKey: String?
        var actorName: String?
        var activatedAt: String
        var deadline: String?
        var deadlineText: String?
        var workingDaysLeft: Int?
        var overdue: Bool
    }
    struct CaseListItem: Encodable {
        var id: String
        var sop: String
        var sopName: String
        var status: String
        var version: Int
        var startedAt: String
        var slaDeadline: String?
        var slaBreached: Bool
        var openSteps: [String]
    }
    struct OpenStepItem: Encodable {
        var step: String
        var label: String
        var actors: [ActorItem]
        var decision: Bool
        var branches: [String]
        var documents: [String]
        var deadline: String?
        var deadlineText: String?
        var workingDaysLeft: Int?
        var overdue: Bool
        var childCase: String?
    }
    struct EventItem: Encodable {
        var sequence: Int
        var kind: String
        var at: String
        var text: String
        var person: String?
    }
    struct CaseItem: Encodable {
        var id: String
        var sop: String
        var sopName: String
        var status: String
        var version: Int
        var slaDeadline: String?
        var slaBreached: Bool
        var open: [OpenStepItem]
        var history: [EventItem]
    }
    struct ActResult: Encodable {
        var `case`: String
        var version: Int
        var status: String
        var events: [EventItem]
    }
    struct Me: Encodable {
        var name: String
        var displayName: String
        var roles: [String]
    }

    struct WaiverBody: Decodable { var document: String; var reason: String }
    struct StartBody: Decodable { var sop: String; var `class`: String? }
    struct CompleteBody: Decodable {
        var step: String
        var documents: [String]?
        var waivers: [WaiverBody]?
        var note: String?
        var last: Bool?
        var version: Int?
    }
    struct DecideBody: Decodable {
        var step: String
        var branch: String
        var documents: [String]?
        var waivers: [WaiverBody]?
        var note: String?
        var version: Int?
    }
    struct RespondBody: Decodable { var step: String; var note: String?; var version: Int? }
    struct CancelBody: Decodable { var reason: String; var version: Int? }
    struct ClockBody: Decodable { var to: String }

    static func body<T: Decodable>(_ type: T.Type, _ request: Request, _ context: SOPRequestContext) async throws -> T {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: context.maxUploadSize) } catch {
            throw ServerError(.contentTooLarge, Message(en: "the request body is too large (at most 64 KiB)",
                                                        id: "isi permintaan terlalu besar (paling besar 64 KiB)"))
        }
        do { return try JSON.decoder.decode(T.self, from: Data(buffer.readableBytesView)) } catch {
            throw ServerError(.badRequest, Message(en: "the request body is not the JSON this endpoint takes",
                                                   id: "isi permintaan bukan JSON yang diterima titik akhir ini"))
        }
    }

    // MARK: Routes

    static func add(to router: Router<SOPRequestContext>, _ state: ServerState) {
        let desk = state.desk
        let api = router.group("api")

        api.get("me") { _, context -> Response in
            let user = try context.requireUser()
            return try JSON.response(Me(name: user.name, displayName: user.displayName, roles: user.roles))
        }

        api.get("catalog") { _, context -> Response in
            _ = try context.requireUser()
            return try JSON.response(desk.catalogue.graphs.map(sopItem))
        }

        api.get("tasks") { request, context -> Response in
            let user = try context.requireUser()
            let language = Language.of(request)
            let body = taskListJSON(try desk.tasks(for: user.person).map { taskItem($0, language) })
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }

        api.get("cases") { request, context -> Response in
            _ = try context.requireUser()
            let q = request.uri.queryParameters
            var filter = CaseFilter()
            if let s = q["status"] {
                guard let status = CaseState.Status(rawValue: String(s)) else {
                    throw ServerError(.badRequest, Message(en: "status must be running, completed or cancelled",
                                                           id: "status harus running, completed atau cancelled"))
                }
                filter.status = status
            }
            if let sop = q["sop"] { filter.sopID = String(sop) }
            if let actor = q["actor"] { filter.actor = String(actor) }
            if let overdue = q["overdue"] {
                guard overdue == "true" || overdue == "false" else {
                    throw ServerError(.badRequest, Message(en: "overdue must be true or false", id: "overdue harus true atau false"))
                }
                if overdue == "true" { filter.overdueAt = desk.clock.now() }
            }
            let now = desk.clock.now()
            return try JSON.response(try desk.summaries(filter).map { c in
                CaseListItem(id: c.id, sop: c.sopID, sopName: c.sopName, status: c.status.rawValue, version: c.version,
                             startedAt: rfc3339(c.startedAt, c.offset), slaDeadline: c.slaDeadline.map { rfc3339($0, c.offset) },
                             slaBreached: c.slaBreached(now: now), openSteps: c.tasks.map(\.step))
            })
        }

        api.post("cases") { request, context -> Response in
            let user = try context.requireUser()
            let body = try await body(StartBody.self, request, context)
            let id = try await desk.startAsync(sopID: body.sop, durationClass: body.class, by: user.person)
            var r = try JSON.response(caseItem(try desk.view(id, language: Language.of(request))), status: .created)
            r.headers[.location] = "/api/cases/\(id)"
            return r
        }

        api.get("cases/:id") { request, context -> Response in
            _ = try context.requireUser()
            return try JSON.response(caseItem(try desk.view(try caseID(context), language: Language.of(request))))
        }

        api.get("cases/:id/events") { request, context -> Response in
            _ = try context.requireUser()
            return try JSON.response(caseItem(try desk.view(try caseID(context), language: Language.of(request))).history)
        }

        api.get("cases/:id/xes") { _, context -> Response in
            _ = try context.requireUser()
            let (events, _, graph) = try desk.events(try caseID(context))
            let xes = EventLog.xes([EventLog.Case(events: events, graph: graph)])
            return Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: xes)))
        }

        @Sendable func act(_ request: Request, _ context: SOPRequestContext, _ command: DeskCommand, version: Int?) async throws -> Response {
            let user = try context.requireUser()
            let id = try caseID(context)
            // The case as the writer left it: no second read of what the command just wrote.
            let (events, view) = try await desk.actViewing(id, command, by: user.person, expectedVersion: version,
                                                           language: Language.of(request))
            let mine = Set(events.filter { $0.caseID == id }.map(\.sequence))
            let offset = view.state.start?.calendar.offset
            let result = ActResult(case: id, version: view.state.version, status: view.state.status.rawValue,
                                   events: view.history.filter { mine.contains($0.sequence) }.map { eventItem($0, offset) })
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: actResultJSON(result))))
        }

        api.post("cases/:id/complete") { request, context -> Response in
            let b = try await body(CompleteBody.self, request, context)
            return try await act(request, context, .complete(step: b.step, documents: b.documents ?? [], waivers: (b.waivers ?? []).map { ($0.document, $0.reason) },
                                                       note: b.note, last: b.last ?? false), version: b.version)
        }
        api.post("cases/:id/decide") { request, context -> Response in
            let b = try await body(DecideBody.self, request, context)
            return try await act(request, context, .decide(step: b.step, branch: b.branch, documents: b.documents ?? [],
                                                     waivers: (b.waivers ?? []).map { ($0.document, $0.reason) }, note: b.note), version: b.version)
        }
        api.post("cases/:id/respond") { request, context -> Response in
            let b = try await body(RespondBody.self, request, context)
            return try await act(request, context, .respond(step: b.step, note: b.note), version: b.version)
        }
        api.post("cases/:id/cancel") { request, context -> Response in
            let b = try await body(CancelBody.self, request, context)
            return try await act(request, context, .cancel(reason: b.reason), version: b.version)
        }

        // A test server on a virtual clock: an admin moves the clock forward, then timers fire.
        api.post("test/clock") { request, context -> Response in
            guard let clock = state.configuration.testClock else {
                throw ServerError(.notFound, Message(en: "no such endpoint", id: "titik akhir tidak ada"))
            }
            let user = try context.requireUser()
            guard user.isAdmin else { throw AccessError(Message(en: "only an admin moves the clock", id: "hanya admin yang memajukan jam"), allowed: [Role.admin]) }
            let b = try await body(ClockBody.self, request, context)
            guard let to = UTCOffset.wib.parse(b.to), to >= clock.now() else {
                throw ServerError(.badRequest, Message(en: "`to` must be a later local time like 2026-05-08 09:00",
                                                       id: "`to` harus waktu setempat yang lebih kemudian seperti 2026-05-08 09:00"))
            }
            clock.advance(to: to)
            let fired = try await desk.fireDueTimersAsync()
            return try JSON.response(["now": rfc3339(clock.now(), .wib), "fired_events": "\(fired.count)"])
        }
    }

    /// The task list as JSON written directly: what `JSONEncoder` writes (sorted snake_case
    /// keys, absent optionals left out; `<` escaped besides) without its per-key conversions,
    /// on the hottest read of the server (tested against the encoder).
    static func taskListJSON(_ items: [TaskItem]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(items.count * 400 + 2)
        func raw(_ s: StaticString) { out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)) }
        func number(_ n: Int) { out.append(contentsOf: String(n).utf8) }
        raw("[")
        for (i, t) in items.enumerated() {
            if i > 0 { raw(",") }
            raw("{\"activated_at\":"); JSON.append(t.activatedAt, to: &out)
            if let v = t.actorKey { raw(",\"actor_key\":"); JSON.append(v, to: &out) }
            if let v = t.actorName { raw(",\"actor_name\":"); JSON.append(v, to: &out) }
            raw(",\"case\":"); JSON.append(t.case, to: &out)
            raw(",\"case_version\":"); number(t.caseVersion)
            if let v = t.deadline { raw(",\"deadline\":"); JSON.append(v, to: &out) }
            if let v = t.deadlineText { raw(",\"deadline_text\":"); JSON.append(v, to: &out) }
            raw(",\"label\":"); JSON.append(t.label, to: &out)
            if t.overdue { raw(",\"overdue\":true") } else { raw(",\"overdue\":false") }
            raw(",\"sop\":"); JSON.append(t.sop, to: &out)
            raw(",\"sop_name\":"); JSON.append(t.sopName, to: &out)
            raw(",\"step\":"); JSON.append(t.step, to: &out)
            if let v = t.workingDaysLeft { raw(",\"working_days_left\":"); number(v) }
            raw("}")
        }
        raw("]")
        return out
    }

    /// The answer to a command, written directly as `taskListJSON` is (what `JSON.response`
    /// writes; tested): every completion answers one.
    static func actResultJSON(_ r: ActResult) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + r.events.count * 160)
        func raw(_ s: StaticString) { out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)) }
        raw("{\"case\":"); JSON.append(r.case, to: &out)
        raw(",\"events\":[")
        for (i, e) in r.events.enumerated() {
            if i > 0 { raw(",") }
            raw("{\"at\":"); JSON.append(e.at, to: &out)
            raw(",\"kind\":"); JSON.append(e.kind, to: &out)
            if let p = e.person { raw(",\"person\":"); JSON.append(p, to: &out) }
            raw(",\"sequence\":"); out.append(contentsOf: String(e.sequence).utf8)
            raw(",\"text\":"); JSON.append(e.text, to: &out)
            raw("}")
        }
        raw("],\"status\":"); JSON.append(r.status, to: &out)
        raw(",\"version\":"); out.append(contentsOf: String(r.version).utf8)
        raw("}")
        return out
    }

    static func caseID(_ context: SOPRequestContext) throws -> String {
        guard let id = context.parameters.get("id") else { throw ServerError(.notFound, Message(en: "no case", id: "tidak ada kasus")) }
        return id
    }

    static func sopItem(_ g: ProcessGraph) -> SOPItem {
        var classes: [String] = []
        for n in g.nodes {
            if case let .classes(cs) = n.duration?.value { for c in cs where !classes.contains(c.name) { classes.append(c.name) } }
        }
        return SOPItem(id: g.id, name: g.name, number: g.identity.number, actors: g.actors.map { ActorItem(key: $0.key, name: $0.name) },
                       durationClasses: classes, steps: g.nodes.filter(\.isStep).count)
    }

    static func taskItem(_ t: CaseDesk.Task, _ language: Language) -> TaskItem {
        TaskItem(case: t.task.caseID, caseVersion: t.caseVersion, sop: t.sopID, sopName: t.sopName, step: t.task.step, label: t.task.label,
                 actorKey: t.task.actorKey, actorName: t.task.actorName, activatedAt: rfc3339(t.task.activatedAt, t.offset),
                 deadline: t.task.deadline.map { rfc3339($0, t.offset) },
                 deadlineText: t.deadline.map { $0.date(language) + " " + $0.time(language) },
                 workingDaysLeft: t.deadline?.workingDaysLeft, overdue: t.deadline?.isOverdue ?? false)
    }

    static func eventItem(_ h: CaseView.HistoryLine, _ offset: UTCOffset?) -> EventItem {
        EventItem(sequence: h.sequence, kind: h.kind, at: rfc3339(h.at, offset ?? .wib), text: h.text, person: h.person)
    }

    static func caseItem(_ v: CaseView) -> CaseItem {
        let offset = v.state.start?.calendar.offset ?? .wib
        return CaseItem(
            id: v.id, sop: v.graph.id, sopName: v.graph.name, status: v.state.status.rawValue, version: v.state.version,
            slaDeadline: v.sla.map { rfc3339($0.instant, offset) }, slaBreached: v.slaBreached,
            open: v.open.map { o in
                OpenStepItem(step: o.step, label: o.label, actors: zip(o.actorKeys, o.actorNames).map { ActorItem(key: $0, name: $1) },
                             decision: o.isDecision, branches: o.branches, documents: o.documents,
                             deadline: o.deadline.map { rfc3339($0.instant, offset) },
                             deadlineText: o.deadline.map { $0.date(.id) + " " + $0.time(.id) },
                             workingDaysLeft: o.deadline?.workingDaysLeft, overdue: o.deadline?.isOverdue ?? false, childCase: o.waitsForChild)
            },
            history: v.history.map { eventItem($0, offset) })
    }
}
