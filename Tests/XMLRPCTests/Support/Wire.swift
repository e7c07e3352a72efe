import Foundation
import TestSupport
import XCTest
import XMLRPC

/// Small helpers shared by the XMLRPC tests.
enum Wire {
    /// A `<methodResponse>` holding `valueXML` as its one param, shaped as Odoo sends it.
    static func response(_ valueXML: String) -> Data {
        Data("<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n\(valueXML)\n</param>\n</params>\n\n</methodResponse>\n".utf8)
    }

    /// Decodes a response that must carry a value (not a fault).
    static func value(_ body: Data, file: StaticString = #filePath, line: UInt = #line) throws -> XMLRPCValue {
        switch try XMLRPCDecoder.decodeResponse(body) {
        case .value(let value):
            return value
        case .fault(let fault):
            XCTFail("expected a value, got \(fault)", file: file, line: line)
            throw fault
        }
    }

    static func value(ofParam valueXML: String, file: StaticString = #filePath, line: UInt = #line) throws -> XMLRPCValue {
        try value(response(valueXML), file: file, line: line)
    }

    /// Decodes a response that must carry a fault.
    static func fault(_ body: Data, file: StaticString = #filePath, line: UInt = #line) throws -> XMLRPCFault? {
        switch try XMLRPCDecoder.decodeResponse(body) {
        case .value(let value):
            XCTFail("expected a fault, got \(value)", file: file, line: line)
            return nil
        case .fault(let fault):
            return fault
        }
    }

    /// The decoding error `body` causes; fails the test when it decodes or throws something else.
    static func decodingError(_ body: Data, file: StaticString = #filePath, line: UInt = #line) -> XMLRPCDecodingError? {
        do {
            let decoded = try XMLRPCDecoder.decodeResponse(body)
            XCTFail("expected a decoding error, decoded \(decoded)", file: file, line: line)
        } catch let error as XMLRPCDecodingError {
            return error
        } catch {
            XCTFail("expected XMLRPCDecodingError, got \(type(of: error)): \(error)", file: file, line: line)
        }
        return nil
    }

    static func decodingError(_ body: String, file: StaticString = #filePath, line: UInt = #line) -> XMLRPCDecodingError? {
        decodingError(Data(body.utf8), file: file, line: line)
    }

    /// Every capture in `directory` whose name ends with `suffix`, sorted by name.
    static func captures(in directory: URL, endingWith suffix: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasSuffix(suffix) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static var allResponseCaptures: [URL] {
        get throws {
            try captures(in: TestPaths.odoo18Wire, endingWith: ".response.xml")
                + captures(in: TestPaths.odoo19Wire, endingWith: ".response.xml")
        }
    }

    static var allRequestCaptures: [URL] {
        get throws {
            try captures(in: TestPaths.odoo18Wire, endingWith: ".request.xml")
                + captures(in: TestPaths.odoo19Wire, endingWith: ".request.xml")
        }
    }
}
