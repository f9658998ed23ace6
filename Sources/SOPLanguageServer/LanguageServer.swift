import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage
import SOPRuntime
import SOPWorkspace
import SOPYAML

/// The language server (LSP 3.17) of SOP files: one JSON-RPC message in, the messages to send
/// back out. It holds the open documents, their diagnostics and outlines, and the catalogue
/// index; the transport (`StdioTransport`) only frames bytes. Nothing a client sends can make
/// it crash: a malformed message gets a JSON-RPC error, an unknown notification is ignored.
public final class LanguageServer {
    /// JSON-RPC and LSP error codes.
    public enum ErrorCode: Int, Sendable {
        case parseError = -32700, invalidRequest = -32600, methodNotFound = -32601, invalidParams = -32602
        case internalError = -32603, serverNotInitialized = -32002, requestFailed = -32803
    }

    struct RPCError: Error {
        var code: ErrorCode
        var message: String
    }

    struct Open {
        var document: TextDocument
        var diagnostics: [Diagnostic] = []
        /// The last file that could be read (kept while the text is not YAML, so that
        /// completion and navigation still answer mid-edit).
        var file: SOPFile?
        /// The YAML tree of the text last read, from which the next change is read again
        /// (only the list item it is in; nil when that text was not YAML).
        var tree: YAMLNode?
        /// The outline of `file`, made at the first request after a change (a change only
        /// needs diagnostics).
        var outline: Outline?
        var inCatalogue = false
    }
    /// The id of each open document of the catalogue, by path.
    var openIDs: [String: String] = [:]

    public private(set) var initialized = false
    public private(set) var shutdownRequested = false
    /// Set by `exit`: the process ends with this status (0 after `shutdown`, else 1).
    public private(set) var exitStatus: Int32?
    public var language: Language = .en
    /// When set (`sop lsp --lang`), the client's locale does not change the language.
    public var languageIsFixed = false
    /// The day "today" is for a *hari kerja* example deadline (the client may fix it through
    /// `initializationOptions.today`, as the tests do).
    public var today: CivilDate
    var documents: [String: Open] = [:]
    var index = CatalogueIndex()
    var catalogueRoots: Set<String> = []
    let compiler = Compiler()
    let calendar = WorkingCalendar()
    /// Where the explanation of a code is published.
    public static let explanationBase = "https://github.com/sop-toolchain/sop/blob/main/Docs/Diagnostics.md#"

    public init(today: CivilDate? = nil) {
        if let today {
            self.today = today
        } else {
            let days = Int((Date().timeIntervalSince1970 + 7 * 3600) / 86400)
            self.today = CivilDate(dayNumber: CivilDate(year: 1970, month: 1, day: 1).dayNumber + days)
        }
    }

    // MARK: Messages

    /// Handles one message's bytes; returns the messages to send, in order.
    public func handle(_ bytes: [UInt8]) -> [JSON] {
        let message: JSON
        do {
            message = try JSON.parse(bytes)
        } catch {
            return [Self.error(id: .null, .parseError, "the message is not JSON")]
        }
        return handle(message)
    }

    public func handle(_ message: JSON) -> [JSON] {
        guard case let .object(m) = message else {
            return [Self.error(id: .null, .invalidRequest, "a message is a JSON object")]
        }
        let id = m["id"]
        if let id, !Self.isValidID(id) { return [Self.error(id: .null, .invalidRequest, "an id is a number or a string")] }
        guard let method = m["method"]?.string else {
            // A response to a request of ours (we send none that need one), or garbage.
            if id != nil, m["result"] != nil || m["error"] != nil { return [] }
            return [Self.error(id: id ?? .null, .invalidRequest, "a request has a method")]
        }
        let params = m["params"] ?? .null
        if let id {
            do {
                var out: [JSON] = []
                let result = try request(method, params, notifications: &out)
                return [.object(["jsonrpc": .string("2.0"), "id": id, "result": result])] + out
            } catch let e as RPCError {
                return [Self.error(id: id, e.code, e.message)]
            } catch {
                return [Self.error(id: id, .internalError, "\(error)")]
            }
        }
        return notification(method, params)
    }

    static func isValidID(_ id: JSON) -> Bool {
        switch id {
        case .string: return true
        case .number: return id.int != nil
        default: return false
        }
    }

    static func error(id: JSON, _ code: ErrorCode, _ message: String) -> JSON {
        .object(["jsonrpc": .string("2.0"), "id": id, "error": .object(["code": .int(code.rawValue), "message": .string(message)])])
    }

    func request(_ method: String, _ params: JSON, notifications: inout [JSON]) throws -> JSON {
        if method == "initialize" { return initialize(params) }
        guard initialized else { throw RPCError(code: .serverNotInitialized, message: "the server is not initialized") }
        if shutdownRequested { throw RPCError(code: .invalidRequest, message: "the server is shutting down") }
        switch method {
        case "shutdown":
            shutdownRequested = true
            return .null
        case "textDocument/completion": return try completion(params)
        case "textDocument/hover": return try hover(params)
        case "textDocument/definition": return try definition(params)
        case "textDocument/references": return try references(params)
        case "textDocument/documentSymbol": return try documentSymbols(params)
        case "textDocument/codeAction": return try codeActions(params)
        case "textDocument/rename": return try rename(params)
        case "textDocument/prepareRename": return try prepareRename(params)
        default:
            throw RPCError(code: .methodNotFound, message: "no method `\(method)`")
        }
    }

    func notification(_ method: String, _ params: JSON) -> [JSON] {
        if method == "exit" {
            exitStatus = shutdownRequested ? 0 : 1
            return []
        }
        guard initialized, !shutdownRequested else { return [] }
        switch method {
        case "textDocument/didOpen":
            guard let item = params["textDocument"], let uri = item["uri"]?.string, let text = item["text"]?.string else { return [] }
            let path = Self.path(ofURI: uri)
            indexCatalogue(containing: path, text: text)
            documents[uri] = Open(document: TextDocument(uri: uri, path: path, version: item["version"]?.int ?? 0, text: text))
            return [check(uri)]
        case "textDocument/didChange":
            guard let uri = params["textDocument"]?["uri"]?.string, var open = documents[uri],
                  let changes = params["contentChanges"]?.array else { return [] }
            for change in changes {
                guard let text = change["text"]?.string else { continue }
                if let range = change["range"], let (start, end) = offsets(of: range, in: open.document) {
                    open.document.replace(from: start, to: end, with: text)
                } else if change["range"] == nil {
                    open.document.replaceAll(with: text)
                }
            }
            open.document.version = params["textDocument"]?["version"]?.int ?? open.document.version
            documents[uri] = open
            return [check(uri)]
        case "textDocument/didClose":
            guard let uri = params["textDocument"]?["uri"]?.string, let open = documents.removeValue(forKey: uri) else { return [] }
            openIDs[open.document.path] = nil
            // The catalogue goes back to the file on disk.
            if let source = try? Workspace.load(open.document.path), let file = compiler.parse(source, diagnostics: DiagnosticSink()) {
                index.update(Outline(file: file))
            } else {
                index.remove(path: open.document.path)
            }
            return [publish(uri: uri, version: nil, diagnostics: [], document: nil)]
        default:
            // didSave, initialized, $/cancelRequest, $/setTrace, workspace/*: nothing to do.
            return []
        }
    }

    // MARK: Lifecycle

    func initialize(_ params: JSON) -> JSON {
        initialized = true
        if !languageIsFixed, let locale = params["locale"]?.string { language = locale.lowercased().hasPrefix("id") ? .id : .en }
        if !languageIsFixed, let lang = params["initializationOptions"]?["language"]?.string { language = lang == "id" ? .id : .en }
        if let day = params["initializationOptions"]?["today"]?.string, let date = Self.date(day) { today = date }
        var roots: [String] = []
        if let folders = params["workspaceFolders"]?.array { roots += folders.compactMap { $0["uri"]?.string.map(Self.path(ofURI:)) } }
        if let uri = params["rootUri"]?.string { roots.append(Self.path(ofURI: uri)) } else if let path = params["rootPath"]?.string { roots.append(path) }
        // A workspace folder's catalogue is its `sops/`; a folder without one is not read
        // (it may be a home folder): a file opened from it brings its catalogue instead.
        for root in roots {
            var dir: ObjCBool = false
            let sops = (root as NSString).appendingPathComponent("sops")
            if FileManager.default.fileExists(atPath: sops, isDirectory: &dir), dir.boolValue { indexRoot(sops) }
        }
        let capabilities: [String: JSON] = [
            "textDocumentSync": .object(["openClose": .bool(true), "change": .int(2), "save": .bool(false)]),
            "completionProvider": .object(["triggerCharacters": .array([":", " ", "[", ","].map { JSON.string($0) }), "resolveProvider": .bool(false)]),
            "hoverProvider": .bool(true),
            "definitionProvider": .bool(true),
            "referencesProvider": .bool(true),
            "documentSymbolProvider": .bool(true),
            "codeActionProvider": .object(["codeActionKinds": .array([.string("quickfix")])]),
            "renameProvider": .object(["prepareProvider": .bool(true)]),
            "positionEncoding": .string("utf-16"),
        ]
        return .object(["capabilities": .object(capabilities),
                        "serverInfo": .object(["name": .string("sop"), "version": .string("1")])])
    }

    static func date(_ text: String) -> CivilDate? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        return CivilDate(year: parts[0], month: parts[1], day: parts[2])
    }

    /// Reads the catalogue under a folder (once).
    func indexRoot(_ chosen: String) {
        var dir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: chosen, isDirectory: &dir), dir.boolValue, catalogueRoots.insert(chosen).inserted else { return }
        for (_, outline) in CatalogueIndex.load(root: chosen).outlines where documents.values.allSatisfy({ $0.document.path != outline.path }) {
            index.update(outline)
        }
    }

    /// A file opened outside the indexed folders brings its own catalogue: the folder its
    /// `id` says it is in (`sops/a/b/c.yaml` with id `a/b/c` → `sops`).
    func indexCatalogue(containing path: String, text: String) {
        let source = SourceFile(path: path, bytes: Array(text.utf8))
        guard let file = compiler.parse(source, diagnostics: DiagnosticSink()), let id = file.id?.value else { return }
        let noExt = (path as NSString).deletingPathExtension
        guard noExt.hasSuffix("/" + id) else { return }
        let root = catalogRoot(of: path, id: id)
        guard !catalogueRoots.contains(where: { path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else { return }
        indexRoot(root)
    }

    // MARK: Diagnostics

    /// Re-checks an open document: its diagnostics, outline and place in the catalogue.
    func check(_ uri: String) -> JSON {
        guard var open = documents[uri] else { return .null }
        let path = open.document.path
        let source = SourceFile(path: path, bytes: open.document.bytes)
        let sink = DiagnosticSink()
        let inCatalogue = index.outlines[path] != nil || catalogueRoots.contains { path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
        open.inCatalogue = inCatalogue
        let (tree, parsed) = compiler.parse(source, after: open.tree, diagnostics: sink)
        open.tree = tree
        if let file = parsed {
            var ids: Set<String>? = nil
            if inCatalogue {
                openIDs[path] = file.id?.value
                ids = catalogueIDs()
            }
            _ = compiler.check(file, source: source, catalog: ids, diagnostics: sink, lower: false)
            open.file = file
            open.outline = nil
        }
        open.diagnostics = sink.sorted
        documents[uri] = open
        return publish(uri: uri, version: open.document.version, diagnostics: open.diagnostics, document: open.document)
    }

    /// The ids of the catalogue: the open documents' as they are now, the others' from disk.
    func catalogueIDs() -> Set<String> {
        var ids = Set(openIDs.values)
        for (path, outline) in index.outlines where openIDs[path] == nil {
            if let id = outline.id?.value { ids.insert(id) }
        }
        return ids
    }

    /// The outline of an open document, made when first asked for after a change; the
    /// catalogue index takes it for an open file of the catalogue.
    func outline(_ uri: String) -> Outline? {
        guard var open = documents[uri] else { return nil }
        if let outline = open.outline { return outline }
        guard let file = open.file else { return nil }
        let outline = Outline(file: file)
        open.outline = outline
        documents[uri] = open
        if open.inCatalogue { index.update(outline) }
        return outline
    }

    func publish(uri: String, version: Int?, diagnostics: [Diagnostic], document: TextDocument?) -> JSON {
        var params: [String: JSON] = ["uri": .string(uri), "diagnostics": .array(diagnostics.map { lspDiagnostic($0, in: document) })]
        if let version { params["version"] = .int(version) }
        return .object(["jsonrpc": .string("2.0"), "method": .string("textDocument/publishDiagnostics"), "params": .object(params)])
    }

    func lspDiagnostic(_ d: Diagnostic, in document: TextDocument?) -> JSON {
        let range = d.range.flatMap { r in document.map { lspRange(r, in: $0) } } ?? Self.zeroRange
        var message = d.message.text(language)
        if let help = d.help { message += "\n" + (language == .id ? "bantuan: " : "help: ") + help.text(language) }
        var out: [String: JSON] = [
            "range": range,
            "severity": .int(d.severity == .error ? 1 : d.severity == .warning ? 2 : 3),
            "code": .string(d.code),
            "source": .string("sop"),
            "message": .string(message),
        ]
        if let entry = DiagnosticCatalog.entry(d.code) {
            out["codeDescription"] = .object(["href": .string(Self.explanationBase + d.code.lowercased() + "-" + entry.name)])
        }
        var related: [JSON] = []
        if let document {
            for label in d.labels where label.range.file == document.path {
                related.append(.object(["location": .object(["uri": .string(document.uri), "range": lspRange(label.range, in: document)]),
                                        "message": .string(label.message.text(language))]))
            }
            for note in d.notes {
                related.append(.object(["location": .object(["uri": .string(document.uri), "range": range]),
                                        "message": .string(note.text(language))]))
            }
        }
        if !related.isEmpty { out["relatedInformation"] = .array(related) }
        return .object(out)
    }

    static let zeroRange: JSON = .object(["start": position(0, 0), "end": position(0, 0)])

    static func position(_ line: Int, _ character: Int) -> JSON {
        .object(["line": .int(line), "character": .int(character)])
    }

    func lspRange(_ r: SourceRange, in document: TextDocument) -> JSON {
        let s = document.position(ofOffset: r.start.offset), e = document.position(ofOffset: max(r.start.offset, r.end.offset))
        return .object(["start": Self.position(s.line, s.character), "end": Self.position(e.line, e.character)])
    }

    func offsets(of range: JSON, in document: TextDocument) -> (Int, Int)? {
        guard let s = range["start"], let e = range["end"], let sl = s["line"]?.int, let sc = s["character"]?.int,
              let el = e["line"]?.int, let ec = e["character"]?.int else { return nil }
        let a = document.offset(line: sl, character: sc), b = document.offset(line: el, character: ec)
        return (min(a, b), max(a, b))
    }

    // MARK: Positions

    /// The open document and byte offset a request points at.
    func target(_ params: JSON) throws -> (Open, Int) {
        guard let uri = params["textDocument"]?["uri"]?.string else { throw RPCError(code: .invalidParams, message: "no textDocument.uri") }
        guard documents[uri] != nil else { throw RPCError(code: .invalidParams, message: "the document is not open") }
        _ = outline(uri)
        let open = documents[uri]!
        guard let line = params["position"]?["line"]?.int, let character = params["position"]?["character"]?.int else {
            throw RPCError(code: .invalidParams, message: "no position")
        }
        return (open, open.document.offset(line: line, character: character))
    }

    func location(_ r: SourceRange) -> JSON {
        let uri: String, document: TextDocument
        if let open = documents.values.first(where: { $0.document.path == r.file }) {
            uri = open.document.uri
            document = open.document
        } else {
            uri = Self.uri(ofPath: r.file)
            let bytes = (try? Workspace.load(r.file))?.bytes ?? []
            document = TextDocument(uri: uri, path: r.file, version: 0, text: String(decoding: bytes, as: UTF8.self))
        }
        return .object(["uri": .string(uri), "range": lspRange(r, in: document)])
    }

    // MARK: Navigation

    func definition(_ params: JSON) throws -> JSON {
        let (open, offset) = try target(params)
        guard let outline = open.outline, let site = outline.site(at: offset) else { return .null }
        var lookup = index
        lookup.update(outline)
        return .array(lookup.definitions(of: site, in: outline.path).map(location))
    }

    func references(_ params: JSON) throws -> JSON {
        let (open, offset) = try target(params)
        guard let outline = open.outline, let site = outline.site(at: offset) else { return .null }
        var lookup = index
        lookup.update(outline)
        let include = params["context"]?["includeDeclaration"]?.bool ?? true
        return .array(lookup.references(of: site, in: outline.path, includeDeclaration: include).map(location))
    }

    /// A step id or an actor key can be renamed (in its file); other names cannot.
    func renameSite(_ params: JSON) throws -> (Open, Outline, Outline.Site)? {
        let (open, offset) = try target(params)
        guard let outline = open.outline, let site = outline.site(at: offset), site.kind == .step || site.kind == .actor else { return nil }
        return (open, outline, site)
    }

    func prepareRename(_ params: JSON) throws -> JSON {
        guard let (open, _, site) = try renameSite(params) else { return .null }
        return .object(["range": lspRange(site.range, in: open.document), "placeholder": .string(site.name)])
    }

    func rename(_ params: JSON) throws -> JSON {
        guard let newName = params["newName"]?.string else { throw RPCError(code: .invalidParams, message: "no newName") }
        guard let (open, outline, site) = try renameSite(params) else {
            throw RPCError(code: .requestFailed, message: language == .id ? "hanya id langkah dan kunci pelaksana yang dapat diganti namanya"
                                                                          : "only a step id or an actor key can be renamed")
        }
        guard Self.isIdentifier(newName) else {
            throw RPCError(code: .requestFailed, message: language == .id ? "`\(newName)` bukan id yang sah (huruf kecil, angka, `-`, `_`)"
                                                                          : "`\(newName)` is not a valid id (lower-case letters, digits, `-`, `_`)")
        }
        let ranges = outline.sites.filter { $0.kind == site.kind && $0.name == site.name }.map(\.range)
        let edits = ranges.map { JSON.object(["range": lspRange($0, in: open.document), "newText": .string(newName)]) }
        return .object(["changes": .object([open.document.uri: .array(edits)])])
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("a"..."z").contains(first) || ("0"..."9").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" } && s != "end"
    }

    // MARK: Code actions

    func codeActions(_ params: JSON) throws -> JSON {
        guard let uri = params["textDocument"]?["uri"]?.string, let open = documents[uri] else {
            throw RPCError(code: .invalidParams, message: "the document is not open")
        }
        guard let range = params["range"], let (start, end) = offsets(of: range, in: open.document) else {
            throw RPCError(code: .invalidParams, message: "no range")
        }
        var actions: [JSON] = []
        for d in open.diagnostics {
            guard let r = d.range, r.start.offset <= end, start <= r.end.offset else { continue }
            for fix in d.fixIts where fix.edits.allSatisfy({ $0.range.file == open.document.path }) {
                let edits = fix.edits.map { JSON.object(["range": lspRange($0.range, in: open.document), "newText": .string($0.replacement)]) }
                actions.append(.object([
                    "title": .string(fix.message.text(language)),
                    "kind": .string("quickfix"),
                    "isPreferred": .bool(d.fixIts.count == 1),
                    "diagnostics": .array([lspDiagnostic(d, in: open.document)]),
                    "edit": .object(["changes": .object([uri: .array(edits)])]),
                ]))
            }
        }
        return .array(actions)
    }

    // MARK: Symbols

    func documentSymbols(_ params: JSON) throws -> JSON {
        guard let uri = params["textDocument"]?["uri"]?.string, let open = documents[uri] else {
            throw RPCError(code: .invalidParams, message: "the document is not open")
        }
        guard let outline = outline(uri) else { return .array([]) }
        let doc = open.document
        func symbol(_ name: String, _ detail: String?, kind: Int, range: SourceRange, selection: SourceRange, children: [JSON] = []) -> JSON {
            var o: [String: JSON] = ["name": .string(name.isEmpty ? "?" : name), "kind": .int(kind),
                                     "range": lspRange(range, in: doc), "selectionRange": lspRange(selection, in: doc)]
            if let detail { o["detail"] = .string(detail) }
            if !children.isEmpty { o["children"] = .array(children) }
            return .object(o)
        }
        var out: [JSON] = []
        if let id = outline.id {
            out.append(symbol(outline.name?.value ?? id.value, id.value, kind: 2, range: id.range, selection: id.range))
        }
        if !outline.actors.isEmpty {
            let children = outline.actors.map { a in symbol(a.key, a.name, kind: 7, range: a.keyRange, selection: a.keyRange) }
            let whole = SourceRange(file: outline.path, start: outline.actors.first!.keyRange.start, end: outline.actors.last!.keyRange.end)
            out.append(symbol(language == .id ? "Pelaksana" : "Actors", nil, kind: 3, range: whole, selection: whole, children: children))
        }
        if !outline.steps.isEmpty {
            let children = outline.steps.map { s in
                symbol("\(s.number). " + Self.shorten(s.action ?? s.id ?? ""), s.id, kind: 12, range: s.range, selection: s.head)
            }
            let whole = SourceRange(file: outline.path, start: outline.steps.first!.range.start, end: outline.steps.last!.range.end)
            out.append(symbol(language == .id ? "Langkah" : "Steps", nil, kind: 3, range: whole, selection: outline.steps.first!.head, children: children))
        }
        return .array(out)
    }

    static func shorten(_ s: String, to n: Int = 60) -> String {
        let flat = s.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > n ? String(flat.prefix(n - 1)) + "…" : flat
    }

    // MARK: Paths and URIs

    /// The path of a `file:` URI (percent-decoded); other URIs are kept as they are.
    public static func path(ofURI uri: String) -> String {
        guard uri.hasPrefix("file://") else { return uri }
        var rest = String(uri.dropFirst(7))
        if let slash = rest.firstIndex(of: "/"), rest[..<slash] == "localhost" { rest = String(rest[slash...]) }
        return rest.removingPercentEncoding ?? rest
    }

    public static func uri(ofPath path: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
        return "file://" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path)
    }
}
