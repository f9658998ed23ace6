import ArgumentParser
import Foundation
import SOPLanguageServer

/// `sop lsp`: the language server on standard input and output (LSP 3.17, JSON-RPC).
struct LSP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the language server (LSP 3.17 over stdin/stdout) for editors.",
        discussion: "Diagnostics as you type, quick fixes, hover, completion, go to definition, references, "
            + "rename and the outline of SOP files. Configure your editor to start `sop lsp` for YAML files "
            + "under sops/ (see Docs/LanguageServer.md for Neovim, Helix and VS Code)."
    )

    @Option(name: .long, help: "Message language: en or id (default: the client's locale, else LANG).")
    var lang: String?

    func run() throws {
        let server = LanguageServer()
        server.language = try parseLanguage(lang)
        // The client's `locale` wins over LANG, --lang over both.
        server.languageIsFixed = lang != nil
        signal(SIGPIPE, SIG_IGN)
        throw ExitCode(server.serve())
    }
}
