import Foundation
import XCTest
import XMLRPC

/// Bodies that crashed the process (SIGSEGV inside Foundation's XMLParser or libxml2) before the
/// decoder refused them; each was found by fuzz/run.sh. Every one must now be a typed error, and
/// the harmless neighbours of each must still decode.
final class ParserHazardTests: XCTestCase {
    private let value = "<params><param><value>x</value></param></params>"

    func testProcessingInstructionWithoutDataIsRefused() throws {
        let cases = [
            "<?x?><methodResponse>\(value)</methodResponse>",
            "<methodResponse><?pi?>\(value)</methodResponse>",
            "<?xml version=\"1.0\"?>\n<methodResponse>\n<?x?>\(value)</methodResponse>",
        ]
        for body in cases {
            let error = try XCTUnwrap(Wire.decodingError(Data(body.utf8)), body)
            guard case .notXMLRPC(let detail) = error.reason else { return XCTFail("\(error.reason)") }
            XCTAssertTrue(detail.hasPrefix("it holds the processing instruction <?"), detail)
        }
        let located = try XCTUnwrap(Wire.decodingError(Data(cases[2].utf8)))
        XCTAssertEqual(located.line, 3)
        XCTAssertEqual(located.column, 1)
        XCTAssertEqual(located.reason, .notXMLRPC("it holds the processing instruction <?x?>, and XML-RPC uses none"))
    }

    func testHarmlessProcessingInstructionsStillDecode() throws {
        let bodies = [
            "<methodResponse><?pi data?>\(value)</methodResponse>",
            "<methodResponse><params><param><value><string><![CDATA[<?x?>]]></string></value></param></params></methodResponse>",
            "<methodResponse><!-- <?x?> -->\(value)</methodResponse>",
        ]
        for body in bodies {
            XCTAssertNoThrow(try XMLRPCDecoder.decodeResponse(Data(body.utf8)), body)
        }
        let cdata = try Wire.value(Data(bodies[1].utf8))
        XCTAssertEqual(cdata, .string("<?x?>"), "a CDATA section keeps its text")
    }

    func testDTDInternalSubsetIsRefused() throws {
        let subsets = [
            "<!ATTLIST m a CDATA #IMPLIED>", "<!NOTATION n SYSTEM \"x\">", "<!ENTITY e SYSTEM \"x\" NDATA n>",
            "<!ENTITY e \"&#60;?x?>\">", "<?x?>",
        ]
        for subset in subsets {
            let body = "<!DOCTYPE methodResponse [\(subset)]><methodResponse>\(value)</methodResponse>"
            let error = try XCTUnwrap(Wire.decodingError(Data(body.utf8)), body)
            XCTAssertEqual(error.reason, .notXMLRPC("it declares a DTD (<!DOCTYPE … [ … ]>), and XML-RPC uses none"), body)
        }
        let quoted = "<!DOCTYPE m SYSTEM \"a>b\" [<!NOTATION n SYSTEM \"x\">]><methodResponse>\(value)</methodResponse>"
        XCTAssertNotNil(Wire.decodingError(Data(quoted.utf8)), "a '>' inside a quoted id does not end the DOCTYPE")
        let plain = "<!DOCTYPE methodResponse><methodResponse>\(value)</methodResponse>"
        XCTAssertEqual(try Wire.value(Data(plain.utf8)), .string("x"), "a DOCTYPE without a subset is harmless")
    }

    func testEncodingsThatCrashTheParserAreRefused() throws {
        for encoding in ["Shift_JIS", "EUC-JP", "GB2312", "UTF-7", "UTF-32", "ISO-10646-UCS-4", "EBCDIC-US", "HTML"] {
            for declaration in ["<?xml version=\"1.0\" encoding=\"\(encoding)\"?>", "<?xml version='encoding' encoding = '\(encoding)'?>"] {
                let body = declaration + "<methodResponse>\(value)</methodResponse>"
                let error = try XCTUnwrap(Wire.decodingError(Data(body.utf8)), body)
                XCTAssertEqual(
                    error.reason,
                    .notXMLRPC(
                        "it declares the encoding \"\(encoding)\"; XML-RPC answers are read in UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15 or windows-1252"
                    ))
            }
        }
        let signatures: [([UInt8], String)] = [
            ([0x00, 0x00, 0x00, 0x3C, 0x3F, 0x78, 0x6D, 0x6C], "UCS-4"), ([0x00, 0x00, 0x00, 0x3C, 0xFF, 0x00, 0x00, 0xFF], "UCS-4"),
            ([0x3C, 0x00, 0x00, 0x00], "UCS-4"), ([0xFF, 0xFE, 0x00, 0x00], "UCS-4"), ([0x4C, 0x6F, 0xA7, 0x94, 0x3F], "EBCDIC"),
            ([0xFF, 0xFE, 0x3C, 0x00], "UTF-16"), ([0x3C, 0x00, 0x3F, 0x00], "UTF-16"),
        ]
        for (bytes, encoding) in signatures {
            let error = try XCTUnwrap(Wire.decodingError(Data(bytes)))
            XCTAssertEqual(error.reason, .notXMLRPC("the body is encoded in \(encoding); XML-RPC answers are read in UTF-8"))
            XCTAssertEqual(error.line, 1)
        }
    }

    /// Decoding is iterative, but the value is released recursively: 200,000 nested arrays decoded
    /// and then crashed the caller with a stack overflow when the value went away.
    func testNestingBeyondTheLimitIsRefused() throws {
        func nested(_ depth: Int) -> Data {
            Data(
                ("<methodResponse><params><param>" + String(repeating: "<value><array><data>", count: depth) + "<value>x</value>"
                    + String(repeating: "</data></array></value>", count: depth) + "</param></params></methodResponse>").utf8)
        }
        let error = try XCTUnwrap(Wire.decodingError(nested(200_000)))
        XCTAssertEqual(error.reason, .notXMLRPC("its elements nest more than 512 deep"))
        var value = try Wire.value(nested(150))
        var depth = 0
        while case .array(let elements) = value, let first = elements.first {
            value = first
            depth += 1
        }
        XCTAssertEqual(depth, 150, "150 nested arrays, far beyond anything Odoo sends, still decode")
        XCTAssertEqual(value, .string("x"))
    }

    func testSingleByteEncodingsStillDecode() throws {
        for encoding in ["UTF-8", "utf-8", "US-ASCII", "ISO-8859-1", "latin1", "ISO-8859-15", "windows-1252"] {
            let body = "<?xml version=\"1.0\" encoding=\"\(encoding)\"?><methodResponse>\(value)</methodResponse>"
            XCTAssertEqual(try Wire.value(Data(body.utf8)), .string("x"), encoding)
        }
        var latin1 = Data("<?xml version='1.0' encoding='ISO-8859-1'?><methodResponse><params><param><value>caf".utf8)
        latin1.append(0xE9)
        latin1.append(contentsOf: Data("</value></param></params></methodResponse>".utf8))
        XCTAssertEqual(try Wire.value(latin1), .string("café"))
        let bom = Data([0xEF, 0xBB, 0xBF]) + Data("<methodResponse>\(value)</methodResponse>".utf8)
        XCTAssertEqual(try Wire.value(bom), .string("x"), "a UTF-8 byte order mark is fine")
    }
}
