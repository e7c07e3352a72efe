import XMLRPC

/// A `jsonb` value as the XML-RPC source would deliver it: Odoo loads the JSON into Python
/// (integers stay integers, numbers with a fraction or exponent become floats), sends it as an
/// XML-RPC struct, and the record decoder writes canonical JSON. Parsing into the same value model
/// and writing with `CanonicalJSON` gives byte-identical text (`{"3":100.0}` stays a float).
enum SQLSourceJSON {
    struct Malformed: Error {}

    /// Canonical JSON text, or nil for a value Python finds false (`{}`, `[]`, `0`, `""`, `false`,
    /// `null`): Odoo's `fields.Json` reads those as empty, so XML-RPC sends `False`.
    static func canonical(_ text: String) throws -> String? {
        var parser = Parser(bytes: Array(text.utf8))
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else { throw Malformed() }
        switch value {
        case .nil, .bool(false), .int(0), .double(0), .string(""), .array([]): return nil
        case .struct(let members) where members.isEmpty: return nil
        default: return CanonicalJSON.text(value)
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func value() throws -> XMLRPCValue {
            skipWhitespace()
            guard position < bytes.count else { throw Malformed() }
            switch bytes[position] {
            case 0x7B: return try object()
            case 0x5B: return try array()
            case 0x22: return .string(SQLSourceText.asDelivered(try string()))
            case 0x74: try literal("true"); return .bool(true)
            case 0x66: try literal("false"); return .bool(false)
            case 0x6E: try literal("null"); return .nil
            default: return try number()
            }
        }

        private mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard position + expected.count <= bytes.count, Array(bytes[position..<position + expected.count]) == expected else {
                throw Malformed()
            }
            position += expected.count
        }

        private mutating func object() throws -> XMLRPCValue {
            position += 1
            var members = XMLRPCStruct()
            skipWhitespace()
            if position < bytes.count, bytes[position] == 0x7D {
                position += 1
                return .struct(members)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == 0x22 else { throw Malformed() }
                let name = try string()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == 0x3A else { throw Malformed() }
                position += 1
                members.append(name: name, value: try value())
                skipWhitespace()
                guard position < bytes.count else { throw Malformed() }
                if bytes[position] == 0x2C { position += 1; continue }
                guard bytes[position] == 0x7D else { throw Malformed() }
                position += 1
                return .struct(members)
            }
        }

        private mutating func array() throws -> XMLRPCValue {
            position += 1
            var elements: [XMLRPCValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == 0x5D {
                position += 1
                return .array(elements)
            }
            while true {
                elements.append(try value())
                skipWhitespace()
                guard position < bytes.count else { throw Malformed() }
                if bytes[position] == 0x2C { position += 1; continue }
                guard bytes[position] == 0x5D else { throw Malformed() }
                position += 1
                return .array(elements)
            }
        }

        private mutating func number() throws -> XMLRPCValue {
            let start = position
            var isInteger = true
            while position < bytes.count {
                let byte = bytes[position]
                if byte == 0x2E || byte == 0x65 || byte == 0x45 { isInteger = false } else if !(byte == 0x2D || byte == 0x2B || (0x30...0x39).contains(byte)) { break }
                position += 1
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if isInteger, let integer = Int64(text) { return .int(integer) }
            guard let double = Double(text) else { throw Malformed() }
            return .double(double)
        }

        private mutating func string() throws -> String {
            position += 1
            var output: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                if byte == 0x22 { return String(decoding: output, as: UTF8.self) }
                guard byte == 0x5C else {
                    output.append(byte)
                    continue
                }
                guard position < bytes.count else { throw Malformed() }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case 0x62: output.append(0x08)
                case 0x66: output.append(0x0C)
                case 0x6E: output.append(0x0A)
                case 0x72: output.append(0x0D)
                case 0x74: output.append(0x09)
                case 0x75: appendScalar(try unicodeEscape(), to: &output)
                default: output.append(escaped) // \" \\ \/
                }
            }
            throw Malformed()
        }

        private mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else {
                throw Malformed()
            }
            position += 4
            return value
        }

        private mutating func unicodeEscape() throws -> UInt32 {
            let first = try hex4()
            guard (0xD800...0xDBFF).contains(first) else { return first }
            guard position + 2 <= bytes.count, bytes[position] == 0x5C, bytes[position + 1] == 0x75 else { throw Malformed() }
            position += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw Malformed() }
            return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        }

        private func appendScalar(_ value: UInt32, to output: inout [UInt8]) {
            guard let scalar = Unicode.Scalar(value) else { return }
            output.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
    }
}
