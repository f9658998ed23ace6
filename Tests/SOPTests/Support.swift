import Foundation
import SOPDiagnostics
import SOPLanguage
import XCTest

/// Paths and helpers shared by the tests.
enum Support {
    /// The repository root (this file is Tests/SOPTests/Support.swift).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/SOPTests/Fixtures")

    /// The `sop` executable built beside the test bundle (`swift build` runs first in `make test`).
    static var binary: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sop"),
            root.appendingPathComponent(".build/debug/sop"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `sop` with arguments in a folder, with a clean, colourless English environment.
    static func sop(_ arguments: [String], in directory: URL = root, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ["PATH": "/usr/bin:/bin", "LANG": "C", "NO_COLOR": "1"]
        for (k, v) in environment { env[k] = v }
        process.environment = env
        // Files, not pipes: a large output can never block the child, and nothing is shared.
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("sop-out-\(UUID().uuidString)")
        let errURL = dir.appendingPathComponent("sop-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Compiles YAML text in memory; returns the diagnostics and the output.
    static func compile(_ yaml: String, path: String = "test.yaml", catalog: Set<String>? = nil) -> (Compiler.Output, [Diagnostic]) {
        let sink = DiagnosticSink()
        let output = Compiler().compile(SourceFile(path: path, bytes: Array(yaml.utf8)), catalog: catalog, diagnostics: sink)
        return (output, sink.sorted)
    }

    /// A temporary folder removed at the end of the test.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sop-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
