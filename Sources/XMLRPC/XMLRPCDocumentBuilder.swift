import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Builds XML-RPC values from the parser's events while checking the document's shape.
///
/// Values under construction live on one flat stack (`values`, with struct member names on
/// `names`); a closing `</array>` or `</struct>` gathers everything above its frame's base. This
/// keeps every append in place, with no copy-on-write of nested containers, and needs no recursion
/// however deep the document.
final class XMLRPCDocumentBuilder: NSObject, XMLParserDelegate {
    struct Failure {
        var reason: XMLRPCDecodingError.Reason
        var line: Int
        var column: Int
    }

    private struct Frame {
        let element: XMLRPCElement
        let valueBase: Int
        let nameBase: Int
        var children: Int
    }

    private let root: XMLRPCElement
    private let input: DataInputStream
    private var frames: [Frame] = []
    private var values: [XMLRPCValue] = []
    private var names: [String] = []
    /// The text of the innermost text-holding element so far; libxml2 hands it over in pieces
    /// (at most a few hundred bytes each, and split at every entity).
    private var text = ""
    private var sawFault = false

    private(set) var failure: Failure?
    private(set) var rootClosed = false
    private(set) var methodName: String?

    init(root: XMLRPCElement, input: DataInputStream) {
        self.root = root
        self.input = input
        frames.reserveCapacity(32)
        values.reserveCapacity(256)
        names.reserveCapacity(256)
    }

    /// The values left on the stack once the root has closed: a response's single value, or a
    /// call's params.
    var topLevelValues: [XMLRPCValue] { values }
    var isFault: Bool { sawFault }

    // MARK: parser events

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String]) {
        guard failure == nil else { return }
        guard let element = XMLRPCElement(name: elementName) else {
            let place = frames.last.map { " inside <\($0.element.tagName)>" } ?? " as the root element"
            fail(parser, .notXMLRPC("unexpected element <\(elementName)>\(place)"))
            return
        }
        if let parentIndex = frames.indices.last {
            let parent = frames[parentIndex]
            guard XMLRPCDocumentBuilder.allows(element, in: parent.element, after: parent.children) else {
                fail(parser, .notXMLRPC("unexpected <\(elementName)> inside <\(parent.element.tagName)>"))
                return
            }
            if parent.element == .value && !ScalarText.isBlank(text) {
                fail(parser, .notXMLRPC("<value> mixes text with a <\(elementName)> element"))
                return
            }
            frames[parentIndex].children += 1
        } else if element != root {
            fail(parser, .notXMLRPC("the root element is <\(elementName)>, expected <\(root.tagName)>"))
            return
        }
        if !text.isEmpty { text = "" }
        frames.append(Frame(element: element, valueBase: values.count, nameBase: names.count, children: 0))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil, let top = frames.last else { return }
        if top.element.holdsText || (top.element == .value && top.children == 0) {
            if text.isEmpty {
                text = string
            } else {
                text += string
            }
        } else if !ScalarText.isBlank(string) {
            fail(parser, .notXMLRPC("unexpected text \"\(ScalarText.excerpt(string))\" inside <\(top.element.tagName)>"))
        }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        // libxml2 reports a mismatched end tag as an error first and then ends the element that is
        // open, so the frame popped here is always the element being closed.
        guard failure == nil, let frame = frames.popLast() else { return }
        switch frame.element {
        case .string:
            values.append(.string(text))
        case .value:
            if frame.children == 0 {
                // A bare <value>text</value> is a string, whitespace included.
                values.append(.string(text))
            }
        case .name:
            names.append(text)
        case .member:
            if frame.children < 2 {
                fail(parser, .notXMLRPC(frame.children == 0 ? "<member> without <name>" : "<member> without <value>"))
            }
        case .struct:
            let count = values.count - frame.valueBase
            var members: [XMLRPCStruct.Member] = []
            members.reserveCapacity(count)
            for offset in 0..<count {
                members.append(XMLRPCStruct.Member(name: names[frame.nameBase + offset], value: values[frame.valueBase + offset]))
            }
            values.removeSubrange(frame.valueBase...)
            names.removeSubrange(frame.nameBase...)
            values.append(.struct(XMLRPCStruct(members: members)))
        case .array:
            let elements = Array(values[frame.valueBase...])
            values.removeSubrange(frame.valueBase...)
            values.append(.array(elements))
        case .data, .params:
            break
        case .int:
            guard let number = ScalarText.int64(text) else {
                fail(parser, .invalidValue(type: elementName, text: text))
                return
            }
            values.append(.int(number))
        case .boolean:
            switch ScalarText.trimmed(text) {
            case "0": values.append(.bool(false))
            case "1": values.append(.bool(true))
            default: fail(parser, .invalidValue(type: "boolean", text: text))
            }
        case .double:
            guard let number = ScalarText.double(text) else {
                fail(parser, .invalidValue(type: elementName, text: text))
                return
            }
            values.append(.double(number))
        case .dateTime:
            values.append(.dateTime(String(ScalarText.trimmed(text))))
        case .base64:
            guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                fail(parser, .invalidValue(type: "base64", text: text))
                return
            }
            values.append(.base64(data))
        case .nil:
            guard ScalarText.isBlank(text) else {
                fail(parser, .invalidValue(type: "nil", text: text))
                return
            }
            values.append(.nil)
        case .param, .fault:
            if frame.children == 0 {
                fail(parser, .notXMLRPC("<\(frame.element.tagName)> without <value>"))
                return
            }
            if frame.element == .fault { sawFault = true }
        case .methodName:
            methodName = text
        case .methodResponse:
            if frame.children == 0 {
                fail(parser, .notXMLRPC("<methodResponse> holds neither <params> nor <fault>"))
            } else if !sawFault && values.count != 1 {
                fail(parser, .notXMLRPC("a response holds exactly one <param>, this one holds \(values.count)"))
            } else {
                rootClosed = true
            }
        case .methodCall:
            if methodName == nil {
                fail(parser, .notXMLRPC("<methodCall> without <methodName>"))
            } else {
                rootClosed = true
            }
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        guard failure == nil, ParserErrorText.isFatal(parseError) else { return }
        if input.reachedEnd && !rootClosed {
            let place = frames.last.map { "it stops inside <\($0.element.tagName)>" } ?? "no root element"
            fail(parser, .truncated(place))
        } else {
            fail(parser, .malformedXML(ParserErrorText.describe(parseError)))
        }
    }

    // MARK: rules

    private func fail(_ parser: XMLParser, _ reason: XMLRPCDecodingError.Reason) {
        failure = Failure(reason: reason, line: parser.lineNumber, column: parser.columnNumber)
        parser.abortParsing()
    }

    private static func allows(_ element: XMLRPCElement, in parent: XMLRPCElement, after children: Int) -> Bool {
        switch parent {
        case .data: return element == .value
        case .member: return children == 0 ? element == .name : children == 1 && element == .value
        case .value: return children == 0 && element.isValueType
        case .struct: return element == .member
        case .array: return children == 0 && element == .data
        case .params: return element == .param
        case .param, .fault: return children == 0 && element == .value
        case .methodResponse: return children == 0 && (element == .params || element == .fault)
        case .methodCall: return children == 0 ? element == .methodName : children == 1 && element == .params
        default: return false
        }
    }
}
