import Foundation

/// Finds, before `XMLParser` sees them, the bodies that crash it on Linux (found by fuzzing with
/// swift-corelibs-foundation 6.3 and Debian 12's libxml2 2.9.14; each kills the process with SIGSEGV,
/// whatever the delegate does):
///
/// - Foundation turns libxml2's SAX callbacks into Swift strings with `strlen` and does not expect
///   the NULL that libxml2 passes for a processing instruction without data (`<?name?>`) and for
///   several DTD declarations (`<!ATTLIST … #IMPLIED>`, `<!NOTATION …>`, unparsed entities); an
///   entity whose text expands to `<?name?>` does the same.
/// - libxml2's push parser dereferences NULL after switching to many encodings: bodies that begin
///   in UCS-4 or EBCDIC, and declarations such as `encoding="Shift_JIS"`, `"UTF-32"` or `"HTML"`.
///
/// XML-RPC needs none of this, so such a body is refused: a `<?name?>` outside comments and CDATA
/// sections, a DOCTYPE with an internal subset (`<!DOCTYPE name [ … ]>`, the only place
/// declarations and entities come from, since external ones are never loaded), a body that does
/// not start in an ASCII-compatible encoding, and a declared encoding outside a short list of
/// single-byte ones that were checked. A plain `<!DOCTYPE html>` is left to the parser.
enum XMLParserHazards {
    struct Finding {
        let detail: String
        /// Byte offset where the hazard starts.
        let offset: Int
    }

    /// Declared encodings (upper-cased) that the parser reads without trouble; UTF-8 is what
    /// Odoo and Python's xmlrpc send.
    static let readableEncodings: Set<String> = [
        "UTF-8", "UTF8", "US-ASCII", "ASCII", "ISO-8859-1", "ISO_8859-1", "LATIN1", "ISO-LATIN-1",
        "ISO-8859-15", "WINDOWS-1252", "CP1252",
    ]

    static func find(in data: Data) -> Finding? {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            if let encoding = nonASCIICompatibleEncoding(startingWith: bytes) {
                return Finding(detail: "the body is encoded in \(encoding); XML-RPC answers are read in UTF-8", offset: 0)
            }
            return findMarkup(in: bytes)
        }
    }

    /// 1-based line and byte column of `offset`, as the decoder reports positions.
    static func position(of offset: Int, in data: Data) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for (index, byte) in data.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }

    /// The encodings libxml2 detects from a body's first bytes, other than UTF-8.
    private static func nonASCIICompatibleEncoding(startingWith bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let head = Array(bytes.prefix(4))
        if head.count >= 2, head[0] == 0xFE && head[1] == 0xFF || head[0] == 0xFF && head[1] == 0xFE {
            return head.count == 4 && head[2] == 0 && head[3] == 0 ? "UCS-4" : "UTF-16"
        }
        guard head.count == 4 else { return nil }
        switch (head[0], head[1], head[2], head[3]) {
        case (0x00, 0x00, 0x00, 0x3C), (0x3C, 0x00, 0x00, 0x00), (0x00, 0x00, 0x3C, 0x00), (0x00, 0x3C, 0x00, 0x00),
            (0x00, 0x00, 0xFE, 0xFF), (0x00, 0x00, 0xFF, 0xFE):
            return "UCS-4"
        case (0x3C, 0x00, 0x3F, 0x00), (0x00, 0x3C, 0x00, 0x3F):
            return "UTF-16"
        case (0x4C, 0x6F, 0xA7, 0x94):
            return "EBCDIC"
        default:
            return nil
        }
    }

    private static func findMarkup(in bytes: UnsafeBufferPointer<UInt8>) -> Finding? {
        var index = 0
        while let open = nextOpeningBracket(in: bytes, from: index) {
            index = open + 1
            if starts(bytes, at: open, with: "<?") {
                if let problem = instructionProblem(in: bytes, at: open) {
                    return Finding(detail: problem, offset: open)
                }
            } else if starts(bytes, at: open, with: "<!--") {
                index = end(of: "-->", in: bytes, from: open + 4)
            } else if starts(bytes, at: open, with: "<![CDATA[") {
                index = end(of: "]]>", in: bytes, from: open + 9)
            } else if starts(bytes, at: open, with: "<!DOCTYPE"), hasInternalSubset(bytes, from: open + 9) {
                return Finding(detail: "it declares a DTD (<!DOCTYPE … [ … ]>), and XML-RPC uses none", offset: open)
            }
        }
        return nil
    }

    /// A `<?name?>` without data, or an XML declaration naming an encoding not in `readableEncodings`.
    private static func instructionProblem(in bytes: UnsafeBufferPointer<UInt8>, at open: Int) -> String? {
        var index = open + 2
        while index < bytes.count, !isNameDelimiter(bytes[index]) {
            index += 1
        }
        let target = bytes[(open + 2)..<index]
        // libxml2 passes NULL data only when the target is followed directly by `?>`; a target that
        // is not a valid name makes it stop with an error instead, so any run of name-like bytes will do.
        if !target.isEmpty, starts(bytes, at: index, with: "?>") {
            return "it holds the processing instruction <?\(BodyPreview.printable(target.prefix(40)))?>, and XML-RPC uses none"
        }
        guard String(decoding: target, as: UTF8.self).lowercased() == "xml" else { return nil }
        let declaration = String(decoding: bytes[index..<end(of: "?>", in: bytes, from: index)], as: UTF8.self)
        guard let encoding = declaredEncodings(in: declaration).first(where: { !readableEncodings.contains($0.uppercased()) }) else {
            return nil
        }
        return "it declares the encoding \"\(BodyPreview.printable(Array(encoding.utf8.prefix(40))))\"; "
            + "XML-RPC answers are read in UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15 or windows-1252"
    }

    /// Every value written as `encoding="…"` (or with single quotes) in a declaration's text. All
    /// of them, not only the first: the word may also stand inside another pseudo-attribute's value.
    private static func declaredEncodings(in declaration: String) -> [String] {
        var values: [String] = []
        var searchStart = declaration.startIndex
        while let name = declaration.range(of: "encoding", range: searchStart..<declaration.endIndex) {
            searchStart = name.upperBound
            var rest = declaration[name.upperBound...].drop { $0.isWhitespace }
            guard rest.first == "=" else { continue }
            rest = rest.dropFirst().drop { $0.isWhitespace }
            guard let quote = rest.first, quote == "\"" || quote == "'" else { continue }
            values.append(String(rest.dropFirst().prefix { $0 != quote }))
        }
        return values
    }

    private static func nextOpeningBracket(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
            let found = memchr(base + start, Int32(UInt8(ascii: "<")), bytes.count - start)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    private static func starts(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        let expected = UnsafeBufferPointer(start: prefix.utf8Start, count: count)
        for position in 0..<count where bytes[offset + position] != expected[position] {
            return false
        }
        return true
    }

    /// The index just past `terminator`, or the end of the body when it never comes.
    private static func end(of terminator: StaticString, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            if starts(bytes, at: index, with: terminator) {
                return index + terminator.utf8CodeUnitCount
            }
            index += 1
        }
        return bytes.count
    }

    private static func isNameDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
            UInt8(ascii: "?"), UInt8(ascii: ">"), UInt8(ascii: "<"):
            return true
        default:
            return false
        }
    }

    /// Whether a `[` comes before the DOCTYPE's closing `>`, skipping quoted system and public ids
    /// (which may hold either character).
    private static func hasInternalSubset(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var index = start
        var quote: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") {
                return true
            } else if byte == UInt8(ascii: ">") {
                return false
            }
            index += 1
        }
        return false
    }
}
