/// The elements of the XML-RPC vocabulary, recognised from the names the XML parser reports.
enum XMLRPCElement: UInt8 {
    case methodResponse, methodCall, methodName, params, param, fault
    case value, `struct`, member, name, array, data
    case int, boolean, double, string, dateTime, base64, `nil`

    /// Recognises `name`, dispatching on length and first byte before comparing, because this runs
    /// for every tag of responses that hold millions of them. A namespace prefix (`ex:nil`, as
    /// Apache's extensions write it) is ignored, as Python's unmarshaller ignores it.
    init?(name: String) {
        if let element = XMLRPCElement.unprefixed(name) {
            self = element
        } else if let colon = name.lastIndex(of: ":"),
            let element = XMLRPCElement.unprefixed(String(name[name.index(after: colon)...]))
        {
            self = element
        } else {
            return nil
        }
    }

    private static func unprefixed(_ name: String) -> XMLRPCElement? {
        let utf8 = name.utf8
        guard let first = utf8.first else { return nil }
        let candidate: XMLRPCElement?
        switch (utf8.count, first) {
        case (2, UInt8(ascii: "i")):
            // i1, i2 and i4 are Python's spellings of small ints; i8 is the 64-bit extension.
            switch name {
            case "i4", "i8", "i1", "i2": return .int
            default: return nil
            }
        case (3, UInt8(ascii: "i")): candidate = .int
        case (3, UInt8(ascii: "n")): candidate = .nil
        case (4, UInt8(ascii: "n")): candidate = .name
        case (4, UInt8(ascii: "d")): candidate = .data
        case (5, UInt8(ascii: "v")): candidate = .value
        case (5, UInt8(ascii: "p")): candidate = .param
        case (5, UInt8(ascii: "a")): candidate = .array
        case (5, UInt8(ascii: "f")):
            switch name {
            case "fault": return .fault
            case "float": return .double
            default: return nil
            }
        case (6, UInt8(ascii: "m")): candidate = .member
        case (6, UInt8(ascii: "s")):
            switch name {
            case "string": return .string
            case "struct": return .struct
            default: return nil
            }
        case (6, UInt8(ascii: "p")): candidate = .params
        case (6, UInt8(ascii: "d")): candidate = .double
        case (6, UInt8(ascii: "b")): candidate = .base64
        case (7, UInt8(ascii: "b")): candidate = .boolean
        case (10, UInt8(ascii: "m")):
            switch name {
            case "methodName": return .methodName
            case "methodCall": return .methodCall
            default: return nil
            }
        case (10, UInt8(ascii: "b")):
            return name == "biginteger" ? .int : nil
        case (14, UInt8(ascii: "m")): candidate = .methodResponse
        case (16, UInt8(ascii: "d")): candidate = .dateTime
        default: return nil
        }
        guard let element = candidate, name == element.tagName else { return nil }
        return element
    }

    /// The canonical tag, as messages show it.
    var tagName: String {
        switch self {
        case .methodResponse: return "methodResponse"
        case .methodCall: return "methodCall"
        case .methodName: return "methodName"
        case .params: return "params"
        case .param: return "param"
        case .fault: return "fault"
        case .value: return "value"
        case .struct: return "struct"
        case .member: return "member"
        case .name: return "name"
        case .array: return "array"
        case .data: return "data"
        case .int: return "int"
        case .boolean: return "boolean"
        case .double: return "double"
        case .string: return "string"
        case .dateTime: return "dateTime.iso8601"
        case .base64: return "base64"
        case .nil: return "nil"
        }
    }

    /// Elements whose content is text rather than other elements.
    var holdsText: Bool {
        switch self {
        case .methodName, .name, .int, .boolean, .double, .string, .dateTime, .base64, .nil: return true
        default: return false
        }
    }

    /// The elements that may stand inside `<value>`.
    var isValueType: Bool {
        switch self {
        case .int, .boolean, .double, .string, .dateTime, .base64, .nil, .struct, .array: return true
        default: return false
        }
    }
}
