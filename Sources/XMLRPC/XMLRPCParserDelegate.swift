import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Passes `XMLParser`'s events to an `XMLRPCTreeBuilder` and stops the parse at the first problem.
///
/// The builder sits behind a pointer rather than in a stored property: every access to a class's
/// stored `var` costs a dynamic exclusivity check, and with several accesses per event over
/// millions of events that was a fifth of the decoding time.
final class XMLRPCParserDelegate: NSObject, XMLParserDelegate {
    struct Failure {
        var reason: XMLRPCDecodingError.Reason
        var line: Int
        var column: Int
    }

    private let builder: UnsafeMutablePointer<XMLRPCTreeBuilder>
    private let input: DataInputStream
    private let failureSlot: UnsafeMutablePointer<Failure?>

    init(root: XMLRPCElement, input: DataInputStream) {
        self.input = input
        builder = .allocate(capacity: 1)
        builder.initialize(to: XMLRPCTreeBuilder(root: root))
        failureSlot = .allocate(capacity: 1)
        failureSlot.initialize(to: nil)
    }

    deinit {
        builder.deinitialize(count: 1)
        builder.deallocate()
        failureSlot.deinitialize(count: 1)
        failureSlot.deallocate()
    }

    var failure: Failure? { failureSlot.pointee }
    var result: XMLRPCTreeBuilder { builder.pointee }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String]
    ) {
        guard failureSlot.pointee == nil else { return }
        if let reason = builder.pointee.start(elementName) {
            fail(parser, truncationOr(reason))
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failureSlot.pointee == nil else { return }
        if let reason = builder.pointee.characters(string) {
            fail(parser, truncationOr(reason))
        }
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        self.parser(parser, foundCharacters: String(decoding: block, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard failureSlot.pointee == nil else { return }
        if let reason = builder.pointee.end(elementName) {
            fail(parser, reason)
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        guard failureSlot.pointee == nil, ParserErrorText.isFatal(parseError) else { return }
        fail(parser, truncationOr(.malformedXML(ParserErrorText.describe(parseError))))
    }

    /// Once every byte has been read, an open root can no longer close: whatever else is wrong
    /// with the tail (a tag cut in its name, half an entity), the body is cut short, which is the
    /// diagnosis worth reporting. End tags are left out because the root's own end tag may be
    /// handled only then, and its complaints are about a complete document.
    private func truncationOr(_ reason: XMLRPCDecodingError.Reason) -> XMLRPCDecodingError.Reason {
        guard input.reachedEnd && !builder.pointee.rootClosed else { return reason }
        let place = builder.pointee.openElement.map { "it stops inside <\($0.tagName)>" } ?? "it stops before the root element is complete"
        return .truncated(place)
    }

    private func fail(_ parser: XMLParser, _ reason: XMLRPCDecodingError.Reason) {
        failureSlot.pointee = Failure(reason: reason, line: parser.lineNumber, column: parser.columnNumber)
        parser.abortParsing()
    }
}
