import ArgumentParser
import Foundation
import SOPDiagnostics
import SOPIdentity
import SOPRuntime
import SOPWorkspace

/// `sop user …`: the people who log in to `sop serve`, kept in the case store.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, list, disable users of `sop serve`; set passwords and roles; make API tokens.",
        discussion: """
        Users live in the case store (--db, default sop.db). Roles: `admin` (starts and cancels \
        cases, sees all), `viewer` (reads only), or actors: an actor key (`penghubung`), an \
        actor's name across the catalogue ("Pejabat Penghubung") or SOP-ID:KEY for one SOP's \
        actor. `admin` always means the role: LAPOR's Tim Admin (key `admin`) is held as \
        "Tim Admin". Passwords are read from the terminal, or from standard input with \
        --password-stdin; they are stored as bcrypt hashes.
        """,
        subcommands: [Add.self, List.self, Disable.self, Passwd.self, Roles.self, Token.self])
}

struct UserStoreOptions: ParsableArguments {
    @Option(name: .long, help: "The case store holding the users: a SQLite file (created on first use) or postgres://USER@HOST:PORT/DATABASE.")
    var db: String = "sop.db"

    @Option(name: .long, help: "Message language: en or id (default from LANG).")
    var lang: String?

    func open() throws -> UserStore {
        do { return try UserStore(location: try StoreLocation(parsing: db)) } catch { throw fail(error) }
    }

    func fail(_ error: Error) -> ExitCode {
        let language = (try? parseLanguage(lang)) ?? .en
        if let e = error as? IdentityError {
            printError("sop: " + e.message.text(language) + "\n")
            return ExitCode(1)
        }
        if let e = error as? RuntimeError {   // the store: a bad URL, an unreachable database
            printError(e.render(language) + "\n")
            return ExitCode(2)
        }
        if let e = error as? ExitCode { return e }
        printError("sop: \(error)\n")
        return ExitCode(2)
    }
}

/// Reads a password: from standard input (one line) or, on a terminal, without echo.
func readPassword(fromStdin: Bool, prompt: String) throws -> String {
    if fromStdin {
        guard let line = readLine(strippingNewline: true) else { throw ValidationError("no password on standard input") }
        return line
    }
    guard isatty(STDIN_FILENO) == 1, let p = getpass(prompt) else {
        throw ValidationError("standard input is not a terminal: give the password with --password-stdin")
    }
    return String(cString: p)
}

/// Checks roles against the catalogue: `admin`, `viewer`, or an actor it names; a role it does
/// not know is refused with the nearest actor name.
func checkRoles(_ roles: [String], catalog: String) throws {
    guard !roles.isEmpty else {
        throw IdentityError(Message(en: "give at least one --role (admin, viewer, or an actor)",
                                    id: "beri paling sedikit satu --role (admin, viewer, atau seorang pelaksana)"))
    }
    let actorRoles = roles.filter { $0 != Role.admin && $0 != Role.viewer }
    guard !actorRoles.isEmpty else { return }
    let catalogue: Catalogue
    do { catalogue = try Catalogue.load(catalog).0 } catch {
        throw IdentityError(Message(en: "cannot read the catalogue `\(catalog)` to check the roles: \(error)",
                                    id: "katalog `\(catalog)` tidak dapat dibaca untuk memeriksa peran: \(error)"))
    }
    for role in actorRoles where !catalogue.hasActor(role) {
        let near = NearMiss.best(for: role, among: catalogue.actorNames)
        throw IdentityError(Message(
            en: "no actor `\(role)` in the catalogue `\(catalog)`" + (near.map { "; did you mean `\($0)`?" } ?? ""),
            id: "tidak ada pelaksana `\(role)` dalam katalog `\(catalog)`" + (near.map { "; maksud Anda `\($0)`?" } ?? "")))
    }
}

extension UserCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with roles; asks for the password.")
        @Argument(help: "The login name (lower-case letters, digits, `.`, `-`, `_`).") var name: String
        @Option(name: .long, help: "A role (repeat): admin, viewer, or an actor key or name.") var role: [String] = []
        @Option(name: .long, help: "The name shown on pages (default: the login name).") var displayName: String?
        @Option(name: .long, help: "The catalogue folder the actor roles are checked against.") var catalog: String = "sops"
        @Flag(name: .long, help: "Read the password from standard input.") var passwordStdin = false
        @OptionGroup var store: UserStoreOptions

        func run() throws {
            do { try checkRoles(role, catalog: catalog) } catch { throw store.fail(error) }
            let password = try readPassword(fromStdin: passwordStdin, prompt: "Password for \(name): ")
            let users = try store.open()
            do { try users.add(User(name: name, displayName: displayName ?? name, roles: role), password: password) } catch { throw store.fail(error) }
            print("added \(name): \(role.joined(separator: ", "))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users and their roles.")
        @Flag(name: .long, help: "One JSON object per line.") var json = false
        @OptionGroup var store: UserStoreOptions

        func run() throws {
            let users = try store.open()
            let all: [User]
            do { all = try users.list() } catch { throw store.fail(error) }
            for u in all {
                if json {
                    let roles = u.roles.map(jsonString).joined(separator: ",")
                    print("{\"disabled\":\(u.disabled),\"display_name\":\(jsonString(u.displayName)),\"name\":\(jsonString(u.name)),\"roles\":[\(roles)]}")
                } else {
                    print("\(u.name)\t\(u.displayName)\t\(u.roles.joined(separator: ", "))\(u.disabled ? "\tdisabled" : "")")
                }
            }
        }

        func jsonString(_ s: String) -> String {
            String(decoding: (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8), as: UTF8.self)
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user (no login, tokens stop working); --enable undoes it.")
        @Argument(help: "The login name.") var name: String
        @Flag(name: .long, help: "Enable the user again.") var enable = false
        @OptionGroup var store: UserStoreOptions

        func run() throws {
            let users = try store.open()
            do { try users.setDisabled(name, !enable) } catch { throw store.fail(error) }
            print(enable ? "enabled \(name)" : "disabled \(name)")
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password.")
        @Argument(help: "The login name.") var name: String
        @Flag(name: .long, help: "Read the password from standard input.") var passwordStdin = false
        @OptionGroup var store: UserStoreOptions

        func run() throws {
            let users = try store.open()
            do {
                guard try users.user(named: name) != nil else { throw IdentityError(Message(en: "no user `\(name)`", id: "tidak ada pengguna `\(name)`")) }
                let password = try readPassword(fromStdin: passwordStdin, prompt: "New password for \(name): ")
                try users.setPassword(name, password)
            } catch let e as ValidationError { throw e } catch { throw store.fail(error) }
            print("password set for \(name)")
        }
    }

    struct Roles: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace a user's roles.")
        @Argument(help: "The login name.") var name: String
        @Option(name: .long, help: "A role (repeat): admin, viewer, or an actor key or name.") var role: [String] = []
        @Option(name: .long, help: "The catalogue folder the actor roles are checked against.") var catalog: String = "sops"
        @OptionGroup var store: UserStoreOptions

        func run() throws {
            do { try checkRoles(role, catalog: catalog) } catch { throw store.fail(error) }
            let users = try store.open()
            do { try users.setRoles(name, role) } catch { throw store.fail(error) }
            print("\(name): \(role.joined(separator: ", "))")
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an API token for a user (printed once; only its hash is kept), or --revoke them all.")
        @Argument(help: "The login name.") var name: String
        @Option(name: .long, help: "What the token is for.") var label: String = "api"
        @Flag(name: .long, help: "Remove every token of the user instead.") var revoke = false
        @OptionGroup var store: UserStoreOptions

        func run() throws {
            let users = try store.open()
            do {
                if revoke {
                    print("revoked \(try users.revokeTokens(of: name)) token(s) of \(name)")
                } else {
                    print(try users.makeToken(for: name, label: label))
                }
            } catch { throw store.fail(error) }
        }
    }
}
