import ETLModel
import Foundation
import OdooRPC
import XMLRPC

/// Decoded Odoo wire captures.
public enum Captures {
    /// The value of an Odoo 18 capture's response (`name.response.xml`).
    public static func value18(_ name: String) throws -> XMLRPCValue {
        try XMLRPCDecoder.decodeResponse(TestPaths.odoo18Capture("\(name).response.xml")).get()
    }

    public static func value19(_ name: String) throws -> XMLRPCValue {
        try XMLRPCDecoder.decodeResponse(TestPaths.odoo19Capture("\(name).response.xml")).get()
    }

    /// The fault of an Odoo 18 capture.
    public static func fault18(_ name: String) throws -> XMLRPCFault {
        let response = try XMLRPCDecoder.decodeResponse(TestPaths.odoo18Capture("\(name).response.xml"))
        guard case .fault(let fault) = response else { throw CaptureShape("\(name) holds no fault") }
        return fault
    }

    public static func response18(_ name: String) throws -> Data {
        try TestPaths.odoo18Capture("\(name).response.xml")
    }

    public static func request18(_ name: String) throws -> Data {
        try TestPaths.odoo18Capture("\(name).request.xml")
    }

    public static func fields18(_ model: String) throws -> [String: OdooField] {
        try OdooField.fields(fromFieldsGet: value18("fields_get_\(model)"))
    }

    public struct CaptureShape: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
