import Foundation
import SOPDiagnostics
import SOPLanguageServer
import SOPRuntime
import XCTest

/// The language server driven in memory: one JSON-RPC message in, the replies out.
final class LanguageServerTests: XCTestCase {
    static let sop = """
    sop: 1
    id: kota-contoh/diskominfo/pengaduan
    name: Penanganan Pengaduan
    inputs: [Surat pengaduan]
    outputs: [Surat jawaban]
    actors:
      petugas: {name: Petugas Pelayanan}
      kepala: {name: Kepala Seksi Pengaduan}
    steps:
      - id: terima
        action: Menerima surat pengaduan — catatan “awal” 📨
        actor: petugas
        requires: [Surat pengaduan]
        produces: [Lembar disposisi]
        duration: 3 hari kerja
        next: telaah
      - id: telaah
        action: Menelaah pengaduan
        actor: kepala
        requires: [Lembar disposisi]
        produces: [Surat jawaban]
        call: kota-contoh/diskominfo/arsip

    """

    var folder: URL!
    var uri: String!
    var server: LanguageServer!
    var nextID = 1

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sop-lsp-\(UUID().uuidString)")
        let dir = folder.appendingPathComponent("kota-contoh/diskominfo")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(Self.sop.utf8).write(to: dir.appendingPathComponent("pengaduan.yaml"))
        let other = Self.sop.replacingOccurrences(of: "kota-contoh/diskominfo/pengaduan", with: "kota-contoh/diskominfo/arsip")
            .replacingOccurrences(of: "Penanganan Pengaduan", with: "Pengarsipan Berkas")
            .replacingOccurrences(of: "        call: kota-contoh/diskominfo/arsip\n", with: "")
        try Data(other.utf8).write(to: dir.appendingPathComponent("arsip.yaml"))
        uri = LanguageServer.uri(ofPath: dir.appendingPathComponent("pengaduan.yaml").path)
        server = LanguageServer(today: CivilDate(year: 2026, month: 12, day: 4))
        let reply = request("initialize", ["rootUri": .string(LanguageServer.uri(ofPath: folder.path)), "capabilities": .object([:])])
        XCTAssertEqual(reply["result"]?["capabilities"]?["hoverProvider"], .bool(true))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    @discardableResult
    func request(_ method: String, _ params: [String: JSON]) -> JSON {
        nextID += 1
        let out = server.handle(.object(["jsonrpc": .string("2.0"), "id": .int(nextID), "method": .string(method), "params": .object(params)]))
        XCTAssertEqual(out.first?["id"], .int(nextID))
        return out.first ?? .null
    }

    func notify(_ method: String, _ params: [String: JSON]) -> [JSON] {
        server.handle(.object(["jsonrpc": .string("2.0"), "method": .string(method), "params": .object(params)]))
    }

    func open(_ text: String = sop) -> [JSON] {
        let out = notify("textDocument/didOpen", ["textDocument": .object(["uri": .string(uri), "languageId": .string("yaml"), "version": .int(1), "text": .string(text)])])
        XCTAssertEqual(out.count, 1)
        return out.first?["params"]?["diagnostics"]?.array ?? []
    }

    func at(_ line: Int, _ character: Int) -> [String: JSON] {
        ["textDocument": .object(["uri": .string(uri)]), "position": .object(["line": .int(line), "character": .int(character)])]
    }

    /// The 0-based line and UTF-16 column of the first `needle` in the document.
    func find(_ needle: String, in text: String = sop) -> (Int, Int) {
        for (n, line) in text.components(separatedBy: "\n").enumerated() {
            if let r = line.range(of: needle) { return (n, line[..<r.lowerBound].utf16.count) }
        }
        XCTFail("no \(needle)")
        return (0, 0)
    }

    // MARK: Positions

    func testUTF16PositionsOfNonASCIIText() {
        let doc = TextDocument(uri: "u", path: "p", version: 1, text: "a: é📨x\nb: “c”\n")
        // `x` is after `a: ` (3), `é` (1 unit) and `📨` (2 units): character 6, byte 3+2+4 = 9.
        XCTAssertEqual(doc.offset(line: 0, character: 6), 9)
        XCTAssertEqual(doc.position(ofOffset: 9).character, 6)
        // Inside the surrogate pair: the start of the emoji.
        XCTAssertEqual(doc.offset(line: 0, character: 5), 5)
        // Past the end of a line: the line's end; past the last line: the end of the text.
        XCTAssertEqual(doc.offset(line: 0, character: 99), 10)
        XCTAssertEqual(doc.offset(line: 9, character: 0), doc.bytes.count)
        XCTAssertEqual(doc.position(ofOffset: doc.offset(line: 1, character: 4)).character, 4)
        for offset in 0...doc.bytes.count where offset == doc.bytes.count || doc.bytes[offset] & 0xC0 != 0x80 {
            let p = doc.position(ofOffset: offset)
            XCTAssertEqual(doc.offset(line: p.line, character: p.character), offset)
        }
    }

    func testIncrementalChangesWithNonASCIIText() throws {
        _ = open()
        // Replace `petugas` in step 1 (a line after “awal” 📨) by `ptugas`: one character out.
        let (line, character) = find("actor: petugas")
        let out = notify("textDocument/didChange", [
            "textDocument": .object(["uri": .string(uri), "version": .int(2)]),
            "contentChanges": .array([.object(["range": .object(["start": .object(["line": .int(line), "character": .int(character + 8)]),
                                                                 "end": .object(["line": .int(line), "character": .int(character + 9)])]),
                                               "text": .string("")])]),
        ])
        let diagnostics = try XCTUnwrap(out.first?["params"]?["diagnostics"]?.array)
        XCTAssertEqual(diagnostics.map { $0["code"] }, [.string("E0301")])
        XCTAssertEqual(out.first?["params"]?["version"], .int(2))
        XCTAssertEqual(diagnostics[0]["range"]?["start"]?["character"], .int(character + 7))
        XCTAssertEqual(diagnostics[0]["range"]?["end"]?["character"], .int(character + 13))
        // The emoji line before it: a change after the emoji lands where it should.
        let (eLine, eChar) = find("📨")
        let out2 = notify("textDocument/didChange", [
            "textDocument": .object(["uri": .string(uri), "version": .int(3)]),
            "contentChanges": .array([.object(["range": .object(["start": .object(["line": .int(eLine), "character": .int(eChar + 2)]),
                                                                 "end": .object(["line": .int(eLine), "character": .int(eChar + 2)])]),
                                               "text": .string(" ✓")]),
                                      .object(["range": .object(["start": .object(["line": .int(line), "character": .int(character + 8)]),
                                                                 "end": .object(["line": .int(line), "character": .int(character + 8)])]),
                                               "text": .string("e")])]),
        ])
        XCTAssertEqual(out2.first?["params"]?["diagnostics"]?.array?.count, 0)
        // A full replacement.
        let out3 = notify("textDocument/didChange", ["textDocument": .object(["uri": .string(uri), "version": .int(4)]),
                                                     "contentChanges": .array([.object(["text": .string("sop: [")])])])
        XCTAssertEqual(out3.first?["params"]?["diagnostics"]?[0]?["code"], .string("E0101"))
    }

    // MARK: Features

    func testDiagnosticsCarryCodeLinkAndNotes() throws {
        let diagnostics = open(Self.sop.replacingOccurrences(of: "actor: kepala", with: "actor: kepal"))
        XCTAssertEqual(diagnostics.count, 1)
        let d = diagnostics[0]
        XCTAssertEqual(d["code"], .string("E0301"))
        XCTAssertEqual(d["severity"], .int(1))
        XCTAssertEqual(d["source"], .string("sop"))
        XCTAssertEqual(d["codeDescription"]?["href"]?.string?.hasSuffix("Diagnostics.md#e0301-undefined-actor"), true)
        XCTAssertEqual(d["relatedInformation"]?[0]?["message"], .string("declared actors: petugas, kepala"))
    }

    func testIndonesianWhenTheClientLocaleIsID() {
        server = LanguageServer()
        _ = server.handle(.object(["jsonrpc": .string("2.0"), "id": .int(1), "method": .string("initialize"),
                                   "params": .object(["locale": .string("id-ID"), "capabilities": .object([:])])]))
        let diagnostics = open(Self.sop.replacingOccurrences(of: "actor: kepala", with: "actor: kepal"))
        XCTAssertEqual(diagnostics.first?["message"]?.string?.hasPrefix("pelaksana `kepal` tidak dideklarasikan"), true)
    }

    func testCatalogueCallTargetsAreChecked() {
        let diagnostics = open(Self.sop.replacingOccurrences(of: "call: kota-contoh/diskominfo/arsip", with: "call: kota-contoh/diskominfo/arsp"))
        XCTAssertEqual(diagnostics.map { $0["code"] }, [.string("E0601")])
    }

    func testCompletion() {
        _ = open()
        func labels(_ line: Int, _ character: Int) -> [String] {
            request("textDocument/completion", at(line, character))["result"]?["items"]?.array?.compactMap { $0["label"]?.string } ?? []
        }
        let actor = find("actor: kepala")
        XCTAssertEqual(labels(actor.0, actor.1 + 7), ["petugas", "kepala"])
        let next = find("next: telaah")
        XCTAssertEqual(labels(next.0, next.1 + 6), ["telaah", "end"])
        let duration = find("duration: 3")
        XCTAssertTrue(labels(duration.0, duration.1 + 10).contains("3 hari kerja"))
        let requires = find("requires: [Lembar")
        XCTAssertEqual(labels(requires.0, requires.1 + 11), ["Lembar disposisi", "Surat pengaduan"])
        let call = find("call: ")
        XCTAssertEqual(labels(call.0, call.1 + 6), ["kota-contoh/diskominfo/arsip", "kota-contoh/diskominfo/pengaduan"])
        // Keys: a step's keys not yet written, at the indentation of the step's keys.
        let keys = labels(next.0, 4)
        XCTAssertTrue(keys.contains("decision"))
        XCTAssertFalse(keys.contains("actor"))
        XCTAssertFalse(keys.contains("sop"))
        // Top-level keys at column 0.
        let top = labels(find("outputs:").0, 0)
        XCTAssertTrue(top.contains("legal_basis"))
        XCTAssertFalse(top.contains("steps"))
    }

    func testEveryOfferedDurationFormCompilesWithoutError() {
        for form in LanguageServer.durationForms {
            XCTAssertFalse(server.describe(form).contains("not a duration"), form)
        }
    }

    func testHover() throws {
        _ = open()
        func hover(_ needle: String, _ shift: Int = 0) -> String {
            let (l, c) = find(needle)
            return request("textDocument/hover", at(l, c + shift))["result"]?["contents"]?["value"]?.string ?? ""
        }
        let step = hover("next: telaah", 7)
        XCTAssertTrue(step.contains("**Step 2** (`telaah`): Menelaah pengaduan"), step)
        XCTAssertTrue(step.contains("Kepala Seksi Pengaduan (`kepala`)"), step)
        let actor = hover("actor: petugas", 8)
        XCTAssertTrue(actor.contains("**Petugas Pelayanan** (`petugas`, person)"), actor)
        XCTAssertTrue(actor.contains("Steps: 1"), actor)
        // Working days: the meaning and a deadline on the national calendar (4 December
        // 2026 is a Friday: three working days later is Wednesday 9 December).
        let waktu = hover("3 hari kerja", 1)
        XCTAssertTrue(waktu.contains("3 working days"), waktu)
        XCTAssertTrue(waktu.contains("2026-12-09"), waktu)
        let document = hover("[Lembar disposisi]", 2)
        XCTAssertTrue(document.contains("Produced by steps: 1") && document.contains("Required by steps: 2"), document)
        let call = hover("call: kota", 8)
        XCTAssertTrue(call.contains("Pengarsipan Berkas"), call)
    }

    func testHoverExplainsADiagnostic() {
        _ = open(Self.sop.replacingOccurrences(of: "actor: kepala", with: "actor: kepal"))
        let (l, c) = find("actor: kepala")
        let text = request("textDocument/hover", at(l, c + 8))["result"]?["contents"]?["value"]?.string ?? ""
        XCTAssertTrue(text.contains("**E0301** `undefined-actor`"), text)
    }

    func testDefinitionAndReferences() throws {
        _ = open()
        let next = find("next: telaah")
        let definition = request("textDocument/definition", at(next.0, next.1 + 7))["result"]
        XCTAssertEqual(definition?[0]?["range"]?["start"]?["line"], .int(find("- id: telaah").0))
        XCTAssertEqual(definition?[0]?["uri"], .string(uri))
        // Across the catalogue: `call` goes to the other file's `id`.
        let call = find("call: kota")
        let target = request("textDocument/definition", at(call.0, call.1 + 10))["result"]
        XCTAssertEqual(target?[0]?["uri"]?.string?.hasSuffix("kota-contoh/diskominfo/arsip.yaml"), true)
        XCTAssertEqual(target?[0]?["range"]?["start"]?["line"], .int(1))
        // References of an actor: its declaration and its step.
        let actor = find("petugas: {")
        var params = at(actor.0, actor.1 + 1)
        params["context"] = .object(["includeDeclaration": .bool(true)])
        let refs = request("textDocument/references", params)["result"]?.array ?? []
        XCTAssertEqual(refs.compactMap { $0["range"]?["start"]?["line"]?.int }, [find("petugas: {").0, find("actor: petugas").0])
        // References of an SOP id: its declaration and the `call` in the other file.
        let id = find("id: kota-contoh/diskominfo/pengaduan")
        params = at(id.0, id.1 + 6)
        let sopRefs = request("textDocument/references", params)["result"]?.array ?? []
        XCTAssertEqual(sopRefs.count, 1)
    }

    func testRename() throws {
        _ = open()
        let (l, c) = find("- id: telaah")
        let prepare = request("textDocument/prepareRename", at(l, c + 7))["result"]
        XCTAssertEqual(prepare?["placeholder"], .string("telaah"))
        var params = at(l, c + 7)
        params["newName"] = .string("periksa")
        let edits = request("textDocument/rename", params)["result"]?["changes"]?[uri]?.array ?? []
        XCTAssertEqual(edits.count, 2)
        XCTAssertEqual(Set(edits.compactMap { $0["newText"]?.string }), ["periksa"])
        params["newName"] = .string("Bad Name")
        XCTAssertEqual(request("textDocument/rename", params)["error"]?["code"], .int(-32803))
    }

    func testCodeActionsFromFixIts() throws {
        _ = open(Self.sop.replacingOccurrences(of: "actor: kepala", with: "actor: kepal"))
        let (l, _) = find("actor: kepala")
        let actions = request("textDocument/codeAction", [
            "textDocument": .object(["uri": .string(uri)]),
            "range": .object(["start": .object(["line": .int(l), "character": .int(0)]), "end": .object(["line": .int(l), "character": .int(20)])]),
            "context": .object(["diagnostics": .array([])]),
        ])["result"]?.array ?? []
        XCTAssertEqual(actions.count, 1)
        XCTAssertEqual(actions[0]["title"], .string("replace `kepal` with `kepala`"))
        XCTAssertEqual(actions[0]["kind"], .string("quickfix"))
        XCTAssertEqual(actions[0]["edit"]?["changes"]?[uri]?[0]?["newText"], .string("kepala"))
    }

    func testDocumentSymbols() {
        _ = open()
        let symbols = request("textDocument/documentSymbol", ["textDocument": .object(["uri": .string(uri)])])["result"]?.array ?? []
        XCTAssertEqual(symbols.compactMap { $0["name"]?.string }, ["Penanganan Pengaduan", "Actors", "Steps"])
        XCTAssertEqual(symbols[2]["children"]?.array?.compactMap { $0["name"]?.string },
                       ["1. Menerima surat pengaduan — catatan “awal” 📨", "2. Menelaah pengaduan"])
    }

    // MARK: Robustness

    func testMalformedMessagesGetErrors() {
        func code(_ bytes: String) -> JSON? { server.handle(Array(bytes.utf8)).first?["error"]?["code"] }
        XCTAssertEqual(code("{not json"), .int(-32700))
        XCTAssertEqual(code("[1, 2]"), .int(-32600))
        XCTAssertEqual(code(#"{"jsonrpc":"2.0","id":{"x":1},"method":"shutdown"}"#), .int(-32600))
        XCTAssertEqual(code(#"{"jsonrpc":"2.0","id":3}"#), .int(-32600))
        XCTAssertEqual(code(#"{"jsonrpc":"2.0","id":3,"method":"no/such"}"#), .int(-32601))
        XCTAssertEqual(code(#"{"jsonrpc":"2.0","id":3,"method":"textDocument/hover","params":{}}"#), .int(-32602))
        XCTAssertEqual(code(#"{"jsonrpc":"2.0","id":3,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///nope"},"position":{"line":0,"character":0}}}"#), .int(-32602))
        XCTAssertEqual(code(String(repeating: "[", count: 100_000)), .int(-32700))
        // Notifications with nonsense are ignored, without a reply.
        XCTAssertEqual(server.handle(Array(#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":7}}"#.utf8)), [])
        // Before `initialize`, requests are refused.
        let fresh = LanguageServer()
        XCTAssertEqual(fresh.handle(Array(#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#.utf8)).first?["error"]?["code"], .int(-32002))
        // Positions out of the text are clamped, not trusted.
        _ = open()
        let far = request("textDocument/hover", at(10_000, -5))
        XCTAssertNotNil(far["result"])
    }

    func testShutdownAndExit() {
        XCTAssertEqual(request("shutdown", [:])["result"], .null)
        XCTAssertEqual(request("textDocument/hover", at(0, 0))["error"]?["code"], .int(-32600))
        _ = notify("exit", [:])
        XCTAssertEqual(server.exitStatus, 0)
    }

    func testJSONIsDeterministicAndEscaped() throws {
        let value: JSON = .object(["b": .int(1), "a": .array([.string("x\"\n\u{1}é"), .null, .bool(true), .number(1.5)])])
        XCTAssertEqual(value.serialized, #"{"a":["x\"\n\u0001é",null,true,1.5],"b":1}"#)
        XCTAssertEqual(try JSON.parse(value.serialized), value)
        XCTAssertEqual(try JSON.parse(#""\ud83d\udce8""#), .string("📨"))
        XCTAssertThrowsError(try JSON.parse("01x"))
        XCTAssertThrowsError(try JSON.parse(#"{"a":1,}"#))
    }

    func testTransportFramesAndSkipsBadHeaders() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let body = #"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#
        let input = "X-Nothing: 1\r\n\r\n" + "Content-Length: \(body.utf8.count)\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + body
        _ = input.withCString { write(fds[1], $0, strlen($0)) }
        close(fds[1])
        var transport = StdioTransport(input: fds[0], output: -1)
        guard case .malformed = transport.next() else { return XCTFail("the header without a length is refused") }
        guard case let .message(bytes) = transport.next() else { return XCTFail("the next frame is read") }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), body)
        guard case .end = transport.next() else { return XCTFail("then the end") }
        close(fds[0])
    }
}
