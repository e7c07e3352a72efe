import ETLModel
import Foundation
import XMLRPC

extension JSONValue {
    /// An XML-RPC answer as JSON: `nil` is null, date-times and base64 stay as their text, struct
    /// members keep their order.
    init(_ value: XMLRPCValue) {
        switch value {
        case .nil: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .string(let text), .dateTime(let text): self = .string(text)
        case .base64(let data): self = .string(data.base64EncodedString())
        case .array(let elements): self = .array(elements.map(JSONValue.init))
        case .struct(let members): self = .object(members.map { JSONValue.Member($0.name, JSONValue($0.value)) })
        }
    }
}

extension XMLRPCValue {
    /// A request argument built as JSON (a domain, a context), as XML-RPC sends it.
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .nil
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .array(let elements): self = .array(elements.map(XMLRPCValue.init))
        case .object(let members): self = .struct(XMLRPCStruct(members.map { ($0.name, XMLRPCValue($0.value)) }))
        }
    }
}

extension OdooDomain {
    /// The domain as the list XML-RPC sends.
    public var xmlrpcValue: XMLRPCValue { XMLRPCValue(jsonValue) }
}

extension OdooContext {
    /// The context as the struct XML-RPC sends.
    public var xmlrpcValue: XMLRPCValue { XMLRPCValue(jsonValue) }
}
