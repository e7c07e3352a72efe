import Foundation

/// One XML-RPC value, as it travels on the wire.
///
/// Every integer type of the wire (`<int>`, `<i4>`, `<i8>`) decodes to `.int`. `dateTime.iso8601`
/// keeps its text (for example `20261124T15:21:40`) because the format carries no time zone and
/// servers disagree on its shape; interpreting it is the caller's business.
///
/// Not `indirect`: arrays and structs already hold their elements on the heap, and boxing every
/// int and string as well would cost an allocation per value on the decoder's hot path.
public enum XMLRPCValue: Hashable, Sendable {
    case int(Int64)
    case bool(Bool)
    case double(Double)
    case string(String)
    case dateTime(String)
    case base64(Data)
    case `struct`(XMLRPCStruct)
    case array([XMLRPCValue])
    case `nil`
}

extension XMLRPCValue {
    public var intValue: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var doubleValue: Double? {
        if case .double(let value) = self { return value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var dateTimeText: String? {
        if case .dateTime(let value) = self { return value }
        return nil
    }

    public var base64Value: Data? {
        if case .base64(let value) = self { return value }
        return nil
    }

    public var structValue: XMLRPCStruct? {
        if case .struct(let value) = self { return value }
        return nil
    }

    public var arrayValue: [XMLRPCValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var isNil: Bool {
        if case .nil = self { return true }
        return false
    }

    /// The value of the struct member `name`; nil when this is not a struct or has no such member.
    public subscript(member name: String) -> XMLRPCValue? {
        structValue?[name]
    }

    /// The array element at `index`; nil when this is not an array or the index is out of range.
    public subscript(index index: Int) -> XMLRPCValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The wire type name, as used in messages: `int`, `boolean`, `struct`, ...
    public var typeName: String {
        switch self {
        case .int: return "int"
        case .bool: return "boolean"
        case .double: return "double"
        case .string: return "string"
        case .dateTime: return "dateTime.iso8601"
        case .base64: return "base64"
        case .struct: return "struct"
        case .array: return "array"
        case .nil: return "nil"
        }
    }
}

extension XMLRPCValue: ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: XMLRPCValue...) { self = .array(elements) }
    /// Keeps the literal's member order.
    public init(dictionaryLiteral elements: (String, XMLRPCValue)...) {
        self = .struct(XMLRPCStruct(elements))
    }
}
