import Foundation
import Hummingbird
import Mustache
import NIOCore
import SOPDiagnostics
import SOPIdentity
import SOPIR
import SOPRender
import SOPRuntime
import SOPWorkspace

/// The pages: Mustache templates, the words of both languages.
public final class Pages: Sendable {
    let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        for (name, text) in Templates.all { try library.register(text, named: name) }
        self.library = library
    }

    static let words: [Language: [String: String]] = [
        .id: [
            "skip": "Langsung ke isi", "menu": "Menu utama", "myTasks": "Tugas saya", "cases": "Kasus", "catalog": "Katalog SOP",
            "logout": "Keluar", "login": "Masuk", "userName": "Nama pengguna", "password": "Kata sandi", "now": "Sekarang",
            "noTasks": "Tidak ada tugas terbuka untuk peran Anda.", "tasksCaption": "Langkah terbuka untuk peran Anda, menurut batas waktu",
            "deadline": "Batas waktu", "step": "Langkah", "actor": "Pelaksana", "case": "Kasus", "overdue": "LEWAT BATAS",
            "status": "Status", "version": "versi", "slaBreached": "SLA TERLAMPAUI", "openSteps": "Langkah terbuka",
            "noOpenSteps": "Tidak ada langkah terbuka.", "waitsForChild": "Menunggu kasus turunan", "documents": "Dokumen (dilengkapi, atau alasan bila tidak ada)",
            "waiveReason": "alasan bila tidak ada:", "note": "Catatan", "decide": "Putuskan", "complete": "Selesaikan langkah",
            "respond": "Catat tanggapan", "cancelReason": "Alasan pembatalan", "cancel": "Batalkan kasus", "flow": "Alur SOP",
            "sheet": "Lembar SOP lengkap", "history": "Riwayat", "startCase": "Mulai kasus baru dari SOP", "durationClass": "Kelas durasi (bila ada)",
            "start": "Mulai kasus", "casesCaption": "Semua kasus", "whoMay": "Yang boleh", "error": "Tidak dapat dilakukan",
            "onlyActors": "Langkah ini hanya dapat dikerjakan oleh",
            "flowchartCaption": "Diagram alir SOP: langkah yang sedang berjalan ditandai kuning, yang sudah selesai hijau. Daftar di bawahnya memuat hal yang sama dalam teks.",
            "stepsList": "Langkah-langkah SOP",
        ],
        .en: [
            "skip": "Skip to content", "menu": "Main menu", "myTasks": "My tasks", "cases": "Cases", "catalog": "SOP catalogue",
            "logout": "Log out", "login": "Log in", "userName": "User name", "password": "Password", "now": "Now",
            "noTasks": "No open tasks for your roles.", "tasksCaption": "Open steps for your roles, by deadline",
            "deadline": "Deadline", "step": "Step", "actor": "Actor", "case": "Case", "overdue": "OVERDUE",
            "status": "Status", "version": "version", "slaBreached": "SLA BREACHED", "openSteps": "Open steps",
            "noOpenSteps": "No open steps.", "waitsForChild": "Waiting for the child case", "documents": "Documents (supplied, or why not)",
            "waiveReason": "reason if missing:", "note": "Note", "decide": "Decide", "complete": "Complete the step",
            "respond": "Record a response", "cancelReason": "Reason to cancel", "cancel": "Cancel the case", "flow": "SOP flow",
            "sheet": "Full SOP sheet", "history": "History", "startCase": "Start a new case of an SOP", "durationClass": "Duration class (if any)",
            "start": "Start the case", "casesCaption": "All cases", "whoMay": "Who may", "error": "Cannot be done",
            "onlyActors": "Only these may act on this step",
            "flowchartCaption": "The SOP's flowchart: the open steps marked yellow, the completed ones green. The list below says the same in text.",
            "stepsList": "The SOP's steps",
        ],
    ]

    static func statusText(_ s: CaseState.Status, _ l: Language) -> String {
        switch s {
        case .running: return l == .id ? "berjalan" : "running"
        case .completed: return l == .id ? "selesai" : "completed"
        case .cancelled: return l == .id ? "dibatalkan" : "cancelled"
        }
    }

    /// A page in the layout, as a response.
    func page(_ template: String, title: String, _ data: [String: Any], language: Language, user: User?, session: Session?,
              status: HTTPResponse.Status = .ok) throws -> Response {
        var data = data
        data["t"] = Self.words[language]!
        if let csrf = session?.csrf { data["csrf"] = csrf } else if data["csrf"] == nil { data["csrf"] = "" }
        data["isAdmin"] = user?.isAdmin ?? false
        let body = library.render(data, withTemplate: template) ?? ""
        var layout: [String: Any] = ["lang": language.rawValue, "title": title, "body": body, "t": Self.words[language]!,
                                     "otherLang": language == .id ? "en" : "id", "otherLangName": language == .id ? "English" : "Bahasa Indonesia"]
        if let user {
            layout["user"] = ["name": user.name, "displayName": user.displayName, "csrf": session?.csrf ?? ""]
            layout["csrf"] = session?.csrf ?? ""
            layout["name"] = user.name
            layout["displayName"] = user.displayName
        }
        let html = library.render(layout, withTemplate: "layout") ?? ""
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func error(_ e: ServerError, language: Language, user: User?, session: Session?) throws -> Response {
        let heading = Self.words[language]!["error"]! + " (\(e.status.code))"
        var data: [String: Any] = ["heading": heading, "message": e.message.text(language) + (e.code.map { " [\($0)]" } ?? "")]
        if let allowed = e.allowed, !allowed.isEmpty { data["allowed"] = allowed.joined(separator: ", ") }
        return try page("error", title: heading, data, language: language, user: user, session: session, status: e.status)
    }
}

/// The server-rendered pages: login, "Tugas saya", cases, a case, the catalogue's sheets.
/// Work without JavaScript; every form carries the session's CSRF token.
enum Web {
    /// `application/x-www-form-urlencoded` fields, in order, repeated names kept.
    static func form(_ request: Request, _ context: SOPRequestContext) async throws -> [(String, String)] {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: context.maxUploadSize) } catch {
            throw ServerError(.contentTooLarge, Message(en: "the form is too large", id: "formulir terlalu besar"))
        }
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        return text.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            return (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
        }
    }

    static func field(_ f: [(String, String)], _ name: String) -> String? { f.first { $0.0 == name }?.1 }

    /// Constant-time comparison of two tokens.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    static let csrfRefused = ServerError(.forbidden, Message(en: "the form has expired or did not come from this site; reload the page and try again",
                                                             id: "formulir kedaluwarsa atau tidak berasal dari situs ini; muat ulang halaman lalu coba lagi"))

    /// The form's fields once its CSRF token matches the session's.
    static func checkedForm(_ request: Request, _ context: SOPRequestContext) async throws -> (User, Session, [(String, String)]) {
        guard let user = context.user, let session = context.session else { throw ServerError.unauthenticated }
        let f = try await form(request, context)
        guard let token = field(f, "csrf"), same(token, session.csrf) else { throw csrfRefused }
        return (user, session, f)
    }

    static func redirect(_ to: String) -> Response {
        Response(status: .seeOther, headers: [.location: to, .cacheControl: "no-store"])
    }

    static func add(to router: Router<SOPRequestContext>, _ state: ServerState) {
        let desk = state.desk
        let pages = state.pages

        router.get("/") { _, context -> Response in redirect(context.user == nil ? "/login" : "/tasks") }

        router.get("/static/style.css") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: Templates.css)))
        }
        router.get("/static/icon.svg") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: Templates.icon)))
        }

        router.post("/language") { request, context -> Response in
            let f = try await form(request, context)
            let to = Language(rawValue: field(f, "to") ?? "") ?? .id
            var r = redirect(context.user == nil ? "/login" : "/tasks")
            r.setCookie(Cookie(name: "sop_lang", value: to.rawValue, maxAge: 365 * 86_400, path: "/", httpOnly: true, sameSite: .strict))
            return r
        }

        router.get("/login") { request, context -> Response in
            if context.user != nil, context.session != nil { return redirect("/tasks") }
            let token = randomHex(16)
            var r = try pages.page("login", title: Pages.words[Language.page(request)]!["login"]!, ["csrf": token],
                                   language: Language.page(request), user: nil, session: nil)
            r.setCookie(Cookie(name: "sop_login", value: token, path: "/login", httpOnly: true, sameSite: .strict))
            return r
        }

        router.post("/login") { request, context -> Response in
            let language = Language.page(request)
            let f = try await form(request, context)
            guard let token = field(f, "csrf"), let cookie = request.cookies["sop_login"]?.value, same(token, cookie) else { throw csrfRefused }
            let name = (field(f, "name") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            let password = field(f, "password") ?? ""
            let address = context.remoteAddress
            let keys = ["name:" + name, "addr:" + address]
            func again(_ message: Message, _ status: HTTPResponse.Status) throws -> Response {
                let fresh = randomHex(16)
                var r = try pages.page("login", title: Pages.words[language]!["login"]!,
                                       ["csrf": fresh, "message": message.text(language), "name": name],
                                       language: language, user: nil, session: nil, status: status)
                r.setCookie(Cookie(name: "sop_login", value: fresh, path: "/login", httpOnly: true, sameSite: .strict))
                return r
            }
            if state.throttle.isBlocked(keys) {
                return try again(Message(en: "Too many failed attempts: wait a few minutes, then try again.",
                                         id: "Terlalu banyak percobaan gagal: tunggu beberapa menit, lalu coba lagi."), .tooManyRequests)
            }
            guard let user = try state.users.authenticate(name: name, password: password) else {
                state.throttle.fail(keys)
                return try again(Message(en: "Wrong user name or password.", id: "Nama pengguna atau kata sandi salah."), .unauthorized)
            }
            state.throttle.succeed(keys)
            let (sessionCookie, _) = try state.sessions.create(for: user.name)
            var r = redirect("/tasks")
            r.setCookie(Cookie(name: "sop_session", value: sessionCookie, path: "/", httpOnly: true, sameSite: .strict))
            r.setCookie(Cookie(name: "sop_login", value: "", maxAge: 0, path: "/login", httpOnly: true, sameSite: .strict))
            return r
        }

        router.post("/logout") { request, context -> Response in
            let (_, session, _) = try await checkedForm(request, context)
            try state.sessions.remove(session.id)
            var r = redirect("/login")
            r.setCookie(Cookie(name: "sop_session", value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return r
        }

        router.get("/tasks") { request, context -> Response in
            let user = try context.requireUser()
            let language = Language.page(request)
            let now = desk.clock.now()
            let tasks: [[String: Any]] = try desk.tasks(for: user.person, now: now).map { t in
                let number = desk.catalogue.byID[t.sopID].flatMap { g in t.task.node < g.nodes.count ? g.nodes[t.task.node].number : nil }
                var row: [String: Any] = ["caseID": t.task.caseID, "step": t.task.step, "number": number ?? t.task.step, "label": t.task.label,
                                          "actor": t.task.actorName ?? "—", "sopName": t.sopName, "overdue": t.deadline?.isOverdue ?? false]
                if let d = t.deadline { row["deadline"] = d.date(language) + " " + d.time(language); row["left"] = d.left(language) }
                return row
            }
            let nowText = Deadline.date(now, offset: .wib, language)
            return try pages.page("tasks", title: Pages.words[language]!["myTasks"]!, ["tasks": tasks, "hasTasks": !tasks.isEmpty, "now": nowText],
                                  language: language, user: user, session: context.session)
        }

        @Sendable func casesPage(_ request: Request, _ context: SOPRequestContext, message: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
            let user = try context.requireUser()
            let language = Language.page(request)
            let cases: [[String: Any]] = try desk.summaries(CaseFilter()).reversed().prefix(500).map { c in
                ["id": c.id, "sopName": c.sopName, "status": Pages.statusText(c.status, language), "open": c.tasks.map(\.step).joined(separator: ", ")]
            }
            var data: [String: Any] = ["cases": cases, "sops": desk.catalogue.graphs.map { ["id": $0.id, "name": $0.name] }]
            if let message { data["message"] = message }
            return try pages.page("cases", title: Pages.words[language]!["cases"]!, data, language: language, user: user,
                                  session: context.session, status: status)
        }

        router.get("/cases") { request, context -> Response in try casesPage(request, context) }

        router.post("/cases") { request, context -> Response in
            let (user, _, f) = try await checkedForm(request, context)
            let cls = field(f, "class").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            let id = try await desk.startAsync(sopID: field(f, "sop") ?? "", durationClass: cls, by: user.person)
            return redirect("/cases/\(id)")
        }

        @Sendable func casePage(_ request: Request, _ context: SOPRequestContext, _ id: String, message: String? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
            let user = try context.requireUser()
            let language = Language.page(request)
            let v = try desk.view(id, language: language)
            let g = v.graph
            let open: [[String: Any]] = v.open.map { o in
                let mayAct = o.waitsForChild == nil && (o.actorKeys.isEmpty ? !user.person.actorRoles.isEmpty :
                    zip(o.actorKeys, o.actorNames).contains { user.person.holds(actorKey: $0, name: $1, sopID: g.id) })
                var row: [String: Any] = ["step": o.step, "number": o.number ?? o.step, "label": o.label, "actors": o.actorNames.isEmpty ? "—" : o.actorNames.joined(separator: ", "),
                                          "decision": o.isDecision, "branches": o.branches, "caseID": id, "version": v.state.version,
                                          "documents": o.documents.enumerated().map { ["index": $0.offset, "name": $0.element] },
                                          "hasDocuments": !o.documents.isEmpty, "mayAct": mayAct, "overdue": o.deadline?.isOverdue ?? false]
                if let d = o.deadline { row["deadline"] = d.date(language) + " " + d.time(language); row["left"] = d.left(language) }
                if let c = o.waitsForChild { row["child"] = c }
                return row
            }
            let openNodes = Set(v.open.map(\.node))
            let flow: [[String: Any]] = g.nodes.filter(\.isStep).map { n in
                let actor = n.actor.map { g.actors[$0].name } ?? "—"
                return ["text": "\(n.number ?? n.key ?? "") \(n.label) [\(actor)]", "kind": n.kind.rawValue,
                        "current": openNodes.contains(n.id), "done": v.state.completedAt[n.id] != nil]
            }
            let doneNodes = Set(v.state.completedAt.keys)
            var data: [String: Any] = ["id": id, "caseID": id, "sopID": g.id, "sopName": g.name, "status": Pages.statusText(v.state.status, language),
                                       "version": v.state.version, "open": open, "flow": flow, "running": v.state.status == .running,
                                       "history": v.history.map { h -> [String: Any] in
                                           // An event nobody acted (a step opened, a timer) names no person.
                                           var item: [String: Any] = ["text": h.text]
                                           if let person = h.person { item["person"] = person }
                                           return item
                                       },
                                       "slaBreached": v.slaBreached]
            if let sla = v.sla { data["sla"] = sla.date(language) + " " + sla.time(language); data["slaLeft"] = sla.left(language) }
            if let message { data["message"] = message }
            if let svg = await state.flowcharts.svg(of: g, current: openNodes, done: doneNodes) { data["flowchart"] = svg }
            return try pages.page("case", title: "\(g.name) \(id)", data, language: language, user: user, session: context.session, status: status)
        }

        router.get("/cases/:id") { request, context -> Response in
            try await casePage(request, context, try API.caseID(context))
        }

        router.post("/cases/:id/act") { request, context -> Response in
            let (user, _, f) = try await checkedForm(request, context)
            let id = try API.caseID(context)
            let step = field(f, "step") ?? ""
            let note = field(f, "note").flatMap { $0.isEmpty ? nil : $0 }
            let version = field(f, "version").flatMap(Int.init)
            let documents = f.filter { $0.0 == "documents" }.map(\.1)
            let waivers = f.compactMap { k, v -> (String, String)? in
                guard k.hasPrefix("waive:"), !v.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
                let doc = String(k.dropFirst(6))
                return documents.contains(doc) ? nil : (doc, v)
            }
            let command: DeskCommand
            if let branch = field(f, "branch") {
                command = .decide(step: step, branch: branch, documents: documents, waivers: waivers, note: note)
            } else {
                switch field(f, "action") ?? "" {
                case "complete": command = .complete(step: step, documents: documents, waivers: waivers, note: note, last: false)
                case "respond": command = .respond(step: step, note: note)
                case "cancel": command = .cancel(reason: field(f, "reason") ?? "-")
                default: throw ServerError(.badRequest, Message(en: "unknown action", id: "tindakan tidak dikenal"))
                }
            }
            do {
                try await desk.actAsync(id, command, by: user.person, expectedVersion: version)
            } catch {
                // The refusal shown on the case page itself, with its status.
                let e = ServerError.from(error)
                guard e.status != .notFound, e.status != .internalServerError else { throw error }
                var text = e.message.text(Language.page(request)) + (e.code.map { " [\($0)]" } ?? "")
                if let allowed = e.allowed, !allowed.isEmpty { text += " — " + Pages.words[Language.page(request)]!["whoMay"]! + ": " + allowed.joined(separator: ", ") }
                return try await casePage(request, context, id, message: text, status: e.status)
            }
            return redirect("/cases/\(id)")
        }

        router.get("/catalog") { request, context -> Response in
            let user = try context.requireUser()
            let language = Language.page(request)
            return try pages.page("catalog", title: Pages.words[language]!["catalog"]!,
                                  ["sops": desk.catalogue.graphs.map { ["id": $0.id, "name": $0.name] }],
                                  language: language, user: user, session: context.session)
        }

        // The SOP's official sheet (self-contained HTML with its own inline styles and SVG,
        // no script): the one page whose policy allows inline styles.
        router.get("/sheet") { request, context -> Response in
            _ = try context.requireUser()
            guard let id = request.uri.queryParameters["id"], let g = desk.catalogue.byID[String(id)] else {
                throw ServerError(.notFound, Message(en: "no such SOP in the catalogue", id: "SOP tersebut tidak ada di katalog"))
            }
            let html = SheetRenderer().render(g)
            return Response(status: .ok, headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            ], body: .init(byteBuffer: ByteBuffer(string: html)))
        }
    }
}

