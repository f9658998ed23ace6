import Foundation
import SOPIdentity
import SOPWorkspace
import XCTest

/// Users on the store: bcrypt passwords, hashed tokens, disabling, roles held by key or name.
final class IdentityTests: XCTestCase {
    func store() throws -> UserStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sop-users-\(UUID().uuidString).db").path
        addTeardownBlock { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        return try UserStore(path: path, cost: 4)
    }

    func testPasswordsTokensAndDisabling() throws {
        let users = try store()
        try users.add(User(name: "siti", displayName: "Siti", roles: ["Pejabat Penghubung"]), password: "rahasia-siti")
        XCTAssertThrowsError(try users.add(User(name: "siti", displayName: "x", roles: ["viewer"]), password: "rahasia-lain"))
        XCTAssertThrowsError(try users.add(User(name: "Budi Santoso", displayName: "x", roles: ["viewer"]), password: "rahasia-budi"))
        XCTAssertThrowsError(try users.add(User(name: "budi", displayName: "x", roles: ["viewer"]), password: "pendek"))
        XCTAssertEqual(try users.authenticate(name: "siti", password: "rahasia-siti")?.roles, ["Pejabat Penghubung"])
        XCTAssertNil(try users.authenticate(name: "siti", password: "salah-sekali"))
        XCTAssertNil(try users.authenticate(name: "tidakada", password: "rahasia-siti"))
        let token = try users.makeToken(for: "siti", label: "skrip")
        XCTAssertTrue(token.hasPrefix("sop_"))
        XCTAssertEqual(try users.authenticate(token: token)?.name, "siti")
        XCTAssertNil(try users.authenticate(token: String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")), "one character changed")
        try users.setPassword("siti", "kata-sandi-baru")
        XCTAssertNil(try users.authenticate(name: "siti", password: "rahasia-siti"))
        XCTAssertNotNil(try users.authenticate(name: "siti", password: "kata-sandi-baru"))
        try users.setDisabled("siti", true)
        XCTAssertNil(try users.authenticate(name: "siti", password: "kata-sandi-baru"))
        XCTAssertNil(try users.authenticate(token: token), "a disabled user's tokens stop working")
        try users.setDisabled("siti", false)
        XCTAssertEqual(try users.revokeTokens(of: "siti"), 1)
        XCTAssertNil(try users.authenticate(token: token))
        XCTAssertThrowsError(try users.setDisabled("tidakada", true))
    }

    /// The server keeps each token's user until anything is committed to the store: a user
    /// disabled or a token revoked by another process (`sop user` in a shell: another store
    /// on the same file) counts at the next request, not later.
    func testAnotherProcessDisablingOrRevokingCountsAtOnce() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sop-users-\(UUID().uuidString).db").path
        addTeardownBlock { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let server = try UserStore(path: path, cost: 4)
        try server.add(User(name: "siti", displayName: "Siti", roles: ["Pejabat Penghubung"]), password: "rahasia-siti")
        let token = try server.makeToken(for: "siti", label: "skrip")
        let stranger = "sop_" + String(repeating: "0", count: 64)
        for _ in 0..<3 {
            XCTAssertEqual(try server.authenticate(token: token)?.name, "siti")
            XCTAssertNil(try server.authenticate(token: stranger))
        }
        let shell = try UserStore(path: path, cost: 4)
        try shell.setDisabled("siti", true)
        XCTAssertNil(try server.authenticate(token: token), "disabled in another process")
        try shell.setDisabled("siti", false)
        XCTAssertEqual(try server.authenticate(token: token)?.name, "siti", "enabled again")
        XCTAssertEqual(try shell.revokeTokens(of: "siti"), 1)
        XCTAssertNil(try server.authenticate(token: token), "revoked in another process")
        // A token made elsewhere works at once.
        let later = try shell.makeToken(for: "siti", label: "baru")
        XCTAssertEqual(try server.authenticate(token: later)?.name, "siti")
    }

    func testRolesByKeyNameAndQualifiedKey() {
        let byName = Person(name: "a", roles: ["pejabat  penghubung"])
        XCTAssertTrue(byName.holds(actorKey: "penghubung", name: "Pejabat Penghubung", sopID: "x/y"))
        XCTAssertFalse(byName.holds(actorKey: "admin", name: "Tim Admin", sopID: "x/y"))
        let admin = Person(name: "b", roles: ["admin"])
        XCTAssertTrue(admin.isAdmin)
        XCTAssertFalse(admin.holds(actorKey: "admin", name: "Tim Admin", sopID: "x/y"), "`admin` is the role, never the actor key")
        let qualified = Person(name: "c", roles: ["x/y:admin"])
        XCTAssertTrue(qualified.holds(actorKey: "admin", name: "Tim Admin", sopID: "x/y"))
        XCTAssertFalse(qualified.holds(actorKey: "admin", name: "Tim Admin", sopID: "x/z"))
    }

    /// Names fold to lower-case letters and digits; the ASCII fast path and Unicode's rules agree.
    func testRoleFoldingOfASCIIAndOtherNames() {
        XCTAssertEqual(Role.fold("LAPOR!-SP4N"), "laporsp4n")
        XCTAssertEqual(Role.fold(" Pejabat  Penghubung "), Role.fold("pejabat penghubung"))
        for name in ["Tim Admin (Kota)", "Ümit Şahin", "Petugas 112 — Pusat", "ÉQUIPE", "كاتب", "", "!!!"] {
            XCTAssertEqual(Role.fold(name), name.lowercased().filter { $0.isLetter || $0.isNumber }, name)
        }
        XCTAssertTrue(Person(name: "d", roles: ["ümit şahin"]).holds(actorKey: nil, name: "ÜMIT ŞAHIN", sopID: "x/y"))
    }
}
