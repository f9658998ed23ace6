"""End-to-end tests of `sop lsp` through pytest-lsp (a real LSP client, pygls): every
feature over JSON-RPC on stdio, against the real binary."""
import json
import subprocess

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import ARSIP, PENGADUAN, ROOT, SOP

TODAY = "2026-12-04"  # a Friday: three working days later is Wednesday 9 December


def find(text, needle):
    """The LSP position (UTF-16) of the first `needle` in `text`."""
    for n, line in enumerate(text.split("\n")):
        k = line.find(needle)
        if k >= 0:
            return types.Position(line=n, character=len(line[:k].encode("utf-16-le")) // 2)
    raise AssertionError(f"no {needle!r}")


def shifted(p, n):
    return types.Position(line=p.line, character=p.character + n)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[SOP, "lsp"]))
async def client(lsp_client: LanguageClient, catalogue):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("neovim"),
        root_uri=catalogue.as_uri(),
        initialization_options={"today": TODAY},
    ))
    lsp_client.catalogue = catalogue
    yield
    await lsp_client.shutdown_session()


async def open_doc(client, text=PENGADUAN, name="pengaduan.yaml"):
    uri = (client.catalogue / "kota-contoh" / "diskominfo" / name).as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


def codes(client, uri):
    return [d.code for d in client.diagnostics[uri]]


async def test_diagnostics_on_open_and_on_each_change(client):
    typo = PENGADUAN.replace("actor: kepala", "actor: kepal")
    uri = await open_doc(client, typo)
    [d] = client.diagnostics[uri]
    assert d.code == "E0301"
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.source == "sop"
    assert d.message.startswith("the actor `kepal` is not declared")
    assert d.code_description.href.endswith("Diagnostics.md#e0301-undefined-actor")
    assert d.related_information[0].message == "declared actors: petugas, kepala"
    start = find(typo, "actor: kepal")
    assert d.range.start == shifted(start, 7) and d.range.end == shifted(start, 12)
    # Incremental change: type the missing `a`.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=shifted(start, 12), end=shifted(start, 12)), text="a")]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert codes(client, uri) == []
    # Full change: break it again another way.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=PENGADUAN.replace("next: telaah", "next: telaha"))]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert codes(client, uri) == ["E0302"]


async def test_utf16_positions_after_non_ascii_text(client):
    # A typo after an emoji (two UTF-16 units) and typographic quotes on the same line.
    text = PENGADUAN.split("  - id: telaah")[0] + (
        "  - {id: telaah, action: “Menelaah” 📨 pengaduan, actor: kepal, requires: [Lembar disposisi],"
        " produces: [Surat jawaban], call: kota-contoh/diskominfo/arsip}\n")
    uri = await open_doc(client, text)
    [d] = client.diagnostics[uri]
    assert d.code == "E0301"
    start = find(text, "kepal,")
    assert d.range.start == start
    assert d.range.end == shifted(start, 5)


async def test_misspelt_key_is_one_message_with_a_quick_fix(client):
    text = PENGADUAN.replace("    actor: kepala", "    acter: kepala")
    uri = await open_doc(client, text)
    assert codes(client, uri) == ["E0201"]
    [d] = client.diagnostics[uri]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=d.range,
        context=types.CodeActionContext(diagnostics=[d])))
    [action] = actions
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.title == "rename `acter` to `actor`"
    [edit] = action.edit.changes[uri]
    assert edit.new_text == "actor" and edit.range == d.range


async def test_completion(client):
    uri = await open_doc(client)

    async def labels(position):
        result = await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=position))
        return [item.label for item in result.items]

    assert await labels(shifted(find(PENGADUAN, "actor: kepala"), 7)) == ["petugas", "kepala"]
    assert await labels(shifted(find(PENGADUAN, "next: telaah"), 6)) == ["telaah", "end"]
    assert await labels(shifted(find(PENGADUAN, "requires: [Lembar"), 11)) == ["Lembar disposisi", "Surat pengaduan"]
    durations = await labels(shifted(find(PENGADUAN, "duration: 3"), 10))
    assert "3 hari kerja" in durations and "Maks. 5 hari kerja" in durations
    assert await labels(shifted(find(PENGADUAN, "call: "), 6)) == ["kota-contoh/diskominfo/arsip", "kota-contoh/diskominfo/pengaduan"]
    step_keys = await labels(types.Position(line=find(PENGADUAN, "next: telaah").line, character=4))
    assert "decision" in step_keys and "timeout" in step_keys and "actor" not in step_keys and "sop" not in step_keys
    top_keys = await labels(types.Position(line=find(PENGADUAN, "outputs:").line, character=0))
    assert "legal_basis" in top_keys and "steps" not in top_keys


async def test_hover(client):
    uri = await open_doc(client)

    async def hover(needle, shift):
        result = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=shifted(find(PENGADUAN, needle), shift)))
        return result.contents.value

    step = await hover("next: telaah", 7)
    assert "**Step 2** (`telaah`): Menelaah pengaduan" in step and "Kepala Seksi Pengaduan (`kepala`)" in step
    actor = await hover("actor: petugas", 8)
    assert "**Petugas Pelayanan** (`petugas`, person)" in actor and "Steps: 1" in actor
    waktu = await hover("3 hari kerja", 1)
    assert "3 working days" in waktu and "started today (2026-12-04), due on 2026-12-09" in waktu
    document = await hover("[Lembar disposisi]", 2)
    assert "Produced by steps: 1" in document and "Required by steps: 2" in document
    call = await hover("call: kota", 8)
    assert "Pengarsipan Berkas" in call


async def test_hover_explains_the_diagnostic_code(client):
    text = PENGADUAN.replace("duration: 3 hari kerja", "duration: 3 hari kerjaa")
    uri = await open_doc(client, text)
    assert codes(client, uri) == ["E0205"]
    result = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=shifted(find(text, "3 hari"), 2)))
    assert "**E0205** `invalid-duration`" in result.contents.value


async def test_definition_and_references(client):
    uri = await open_doc(client)
    ident = types.TextDocumentIdentifier(uri=uri)
    [target] = await client.text_document_definition_async(types.DefinitionParams(
        text_document=ident, position=shifted(find(PENGADUAN, "next: telaah"), 7)))
    assert target.uri == uri and target.range.start.line == find(PENGADUAN, "- id: telaah").line
    # A `call` target is another file of the catalogue: its `id`.
    [other] = await client.text_document_definition_async(types.DefinitionParams(
        text_document=ident, position=shifted(find(PENGADUAN, "call: kota"), 10)))
    assert other.uri.endswith("kota-contoh/diskominfo/arsip.yaml")
    assert other.range.start == find(ARSIP, "kota-contoh/diskominfo/arsip")
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=ident, position=shifted(find(PENGADUAN, "petugas: {"), 1),
        context=types.ReferenceContext(include_declaration=True)))
    assert [r.range.start.line for r in refs] == [find(PENGADUAN, "petugas: {").line, find(PENGADUAN, "actor: petugas").line]
    step_refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=ident, position=shifted(find(PENGADUAN, "- id: telaah"), 8),
        context=types.ReferenceContext(include_declaration=False)))
    assert [r.range.start.line for r in step_refs] == [find(PENGADUAN, "next: telaah").line]


async def test_rename(client):
    uri = await open_doc(client)
    result = await client.text_document_rename_async(types.RenameParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=shifted(find(PENGADUAN, "actor: kepala"), 8),
        new_name="kasi"))
    edits = result.changes[uri]
    assert sorted(e.range.start.line for e in edits) == [find(PENGADUAN, "kepala: {").line, find(PENGADUAN, "actor: kepala").line]
    assert {e.new_text for e in edits} == {"kasi"}


async def test_document_symbols(client):
    uri = await open_doc(client)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    assert [s.name for s in symbols] == ["Penanganan Pengaduan", "Actors", "Steps"]
    assert [c.name for c in symbols[1].children] == ["petugas", "kepala"]
    assert [c.name for c in symbols[2].children] == ["1. Menerima surat pengaduan — catatan “awal” 📨", "2. Menelaah pengaduan"]


async def test_a_catalogue_file_of_the_repository(client):
    """A real catalogue file: its `related` id leads to the other SOP's file."""
    path = ROOT / "sops/kota-cirebon/dkis/penyusunan-e-kliping.yaml"
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text.replace("actor: staf", "actor: stf", 1))))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert "E0301" in codes(client, uri)
    [target] = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=shifted(find(text, "id: kota-cirebon/dkis/penyusunan-daftar-informasi-publik"), 6)))
    assert target.uri.endswith("sops/kota-cirebon/dkis/penyusunan-daftar-informasi-publik.yaml")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[SOP, "lsp"]))
async def client_id(lsp_client: LanguageClient, catalogue):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("neovim"), root_uri=catalogue.as_uri(), locale="id"))
    lsp_client.catalogue = catalogue
    yield
    await lsp_client.shutdown_session()


async def test_indonesian_for_an_indonesian_client(client_id):
    uri = await open_doc(client_id, PENGADUAN.replace("actor: kepala", "actor: kepal"))
    [d] = client_id.diagnostics[uri]
    assert d.message.startswith("pelaksana `kepal` tidak dideklarasikan")
    result = await client_id.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=shifted(find(PENGADUAN, "3 hari kerja"), 1)))
    assert "3 hari kerja" in result.contents.value and "batas waktunya" in result.contents.value


def frame(payload: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(payload) + payload


def read_all(output: bytes):
    messages, rest = [], output
    while rest:
        header, _, rest = rest.partition(b"\r\n\r\n")
        n = int(header.split(b":")[1])
        messages.append(json.loads(rest[:n]))
        rest = rest[n:]
    return messages


def test_malformed_messages_never_crash_the_server():
    """Garbage on the wire gets JSON-RPC errors; the server answers what follows and exits 0."""
    init = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}).encode()
    stream = b"".join([
        b"Content-Lenght: 3\r\n\r\n",  # no length: skipped
        frame(b"{oops"),
        frame(b"[]"),
        frame(json.dumps({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {}}).encode()),
        frame(init),
        frame(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": 3}}).encode()),
        frame(json.dumps({"jsonrpc": "2.0", "id": 3, "method": "sop/unknown"}).encode()),
        frame(json.dumps({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"contentChanges": 5}}).encode()),
        frame(b"[" * 50000),
        frame(json.dumps({"jsonrpc": "2.0", "id": 4, "method": "shutdown"}).encode()),
        frame(json.dumps({"jsonrpc": "2.0", "method": "exit"}).encode()),
    ])
    run = subprocess.run([SOP, "lsp"], input=stream, capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    replies = read_all(run.stdout)
    errors = [(r.get("id"), r["error"]["code"]) for r in replies if "error" in r]
    assert errors == [(None, -32700), (None, -32700), (None, -32600), (7, -32002), (2, -32602), (3, -32601), (None, -32700)]
    assert [r["id"] for r in replies if "result" in r] == [1, 4]
    # The same input gives the same bytes.
    again = subprocess.run([SOP, "lsp"], input=stream, capture_output=True, timeout=60)
    assert again.stdout == run.stdout


def test_exit_without_shutdown_is_status_1():
    run = subprocess.run([SOP, "lsp"], input=frame(b'{"jsonrpc":"2.0","method":"exit"}'), capture_output=True, timeout=60)
    assert run.returncode == 1
