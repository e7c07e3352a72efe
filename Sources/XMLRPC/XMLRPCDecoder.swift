import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Decodes XML-RPC documents with `XMLParser(stream:)`, which, unlike `XMLParser(data:)`, has no
/// 10 MB ceiling. Every failure is an `XMLRPCDecodingError`; a `<fault>` is not a failure but
/// `XMLRPCResponse.fault`.
public enum XMLRPCDecoder {
    /// Decodes a `<methodResponse>`: its single value, or its fault.
    public static func decodeResponse(_ data: Data) throws -> XMLRPCResponse {
        let builder = try parse(data, root: .methodResponse)
        let value = builder.topLevelValues[0]
        guard builder.isFault else { return .value(value) }
        guard let fault = fault(from: value) else {
            throw XMLRPCDecodingError(
                reason: .notXMLRPC("<fault> must hold a struct with an integer faultCode and a string faultString"),
                document: .methodResponse, line: 0, column: 0, body: data)
        }
        return .fault(fault)
    }

    /// Decodes a `<methodCall>`: the method's name and its params.
    public static func decodeMethodCall(_ data: Data) throws -> XMLRPCMethodCall {
        let builder = try parse(data, root: .methodCall)
        return XMLRPCMethodCall(name: builder.methodName ?? "", params: builder.topLevelValues)
    }

    private static func parse(_ data: Data, root: XMLRPCElement) throws -> XMLRPCTreeBuilder {
        let document: XMLRPCDecodingError.Document = root == .methodCall ? .methodCall : .methodResponse
        func failure(_ reason: XMLRPCDecodingError.Reason, line: Int = 0, column: Int = 0) -> XMLRPCDecodingError {
            XMLRPCDecodingError(reason: reason, document: document, line: line, column: column, body: data)
        }
        if data.allSatisfy(ScalarText.isSpace) {
            throw failure(.emptyBody)
        }
        if let hazard = XMLParserHazards.find(in: data) {
            let position = XMLParserHazards.position(of: hazard.offset, in: data)
            throw failure(.notXMLRPC(hazard.detail), line: position.line, column: position.column)
        }
        let input = DataInputStream(data)
        let delegate = XMLRPCParserDelegate(root: root, input: input)
        let parser = XMLParser(stream: input)
        parser.delegate = delegate
        let parsed = parser.parse()
        if let failed = delegate.failure {
            throw failure(failed.reason, line: failed.line, column: failed.column)
        }
        let builder = delegate.result
        if builder.rootClosed {
            // The parser's result is not consulted here: it is also non-zero after the warnings
            // and namespace errors that the delegate lets pass (see ParserErrorText.isFatal).
            return builder
        }
        if !parsed {
            let detail = parser.parserError.map(ParserErrorText.describe) ?? "the XML parser stopped"
            throw failure(
                input.reachedEnd ? .truncated("it stops before the root element is complete") : .malformedXML(detail),
                line: parser.lineNumber, column: parser.columnNumber)
        }
        // libxml2 starts only once it has 4 bytes, so shorter bodies end here without an event.
        throw failure(.malformedXML("no XML element found"), line: parser.lineNumber, column: parser.columnNumber)
    }

    private static func fault(from value: XMLRPCValue) -> XMLRPCFault? {
        guard let members = value.structValue,
            let codeValue = members["faultCode"],
            let string = members["faultString"]?.stringValue
        else { return nil }
        switch codeValue {
        case .int(let code):
            return XMLRPCFault(code: Int(code), string: string)
        case .double(let code) where code.rounded() == code && abs(code) < 1e15:
            return XMLRPCFault(code: Int(code), string: string)
        case .string(let text):
            return XMLRPCFault(code: ScalarText.int64(text).map { Int($0) } ?? 0, string: string)
        default:
            return nil
        }
    }
}
