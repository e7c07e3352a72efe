import Foundation

/// Foundation on Linux passes on only libxml2's error number, not its message; this names the
/// errors a broken XML-RPC body can cause, in libxml2's own words.
enum ParserErrorText {
    static func describe(_ error: Error) -> String {
        let code = (error as NSError).code
        return message(forCode: code) ?? "libxml2 error \(code)"
    }

    /// libxml2 also reports warnings (codes named XML_WAR_*) and namespace errors (200 and up)
    /// through the same channel and then carries on; neither makes an XML-RPC body unreadable.
    static func isFatal(_ error: Error) -> Bool {
        let code = (error as NSError).code
        return !(warningCodes.contains(code) || (200..<300).contains(code))
    }

    private static let warningCodes: Set<Int> = [27, 93, 97, 98, 99, 100, 102, 106, 107]

    private static func message(forCode code: Int) -> String? {
        switch code {
        case 1: return "internal parser error"
        case 2: return "out of memory"
        case 3: return "Start tag expected, '<' not found"
        case 4: return "Document is empty"
        case 5: return "Extra content at the end of the document"
        case 6, 7, 8: return "invalid character reference"
        case 9: return "invalid character in the document"
        case 22: return "EntityRef: expecting name"
        case 23: return "EntityRef: expecting ';'"
        case 26: return "undefined entity"
        case 31, 32: return "unsupported encoding"
        case 38: return "'<' in attribute value"
        case 39, 40, 41: return "malformed attribute"
        case 42: return "attribute redefined"
        case 45: return "Comment not terminated"
        case 57: return "parsing XML declaration: '?>' expected"
        case 62, 63: return "malformed CDATA section"
        case 64: return "XML declaration allowed only at the start of the document"
        case 68: return "StartTag: invalid element name"
        case 73: return "Couldn't find end of Start Tag"
        case 74: return "EndTag: '</' not found"
        case 76: return "Opening and ending tag mismatch"
        case 77: return "Premature end of data in tag"
        case 81: return "Input is not proper UTF-8"
        case 85: return "Chunk is not well balanced"
        case 86: return "Extra content at the end of the document"
        case 89: return "entity reference loop"
        case 110: return "name too long"
        default: return nil
        }
    }
}
