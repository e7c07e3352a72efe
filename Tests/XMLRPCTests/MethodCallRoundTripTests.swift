import Foundation
import TestSupport
import XCTest
import XMLRPC

/// The encoder writes what Python's xmlrpc.client writes: every captured request (written by
/// Python) decodes, and re-encoding it gives back the same value and the very same bytes.
final class MethodCallRoundTripTests: XCTestCase {
    func testEveryRequestCaptureRoundTrips() throws {
        let captures = try Wire.allRequestCaptures
        XCTAssertGreaterThanOrEqual(captures.count, 38)
        for capture in captures {
            let name = capture.lastPathComponent
            var body = try Data(contentsOf: capture)
            let text = String(decoding: body, as: UTF8.self)
            if text.contains("<string><APIKEY-") {
                // The capture's secret was masked as a bare <APIKEY-…> tag, which is not XML;
                // Python's xmlrpc.client rejects these bodies as well.
                XCTAssertThrowsError(try XMLRPCDecoder.decodeMethodCall(body), name) { error in
                    XCTAssertEqual((error as? XMLRPCDecodingError)?.reason, .notXMLRPC("unexpected element <APIKEY-admin> inside <string>"))
                }
                body = Data(text.replacingOccurrences(of: "<APIKEY-admin>", with: "&lt;APIKEY-admin&gt;").utf8)
            }
            let call = try XMLRPCDecoder.decodeMethodCall(body)
            let encoded = XMLRPCEncoder.methodCall(name: call.name, params: call.params)
            XCTAssertEqual(try XMLRPCDecoder.decodeMethodCall(encoded), call, name)
            XCTAssertEqual(String(decoding: encoded, as: UTF8.self), String(decoding: body, as: UTF8.self), name)
        }
    }

    func testCapturedCallsDecodeToTheirParams() throws {
        let version = try XMLRPCDecoder.decodeMethodCall(TestPaths.odoo18Capture("version.request.xml"))
        XCTAssertEqual(version, XMLRPCMethodCall(name: "version", params: []))

        let login = try XMLRPCDecoder.decodeMethodCall(TestPaths.odoo18Capture("authenticate_ok.request.xml"))
        XCTAssertEqual(login, XMLRPCMethodCall(name: "authenticate", params: ["odoo_demo", "admin", "admin", [:]]))

        let empty = try XMLRPCDecoder.decodeMethodCall(TestPaths.odoo18Capture("search_read_empty.request.xml"))
        XCTAssertEqual(empty.params[5], [[["id", "<", 0]]], "&lt; decodes to <")
        XCTAssertEqual(empty.params[6], ["fields": ["id"]])

        let page = try XMLRPCDecoder.decodeMethodCall(TestPaths.odoo18Capture("search_read_hr_expense_page1.request.xml"))
        let options = try XCTUnwrap(page.params[6].structValue)
        XCTAssertEqual(options.names, ["fields", "order", "limit", "context"])
        XCTAssertEqual(options["context"], ["active_test": false])
        XCTAssertEqual(options["limit"], 8)
    }

    func testResponsesRoundTripThroughTheResponseEncoder() throws {
        for capture in try Wire.allResponseCaptures {
            let response = try XMLRPCDecoder.decodeResponse(Data(contentsOf: capture))
            XCTAssertEqual(try XMLRPCDecoder.decodeResponse(XMLRPCEncoder.methodResponse(response)), response, capture.lastPathComponent)
        }
    }

    func testEncoderWritesPythonsBytes() {
        let body = XMLRPCEncoder.methodCall(
            name: "execute_kw",
            params: [
                "db", 2, true, 1.5, "a & b <c>", .dateTime("20261124T15:21:40"), .base64(Data("hi".utf8)), .nil, [1, "x"], ["k": .nil],
            ])
        XCTAssertEqual(
            String(decoding: body, as: UTF8.self),
            """
            <?xml version='1.0'?>
            <methodCall>
            <methodName>execute_kw</methodName>
            <params>
            <param>
            <value><string>db</string></value>
            </param>
            <param>
            <value><int>2</int></value>
            </param>
            <param>
            <value><boolean>1</boolean></value>
            </param>
            <param>
            <value><double>1.5</double></value>
            </param>
            <param>
            <value><string>a &amp; b &lt;c&gt;</string></value>
            </param>
            <param>
            <value><dateTime.iso8601>20261124T15:21:40</dateTime.iso8601></value>
            </param>
            <param>
            <value><base64>
            aGk=
            </base64></value>
            </param>
            <param>
            <value><nil/></value></param>
            <param>
            <value><array><data>
            <value><int>1</int></value>
            <value><string>x</string></value>
            </data></array></value>
            </param>
            <param>
            <value><struct>
            <member>
            <name>k</name>
            <value><nil/></value></member>
            </struct></value>
            </param>
            </params>
            </methodCall>

            """)
    }

    func testIntegersBeyond32BitsGoOutAsI8() throws {
        let values: [XMLRPCValue] = [
            .int(Int64(Int32.max)), .int(Int64(Int32.max) + 1), .int(Int64(Int32.min)), .int(Int64(Int32.min) - 1), .int(.max), .int(.min),
        ]
        let body = XMLRPCEncoder.methodCall(name: "m", params: values)
        let text = String(decoding: body, as: UTF8.self)
        XCTAssertTrue(text.contains("<value><int>2147483647</int></value>"))
        XCTAssertTrue(text.contains("<value><i8>2147483648</i8></value>"))
        XCTAssertTrue(text.contains("<value><int>-2147483648</int></value>"))
        XCTAssertTrue(text.contains("<value><i8>-2147483649</i8></value>"))
        XCTAssertTrue(text.contains("<value><i8>9223372036854775807</i8></value>"))
        XCTAssertEqual(try XMLRPCDecoder.decodeMethodCall(body).params, values)
    }

    func testDoublesRoundTripExactly() throws {
        let numbers: [Double] = [
            0.1, 251.3, 1.0 / 3.0, 1e16, 1e-7, -0.0, 3_000_000_000.0, .greatestFiniteMagnitude,
            .leastNonzeroMagnitude, .pi, 5246.91, .infinity, -.infinity,
        ]
        let body = XMLRPCEncoder.methodCall(name: "m", params: numbers.map(XMLRPCValue.double))
        let decoded = try XMLRPCDecoder.decodeMethodCall(body).params.map { $0.doubleValue }
        for (number, back) in zip(numbers, decoded) {
            XCTAssertEqual(back?.bitPattern, number.bitPattern, "\(number)")
        }
        let text = String(decoding: body, as: UTF8.self)
        XCTAssertTrue(text.contains("<double>0.1</double>"), "the shortest form, as Python's repr")
        XCTAssertTrue(text.contains("<double>1e+16</double>"))
        XCTAssertTrue(text.contains("<double>inf</double>"))
        let nan = String(decoding: XMLRPCEncoder.methodCall(name: "m", params: [.double(.signalingNaN)]), as: UTF8.self)
        XCTAssertTrue(nan.contains("<double>nan</double>"))
    }

    func testStringsRoundTripUnchanged() throws {
        let texts = [
            "", " ", "  padded  ", "line\nbreak", "crlf\r\nend", "tab\t", "a&b<c>d\"e'f", "]]>", "ñandú",
            "emoji 🚕🥐 and 東京", "\u{10FFFF}", String(repeating: "x&y ", count: 5_000),
        ]
        let params = texts.map(XMLRPCValue.string) + [["ñ 🚕 key & <k>": .string("v")]]
        let decoded = try XMLRPCDecoder.decodeMethodCall(XMLRPCEncoder.methodCall(name: "méthode", params: params))
        XCTAssertEqual(decoded.params, params)
        XCTAssertEqual(decoded.name, "méthode")
    }

    func testBase64WrapsLikePython() throws {
        let bytes = Data((0..<200).map { UInt8($0) })
        let text = String(decoding: XMLRPCEncoder.methodCall(name: "m", params: [.base64(bytes), .base64(Data())]), as: UTF8.self)
        let lines = text.components(separatedBy: "\n")
        let first = try XCTUnwrap(lines.firstIndex(of: "<value><base64>"))
        XCTAssertEqual(lines[first + 1].count, 76)
        XCTAssertEqual(lines[first + 2].count, 76)
        XCTAssertEqual(lines[first + 3].count, 76)
        XCTAssertEqual(lines[first + 4].count, 40)
        XCTAssertEqual(lines[first + 5], "</base64></value>")
        XCTAssertTrue(text.contains("<value><base64>\n</base64></value>"), "empty bytes")
        XCTAssertEqual(try XMLRPCDecoder.decodeMethodCall(Data(text.utf8)).params, [.base64(bytes), .base64(Data())])
    }
}
