import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIdentity
import SOPRuntime
import SOPWorkspace

/// `sop store …`: the case store as a whole (moving it between SQLite and PostgreSQL).
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Move a whole case store between SQLite and PostgreSQL.",
        subcommands: [Copy.self])
}

extension StoreCommand {
    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every case (events, SOP versions), user and API token into an empty store, then verify the copy.",
            discussion: """
            Stores are SQLite files or postgres://USER@HOST:PORT/DATABASE URLs, either way. \
            The copy is verified by reading both sides again: the same events, and every \
            case's summary equal to what its events fold to. Sessions are not copied.
            """)
        @Option(name: .long, help: "The store to copy from (a SQLite file or a postgres:// URL).") var from: String
        @Option(name: .long, help: "The empty store to copy into (created on first use).") var to: String
        @Option(name: .long, help: "Message language: en or id (default from LANG).") var lang: String?

        func run() throws {
            let language = try parseLanguage(lang)
            do {
                let report = try StoreCopy.copy(from: try StoreLocation(parsing: from), to: try StoreLocation(parsing: to))
                let target = StoreLocation.redact(to)
                print(language == .id
                      ? "disalin ke \(target): \(report.cases) kasus (\(report.events) peristiwa), \(report.graphs) versi SOP, \(report.users) pengguna, \(report.tokens) token API; diperiksa: sama"
                      : "copied to \(target): \(report.cases) case(s) (\(report.events) events), \(report.graphs) SOP version(s), \(report.users) user(s), \(report.tokens) API token(s); verified: identical")
            } catch let e as RuntimeError {
                printError(e.render(language) + "\n")
                throw ExitCode(1)
            } catch let e as IdentityError {
                printError("sop: " + e.message.text(language) + "\n")
                throw ExitCode(1)
            }
        }
    }
}
