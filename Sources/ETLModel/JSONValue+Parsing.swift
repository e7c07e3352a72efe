extension JSONValue {
    /// The text is not JSON.
    public struct Malformed: Error, Sendable {}

    /// Parses JSON text (as PostgreSQL writes `jsonb`): integers stay integers, numbers with a
    /// fraction or exponent become doubles, as Python's `json.loads` reads them. `strings` maps
    /// every string value, for a reader that must deliver text as another API would.
    public static func parse(_ text: String, strings: @escaping (String) -> String = { $0 }) throws -> JSONValue {
        var parser = Parser(bytes: Array(text.utf8), strings: strings)
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else { throw Malformed() }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        let strings: (String) -> String
        var position = 0

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func value() throws -> JSONValue {
            skipWhitespace()
            guard position < bytes.count else { throw JSONValue.Malformed() }
            switch bytes[position] {
            case 0x7B: return try object()
            case 0x5B: return try array()
            case 0x22: return .string(strings(try string()))
            case 0x74:
                try literal("true")
                return .bool(true)
            case 0x66:
                try literal("false")
                return .bool(false)
            case 0x6E:
                try literal("null")
                return .null
            default: return try number()
            }
        }

        private mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard position + expected.count <= bytes.count, Array(bytes[position..<position + expected.count]) == expected else {
                throw JSONValue.Malformed()
            }
            position += expected.count
        }

        private mutating func object() throws -> JSONValue {
            position += 1
            var members: [JSONValue.Member] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == 0x7D {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == 0x22 else { throw JSONValue.Malformed() }
                let name = try string()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == 0x3A else { throw JSONValue.Malformed() }
                position += 1
                members.append(JSONValue.Member(name, try value()))
                skipWhitespace()
                guard position < bytes.count else { throw JSONValue.Malformed() }
                if bytes[position] == 0x2C {
                    position += 1
                    continue
                }
                guard bytes[position] == 0x7D else { throw JSONValue.Malformed() }
                position += 1
                return .object(members)
            }
        }

        private mutating func array() throws -> JSONValue {
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == 0x5D {
                position += 1
                return .array(elements)
            }
            while true {
                elements.append(try value())
                skipWhitespace()
                guard position < bytes.count else { throw JSONValue.Malformed() }
                if bytes[position] == 0x2C {
                    position += 1
                    continue
                }
                guard bytes[position] == 0x5D else { throw JSONValue.Malformed() }
                position += 1
                return .array(elements)
            }
        }

        private mutating func number() throws -> JSONValue {
            let start = position
            var isInteger = true
            while position < bytes.count {
                let byte = bytes[position]
                if byte == 0x2E || byte == 0x65 || byte == 0x45 {
                    isInteger = false
                } else if !(byte == 0x2D || byte == 0x2B || (0x30...0x39).contains(byte)) {
                    break
                }
                position += 1
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if isInteger, let integer = Int64(text) { return .int(integer) }
            guard let double = Double(text) else { throw JSONValue.Malformed() }
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
                guard position < bytes.count else { throw JSONValue.Malformed() }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case 0x62: output.append(0x08)
                case 0x66: output.append(0x0C)
                case 0x6E: output.append(0x0A)
                case 0x72: output.append(0x0D)
                case 0x74: output.append(0x09)
                case 0x75: appendScalar(try unicodeEscape(), to: &output)
                default: output.append(escaped)  // \" \\ \/
                }
            }
            throw JSONValue.Malformed()
        }

        private mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count,
                let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
            else {
                throw JSONValue.Malformed()
            }
            position += 4
            return value
        }

        private mutating func unicodeEscape() throws -> UInt32 {
            let first = try hex4()
            guard (0xD800...0xDBFF).contains(first) else { return first }
            guard position + 2 <= bytes.count, bytes[position] == 0x5C, bytes[position + 1] == 0x75 else { throw JSONValue.Malformed() }
            position += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw JSONValue.Malformed() }
            return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        }

        private func appendScalar(_ value: UInt32, to output: inout [UInt8]) {
            guard let scalar = Unicode.Scalar(value) else { return }
            output.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
    }
}
