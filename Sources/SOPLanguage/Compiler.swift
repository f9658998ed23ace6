import Foundation
import SOPDiagnostics
import SOPIR
import SOPYAML

/// The pipeline of one file: bytes → located YAML tree → AST → checks → IR.
/// Each stage reports into the same sink and the pipeline goes as far as it can.
public struct Compiler: Sendable {
    public var reader: YAMLReader

    public init(reader: YAMLReader = YAMLReader()) {
        self.reader = reader
    }

    /// What compiling one file gave.
    public struct Output: Sendable {
        public var source: SourceFile
        public var file: SOPFile?
        /// Set only when the file has no errors.
        public var graph: ProcessGraph?

        public init(source: SourceFile, file: SOPFile?, graph: ProcessGraph?) {
            self.source = source
            self.file = file
            self.graph = graph
        }
    }

    /// Reads and parses a file, without the rules (used to gather catalogue ids first).
    public func parse(_ source: SourceFile, diagnostics: DiagnosticSink) -> SOPFile? {
        guard let root = reader.read(source, diagnostics: diagnostics) else { return nil }
        return SOPParser(path: source.path, diagnostics: diagnostics).parse(root)
    }

    /// As `parse`, for a new text of a file whose earlier text read as `previous`: only the
    /// list item an edit is in is parsed again when that gives the same tree (an editor's
    /// keystroke; see `YAMLReader.read(_:after:diagnostics:)`). Also returns the tree, to pass
    /// as `previous` next time.
    public func parse(_ source: SourceFile, after previous: YAMLNode?, diagnostics: DiagnosticSink) -> (tree: YAMLNode?, file: SOPFile?) {
        guard let root = reader.read(source, after: previous, diagnostics: diagnostics) else { return (nil, nil) }
        return (root, SOPParser(path: source.path, diagnostics: diagnostics).parse(root))
    }

    /// Checks a parsed file and lowers it when it has no errors.
    public func check(_ file: SOPFile, source: SourceFile, catalog: Set<String>?, diagnostics: DiagnosticSink, lower: Bool) -> Output {
        let context = CheckContext(file: file, catalog: catalog)
        Checker.check(context, diagnostics: diagnostics)
        // The sink may be shared by a whole catalogue: only this file's errors count.
        let clean = !diagnostics.diagnostics.contains { $0.severity == .error && $0.range?.file == source.path }
        return Output(source: source, file: file, graph: clean && lower ? Lowering.lower(context) : nil)
    }

    /// The whole pipeline on one file's bytes.
    public func compile(_ source: SourceFile, catalog: Set<String>? = nil, diagnostics: DiagnosticSink, lower: Bool = true) -> Output {
        guard let file = parse(source, diagnostics: diagnostics) else { return Output(source: source, file: nil, graph: nil) }
        return check(file, source: source, catalog: catalog, diagnostics: diagnostics, lower: lower)
    }
}
