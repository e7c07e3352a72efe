import Foundation

/// A body that could not be decoded as the XML-RPC document that was expected.
///
/// Its description quotes where the parser stopped and how the body begins, so that an HTML error
/// page from a proxy, an empty answer or a cut-off transfer is recognisable from the message alone.
public struct XMLRPCDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// The body has no bytes, or only whitespace.
        case emptyBody
        /// The body ends before the document does (the parser's message is attached).
        case truncated(String)
        /// The body is not well-formed XML (the parser's message is attached).
        case malformedXML(String)
        /// Well-formed XML that does not have the shape of the expected XML-RPC document.
        case notXMLRPC(String)
        /// A scalar whose text is not valid for its type, e.g. `<int>12a</int>`.
        case invalidValue(type: String, text: String)
    }

    /// Which XML-RPC document was expected.
    public enum Document: String, Hashable, Sendable {
        case methodResponse
        case methodCall
    }

    public let reason: Reason
    public let document: Document
    /// 1-based position where decoding stopped; 0 when the parser had not started.
    public let line: Int
    public let column: Int
    public let bodyByteCount: Int
    /// The body's first bytes (at most `XMLRPCDecodingError.previewLimit`), made printable:
    /// line breaks and tabs shown as `\n`, `\r`, `\t`, other control bytes and invalid UTF-8 as `?`.
    public let bodyPreview: String

    public static let previewLimit = 120

    init(reason: Reason, document: Document, line: Int, column: Int, body: Data) {
        self.init(
            reason: reason, document: document, line: line, column: column,
            bodyByteCount: body.count, bodyPreview: BodyPreview.printable(body.prefix(XMLRPCDecodingError.previewLimit)))
    }

    public init(reason: Reason, document: Document, line: Int, column: Int, bodyByteCount: Int, bodyPreview: String) {
        self.reason = reason
        self.document = document
        self.line = line
        self.column = column
        self.bodyByteCount = bodyByteCount
        self.bodyPreview = bodyPreview
    }

    public var description: String {
        var message = "Cannot decode the XML-RPC \(documentNoun): \(reasonText)"
        if line > 0 {
            message += " (line \(line), column \(column))"
        }
        message += "."
        if bodyByteCount > 0 {
            let ellipsis = bodyByteCount > XMLRPCDecodingError.previewLimit ? "…" : ""
            message += " The body (\(bodyByteCount) bytes) begins: \"\(bodyPreview)\(ellipsis)\"."
        }
        message += " " + advice
        return message
    }

    private var documentNoun: String {
        switch document {
        case .methodResponse: return "response"
        case .methodCall: return "method call"
        }
    }

    private var reasonText: String {
        switch reason {
        case .emptyBody: return "the body is empty"
        case .truncated(let detail): return "the body ends before the XML document does (\(detail))"
        case .malformedXML(let detail): return "the body is not well-formed XML (\(detail))"
        case .notXMLRPC(let detail): return "the XML is not an XML-RPC <\(document.rawValue)>: \(detail)"
        case .invalidValue(let type, let text):
            return "<\(type)> holds \"\(BodyPreview.printable(Array(text.utf8.prefix(40))))\", which is not a valid \(type)"
        }
    }

    private var advice: String {
        let lowered = bodyPreview.lowercased()
        if lowered.contains("<html") || lowered.contains("<!doctype html") {
            return
                "This is an HTML page, not XML-RPC: a proxy or web server answered instead of the XML-RPC service; check the URL and the server's health, then retry."
        }
        if bodyPreview.hasPrefix("??") && bodyByteCount > 2 {
            return "The body is not text; if it is compressed, it must be decompressed before decoding."
        }
        switch reason {
        case .emptyBody:
            return "Check that the URL points at the XML-RPC endpoint and that no proxy dropped the answer, then retry."
        case .truncated:
            return "The transfer was probably cut short; retry the call."
        case .malformedXML, .notXMLRPC:
            return "Check that the URL points at the XML-RPC endpoint; the server did not answer in XML-RPC."
        case .invalidValue:
            return "The server sent a value this decoder cannot represent; the whole answer was rejected."
        }
    }
}

enum BodyPreview {
    /// Shows bytes as one printable line. A multi-byte character cut by the byte limit is dropped
    /// rather than shown as garbage.
    static func printable<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var clipped = Array(bytes)
        if let lastLead = clipped.lastIndex(where: { $0 & 0xC0 != 0x80 }), clipped[lastLead] >= 0xC0 {
            let needed = clipped[lastLead] >= 0xF0 ? 4 : clipped[lastLead] >= 0xE0 ? 3 : 2
            if clipped.count - lastLead < needed {
                clipped.removeSubrange(lastLead...)
            }
        }
        var result = ""
        for scalar in String(decoding: clipped, as: UTF8.self).unicodeScalars {
            switch scalar.value {
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0..<0x20, 0x7F..<0xA0, 0xFFFD: result += "?"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
