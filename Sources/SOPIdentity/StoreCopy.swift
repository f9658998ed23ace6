import Foundation
import SOPDiagnostics
import SOPIR
import SOPRuntime
import SOPWorkspace

/// `sop store copy`: moves a whole store — SOP versions, cases (events with the person of
/// each, summaries), users and API tokens — from one store to another (SQLite to
/// PostgreSQL or back), into an empty target, then verifies the copy by reading both
/// sides again: the same events, and every case's summary equal to what its events fold
/// to on each side. Sessions are not copied (people log in again). Here rather than in
/// SOPWorkspace because it moves people as well as cases.
public enum StoreCopy {
    public struct Report: Sendable, Equatable {
        public var graphs = 0
        public var cases = 0
        public var events = 0
        public var users = 0
        public var tokens = 0
    }

    static func refuse(_ en: String, _ id: String, help: Message? = nil) -> RuntimeError {
        RuntimeError(.storage, Message(en: en, id: id), help: help)
    }

    /// Copies `from` into `to` (which must hold nothing yet) and verifies the copy.
    public static func copy(from: StoreLocation, to: StoreLocation) throws -> Report {
        guard from != to else {
            throw refuse("the source and the target are the same store (\(from))", "sumber dan tujuan adalah penyimpanan yang sama (\(from))")
        }
        if case let .sqlite(path) = from, !FileManager.default.fileExists(atPath: path) {
            throw refuse("no store `\(path)` to copy from: no such file", "tidak ada penyimpanan `\(path)` untuk disalin: berkas tidak ada")
        }
        let source = try from.openCaseStore()
        let sourceUsers = try UserStore(location: from)
        let target = try to.openCaseStore()
        let targetUsers = try UserStore(location: to)
        let existing = try target.summaries(CaseFilter()).count
        let existingGraphs = try target.allGraphs().count
        let existingUsers = try targetUsers.list().count
        guard existing == 0, existingGraphs == 0, existingUsers == 0 else {
            throw refuse("the target \(to) is not empty (\(existing) case(s), \(existingGraphs) SOP version(s), \(existingUsers) user(s)): nothing was copied",
                         "tujuan \(to) tidak kosong (\(existing) kasus, \(existingGraphs) versi SOP, \(existingUsers) pengguna): tidak ada yang disalin",
                         help: Message(en: "copy into a new, empty database or file", id: "salin ke basis data atau berkas baru yang kosong"))
        }
        var report = Report()
        let graphs = try source.allGraphs()
        let cases = try source.summaries(CaseFilter())
        let identity = try sourceUsers.dump()
        var highest = 0
        try target.inTransaction {
            for g in graphs { try target.saveGraph(g) }
            for c in cases {
                let events = try source.events(of: c.id)
                try target.importCase(events, people: try source.people(of: c.id), summary: c)
                report.events += events.count
                if c.id.hasPrefix("case-"), let n = Int(c.id.dropFirst(5)) { highest = max(highest, n) }
            }
            try target.reserveCaseNumbers(through: highest)
        }
        try targetUsers.load(identity)
        report.graphs = graphs.count
        report.cases = cases.count
        report.users = identity.users.count
        report.tokens = identity.tokens.count
        try verify(source, target, sourceUsers, targetUsers)
        return report
    }

    /// A summary with its open steps by node (the stores list them so; the fold by activation).
    static func byNode(_ s: CaseSummary) -> CaseSummary {
        var s = s
        s.tasks.sort { $0.node < $1.node }
        return s
    }

    /// Both sides read again: same SOP versions, same events and people per case, and on
    /// each side every summary equal to the fold of its events; same users and tokens.
    static func verify(_ a: DeskStore, _ b: DeskStore, _ ua: UserStore, _ ub: UserStore) throws {
        func differ(_ what: String) -> RuntimeError {
            refuse("the copy differs from the source: \(what)", "salinan berbeda dari sumbernya: \(what)")
        }
        guard Set(try a.allGraphs().map(\.contentHash)) == Set(try b.allGraphs().map(\.contentHash)) else { throw differ("SOP versions") }
        let ids = try a.summaries(CaseFilter()).map(\.id)
        guard ids == (try b.summaries(CaseFilter()).map(\.id)) else { throw differ("the list of cases") }
        for id in ids {
            let events = try a.events(of: id)
            guard events == (try b.events(of: id)) else { throw differ("the events of \(id)") }
            guard try a.people(of: id) == b.people(of: id) else { throw differ("the people of \(id)") }
            for (store, side) in [(a, "source"), (b, "target")] {
                guard case let .caseStarted(start)? = events.first?.body, let g = try store.graph(hash: start.contentHash) else {
                    throw differ("\(id) has no SOP version on the \(side)")
                }
                let folded = CaseSummary(state: CaseState(id: id, events: events, graph: g),
                                         engine: Engine(graph: g, calendar: WorkingCalendar(start.calendar)))
                guard try store.summary(of: id).map(byNode) == byNode(folded) else { throw differ("the summary of \(id) on the \(side) is not the fold of its events") }
            }
        }
        guard try ua.dump() == ub.dump() else { throw differ("users or tokens") }
    }
}
