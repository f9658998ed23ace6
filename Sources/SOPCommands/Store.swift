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
        abstract: "Move a whole case store between SQLite and PostgreSQL; check that its projection is the fold of its events.",
        subcommands: [Copy.self, Check.self])
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

extension StoreCommand {
    /// `sop store check`: every case's projection against the fold of its events.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that every case's summary (status, version, open steps, timers) is what its events fold to.",
            discussion: """
            Reads every event and every summary of the store (a SQLite file or a \
            postgres://USER@HOST:PORT/DATABASE URL) and folds each case again. Exit 0 when \
            they agree, 1 with the differing cases when not, 2 when the store cannot be read.
            """)
        @Option(name: .long, help: "The store: a SQLite file or a postgres:// URL.") var db: String = "sop.db"
        @Option(name: .long, help: "Message language: en or id (default from LANG).") var lang: String?

        func run() throws {
            let language = try parseLanguage(lang)
            let report: StoreCheck.Report
            do {
                let location = try StoreLocation(parsing: db)
                if case let .sqlite(path) = location, !FileManager.default.fileExists(atPath: path) {
                    printError(language == .id ? "sop: tidak ada penyimpanan `\(path)`: berkas tidak ada\n"
                                               : "sop: no store `\(path)`: no such file\n")
                    throw ExitCode(2)
                }
                report = try StoreCheck.check(try location.openCaseStore())
            } catch let e as RuntimeError {
                printError(e.render(language) + "\n")
                throw ExitCode(2)
            }
            let target = StoreLocation.redact(db)
            if report.isConsistent {
                print(language == .id
                      ? "\(target): \(report.cases) kasus, \(report.events) peristiwa; ringkasan setiap kasus sama dengan lipatan peristiwanya"
                      : "\(target): \(report.cases) case(s), \(report.events) events; every case's summary equals the fold of its events")
                return
            }
            for d in report.differences { print("\(d.id): \(d.reason)") }
            printError(language == .id
                       ? "sop: \(report.differences.count) dari \(report.cases) kasus berbeda dari lipatan peristiwanya\n"
                       : "sop: \(report.differences.count) of \(report.cases) case(s) differ from the fold of their events\n")
            throw ExitCode(1)
        }
    }
}
