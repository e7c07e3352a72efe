import ETLModel
import Odoo
import Pipelines

/// Where a unit's records come from: batches with their checkpoints, the related records its
/// lookups need, and an estimate for progress. Both sources take the same
/// `IncrementalReader.Configuration` and give the same records and checkpoint semantics, so the
/// transformers, the loader and the stored checkpoints do not depend on the choice. Used only on
/// the unit's extraction thread.
protocol RecordSource: AnyObject {
    /// Records this run will read, for the ETA; nil when the count failed.
    func expectedRecords() -> Int?
    /// The next batch, or nil when the run is complete.
    func next() throws -> OdooBatch?
    /// A lookup's related records, as `read` answers.
    func read(model: String, ids: [Int64], fields: [String]) throws -> [OdooRecord]
}

enum RecordSources {
    static func open(_ source: ExtractionSource, configuration: IncrementalReader.Configuration,
                     settings: EngineSettings) throws -> RecordSource {
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

    init(client: OdooClient, configuration: IncrementalReader.Configuration) {
        self.client = client
        self.reader = IncrementalReader(client: client, configuration: configuration)
    }

    func expectedRecords() -> Int? {
        // The unit's domain from where the run starts.
        let configuration = reader.configuration
        var remaining = configuration.domain
        if let company = configuration.companyID { remaining = remaining && .leaf("company_id", .equal, .int(company)) }
        if configuration.start > .beginning {
            remaining = remaining && .leaf("write_date", .greaterOrEqual, .datetime(configuration.start.second))
        }
        return try? client.searchCount(model: configuration.model, domain: remaining.simplified,
                                       context: .extraction(companyID: configuration.companyID))
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

    init(databaseURL: String, client: OdooClient, configuration: IncrementalReader.Configuration, settings: EngineSettings) throws {
        self.client = client
        var options = SQLSourceReader.Options(retryPolicy: settings.retryPolicy)
        options.connection.connectTimeoutSeconds = max(1, Int(settings.odoo.connectTimeout.rounded(.up)))
        reader = try SQLSourceReader(databaseURL: databaseURL, configuration: configuration,
                                     fields: try client.fieldsGet(model: configuration.model), options: options)
    }

    func expectedRecords() -> Int? { try? reader.remainingCount() }

    func next() throws -> OdooBatch? { try reader.next() }

    func read(model: String, ids: [Int64], fields: [String]) throws -> [OdooRecord] {
        try reader.read(model: model, ids: ids, fields: fields, fieldTypes: try client.fieldsGet(model: model))
    }
}
