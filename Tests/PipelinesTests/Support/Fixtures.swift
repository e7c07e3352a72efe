import ETLModel
import Foundation
import Pipelines
import TestSupport

/// Paths and loaders for the pipeline files, the real wire captures and the synthetic fixtures.
enum Fixtures {
    static let pipelinesDirectory = TestPaths.pipelines
    static let goldenDirectory = TestPaths.repositoryRoot.appendingPathComponent("Tests/Support/pipelines/golden")
    static let syntheticDirectory = TestPaths.repositoryRoot.appendingPathComponent("Tests/Support/pipelines/fixtures")

    struct MissingCaptures: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "wire capture \(path) not found in Tests/Fixtures"
        }
    }

    static func catalog() throws -> PipelineCatalog {
        try PipelineCatalog.load(directory: pipelinesDirectory)
    }

    /// A capture decoded into wire values, by its path under Tests/Fixtures (XML-RPC or JSON).
    static func capture(_ relativePath: String) throws -> WireValue {
        let url = TestPaths.fixtures.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw MissingCaptures(path: url.path) }
        return relativePath.hasSuffix(".json") ? try JSONCapture.decode(data) : try XMLRPCCapture.decodeResponse(data)
    }

    /// `fields_get` of a model as the engine would hand it to the resolver: a fault "doesn't exist"
    /// becomes `.missing`.
    static func modelFields(_ relativePath: String) throws -> ModelFields {
        do {
            return .available(try OdooWireTyping.fields(capture(relativePath)))
        } catch WireDecodingError.fault(_, let message) where message.contains("doesn't exist") {
            return .missing
        }
    }

    /// The real Odoo 18 `fields_get` of a model, e.g. `account.move.line`.
    static func odoo18Fields(_ model: String) throws -> [String: OdooField] {
        let name = "odoo18-wire/fields_get_\(model.replacingOccurrences(of: ".", with: "_")).response.xml"
        return try OdooWireTyping.fields(capture(name))
    }

    /// A synthetic fixture: a JSON file with `records` (wire form) and `lookups` by model.
    static func synthetic(_ name: String) throws -> (records: [[String: WireValue]], lookups: [String: [[String: WireValue]]]) {
        let url = syntheticDirectory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw MissingCaptures(path: url.path) }
        let document = try JSONCapture.decode(data).objectValue ?? [:]
        let records = (document["records"]?.arrayValue ?? []).compactMap(\.objectValue)
        var lookups: [String: [[String: WireValue]]] = [:]
        for (model, items) in document["lookups"]?.objectValue ?? [:] {
            lookups[model] = (items.arrayValue ?? []).compactMap(\.objectValue)
        }
        return (records, lookups)
    }
}
