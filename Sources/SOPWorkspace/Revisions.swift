import Foundation
import SOPDiagnostics
import SOPDiff
import SOPIR
import SOPLanguage

/// A git repository read through the `git` command: a revision's files and their bytes.
/// Nothing is written to the repository.
public struct GitRepository: Sendable {
    /// `git` failed or is missing (exit code 2, with git's own words).
    public struct Failure: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "sop: git: \(reason)" }
    }

    /// The folder commands run in (the user's current folder).
    public let directory: String

    public init(directory: String = FileManager.default.currentDirectoryPath) throws {
        self.directory = directory
        _ = try run(["rev-parse", "--show-toplevel"])
    }

    /// Runs git with `arguments`; its standard output, or a `Failure` with its standard error.
    @discardableResult
    public func run(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C"
        env["GIT_PAGER"] = "cat"
        process.environment = env
        let tmp = FileManager.default.temporaryDirectory
        let outURL = tmp.appendingPathComponent("sop-git-\(UUID().uuidString)")
        let errURL = tmp.appendingPathComponent("sop-git-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure(reason: "cannot run git: \(error.localizedDescription)") }
        process.waitUntilExit()
        try? out.close(); try? err.close()
        let data = (try? Data(contentsOf: outURL)) ?? Data()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if process.terminationStatus == 127 { throw Failure(reason: "git is not installed") }
            throw Failure(reason: message.isEmpty ? "exit status \(process.terminationStatus)" : message)
        }
        return data
    }

    /// The commit a revision names (`HEAD~1`, a tag, a hash), or a failure saying it is none.
    public func commit(_ revision: String) throws -> String {
        guard !revision.hasPrefix("-") else { throw Failure(reason: "`\(revision)` is not a revision") }
        let out = try run(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"])
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The `.yaml` / `.yml` files of a commit under `paths` (relative to the current folder;
    /// the current folder when empty; the whole tree with `wholeTree`), hidden folders
    /// skipped, as paths from the repository's top.
    public func files(at commit: String, under paths: [String], wholeTree: Bool = false) throws -> [String] {
        let scope = wholeTree ? ["--full-tree", commit] : [commit, "--"] + paths
        let out = try run(["ls-tree", "-r", "-z", "--full-name", "--name-only"] + scope)
        return out.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
            .sorted()
    }

    /// The bytes of a file of a commit (`path` from the repository's top).
    public func contents(at commit: String, path: String) throws -> [UInt8] {
        [UInt8](try run(["cat-file", "blob", "\(commit):\(path)"]))
    }

    /// The current folder's path from the repository's top (`sops/` or empty).
    public func prefix() throws -> String {
        String(decoding: try run(["rev-parse", "--show-prefix"]), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Comparing revisions of SOP files: compile both sides, pair the files by `id`, and say
/// what changed (`SOPDiffer`). Shared by the CLI and anything else that shows revisions.
public enum Revisions {
    /// The result of comparing files: the changes, or the errors that stopped it.
    public struct Result {
        public var files: [FileDiff] = []
        /// Errors of a side (a file that does not compile cannot be compared).
        public var errors: [Diagnostic] = []
        public var sources: [String: SourceFile] = [:]
        /// The files that could not be compared.
        public var failed: [String] = []
        public var hasChanges: Bool { files.contains { $0.status != .unchanged } }
        public init() {}
    }

    /// One file compiled for comparison: its IR (nil when it has errors) and its diagnostics.
    public struct Compiled {
        public var source: SourceFile
        public var id: String?
        public var graph: ProcessGraph?
        public var diagnostics: [Diagnostic]
    }

    public static func compile(_ source: SourceFile) -> Compiled {
        let sink = DiagnosticSink()
        let output = Compiler().compile(source, diagnostics: sink)
        let graph = sink.hasErrors ? nil : output.graph
        return Compiled(source: source, id: output.file?.id?.value, graph: graph, diagnostics: sink.sorted)
    }

    /// Compares two files (either may be absent: an SOP added or removed).
    public static func compare(old: SourceFile?, new: SourceFile?, into result: inout Result) {
        let a = old.map(compile), b = new.map(compile)
        for c in [a, b].compactMap({ $0 }) {
            result.sources[c.source.path] = c.source
            if c.graph == nil {
                result.errors += c.diagnostics.filter { $0.severity == .error }
                result.failed.append(c.source.path)
            }
        }
        guard a?.graph != nil || a == nil, b?.graph != nil || b == nil else { return }
        switch (a, b) {
        case let (a?, b?):
            let diff = SOPDiffer.compare(DiffSide(path: a.source.path, graph: a.graph!, diagnostics: a.diagnostics),
                                         DiffSide(path: b.source.path, graph: b.graph!, diagnostics: b.diagnostics))
            result.files.append(FileDiff(status: diff.hasChanges ? .changed : .unchanged, oldPath: a.source.path, newPath: b.source.path,
                                         id: b.graph!.id, name: b.graph!.name, diff: diff))
        case let (nil, b?):
            result.files.append(FileDiff(status: .added, newPath: b.source.path, id: b.graph!.id, name: b.graph!.name))
        case let (a?, nil):
            result.files.append(FileDiff(status: .removed, oldPath: a.source.path, id: a.graph!.id, name: a.graph!.name))
        case (nil, nil):
            break
        }
    }

    /// The working tree's SOP files under `paths` against a git revision's, paired by `id`
    /// (a file moved or renamed is the same SOP), then by path. Files with the same path and
    /// bytes are not compiled again.
    public static func compareWorkingTree(with revision: String, paths: [String], repository: GitRepository) throws -> Result {
        let commit = try repository.commit(revision)
        let prefix = try repository.prefix()
        var oldPaths = try repository.files(at: commit, under: paths)
        let newPaths = try Workspace.discover(paths.isEmpty ? ["."] : paths).files
        // Old files: displayed `REV:path`; new files as found, known by their top-relative path.
        var old = try oldPaths.map { p in SourceFile(path: "\(revision):\(p)", bytes: try repository.contents(at: commit, path: p)) }
        let new = try newPaths.map { try Workspace.load($0) }
        func parse(_ s: SourceFile) -> (id: String?, name: String?) {
            let file = Compiler().parse(s, diagnostics: DiagnosticSink())
            return (file?.id?.value, file?.name?.value)
        }
        func id(_ s: SourceFile) -> String? { parse(s).id }
        var oldIDs = old.map(id)
        let newIDs = new.map(id)
        // A file moved here from outside the paths is still the same SOP: look for its id in
        // the rest of the revision.
        do {
            let missing = Set(newIDs.compactMap { $0 }).subtracting(oldIDs.compactMap { $0 })
            if !missing.isEmpty {
                let listed = Set(oldPaths)
                for p in try repository.files(at: commit, under: [], wholeTree: true) where !listed.contains(p) {
                    let source = SourceFile(path: "\(revision):\(p)", bytes: try repository.contents(at: commit, path: p))
                    if let i = id(source), missing.contains(i) {
                        old.append(source); oldIDs.append(i); oldPaths.append(p)
                    }
                }
            }
        }
        func top(_ path: String) -> String {
            var parts: [String] = []
            for c in (prefix + path).split(separator: "/") {
                if c == "." { continue }
                if c == "..", !parts.isEmpty { parts.removeLast(); continue }
                parts.append(String(c))
            }
            return parts.joined(separator: "/")
        }
        let oldTop = oldPaths, newTop = newPaths.map(top)
        var pairs: [(Int?, Int?)] = []
        var usedOld = Set<Int>()
        var pairedNew = Set<Int>()
        for (j, nid) in newIDs.enumerated() {
            guard let nid, let i = oldIDs.indices.first(where: { !usedOld.contains($0) && oldIDs[$0] == nid }) else { continue }
            pairs.append((i, j)); usedOld.insert(i); pairedNew.insert(j)
        }
        for j in new.indices where !pairedNew.contains(j) {
            if let i = oldTop.indices.first(where: { !usedOld.contains($0) && oldTop[$0] == newTop[j] }) {
                pairs.append((i, j)); usedOld.insert(i); pairedNew.insert(j)
            } else {
                pairs.append((nil, j))
            }
        }
        for i in old.indices where !usedOld.contains(i) { pairs.append((i, nil)) }
        // In the order of the new side's paths, removed files after.
        pairs.sort { l, r in
            let lk = l.1.map { newTop[$0] } ?? oldTop[l.0!], rk = r.1.map { newTop[$0] } ?? oldTop[r.0!]
            return lk < rk
        }
        var result = Result()
        for (i, j) in pairs {
            if let i, let j, old[i].bytes == new[j].bytes, oldTop[i] == newTop[j] {
                let (id, name) = parse(new[j])
                result.files.append(FileDiff(status: .unchanged, oldPath: old[i].path, newPath: new[j].path,
                                             id: id ?? newTop[j], name: name ?? id ?? newTop[j]))
                continue
            }
            compare(old: i.map { old[$0] }, new: j.map { new[$0] }, into: &result)
        }
        return result
    }
}
