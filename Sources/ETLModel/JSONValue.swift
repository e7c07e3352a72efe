import Foundation

/// A JSON value as the engine carries Odoo's structured data: `json`/`properties` fields, domains
/// and contexts. Objects keep their members in the order given, so a request is encoded exactly
/// as it was built; `canonicalText` sorts them.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    /// A number with a fraction or an exponent, as Python loads it (`100.0` stays a float).
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    public struct Member: Hashable, Sendable {
        public let name: String
        public let value: JSONValue

        public init(_ name: String, _ value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    /// Whether Python finds the value false (`{}`, `[]`, `0`, `""`, `false`, `null`): Odoo's
    /// `fields.Json` reads those as empty.
    public var isFalsy: Bool {
        switch self {
        case .null, .bool(false), .int(0), .double(0), .string(""), .array([]): return true
        case .object(let members): return members.isEmpty
        default: return false
        }
    }
}

// MARK: - The one canonical writer

extension JSONValue {
    /// JSON text that is the same for the same value, so that a payload comparison in the
    /// warehouse sees no change where there is none: object keys sorted by code point (a name
    /// given twice keeps its first value), no whitespace, numbers in their shortest round-trip
    /// form (`100.0` stays a float, as Python's `json.dumps` writes it).
    public var canonicalText: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .null:
            output += "null"
        case .bool(let flag):
            output += flag ? "true" : "false"
        case .int(let number):
            output += String(number)
        case .double(let number):
            // JSON has no spelling for infinities or NaN.
            output += number.isFinite ? String(number) : "null"
        case .string(let text):
            Self.writeString(text, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .object(let members):
            var seen = Set<String>()
            let unique = members.filter { seen.insert($0.name).inserted }
            let sorted = unique.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            output += "{"
            for (index, member) in sorted.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(member.name, to: &output)
                output += ":"
                member.value.write(to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    output += String(format: "\\u%04x", scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
