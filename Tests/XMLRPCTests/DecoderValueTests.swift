import Foundation
import XCTest
import XMLRPC

/// Every value form of the XML-RPC wire, as Python's xmlrpc.client reads it.
final class DecoderValueTests: XCTestCase {
    func testScalars() throws {
        XCTAssertEqual(try Wire.value(ofParam: "<value><int>42</int></value>"), 42)
        XCTAssertEqual(try Wire.value(ofParam: "<value><i4>-7</i4></value>"), -7)
        XCTAssertEqual(try Wire.value(ofParam: "<value><i8>9223372036854775807</i8></value>"), .int(.max))
        XCTAssertEqual(try Wire.value(ofParam: "<value><i8>-9223372036854775808</i8></value>"), .int(.min))
        XCTAssertEqual(
            try Wire.value(ofParam: "<value><int> +12 </int></value>"), 12, "Python's int() allows a sign and surrounding spaces")
        XCTAssertEqual(try Wire.value(ofParam: "<value><boolean>1</boolean></value>"), true)
        XCTAssertEqual(try Wire.value(ofParam: "<value><boolean>0</boolean></value>"), false)
        XCTAssertEqual(try Wire.value(ofParam: "<value><double>289.0</double></value>"), 289.0)
        XCTAssertEqual(
            try Wire.value(ofParam: "<value><double>3000000000.0</double></value>"), 3_000_000_000.0,
            "Odoo sends integers above 2^31-1 as doubles")
        XCTAssertEqual(try Wire.value(ofParam: "<value><double>-1.5e-3</double></value>"), -0.0015)
        XCTAssertEqual(
            try Wire.value(ofParam: "<value><dateTime.iso8601>20261124T15:21:40</dateTime.iso8601></value>"),
            .dateTime("20261124T15:21:40"))
        XCTAssertEqual(try Wire.value(ofParam: "<value><nil/></value>"), .nil)
        XCTAssertEqual(
            try Wire.value(ofParam: "<value><ex:nil xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\"/></value>"), .nil)
        XCTAssertEqual(
            try Wire.value(ofParam: "<value><ex:nil/></value>"), .nil, "an undeclared prefix is no reason to refuse, as for Python")
        XCTAssertEqual(
            try Wire.value(ofParam: "<value><ex:i8 xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\">5</ex:i8></value>"), 5)
    }

    func testStringForms() throws {
        XCTAssertEqual(try Wire.value(ofParam: "<value>bare text</value>"), "bare text", "a bare value is a string")
        XCTAssertEqual(try Wire.value(ofParam: "<value>  spaced\n</value>"), "  spaced\n")
        XCTAssertEqual(try Wire.value(ofParam: "<value></value>"), "")
        XCTAssertEqual(try Wire.value(ofParam: "<value><string></string></value>"), "")
        XCTAssertEqual(try Wire.value(ofParam: "<value><string/></value>"), "")
        XCTAssertEqual(try Wire.value(ofParam: "<value><string>  keep\n\tall  </string></value>"), "  keep\n\tall  ")
        XCTAssertEqual(
            try Wire.value(ofParam: "<value>\n  <string>x</string>\n</value>"), "x", "whitespace around a typed value is ignored")
        XCTAssertEqual(
            try Wire.value(ofParam: "<value><string>a &amp; b &lt;c&gt; &#233;&#x1F695; &quot;&apos;</string></value>"), "a & b <c> é🚕 \"'")
        XCTAssertEqual(try Wire.value(ofParam: "<value><string><![CDATA[<raw> & ]]>tail</string></value>"), "<raw> & tail")
        XCTAssertEqual(
            try Wire.value(ofParam: "<value><string>one\r\ntwo&#13;</string></value>"), "one\ntwo\r",
            "XML turns a literal CRLF into LF; only &#13; survives as CR")
    }

    func testBase64WithLineBreaks() throws {
        let bytes = Data((0..<100).map { UInt8(255 - $0) })
        let wrapped = bytes.base64EncodedString(options: [.lineLength64Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        XCTAssertEqual(try Wire.value(ofParam: "<value><base64>\n\(wrapped)\n</base64></value>"), .base64(bytes))
        XCTAssertEqual(try Wire.value(ofParam: "<value><base64></base64></value>"), .base64(Data()))
    }

    func testContainers() throws {
        XCTAssertEqual(try Wire.value(ofParam: "<value><array><data></data></array></value>"), [])
        XCTAssertEqual(try Wire.value(ofParam: "<value><array><data/></array></value>"), [])
        XCTAssertEqual(try Wire.value(ofParam: "<value><struct></struct></value>"), .struct(XMLRPCStruct()))
        let nested = try Wire.value(
            ofParam: """
                <value><struct>
                <member><name>z</name><value><array><data>
                  <value><struct><member><name>inner</name><value><array><data><value><i4>1</i4></value><value>two</value></data></array></value></member></struct></value>
                  <value><array><data></data></array></value>
                  <value><nil/></value>
                </data></array></value></member>
                <member><name>a</name><value><boolean>1</boolean></value></member>
                <member><name>z</name><value>second z</value></member>
                </struct></value>
                """)
        XCTAssertEqual(nested.structValue?.names, ["z", "a", "z"], "member order and duplicates are kept")
        XCTAssertEqual(nested[member: "z"], [["inner": [1, "two"]], [], .nil], "lookup returns the first of duplicate names")
        XCTAssertEqual(nested[member: "a"], true)
        XCTAssertNil(nested[member: "missing"])
        XCTAssertNil(nested[member: "z"]?[index: 3])
    }

    func testDeepNestingNeedsNoRecursion() throws {
        let depth = 80
        let xml =
            String(repeating: "<value><array><data>", count: depth) + "<value><int>1</int></value>"
            + String(repeating: "</data></array></value>", count: depth)
        var value = try Wire.value(ofParam: xml)
        for _ in 0..<depth {
            value = try XCTUnwrap(value[index: 0])
        }
        XCTAssertEqual(value, 1)
    }

    func testLongTextArrivingInPiecesDecodesWhole() throws {
        // libxml2 delivers text in pieces of a few hundred bytes and splits it at every entity.
        let unit = "Hotel & breakfast <Cebu> — ñ 🚕 "
        let long = String(repeating: unit, count: 20_000)
        let escaped = long.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        XCTAssertEqual(try Wire.value(ofParam: "<value><string>\(escaped)</string></value>"), .string(long))
        XCTAssertEqual(try Wire.value(ofParam: "<value>\(escaped)</value>"), .string(long))
        let name = String(repeating: "k&", count: 1_000)
        let member = try Wire.value(
            ofParam:
                "<value><struct><member><name>\(name.replacingOccurrences(of: "&", with: "&amp;"))</name><value>v</value></member></struct></value>"
        )
        XCTAssertEqual(member[member: name], "v")
    }

    func testSingleStringAbove10MegabytesDecodes() throws {
        let big = String(repeating: "0123456789abcdef", count: 700_000)  // 11.2 MB in one text node
        XCTAssertEqual(try Wire.value(ofParam: "<value><string>\(big)</string></value>").stringValue?.utf8.count, big.utf8.count)
    }

    func testUnicodeRoundTrips() throws {
        let texts = ["ñandú", "Café Ñ", "🚕🥐👩‍👩‍👧", "𝄞 𠀋 \u{10FFFF}", "東京 – Zürich", "\u{FEFF}bom-like", "e\u{301} combining"]
        let body = XMLRPCEncoder.methodResponse(.value(.array(texts.map(XMLRPCValue.string))))
        XCTAssertEqual(try Wire.value(body), .array(texts.map(XMLRPCValue.string)))
        for text in texts {
            XCTAssertEqual(
                try Wire.value(ofParam: "<value><string>\(text)</string></value>").stringValue?.unicodeScalars.elementsEqual(
                    text.unicodeScalars), true, text)
        }
    }

    func testFiftyMegabyteSearchReadDecodes() throws {
        // Far past the 10 MB at which XMLParser(data:) gives up.
        let (body, records) = ExpenseRecords.response(minimumBytes: 50_000_000)
        XCTAssertGreaterThanOrEqual(body.count, 50_000_000)
        let decoded = try XCTUnwrap(try Wire.value(body).arrayValue)
        XCTAssertEqual(decoded.count, records.count)
        XCTAssertEqual(decoded, records)
        let last = try XCTUnwrap(decoded.last)
        XCTAssertEqual(last[member: "id"]?.intValue, Int64(records.count))
        XCTAssertEqual(
            decoded[3][member: "description"]?.stringValue?.hasPrefix("Client dinner & taxi <airport> for order #3\nCafé Ñandú"), true)
        XCTAssertEqual(decoded[5][member: "analytic_distribution"], ["3": 60.0, "7": 40.0])
    }
}
