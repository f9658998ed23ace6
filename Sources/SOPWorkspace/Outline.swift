import SOPDiagnostics
import SOPIR
import SOPLanguage

/// What an editor needs to know about one SOP file: its identity, actors, steps, and every
/// place a name is declared or used (step ids, actor keys, documents, catalogue ids). Built
/// from the parsed `SOPFile`, so a half-typed file still has an outline.
public struct Outline: Sendable {
    /// The kinds of names an editor navigates.
    public enum Kind: String, Sendable, Hashable {
        case step, actor, document, sop
    }

    /// A name used or declared at a place.
    public struct Site: Sendable, Hashable {
        public var kind: Kind
        /// The name as written; for documents, the matching key (`DocumentName.key`).
        public var name: String
        public var range: SourceRange
        public var isDeclaration: Bool
    }

    public struct Actor: Sendable {
        public var key: String
        public var keyRange: SourceRange
        public var name: String?
        public var kind: ProcessGraph.ActorKind
        /// The steps (indices) the actor performs.
        public var steps: [Int]
    }

    public struct Step: Sendable {
        public var index: Int
        /// The table number ("1", "8.4").
        public var number: String
        public var id: String?
        /// The whole step (its mapping).
        public var range: SourceRange
        /// Its first line, where the outline points.
        public var head: SourceRange
        public var action: String?
        public var actors: [String]
        /// The *Waktu* as written, and its meaning.
        public var duration: String?
        public var durationValue: Duration?
        public var durationRange: SourceRange?
        public var requires: [String]
        public var produces: [String]
        public var call: String?
    }

    public var path: String
    public var id: Located<String>?
    public var name: Located<String>?
    public var range: SourceRange
    public var actors: [Actor] = []
    public var steps: [Step] = []
    public var outcomes: [Located<String>] = []
    /// Every declaration and use, in the order written.
    public var sites: [Site] = []
    /// The SOP's `inputs`, as written.
    public var inputs: [String] = []
    /// The documents each step requires and produces, by key, with the first spelling.
    public var documentNames: [String: String] = [:]

    public init(file: SOPFile) {
        path = file.path
        id = file.id
        name = file.name
        range = file.range
        var site: [Site] = []
        func add(_ kind: Kind, _ located: Located<String>, declaration: Bool = false) {
            site.append(Site(kind: kind, name: located.value, range: located.range, isDeclaration: declaration))
        }
        if let id = file.id { add(.sop, id, declaration: true) }
        for actor in file.actors {
            actors.append(Actor(key: actor.key.value, keyRange: actor.key.range, name: actor.name?.value, kind: actor.kind, steps: []))
            add(.actor, actor.key, declaration: true)
        }
        for outcome in file.outcomes {
            outcomes.append(outcome.key)
            add(.step, outcome.key, declaration: true)
        }
        for d in file.inputs { addDocument(d, declaration: true, into: &site) }
        inputs = file.inputs.map(\.value)
        for d in file.outputs { addDocument(d, declaration: false, into: &site) }
        for related in file.related { if let id = related.id { add(.sop, id) } }
        let actorIndex = Dictionary(actors.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        for step in file.steps {
            var actorKeys: [String] = []
            if let a = step.actor { actorKeys.append(file.text(a)); add(.actor, file.located(a)) }
            for a in file.extraActors(step) { actorKeys.append(file.text(a)); add(.actor, file.located(a)) }
            for key in actorKeys { if let i = actorIndex[key], !actors[i].steps.contains(step.index) { actors[i].steps.append(step.index) } }
            if let w = step.durationWindowOf { add(.actor, file.located(w)) }
            if let id = step.id { add(.step, file.located(id), declaration: true) }
            if let next = step.next { add(.step, file.located(next)) }
            if let from = step.durationFrom { add(.step, file.located(from)) }
            if let d = file.decision(step) { for b in d.branches { add(.step, file.located(b.target)) } }
            if let p = file.parallel(step) {
                for b in p.branches { add(.step, file.located(b)) }
                if let j = p.join { add(.step, file.located(j)) }
            }
            for t in file.timeouts(step) { if let target = t.target { add(.step, file.located(target)) } }
            if let outcome = step.endOutcome { add(.step, file.located(outcome)) }
            if let call = step.call { add(.sop, file.located(call)) }
            var requires: [String] = [], produces: [String] = []
            for r in file.requires(step) {
                let l = file.located(r)
                requires.append(l.value)
                addDocument(l, declaration: false, into: &site)
            }
            for p in file.produces(step) {
                let l = file.located(p)
                produces.append(l.value)
                addDocument(l, declaration: true, into: &site)
            }
            let duration = step.duration.map { file.located($0.text) }
            steps.append(Step(index: step.index, number: file.number(step.index), id: step.id.map(file.text), range: file.range(ofNode: step.node),
                              head: file.start(step), action: step.action.map(file.text), actors: actorKeys,
                              duration: duration?.value, durationValue: step.duration.map(file.duration), durationRange: duration?.range,
                              requires: requires, produces: produces, call: step.call.map(file.text)))
        }
        sites = site
    }

    mutating func addDocument(_ d: Located<String>, declaration: Bool, into site: inout [Site]) {
        let key = DocumentName.key(d.value)
        if documentNames[key] == nil { documentNames[key] = d.value }
        site.append(Site(kind: .document, name: key, range: d.range, isDeclaration: declaration))
    }

    /// The name at a byte offset (inside or at the end of its text).
    public func site(at offset: Int) -> Site? {
        sites.first { $0.range.start.offset <= offset && offset <= $0.range.end.offset }
    }

    /// The step (index) whose mapping holds a byte offset.
    public func step(at offset: Int) -> Step? {
        steps.last { $0.range.start.offset <= offset && offset <= $0.range.end.offset }
    }

    public func step(id: String) -> Step? { steps.first { $0.id == id } }
    public func actor(key: String) -> Actor? { actors.first { $0.key == key } }

    /// The steps that produce / require a document (by key).
    public func producers(of key: String) -> [Step] { steps.filter { $0.produces.contains { DocumentName.key($0) == key } } }
    public func consumers(of key: String) -> [Step] { steps.filter { $0.requires.contains { DocumentName.key($0) == key } } }
}

/// The outlines of a catalogue's files, for what crosses files: `call` and `related`
/// targets, and the ids a file may name.
public struct CatalogueIndex: Sendable {
    public private(set) var outlines: [String: Outline] = [:]

    public init() {}

    public mutating func update(_ outline: Outline) { outlines[outline.path] = outline }
    public mutating func remove(path: String) { outlines[path] = nil }

    /// Every catalogue id, for `Compiler.check(catalog:)`.
    public var ids: Set<String> { Set(outlines.values.compactMap { $0.id?.value }) }

    /// The file declaring a catalogue id (the first by path when several do).
    public func outline(id: String) -> Outline? {
        outlines.keys.sorted().lazy.compactMap { outlines[$0] }.first { $0.id?.value == id }
    }

    /// Where a name is declared: step ids, actors and documents within their file; SOP ids
    /// in the catalogue.
    public func definitions(of site: Outline.Site, in path: String) -> [SourceRange] {
        switch site.kind {
        case .sop:
            return outline(id: site.name).flatMap { $0.id?.range }.map { [$0] } ?? []
        case .step, .actor, .document:
            guard let outline = outlines[path] else { return [] }
            let found = outline.sites.filter { $0.kind == site.kind && $0.name == site.name && $0.isDeclaration }.map(\.range)
            return site.kind == .document ? Array(found.prefix(1)) : found
        }
    }

    /// Every place a name is used (and declared, when asked), in path then file order.
    public func references(of site: Outline.Site, in path: String, includeDeclaration: Bool) -> [SourceRange] {
        let files: [Outline]
        if site.kind == .sop {
            files = outlines.keys.sorted().compactMap { outlines[$0] }
        } else {
            files = outlines[path].map { [$0] } ?? []
        }
        return files.flatMap { outline in
            outline.sites.filter { $0.kind == site.kind && $0.name == site.name && (includeDeclaration || !$0.isDeclaration) }.map(\.range)
        }
    }

    /// Reads and outlines every SOP file under `root` (unreadable files are left out).
    public static func load(root: String) -> CatalogueIndex {
        var index = CatalogueIndex()
        guard let files = try? Workspace.discover([root]).files else { return index }
        let compiler = Compiler()
        let outlines = Workspace.concurrentMap(files.indices) { i -> Outline? in
            guard let source = try? Workspace.load(files[i]) else { return nil }
            return compiler.parse(source, diagnostics: DiagnosticSink()).map(Outline.init)
        }
        for case let outline? in outlines { index.update(outline) }
        return index
    }
}
