import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A value as it travels on the wire (XML-RPC or JSON), before Odoo's conventions are undone.
/// The tests decode captures themselves so they do not depend on the XMLRPC module.
indirect enum WireValue: Equatable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([WireValue])
    case object([String: WireValue])
    case none

    var objectValue: [String: WireValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var arrayValue: [WireValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

enum WireDecodingError: Error, CustomStringConvertible {
    case malformed(String)
    case fault(code: Int64, message: String)

    var description: String {
        switch self {
        case .malformed(let detail): return "malformed capture: \(detail)"
        case .fault(let code, let message): return "fault \(code): \(message)"
        }
    }
}

/// Decodes an XML-RPC `methodResponse` (the first param, or a fault).
enum XMLRPCCapture {
    static func decodeResponse(_ data: Data) throws -> WireValue {
        let tree = try ElementTree.parse(data)
        guard tree.name == "methodResponse", let body = tree.children.first else {
            throw WireDecodingError.malformed("no methodResponse")
        }
        if body.name == "fault" {
            guard let value = body.child("value") else { throw WireDecodingError.malformed("empty fault") }
            let members = try decode(value).objectValue ?? [:]
            if case .int(let code) = members["faultCode"] ?? .none {
                throw WireDecodingError.fault(code: code, message: members["faultString"]?.stringValue ?? "")
            }
            throw WireDecodingError.malformed("fault without code")
        }
        guard let value = body.child("param")?.child("value") else { throw WireDecodingError.malformed("no param") }
        return try decode(value)
    }

    private static func decode(_ value: ElementTree) throws -> WireValue {
        guard let typed = value.children.first else { return .string(value.text) }
        switch typed.name {
        case "int", "i4", "i8":
            guard let number = Int64(typed.text.trimmingCharacters(in: .whitespaces)) else {
                throw WireDecodingError.malformed("bad int \(typed.text)")
            }
            return .int(number)
        case "double":
            guard let number = Double(typed.text.trimmingCharacters(in: .whitespaces)) else {
                throw WireDecodingError.malformed("bad double \(typed.text)")
            }
            return .double(number)
        case "boolean": return .bool(typed.text.trimmingCharacters(in: .whitespaces) == "1")
        case "string", "dateTime.iso8601", "base64": return .string(typed.text)
        case "nil": return .none
        case "array":
            return .array(try (typed.child("data")?.children ?? []).map(decode))
        case "struct":
            var members: [String: WireValue] = [:]
            for member in typed.children where member.name == "member" {
                guard let name = member.child("name")?.text, let memberValue = member.child("value") else {
                    throw WireDecodingError.malformed("struct member without name or value")
                }
                members[name] = try decode(memberValue)
            }
            return .object(members)
        default:
            throw WireDecodingError.malformed("unknown XML-RPC type \(typed.name)")
        }
    }
}

/// Decodes a JSON capture (JSON-2 answers, synthetic fixtures) into the same model. A number with
/// a fraction or exponent is a double, as Python's json writes floats.
enum JSONCapture {
    static func decode(_ data: Data) throws -> WireValue {
        try JSONDecoder().decode(JSONWireValue.self, from: data).value
    }

    private struct JSONWireValue: Decodable {
        let value: WireValue

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                value = .none
            } else if let flag = try? container.decode(Bool.self) {
                value = .bool(flag)
            } else if let number = try? container.decode(Int64.self) {
                value = .int(number)
            } else if let number = try? container.decode(Double.self) {
                value = .double(number)
            } else if let text = try? container.decode(String.self) {
                value = .string(text)
            } else if let items = try? container.decode([JSONWireValue].self) {
                value = .array(items.map(\.value))
            } else {
                value = .object(try container.decode([String: JSONWireValue].self).mapValues(\.value))
            }
        }
    }
}

/// A minimal XML element tree; text pieces are joined (XMLParser may split them).
final class ElementTree {
    let name: String
    var text = ""
    var children: [ElementTree] = []

    init(name: String) { self.name = name }

    func child(_ name: String) -> ElementTree? { children.first { $0.name == name } }

    static func parse(_ data: Data) throws -> ElementTree {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw WireDecodingError.malformed(parser.parserError.map { "\($0)" } ?? "unparsable XML")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: ElementTree?
        var stack: [ElementTree] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            let element = ElementTree(name: elementName)
            stack.last?.children.append(element)
            if root == nil { root = element }
            stack.append(element)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
            qualifiedName: String?
        ) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
