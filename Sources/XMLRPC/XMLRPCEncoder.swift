import Foundation

/// Writes XML-RPC requests byte for byte as Python's `xmlrpc.client.dumps` does (what Odoo's own
/// clients send), with two deliberate differences, both invisible to a Python or Odoo server:
///
/// - Integers outside the 32-bit range are written as `<i8>` instead of being refused. Python's
///   unmarshaller (which Odoo's server uses) reads `<i8>` as an int, so ids and counts above
///   2^31-1 reach Odoo intact.
/// - A carriage return in a string is written as `&#13;`, because an XML parser turns a literal
///   CR or CRLF into LF and the text would otherwise change on the way.
///
/// Like Python, it escapes only `&`, `<` and `>`; characters XML 1.0 forbids (NUL and most other
/// C0 controls) are sent as they are and make the server answer with a parse error, rather than
/// being silently altered here.
public enum XMLRPCEncoder {
    public static func methodCall(name: String, params: [XMLRPCValue]) -> Data {
        var writer = XMLRPCWriter()
        writer.writeRaw("<?xml version='1.0'?>\n<methodCall>\n<methodName>")
        writer.writeEscaped(name)
        writer.writeRaw("</methodName>\n<params>\n")
        for param in params {
            writer.writeRaw("<param>\n")
            writer.writeValue(param)
            writer.writeRaw("</param>\n")
        }
        writer.writeRaw("</params>\n</methodCall>\n")
        return Data(writer.bytes)
    }

    /// A `<methodResponse>` as Python's `dumps(..., methodresponse=True)` writes it: what a server
    /// (or a test double of one) sends back.
    public static func methodResponse(_ response: XMLRPCResponse) -> Data {
        var writer = XMLRPCWriter()
        writer.writeRaw("<?xml version='1.0'?>\n<methodResponse>\n")
        switch response {
        case .value(let value):
            writer.writeRaw("<params>\n<param>\n")
            writer.writeValue(value)
            writer.writeRaw("</param>\n</params>\n")
        case .fault(let fault):
            writer.writeRaw("<fault>\n")
            writer.writeValue(["faultCode": .int(Int64(fault.code)), "faultString": .string(fault.string)])
            writer.writeRaw("</fault>\n")
        }
        writer.writeRaw("</methodResponse>\n")
        return Data(writer.bytes)
    }
}

struct XMLRPCWriter {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(1024)
    }

    mutating func writeRaw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func writeValue(_ value: XMLRPCValue) {
        switch value {
        case .int(let number):
            if number >= Int64(Int32.min) && number <= Int64(Int32.max) {
                writeRaw("<value><int>")
                bytes.append(contentsOf: String(number).utf8)
                writeRaw("</int></value>\n")
            } else {
                writeRaw("<value><i8>")
                bytes.append(contentsOf: String(number).utf8)
                writeRaw("</i8></value>\n")
            }
        case .bool(let flag):
            writeRaw(flag ? "<value><boolean>1</boolean></value>\n" : "<value><boolean>0</boolean></value>\n")
        case .double(let number):
            // Swift's description is the shortest text that reads back to the same Double, like
            // Python's repr; `inf`/`nan` are spelled as Python spells them.
            writeRaw("<value><double>")
            bytes.append(contentsOf: (number.isNaN ? "nan" : number.description).utf8)
            writeRaw("</double></value>\n")
        case .string(let text):
            writeRaw("<value><string>")
            writeEscaped(text)
            writeRaw("</string></value>\n")
        case .dateTime(let text):
            writeRaw("<value><dateTime.iso8601>")
            writeEscaped(text)
            writeRaw("</dateTime.iso8601></value>\n")
        case .base64(let data):
            writeRaw("<value><base64>\n")
            if !data.isEmpty {
                // Python's base64.encodebytes: lines of 76 characters, each ended by a newline.
                bytes.append(contentsOf: data.base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]).utf8)
                bytes.append(0x0A)
            }
            writeRaw("</base64></value>\n")
        case .struct(let members):
            writeRaw("<value><struct>\n")
            for member in members {
                writeRaw("<member>\n<name>")
                writeEscaped(member.name)
                writeRaw("</name>\n")
                writeValue(member.value)
                writeRaw("</member>\n")
            }
            writeRaw("</struct></value>\n")
        case .array(let elements):
            writeRaw("<value><array><data>\n")
            for element in elements {
                writeValue(element)
            }
            writeRaw("</data></array></value>\n")
        case .nil:
            // Python writes this one without a trailing newline.
            writeRaw("<value><nil/></value>")
        }
    }

    mutating func writeEscaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): writeRaw("&amp;")
            case UInt8(ascii: "<"): writeRaw("&lt;")
            case UInt8(ascii: ">"): writeRaw("&gt;")
            case 0x0D: writeRaw("&#13;")
            default: bytes.append(byte)
            }
        }
    }
}
