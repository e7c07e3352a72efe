import ETLModel
import Foundation
import Odoo
import TestSupport
import XMLRPC

/// Decoded Odoo wire captures.
enum Captures {
    /// The value of an Odoo 18 capture's response (`name.response.xml`).
    static func value18(_ name: String) throws -> XMLRPCValue {
        try XMLRPCDecoder.decodeResponse(TestPaths.odoo18Capture("\(name).response.xml")).get()
    }

    static func value19(_ name: String) throws -> XMLRPCValue {
        try XMLRPCDecoder.decodeResponse(TestPaths.odoo19Capture("\(name).response.xml")).get()
    }

    /// The fault of an Odoo 18 capture.
    static func fault18(_ name: String) throws -> XMLRPCFault {
        let response = try XMLRPCDecoder.decodeResponse(TestPaths.odoo18Capture("\(name).response.xml"))
        guard case .fault(let fault) = response else { throw CaptureShape("\(name) holds no fault") }
        return fault
    }

    static func response18(_ name: String) throws -> Data {
        try TestPaths.odoo18Capture("\(name).response.xml")
    }

    static func request18(_ name: String) throws -> Data {
        try TestPaths.odoo18Capture("\(name).request.xml")
    }

    static func fields18(_ model: String) throws -> [String: OdooField] {
        try OdooField.fields(fromFieldsGet: value18("fields_get_\(model)"))
    }

    struct CaptureShape: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
