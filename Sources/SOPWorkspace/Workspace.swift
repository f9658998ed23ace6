import Foundation
import SOPDiagnostics
import SOPIR
import SOPLanguage

/// The application layer below the CLI, the server and the language server: finding SOP
/// files, reading them, checking a set of files as one catalogue, resolving `call` targets.
///
/// Finds SOP files, reads them, and checks a set of files as one catalogue.
public struct Workspace {
    /// A path that could not be read (exit code 2, not a diagnostic of the file).
    public struct InputError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "sop: cannot read `\(path)`: \(reason)" }
    }

    /// The `.yaml` / `.yml` files under the given paths: files as given, folders
    /// recursively (hidden entries skipped), each folder's files sorted by path.
    public static func discover(_ paths: [String]) throws -> (files: [String], sawDirectory: Bool) {
        var files: [String] = []
        var sawDirectory = false
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(path: path, reason: "no such file or folder")
            }
            if isDirectory.boolValue {
                sawDirectory = true
                guard let walker = fm.enumerator(atPath: path) else { throw InputError(path: path, reason: "cannot list the folder") }
                var found: [String] = []
                while let relative = walker.nextObject() as? String {
                    let name = (relative as NSString).lastPathComponent
                    if name.hasPrefix(".") { walker.skipDescendants(); continue }
                    if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                        let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
                        var dir: ObjCBool = false
                        if fm.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue { found.append(full) }
                    }
                }
                files += found.sorted()
            } else {
                files.append(path)
            }
        }
        return (files, sawDirectory)
    }

    /// The bytes of a file as a `SourceFile`.
    public static func load(_ path: String) throws -> SourceFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(path: path, reason: "permission denied or not a regular file")
        }
        return SourceFile(path: path, bytes: [UInt8](data))
    }

    /// The result of checking many files together.
    public struct CheckResult {
        public var sources: [String: SourceFile] = [:]
        public var outputs: [Compiler.Output] = []
        public var diagnostics = DiagnosticSink()
    }

    /// Parses every file, gathers the catalogue ids (when `asCatalog`), then runs the rules.
    /// Files are read and checked on every core, each into its own sink; the results are
    /// merged in file order, so the output is the same as one file after the other.
    public static func check(files: [String], asCatalog: Bool, lower: Bool = false) throws -> CheckResult {
        var result = CheckResult()
        let compiler = Compiler()
        let sinks = files.map { _ in DiagnosticSink() }
        let loaded = concurrentMap(files.indices) { i -> Result<(SourceFile, SOPFile?), Error> in
            Result {
                let source = try load(files[i])
                return (source, compiler.parse(source, diagnostics: sinks[i]))
            }
        }
        var parsed: [(SourceFile, SOPFile?)] = []
        for (path, r) in zip(files, loaded) {
            let (source, file) = try r.get()
            result.sources[path] = source
            parsed.append((source, file))
        }
        // Ids written twice across files: the folder's own findings, after the files'.
        let catalogue = DiagnosticSink()
        var catalog: Set<String>?
        if asCatalog {
            var firstByID: [String: SourceRange] = [:]
            for case let (_, file?) in parsed {
                guard let id = file.id else { continue }
                if let first = firstByID[id.value] {
                    catalogue.emit(LanguageMessage.duplicateCatalogueID(id.value).diagnostic(
                        at: id.range, labels: [Label(range: first, message: Message(en: "first used here", id: "pertama dipakai di sini"))]))
                } else {
                    firstByID[id.value] = id.range
                }
            }
            catalog = Set(firstByID.keys)
        }
        result.outputs = concurrentMap(parsed.indices) { [catalog, parsed] i in
            let (source, file) = parsed[i]
            guard let file else { return Compiler.Output(source: source, file: nil, graph: nil) }
            return compiler.check(file, source: source, catalog: catalog, diagnostics: sinks[i], lower: lower)
        }
        for sink in sinks { result.diagnostics.emit(contentsOf: sink) }
        result.diagnostics.emit(contentsOf: catalogue)
        return result
    }

    /// `transform` of each index, computed on every core (each call independent), in order.
    public static func concurrentMap<T: Sendable>(_ indices: Range<Int>, _ transform: @Sendable (Int) -> T) -> [T] {
        guard indices.count > 1 else { return indices.map(transform) }
        var results = [T?](repeating: nil, count: indices.count)
        results.withUnsafeMutableBufferPointer { out in
            let slots = ConcurrentSlots(base: out.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: indices.count) { k in
                (slots.base + k).pointee = transform(indices.lowerBound + k)
            }
        }
        return results.map { $0! }
    }
}

/// Result slots shared by the iterations of `concurrentMap`: each writes only its own.
private struct ConcurrentSlots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T?>
}

/// Finds catalogue SOPs by id for `call` steps: `<root>/<id>.yaml`.
public func catalogResolver(root: String) -> (String) throws -> ProcessGraph? {
    { id in
        let path = (root as NSString).appendingPathComponent(id + ".yaml")
        guard FileManager.default.fileExists(atPath: path), let source = try? Workspace.load(path) else { return nil }
        return Compiler().compile(source, diagnostics: DiagnosticSink()).graph
    }
}

/// The catalogue root of a file whose id is its path: `sops/a/b/c.yaml` with id `a/b/c` → `sops`.
public func catalogRoot(of path: String, id: String) -> String {
    let noExt = (path as NSString).deletingPathExtension
    if noExt.hasSuffix(id) {
        let root = String(noExt.dropLast(id.count))
        return root.isEmpty ? "." : root
    }
    return (path as NSString).deletingLastPathComponent
}
