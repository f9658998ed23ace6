import Foundation
import SOPRuntime

/// An event as one flat row: a kind, a few integers and texts. Hand-written rather than
/// JSON for the hot kinds (activations, completions, timers), so an append costs a few
/// bound parameters; only rare payloads (a case's start, waivers) are JSON. Public for the
/// PostgreSQL store, which keeps the same columns.
public struct EventRow {
    public var kind: String
    public var node: Int?
    public var actor: Int?
    public var number: Int?
    public var target: Int?
    public var due: Int64?
    public var text: String?
    public var docs: String?
    public var note: String?
    public var extra: String?

    public init(kind: String) { self.kind = kind }

    public init(_ body: Event.Body) throws {
        switch body {
        case let .caseStarted(s):
            self.init(kind: "case_started")
            extra = String(decoding: try JSONEncoder.sorted.encode(s), as: UTF8.self)
        case let .taskActivated(node, deadline):
            self.init(kind: "task_activated")
            self.node = node
            due = deadline?.seconds
        case let .taskCompleted(c):
            self.init(kind: "task_completed")
            try fill(c)
        case let .decisionTaken(node, branch, target):
            self.init(kind: "decision_taken")
            self.node = node
            text = branch
            self.target = target
        case let .timerScheduled(timer, node, due):
            self.init(kind: "timer_scheduled")
            number = timer
            self.node = node
            self.due = due.seconds
        case let .timerFired(timer, node, target):
            self.init(kind: "timer_fired")
            number = timer
            self.node = node
            self.target = target
        case let .joinReached(node):
            self.init(kind: "join_reached")
            self.node = node
        case let .childStarted(node, child, sop):
            self.init(kind: "child_started")
            self.node = node
            text = child
            extra = sop
        case let .childCompleted(node, child):
            self.init(kind: "child_completed")
            self.node = node
            text = child
        case let .responseRecorded(node, actor, note):
            self.init(kind: "response_recorded")
            self.node = node
            self.actor = actor
            self.note = note
        case let .occurrenceCompleted(c, next):
            self.init(kind: "occurrence_completed")
            try fill(c)
            due = next?.seconds
        case let .outcomeReached(node):
            self.init(kind: "outcome_reached")
            self.node = node
        case .caseCompleted:
            self.init(kind: "case_completed")
        case let .caseCancelled(reason, by):
            self.init(kind: "case_cancelled")
            text = reason
            extra = by
        }
    }

    private mutating func fill(_ c: Completion) throws {
        node = c.node
        actor = c.actor
        docs = c.documents.isEmpty ? nil : c.documents.map(String.init).joined(separator: ",")
        note = c.note
        extra = c.waived.isEmpty ? nil : String(decoding: try JSONEncoder.sorted.encode(c.waived), as: UTF8.self)
    }

    private func completion() throws -> Completion {
        let documents = docs.map { $0.split(separator: ",").compactMap { Int($0) } } ?? []
        let waived = try extra.map { try JSONDecoder().decode([Waiver].self, from: Data($0.utf8)) } ?? []
        return Completion(node: try need(node), actor: actor, documents: documents, waived: waived, note: note)
    }

    private func need<T>(_ v: T?) throws -> T {
        guard let v else { throw StoreError.corrupt("event \(kind) lacks a field") }
        return v
    }

    public func body() throws -> Event.Body {
        switch kind {
        case "case_started":
            let text = try need(extra)
            return .caseStarted(try caseStarts.value(text, stamp: 0) { try JSONDecoder().decode(CaseStart.self, from: Data(text.utf8)) })
        case "task_activated": return .taskActivated(node: try need(node), deadline: due.map(Instant.init(seconds:)))
        case "task_completed": return .taskCompleted(try completion())
        case "decision_taken": return .decisionTaken(node: try need(node), branch: try need(text), target: try need(target))
        case "timer_scheduled": return .timerScheduled(timer: try need(number), node: try need(node), due: Instant(seconds: try need(due)))
        case "timer_fired": return .timerFired(timer: try need(number), node: try need(node), target: try need(target))
        case "join_reached": return .joinReached(node: try need(node))
        case "child_started": return .childStarted(node: try need(node), child: try need(text), sop: try need(extra))
        case "child_completed": return .childCompleted(node: try need(node), child: try need(text))
        case "response_recorded": return .responseRecorded(node: try need(node), actor: actor, note: note)
        case "occurrence_completed": return .occurrenceCompleted(try completion(), nextDeadline: due.map(Instant.init(seconds:)))
        case "outcome_reached": return .outcomeReached(node: try need(node))
        case "case_completed": return .caseCompleted
        case "case_cancelled": return .caseCancelled(reason: try need(text), by: extra)
        default: throw StoreError.corrupt("unknown event kind `\(kind)`")
        }
    }
}

/// The `case_started` payloads decoded so far, by their text (the stamp never changes: a text
/// always decodes the same). Every case of one SOP version carries the same text (its SOP,
/// content hash and calendar), and a command reads its case's events first, so a busy server
/// would otherwise decode the same few JSON objects with `JSONDecoder` on every command (a
/// tenth of a completion's time). At most 1,024 texts.
private let caseStarts = StampedCache<String, CaseStart>(limit: 1024)

enum StoreError: Error, CustomStringConvertible {
    case corrupt(String)
    var description: String {
        switch self { case let .corrupt(what): return "the store is damaged: \(what)" }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
