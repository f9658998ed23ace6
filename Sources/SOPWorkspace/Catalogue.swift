import Foundation
import SOPRuntime
import SOPDiagnostics
import SOPIR
import SOPLanguage

/// A catalogue folder compiled as a whole, for a long-running reader (`sop serve`): every SOP
/// that compiles without errors, by id. Files with errors are left out and counted.
public final class Catalogue: Sendable {
    public let root: String
    /// By id.
    public let graphs: [ProcessGraph]
    public let byID: [String: ProcessGraph]
    /// Files left out because they have errors (their diagnostics are in `load`'s sink).
    public let skipped: [String]

    public init(root: String, graphs: [ProcessGraph], skipped: [String] = []) {
        self.root = root
        self.graphs = graphs.sorted { $0.id < $1.id }
        var byID: [String: ProcessGraph] = [:]
        for g in graphs { byID[g.id] = g }
        self.byID = byID
        self.skipped = skipped
    }

    /// Compiles every SOP under `root` as one catalogue (ids, `call` targets checked).
    public static func load(_ root: String) throws -> (Catalogue, DiagnosticSink) {
        let files = try Workspace.discover([root]).files
        let result = try Workspace.check(files: files, asCatalog: true, lower: true)
        var graphs: [ProcessGraph] = []
        var skipped: [String] = []
        for (path, output) in zip(files, result.outputs) {
            if let g = output.graph { graphs.append(g) } else { skipped.append(path) }
        }
        return (Catalogue(root: root, graphs: graphs, skipped: skipped), result.diagnostics)
    }

    /// Finds an SOP by id for `call` steps.
    public func resolve(_ id: String) -> ProcessGraph? { byID[id] }

    /// Whether `role` names an actor somewhere in the catalogue: a key, a name (folded), or
    /// `sop-id:key`.
    public func hasActor(_ role: String) -> Bool {
        if let colon = role.lastIndex(of: ":"), colon != role.startIndex {
            let sop = String(role[..<colon]), key = String(role[role.index(after: colon)...])
            return byID[sop]?.actors.contains { $0.key == key } ?? false
        }
        let folded = Role.fold(role)
        return graphs.contains { g in g.actors.contains { $0.key == role || Role.fold($0.name) == folded } }
    }

    /// Every actor key and name of the catalogue (for "did you mean").
    public var actorNames: [String] {
        Array(Set(graphs.flatMap { g in g.actors.flatMap { [$0.key, $0.name] } })).sorted()
    }
}

/// The roles that are not actors.
public enum Role {
    /// Starts and cancels cases, manages users; sees every case.
    public static let admin = "admin"
    /// Reads everything, acts on nothing.
    public static let viewer = "viewer"

    /// Case-, space- and punctuation-insensitive form of an actor's name.
    public static func fold(_ s: String) -> String { Engine.fold(s) }
}

/// Who acts: a person's login name and roles (`admin`, `viewer`, actors by key, by name
/// across the catalogue, or `sop-id:key`). `admin` always means the role, never an actor
/// key (LAPOR's Tim Admin, key `admin`, is held as "Tim Admin").
public struct Person: Hashable, Sendable {
    public var name: String
    public var roles: [String]

    public init(name: String, roles: [String]) {
        self.name = name
        self.roles = roles
    }

    public var isAdmin: Bool { roles.contains(Role.admin) }
    public var actorRoles: [String] { roles.filter { $0 != Role.admin && $0 != Role.viewer } }

    /// Whether the person holds the actor (`key`, `name`) of SOP `sopID`.
    public func holds(actorKey key: String?, name: String?, sopID: String) -> Bool {
        for role in actorRoles {
            if let colon = role.lastIndex(of: ":"), colon != role.startIndex {
                if String(role[..<colon]) == sopID, key != nil, String(role[role.index(after: colon)...]) == key { return true }
                continue
            }
            if let key, role == key { return true }
            if let name, Role.fold(role) == Role.fold(name) { return true }
        }
        return false
    }
}
