import Foundation

/// Builds XML-RPC values from a document's element and text events while checking its shape.
///
/// Values under construction live on one flat stack (`values`, with struct member names on
/// `names`); a closing `</array>` or `</struct>` gathers everything above its frame's base. This
/// keeps every append in place, with no copy-on-write of nested containers, and needs no recursion
/// however deep the document. Each event returns the reason the document is rejected, or nil.
struct XMLRPCTreeBuilder {
    private struct Frame {
        let element: XMLRPCElement
        let valueBase: Int
        let nameBase: Int
        var children: Int
    }

    /// Open elements allowed at once: about 170 nested arrays or structs (three elements each), where
    /// Odoo's deepest answers nest a handful. Building is iterative, but releasing a decoded value
    /// recurses once per level, and 200,000 levels (a 5 MB body) overflowed the stack.
    static let maximumDepth = 512

    private let root: XMLRPCElement
    private var frames: [Frame] = []
    private var values: [XMLRPCValue] = []
    private var names: [String] = []
    /// The text of the innermost text-holding element so far; libxml2 hands it over in pieces
    /// (at most a few hundred bytes each, and split at every entity).
    private var text = ""

    private(set) var isFault = false
    private(set) var rootClosed = false
    private(set) var methodName: String?

    init(root: XMLRPCElement) {
        self.root = root
        frames.reserveCapacity(32)
        values.reserveCapacity(256)
        names.reserveCapacity(256)
    }

    /// The values left once the root has closed: a response's single value, or a call's params.
    var topLevelValues: [XMLRPCValue] { values }

    /// The innermost open element, for messages.
    var openElement: XMLRPCElement? { frames.last?.element }

    mutating func start(_ elementName: String) -> XMLRPCDecodingError.Reason? {
        let element = XMLRPCElement(name: elementName)
        guard let parentIndex = frames.indices.last else {
            guard element == root else {
                return .notXMLRPC("the root element is <\(elementName)>, expected <\(root.tagName)>")
            }
            frames.append(Frame(element: root, valueBase: values.count, nameBase: names.count, children: 0))
            return nil
        }
        guard let element else {
            return .notXMLRPC("unexpected element <\(elementName)> inside <\(frames[parentIndex].element.tagName)>")
        }
        guard frames.count < Self.maximumDepth else {
            return .notXMLRPC("its elements nest more than \(Self.maximumDepth) deep")
        }
        let parent = frames[parentIndex]
        guard XMLRPCTreeBuilder.allows(element, in: parent.element, after: parent.children) else {
            return .notXMLRPC("unexpected <\(elementName)> inside <\(parent.element.tagName)>")
        }
        if parent.element == .value && !ScalarText.isBlank(text) {
            return .notXMLRPC("<value> mixes text with a <\(elementName)> element")
        }
        frames[parentIndex].children += 1
        if !text.isEmpty { text = "" }
        frames.append(Frame(element: element, valueBase: values.count, nameBase: names.count, children: 0))
        return nil
    }

    mutating func characters(_ string: String) -> XMLRPCDecodingError.Reason? {
        guard let top = frames.last else { return nil }
        if top.element.holdsText || (top.element == .value && top.children == 0) {
            if text.isEmpty {
                text = string
            } else {
                text += string
            }
        } else if !ScalarText.isBlank(string) {
            return .notXMLRPC("unexpected text \"\(ScalarText.excerpt(string))\" inside <\(top.element.tagName)>")
        }
        return nil
    }

    /// Ends the innermost open element. libxml2 reports a mismatched end tag as an error first and
    /// then ends the element that is open, so no name is needed here.
    mutating func end(_ elementName: String) -> XMLRPCDecodingError.Reason? {
        guard let frame = frames.popLast() else { return nil }
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
                return .notXMLRPC(frame.children == 0 ? "<member> without <name>" : "<member> without <value>")
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
                return .invalidValue(type: elementName, text: text)
            }
            values.append(.int(number))
        case .boolean:
            switch ScalarText.trimmed(text) {
            case "0": values.append(.bool(false))
            case "1": values.append(.bool(true))
            default: return .invalidValue(type: "boolean", text: text)
            }
        case .double:
            guard let number = ScalarText.double(text) else {
                return .invalidValue(type: elementName, text: text)
            }
            values.append(.double(number))
        case .dateTime:
            values.append(.dateTime(String(ScalarText.trimmed(text))))
        case .base64:
            // Like Python, characters outside the alphabet (line breaks above all) are skipped.
            // Foundation refuses input that skips down to nothing, which is simply no bytes.
            guard let data = ScalarText.isBlank(text) ? Data() : Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                return .invalidValue(type: "base64", text: text)
            }
            values.append(.base64(data))
        case .nil:
            guard ScalarText.isBlank(text) else {
                return .invalidValue(type: "nil", text: text)
            }
            values.append(.nil)
        case .param, .fault:
            if frame.children == 0 {
                return .notXMLRPC("<\(frame.element.tagName)> without <value>")
            }
            if frame.element == .fault { isFault = true }
        case .methodName:
            methodName = text
        case .methodResponse:
            if frame.children == 0 {
                return .notXMLRPC("<methodResponse> holds neither <params> nor <fault>")
            }
            if !isFault && values.count != 1 {
                return .notXMLRPC("a response holds exactly one <param>, this one holds \(values.count)")
            }
            rootClosed = true
        case .methodCall:
            if methodName == nil {
                return .notXMLRPC("<methodCall> without <methodName>")
            }
            rootClosed = true
        }
        return nil
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
