import SOPDiagnostics
import SOPLanguage
import SOPRuntime
import SOPYAML

/// What the fuzzer runs on one input (`make fuzz`, Fuzz/), and what the crash fixtures of
/// `Tests/Fuzz/crashes` are replayed through: the reader, the checks and lowering of the
/// bytes as an SOP file; the same bytes as a JSON-RPC message to the server; and the
/// server's change handling: the bytes opened as a document, then edited and queried at
/// places the bytes choose. Any crash, hang or sanitizer report here is a bug.
public enum FuzzEntry {
    public static func run(_ data: [UInt8]) {
        // 1. Reader, checks (with a catalogue, so that its rule runs too) and lowering.
        let source = SourceFile(path: "fuzz.yaml", bytes: data)
        _ = Compiler().compile(source, catalog: ["kota-contoh/diskominfo/arsip"], diagnostics: DiagnosticSink(), lower: true)

        // 1b. The bytes edited at a place they pick, read again from the first tree: the
        // re-read must be the full read's tree (or read in full).
        let reader = YAMLReader()
        if data.count >= 2, let first = reader.read(source, diagnostics: DiagnosticSink()) {
            let at = Int(data[0]) * 256 + Int(data[1])
            var edited = data
            let cut = at % data.count
            if data[cut] & 1 == 0 { edited.remove(at: cut) } else { edited.insert(data[(cut + 1) % data.count], at: cut) }
            let again = SourceFile(path: "fuzz.yaml", bytes: edited)
            let full = reader.read(again, diagnostics: DiagnosticSink())
            if let reread = reader.read(again, after: first, diagnostics: DiagnosticSink()) {
                precondition(full.map(reread.isSame(as:)) == true, "a re-read after an edit differs from a full read")
            } else {
                precondition(full == nil, "a re-read after an edit found nothing where a full read found a tree")
            }
        }

        // 2. The bytes as one JSON-RPC message, before and after `initialize`.
        let server = LanguageServer(today: CivilDate(year: 2026, month: 12, day: 4))
        _ = server.handle(data)
        _ = server.handle(.object(["jsonrpc": .string("2.0"), "id": .int(1), "method": .string("initialize"), "params": .object([:])]))
        _ = server.handle(data)

        // 3. The bytes as a document, changed and queried at positions they pick.
        let uri = "file:///fuzz/kota-contoh/diskominfo/fuzz.yaml"
        let text = String(decoding: data, as: UTF8.self)
        _ = server.handle(.object(["jsonrpc": .string("2.0"), "method": .string("textDocument/didOpen"), "params": .object([
            "textDocument": .object(["uri": .string(uri), "languageId": .string("yaml"), "version": .int(1), "text": .string(text)]),
        ])]))
        var k = 0
        func byte() -> Int {
            defer { k += 1 }
            return data.isEmpty ? 0 : Int(data[k % data.count])
        }
        func position() -> JSON {
            .object(["line": .int(byte() % 64), "character": .int(byte() % 96)])
        }
        let methods = ["textDocument/completion", "textDocument/hover", "textDocument/definition", "textDocument/references",
                       "textDocument/documentSymbol", "textDocument/prepareRename", "textDocument/rename", "textDocument/codeAction"]
        for round in 0..<min(3, data.count / 8 + 1) {
            // An incremental change: a slice of the input put at a place the input picks.
            let from = byte() % max(1, data.count), length = byte() % 8
            let inserted = String(decoding: data[from..<min(data.count, from + length)], as: UTF8.self)
            let change: JSON = .object(["range": .object(["start": position(), "end": position()]), "text": .string(inserted)])
            _ = server.handle(.object(["jsonrpc": .string("2.0"), "method": .string("textDocument/didChange"), "params": .object([
                "textDocument": .object(["uri": .string(uri), "version": .int(round + 2)]),
                "contentChanges": .array([change]),
            ])]))
            let method = methods[byte() % methods.count]
            _ = server.handle(.object(["jsonrpc": .string("2.0"), "id": .int(round + 10), "method": .string(method), "params": .object([
                "textDocument": .object(["uri": .string(uri)]), "position": position(), "newName": .string("langkah-baru"),
                "range": .object(["start": position(), "end": position()]), "context": .object(["includeDeclaration": .bool(true)]),
            ])]))
        }
    }
}
