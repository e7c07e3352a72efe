/// A `<fault>` answer: the server ran the call and reports that it failed.
public struct XMLRPCFault: Error, Hashable, Sendable, CustomStringConvertible {
    /// `faultCode`. A server that sends a non-integer code (Odoo's legacy `/xmlrpc/` endpoint sends
    /// the exception text) gets code 0 here; its text stays in `string`.
    public var code: Int
    /// `faultString`, verbatim (Odoo puts a whole Python traceback here).
    public var string: String

    public init(code: Int, string: String) {
        self.code = code
        self.string = string
    }

    public var description: String {
        "XML-RPC fault \(code): \(string)"
    }
}

/// What a `<methodResponse>` carries: one value, or a fault.
public enum XMLRPCResponse: Hashable, Sendable {
    case value(XMLRPCValue)
    case fault(XMLRPCFault)

    /// The value, or the fault thrown as an error.
    public func get() throws -> XMLRPCValue {
        switch self {
        case .value(let value): return value
        case .fault(let fault): throw fault
        }
    }
}

/// A decoded `<methodCall>`.
public struct XMLRPCMethodCall: Hashable, Sendable {
    public var name: String
    public var params: [XMLRPCValue]

    public init(name: String, params: [XMLRPCValue]) {
        self.name = name
        self.params = params
    }
}
