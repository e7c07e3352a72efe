import Foundation
import XMLRPC

/// JSON text that is the same for the same value, so that a payload comparison in the warehouse
/// sees no change where there is none: object keys sorted by code point, no whitespace, numbers
/// in their shortest round-trip form (`100.0` stays a float, as Python's `json.dumps` writes it).
enum CanonicalJSON {
    static func text(_ value: XMLRPCValue) -> String {
        var output = ""
        write(value, to: &output)
        return output
    }

    private static func write(_ value: XMLRPCValue, to output: inout String) {
        switch value {
        case .nil:
            output += "null"
        case .bool(let flag):
            output += flag ? "true" : "false"
        case .int(let number):
            output += String(number)
        case .double(let number):
            // JSON has no spelling for infinities or NaN.
            output += number.isFinite ? String(number) : "null"
        case .string(let text), .dateTime(let text):
            writeString(text, to: &output)
        case .base64(let data):
            writeString(data.base64EncodedString(), to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                write(element, to: &output)
            }
            output += "]"
        case .struct(let members):
            // A name sent twice keeps its first value, as XMLRPCStruct's lookup does.
            var seen = Set<String>()
            let unique = members.filter { seen.insert($0.name).inserted }
            let sorted = unique.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            output += "{"
            for (index, member) in sorted.enumerated() {
                if index > 0 { output += "," }
                writeString(member.name, to: &output)
                output += ":"
                write(member.value, to: &output)
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
