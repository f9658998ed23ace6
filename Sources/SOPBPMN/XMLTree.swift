import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A BPMN file as a small element tree: each element keeps its namespace, local name,
/// attributes, text and the 1-based line and column where its start tag ends (what the XML
/// parser reports), so an import error can point at it.
final class XMLElementNode {
    let namespace: String
    let name: String
    let attributes: [String: String]
    let line: Int
    let column: Int
    var children: [XMLElementNode] = []
    var text = ""
    weak var parent: XMLElementNode?

    init(namespace: String, name: String, attributes: [String: String], line: Int, column: Int) {
        self.namespace = namespace
        self.name = name
        self.attributes = attributes
        self.line = line
        self.column = column
    }

    subscript(_ attribute: String) -> String? { attributes[attribute] }

    func children(_ ns: String, _ name: String) -> [XMLElementNode] { children.filter { $0.namespace == ns && $0.name == name } }
    func child(_ ns: String, _ name: String) -> XMLElementNode? { children.first { $0.namespace == ns && $0.name == name } }

    /// Every descendant, depth first, in document order.
    func descendants() -> [XMLElementNode] { children.flatMap { [$0] + $0.descendants() } }

    /// The text without surrounding white space (ids, expressions, foreign documentation).
    var trimmedText: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The text exactly as written (our extension elements carry the SOP's texts whole,
    /// leading and trailing spaces included).
    var exactText: String { text }
}

/// Parses bytes into an `XMLElementNode` tree with namespaces resolved; throws the parser's
/// own message with its line and column when the file is not well-formed.
enum XMLTreeReader {
    struct Failure: Error {
        var line: Int
        var column: Int
        var reason: String
    }

    static func read(_ data: Data) throws -> XMLElementNode {
        let delegate = Delegate()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        delegate.parser = parser
        let ok = parser.parse()
        if !ok || delegate.failure != nil || delegate.root == nil || !delegate.stack.isEmpty {
            let reason = delegate.failure ?? parser.parserError?.localizedDescription ?? (delegate.root == nil ? "no root element" : "the document ends inside an element")
            let at = delegate.failureAt ?? (parser.lineNumber, parser.columnNumber)
            throw Failure(line: max(at.line, 1), column: max(at.column, 1), reason: reason)
        }
        let root = delegate.root!
        return root
    }

    /// Plain words for the libxml2 error codes Foundation's parser reports.
    static func explain(_ code: Int) -> String {
        switch code {
        case 4: return "the document is empty or does not start with an element"
        case 5: return "there is content after the root element"
        case 9, 10, 11: return "a character is not allowed here"
        case 26, 27: return "an entity is used that is not declared"
        case 38, 39, 40, 41: return "an attribute value is missing or not quoted"
        case 42: return "an attribute appears twice"
        case 64, 65: return "a declaration is broken"
        case 68: return "a name is expected here"
        case 73: return "a tag is not closed with '>'"
        case 76: return "an end tag does not match its start tag"
        case 77: return "an element is never closed"
        case 201, 202: return "a namespace prefix is used that is not declared"
        default: return "XML error \(code)"
        }
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        weak var parser: XMLParser?
        var root: XMLElementNode?
        var stack: [XMLElementNode] = []
        var failure: String?
        var failureAt: (line: Int, column: Int)?

        func refuse(_ reason: String, _ parser: XMLParser) {
            guard failure == nil else { return }
            failure = reason
            failureAt = (parser.lineNumber, parser.columnNumber)
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let node = XMLElementNode(namespace: namespaceURI ?? "", name: elementName, attributes: attributeDict,
                                      line: parser.lineNumber, column: parser.columnNumber)
            if let parent = stack.last {
                node.parent = parent
                parent.children.append(node)
            } else if root == nil {
                root = node
            }
            stack.append(node)
            if stack.count > 200 { refuse("elements nested more than 200 deep", parser) }
        }

        // Foundation's parser on Linux lets some mismatched end tags through: check them here.
        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard let open = stack.last, open.name == elementName, open.namespace == (namespaceURI ?? "") else {
                let opened = stack.last.map { "<\($0.name)> opened at line \($0.line)" } ?? "no open element"
                refuse("the end tag </\(qName ?? elementName)> does not close \(opened)", parser)
                return
            }
            stack.removeLast()
        }

        func parserDidEndDocument(_ parser: XMLParser) {
            if let open = stack.last { refuse("<\(open.name)> opened at line \(open.line) is never closed", parser) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if failure == nil {
                failure = XMLTreeReader.explain((parseError as NSError).code)
                failureAt = (parser.lineNumber, parser.columnNumber)
            }
        }
    }
}
