import ETLModel
import XCTest

/// The one canonical JSON writer: the same value gives the same text, whichever reader built it.
final class JSONValueTests: XCTestCase {
    func testCanonicalTextSortsKeysKeepsTheFirstOfADuplicateAndKeepsFloatsFloats() {
        let value = JSONValue.object([.init("b", .double(100)), .init("a", .int(1)), .init("b", .string("second"))])
        XCTAssertEqual(value.canonicalText, #"{"a":1,"b":100.0}"#)
    }

    func testParsingThenWritingIsCanonical() throws {
        let parsed = try JSONValue.parse(#"{"b": [1, 2.50, -3e2, true, null], "a": {"y": "\u00e9\ud83d\ude00\n"}}"#)
        XCTAssertEqual(parsed.canonicalText, #"{"a":{"y":"é😀\n"},"b":[1,2.5,-300.0,true,null]}"#)
    }

    func testMalformedTextIsRefused() {
        for text in ["{\"a\": }", "[1, 2", "tru", "\"open", "{} extra"] {
            XCTAssertThrowsError(try JSONValue.parse(text), text) { XCTAssertTrue($0 is JSONValue.Malformed) }
        }
    }

    func testFalsyValuesAreThosePythonFindsFalse() throws {
        for text in ["{}", "[]", "0", "0.0", "\"\"", "false", "null"] {
            XCTAssertTrue(try JSONValue.parse(text).isFalsy, text)
        }
        for text in ["{\"a\": 0}", "[0]", "1", "\" \"", "true"] {
            XCTAssertFalse(try JSONValue.parse(text).isFalsy, text)
        }
    }
}
