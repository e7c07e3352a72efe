import Foundation
import TestSupport
import XCTest
import XMLRPC

/// Every body that is not the expected XML-RPC document is an `XMLRPCDecodingError` that says why,
/// where, and how the body begins: never a crash, a hang, or a wrong value.
final class MalformedInputTests: XCTestCase {
    func testEmptyBody() throws {
        for body in ["", "  \r\n\t "] {
            let error = try XCTUnwrap(Wire.decodingError(body))
            XCTAssertEqual(error.reason, .emptyBody)
            XCTAssertEqual(
                error.description,
                body.isEmpty
                    ? "Cannot decode the XML-RPC response: the body is empty. Check that the URL points at the XML-RPC endpoint and that no proxy dropped the answer, then retry."
                    : "Cannot decode the XML-RPC response: the body is empty. The body (\(body.utf8.count) bytes) begins: \"  \\r\\n\\t \". Check that the URL points at the XML-RPC endpoint and that no proxy dropped the answer, then retry."
            )
        }
    }

    func testTruncatedBody() throws {
        let whole = try TestPaths.odoo18Capture("search_read_hr_expense_page1.response.xml")
        for cut in [30, 2_000, 10_000, whole.count - 30, whole.count - 2] {
            let error = try XCTUnwrap(Wire.decodingError(whole.prefix(cut)), "cut at \(cut)")
            guard case .truncated = error.reason else {
                XCTFail("cut at \(cut): \(error.reason)")
                continue
            }
            XCTAssertTrue(
                error.description.hasPrefix("Cannot decode the XML-RPC response: the body ends before the XML document does (it stops "),
                error.description)
            XCTAssertTrue(
                error.description.contains("The body (\(cut) bytes) begins: \"<?xml version=\"1.0\"?>\\n<methodR"), error.description)
            XCTAssertTrue(error.description.hasSuffix("The transfer was probably cut short; retry the call."), error.description)
            XCTAssertGreaterThan(error.line, 0)
        }
        XCTAssertEqual(Wire.decodingError(whole.prefix(whole.count - 30))?.reason, .truncated("it stops inside <params>"))
        XCTAssertEqual(Wire.decodingError(whole.prefix(whole.count - 2))?.reason, .truncated("it stops inside <methodResponse>"))
        XCTAssertEqual(Wire.decodingError(whole.prefix(30))?.reason, .truncated("it stops before the root element is complete"))
    }

    func testProxyErrorPage() throws {
        let page =
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n"
        let error = try XCTUnwrap(Wire.decodingError(page))
        XCTAssertEqual(error.reason, .notXMLRPC("the root element is <html>, expected <methodResponse>"))
        XCTAssertEqual(error.line, 1)
        XCTAssertEqual(error.bodyByteCount, page.utf8.count)
        XCTAssertEqual(
            error.description,
            """
            Cannot decode the XML-RPC response: the XML is not an XML-RPC <methodResponse>: the root element is <html>, expected <methodResponse> (line 1, column 6). \
            The body (\(page.utf8.count) bytes) begins: "<html>\\r\\n<head><title>502 Bad Gateway</title></head>\\r\\n<body>\\r\\n<center><h1>502 Bad Gateway</h1></center>\\r\\n<hr><center>ngin…". \
            This is an HTML page, not XML-RPC: a proxy or web server answered instead of the XML-RPC service; check the URL and the server's health, then retry.
            """)
    }

    func testHTMLThatIsNotXML() throws {
        let page =
            "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>Odoo</title></head><body><p>Database not found<br></body></html>"
        let error = try XCTUnwrap(Wire.decodingError(page))
        guard case .malformedXML(let detail) = error.reason else {
            return XCTFail("\(error.reason)")
        }
        XCTAssertEqual(detail, "malformed attribute")
        XCTAssertTrue(
            error.description.contains("the body is not well-formed XML (malformed attribute) (line 2, column "), error.description)
        XCTAssertTrue(error.description.contains("begins: \"<!DOCTYPE html>\\n<html lang=en>"), error.description)
        XCTAssertTrue(
            error.description.hasSuffix(
                "This is an HTML page, not XML-RPC: a proxy or web server answered instead of the XML-RPC service; check the URL and the server's health, then retry."
            ))
    }

    func testMalformedXML() throws {
        let mismatched = "<?xml version=\"1.0\"?>\n<methodResponse><params><param><value><int>2</int></value></param></methodResponse>"
        let error = try XCTUnwrap(Wire.decodingError(mismatched))
        XCTAssertEqual(error.reason, .malformedXML("Opening and ending tag mismatch"))
        XCTAssertEqual(error.line, 2)
        XCTAssertTrue(
            error.description.hasPrefix(
                "Cannot decode the XML-RPC response: the body is not well-formed XML (Opening and ending tag mismatch) (line 2, column "),
            error.description)
        XCTAssertTrue(
            error.description.hasSuffix("Check that the URL points at the XML-RPC endpoint; the server did not answer in XML-RPC."))

        let entity = try XCTUnwrap(Wire.decodingError(Wire.response("<value><string>a &nbsp; b</string></value>")))
        XCTAssertEqual(entity.reason, .malformedXML("undefined entity"))

        let garbage = try XCTUnwrap(Wire.decodingError("not xml at all"))
        XCTAssertEqual(garbage.reason, .malformedXML("Document is empty"), "libxml2's words for a body without any element")
        XCTAssertTrue(garbage.description.contains("The body (14 bytes) begins: \"not xml at all\"."), garbage.description)

        let tiny = try XCTUnwrap(Wire.decodingError("<a"))
        XCTAssertEqual(tiny.reason, .malformedXML("no XML element found"))
    }

    func testWellFormedXMLThatIsNotXMLRPC() throws {
        let cases: [(String, String)] = [
            (
                "<?xml version=\"1.0\"?><methodCall><methodName>x</methodName></methodCall>",
                "the root element is <methodCall>, expected <methodResponse>"
            ),
            ("<methodResponse/>", "<methodResponse> holds neither <params> nor <fault>"),
            ("<methodResponse><params></params></methodResponse>", "a response holds exactly one <param>, this one holds 0"),
            (
                "<methodResponse><params><param><value>1</value></param><param><value>2</value></param></params></methodResponse>",
                "a response holds exactly one <param>, this one holds 2"
            ),
            ("<methodResponse><params><param></param></params></methodResponse>", "<param> without <value>"),
            (
                "<methodResponse><params><param><value><int>1</int><int>2</int></value></param></params></methodResponse>",
                "unexpected <int> inside <value>"
            ),
            (
                "<methodResponse><params><param><value><float2>1</float2></value></param></params></methodResponse>",
                "unexpected element <float2> inside <value>"
            ),
            (
                "<methodResponse><params><param><value>text<int>1</int></value></param></params></methodResponse>",
                "<value> mixes text with a <int> element"
            ),
            (
                "<methodResponse><params>stray<param><value>1</value></param></params></methodResponse>",
                "unexpected text \"stray\" inside <params>"
            ),
            (
                "<methodResponse><params><param><value><struct><member><value>1</value></member></struct></value></param></params></methodResponse>",
                "unexpected <value> inside <member>"
            ),
            (
                "<methodResponse><params><param><value><struct><member><name>a</name></member></struct></value></param></params></methodResponse>",
                "<member> without <value>"
            ),
            (
                "<methodResponse><params><param><value><array><value>1</value></array></value></param></params></methodResponse>",
                "unexpected <value> inside <array>"
            ),
            (
                "<methodResponse><fault><value><string>boom</string></value></fault></methodResponse>",
                "<fault> must hold a struct with an integer faultCode and a string faultString"
            ),
        ]
        for (body, detail) in cases {
            let error = try XCTUnwrap(Wire.decodingError(body), detail)
            XCTAssertEqual(error.reason, .notXMLRPC(detail), body)
            XCTAssertTrue(
                error.description.hasPrefix("Cannot decode the XML-RPC response: the XML is not an XML-RPC <methodResponse>: \(detail)"),
                error.description)
        }
    }

    func testInvalidScalars() throws {
        let cases: [(String, String, String)] = [
            ("<int>12a</int>", "int", "12a"),
            ("<i4></i4>", "i4", ""),
            ("<i8>9223372036854775808</i8>", "i8", "9223372036854775808"),
            ("<boolean>true</boolean>", "boolean", "true"),
            ("<double>1,5</double>", "double", "1,5"),
            ("<base64>QUJDR</base64>", "base64", "QUJDR"),
            ("<nil>x</nil>", "nil", "x"),
        ]
        for (xml, type, text) in cases {
            let error = try XCTUnwrap(Wire.decodingError(Wire.response("<value>\(xml)</value>")), xml)
            XCTAssertEqual(error.reason, .invalidValue(type: type, text: text), xml)
            XCTAssertTrue(
                error.description.hasPrefix(
                    "Cannot decode the XML-RPC response: <\(type)> holds \"\(text)\", which is not a valid \(type) (line 5, column "),
                error.description)
            XCTAssertTrue(
                error.description.hasSuffix("The server sent a value this decoder cannot represent; the whole answer was rejected."))
        }
    }

    func testBinaryBodyPreviewIsPrintable() throws {
        let gzipped = Data([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])
        let error = try XCTUnwrap(Wire.decodingError(gzipped))
        XCTAssertTrue(error.bodyPreview.hasPrefix("??"), error.bodyPreview)
        XCTAssertTrue(error.bodyPreview.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }, error.bodyPreview)
        XCTAssertTrue(
            error.description.hasSuffix("The body is not text; if it is compressed, it must be decompressed before decoding."),
            error.description)
    }

    func testPreviewStopsAt120BytesWithoutSplittingACharacter() throws {
        let body = "<html>" + String(repeating: "ñ", count: 100) + "</html>"
        let error = try XCTUnwrap(Wire.decodingError(body))
        XCTAssertEqual(error.bodyPreview, "<html>" + String(repeating: "ñ", count: 57), "6 + 57 × 2 = 120 bytes")
        XCTAssertTrue(error.description.contains("ñ…\"."))
    }

    func testMethodCallDecodingReportsItsOwnDocument() throws {
        XCTAssertThrowsError(try XMLRPCDecoder.decodeMethodCall(TestPaths.odoo18Capture("version.response.xml"))) { error in
            let decodingError = error as? XMLRPCDecodingError
            XCTAssertEqual(decodingError?.document, .methodCall)
            XCTAssertEqual(decodingError?.reason, .notXMLRPC("the root element is <methodResponse>, expected <methodCall>"))
            XCTAssertTrue("\(error)".hasPrefix("Cannot decode the XML-RPC method call: the XML is not an XML-RPC <methodCall>: "))
        }
    }

    func testEveryPrefixOfACaptureFailsCleanly() throws {
        // A cut anywhere, even inside a tag, an entity or a multi-byte character, is an error, never a value.
        let capture = try TestPaths.odoo18Capture("read_group_hr_expense.response.xml")
        let unicode = XMLRPCEncoder.methodResponse(.value(ExpenseRecords.record(3)))
        for body in [capture, unicode] {
            let closing = body.count - "</methodResponse>".utf8.count - 1
            for cut in 0..<closing {
                XCTAssertNotNil(Wire.decodingError(body.prefix(cut)), "cut at \(cut)")
            }
        }
    }

    func testMutatedCapturesDecodeOrFailWithATypedError() throws {
        // Deterministic damage (seeded): overwritten, dropped and inserted bytes at random places.
        let original = Array(try TestPaths.odoo18Capture("search_read_hr_expense_keyset.response.xml"))
        let insertions: [[UInt8]] = [Array("<".utf8), Array("&".utf8), Array("</value>".utf8), Array("<int>".utf8), [0x00], [0xFF], [0xC3]]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        var typedErrors = 0
        for round in 0..<1_500 {
            var body = original
            let position = next(body.count)
            switch round % 3 {
            case 0: body[position] = UInt8(next(256))
            case 1: body.removeSubrange(position..<min(body.count, position + 1 + next(12)))
            default: body.insert(contentsOf: insertions[next(insertions.count)], at: position)
            }
            do {
                _ = try XMLRPCDecoder.decodeResponse(Data(body))
            } catch is XMLRPCDecodingError {
                typedErrors += 1
            } catch {
                XCTFail("round \(round): \(type(of: error)) \(error)")
            }
        }
        XCTAssertGreaterThan(typedErrors, 1_000, "most damage must be caught")
    }
}
