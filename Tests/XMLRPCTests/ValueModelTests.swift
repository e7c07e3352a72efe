import Foundation
import XCTest
import XMLRPC

final class ValueModelTests: XCTestCase {
    func testAccessorsAnswerOnlyForTheirOwnCase() {
        let values: [XMLRPCValue] = [7, true, 2.5, "s", .dateTime("20261124T15:21:40"), .base64(Data([1])), ["k": 1], [1], .nil]
        XCTAssertEqual(
            values.map(\.typeName), ["int", "boolean", "double", "string", "dateTime.iso8601", "base64", "struct", "array", "nil"])
        XCTAssertEqual(values.compactMap(\.intValue), [7])
        XCTAssertEqual(values.compactMap(\.boolValue), [true])
        XCTAssertEqual(values.compactMap(\.doubleValue), [2.5])
        XCTAssertEqual(values.compactMap(\.stringValue), ["s"])
        XCTAssertEqual(values.compactMap(\.dateTimeText), ["20261124T15:21:40"])
        XCTAssertEqual(values.compactMap(\.base64Value), [Data([1])])
        XCTAssertEqual(values.compactMap(\.structValue).count, 1)
        XCTAssertEqual(values.compactMap(\.arrayValue), [[1]])
        XCTAssertEqual(values.filter(\.isNil).count, 1)
        XCTAssertNil(XMLRPCValue.int(1)[member: "k"], "member lookup on a non-struct is nil")
        XCTAssertNil(XMLRPCValue.string("abc")[index: 0], "index lookup on a non-array is nil")
        XCTAssertNil(XMLRPCValue.array([1])[index: -1])
    }

    func testStructKeepsOrderAndLooksUpByName() {
        var members = XMLRPCStruct([("b", 1), ("a", 2)])
        XCTAssertEqual(members.names, ["b", "a"])
        XCTAssertEqual(members["a"], 2)
        XCTAssertNil(members["c"])
        members.set("a", to: 3)
        members.set("c", to: "new")
        members.append(name: "b", value: "duplicate")
        XCTAssertEqual(members.names, ["b", "a", "c", "b"])
        XCTAssertEqual(members["a"], 3)
        XCTAssertEqual(members["b"], 1, "the first member of a name wins")
        XCTAssertEqual(members.map(\.value), [1, 3, "new", "duplicate"])
        XCTAssertNotEqual(XMLRPCValue.struct(XMLRPCStruct([("a", 1), ("b", 2)])), ["b": 2, "a": 1], "equality follows wire order")
        XCTAssertEqual(XMLRPCValue.struct(XMLRPCStruct([("a", 1), ("b", 2)])), ["a": 1, "b": 2])
    }

    func testFaultIsAnErrorThatNamesCodeAndText() {
        let fault = XMLRPCFault(code: 2, string: "Object x.no.such.model doesn't exist")
        XCTAssertEqual(fault.description, "XML-RPC fault 2: Object x.no.such.model doesn't exist")
        XCTAssertThrowsError(try XMLRPCResponse.fault(fault).get()) { XCTAssertEqual($0 as? XMLRPCFault, fault) }
        XCTAssertEqual(try XMLRPCResponse.value(1).get(), 1)
    }

    func testFaultCodesOfOtherShapes() throws {
        func fault(code: String) throws -> XMLRPCFault? {
            try Wire.fault(
                Data(
                    """
                    <methodResponse><fault><value><struct>
                    <member><name>faultString</name><value><string>text</string></value></member>
                    <member><name>faultCode</name><value>\(code)</value></member>
                    </struct></value></fault></methodResponse>
                    """.utf8))
        }
        XCTAssertEqual(try fault(code: "<int>4</int>"), XMLRPCFault(code: 4, string: "text"), "members may come in any order")
        XCTAssertEqual(try fault(code: "<string>17</string>"), XMLRPCFault(code: 17, string: "text"))
        XCTAssertEqual(
            try fault(code: "<string>Access Denied</string>"), XMLRPCFault(code: 0, string: "text"),
            "a textual code, as Odoo's legacy endpoint sends, becomes 0")
        XCTAssertEqual(try fault(code: "<double>5.0</double>"), XMLRPCFault(code: 5, string: "text"))
    }
}
