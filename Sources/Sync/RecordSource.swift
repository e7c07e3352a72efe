import ETLModel
import OdooRPC
import OdooSQL
import Pipelines

enum RecordSources {
    static func open(
        _ source: ExtractionSource, configuration: ExtractionRequest,
        settings: EngineSettings
    ) throws -> RecordSource {
        let client = OdooClient(settings: settings.odoo, retryPolicy: settings.retryPolicy)
        switch source {
        case .xmlrpc:
            return XMLRPCRecordSource(client: client, configuration: configuration)
        case .sql:
            guard let url = settings.odooDatabaseURL else { throw RecordSourceError.noOdooDatabaseURL }
            return try SQLRecordSource(databaseURL: url, client: client, configuration: configuration, settings: settings)
        }
    }
}

enum RecordSourceError: Error, CustomStringConvertible {
    case noOdooDatabaseURL

    var description: String {
        "the SQL source needs Odoo's database URL: set odoo.db_url_env in the instance matrix and export that variable"
    }
}

/// Odoo's XML-RPC API, paged by second buckets.
final class XMLRPCRecordSource: RecordSource {
    private let client: OdooClient
    private let reader: IncrementalReader

    init(client: OdooClient, configuration: ExtractionRequest) {
        self.client = client
        self.reader = IncrementalReader(client: client, configuration: configuration)
    }

    func expectedRecords() -> Int? {
        // The unit's domain from where the run starts.
        let configuration = reader.configuration
        let scope = configuration.scope
        let fromStart: [OdooDomain] =
            configuration.start > .beginning
            ? [.leaf("write_date", .greaterOrEqual, .datetime(configuration.start.second))] : []
        return try? client.searchCount(model: scope.model, domain: scope.domain(and: fromStart), context: scope.context)
    }

    func next() throws -> OdooBatch? { try reader.next() }

    func read(model: String, ids: [Int64], fields: [String]) throws -> [OdooRecord] {
        try client.read(model: model, ids: ids, fields: fields, context: .extraction())
    }
}

/// Odoo's own PostgreSQL, read-only. Field types come from `fields_get` over XML-RPC (one call
/// per model and run), so that both sources read the same fields the same way.
final class SQLRecordSource: RecordSource {
    private let client: OdooClient
    private let reader: SQLSourceReader

    init(databaseURL: String, client: OdooClient, configuration: ExtractionRequest, settings: EngineSettings) throws {
        self.client = client
        var options = SQLSourceReader.Options(retryPolicy: settings.retryPolicy)
        options.connection.connectTimeoutSeconds = max(1, Int(settings.odoo.connectTimeout.rounded(.up)))
        reader = try SQLSourceReader(
            databaseURL: databaseURL, configuration: configuration,
            fields: try client.fieldsGet(model: configuration.scope.model), options: options)
    }

    func expectedRecords() -> Int? { try? reader.remainingCount() }

    func next() throws -> OdooBatch? { try reader.next() }

    func read(model: String, ids: [Int64], fields: [String]) throws -> [OdooRecord] {
        try reader.read(model: model, ids: ids, fields: fields, fieldTypes: try client.fieldsGet(model: model))
    }
}
