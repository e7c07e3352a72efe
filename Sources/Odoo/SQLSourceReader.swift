import Foundation
import Postgres

/// Reads the records of one model changed since a checkpoint straight from Odoo's PostgreSQL,
/// for large backfills: the same `IncrementalReader.Configuration`, the same `OdooRecord`s and
/// the same checkpoints as the XML-RPC reader, at database speed.
///
/// **Paging.** Each page is one `REPEATABLE READ READ ONLY` transaction streaming
/// `COPY (SELECT …) TO STDOUT`, keyset-paged on `(write_date, id)` with the stored microseconds.
/// Over XML-RPC that textbook keyset loops forever, because Odoo sends `write_date` in whole
/// seconds while its domains compare the stored microseconds, so `write_date > w` re-reads the
/// second `w` names; that is why `IncrementalReader` pages by second buckets. Here the query sees
/// the very value it compares (`(t.write_date, t.id) > (w, i)` with `w` to the microsecond), so
/// the keyset advances strictly and every row comes exactly once per run, however many rows share
/// a second.
///
/// **Checkpoints.** The batches' checkpoints keep the XML-RPC meaning (`OdooCheckpoint`: all of
/// the seconds before S, and the ids up to i of second S), see `SQLSourcePaging`, so a unit may
/// switch source between runs: the XML-RPC reader resumes a SQL checkpoint `(S, i)` by reading
/// second S again by id, and this reader resumes any checkpoint with `write_date >= S and
/// (write_date >= S + 1s or id > i)`. Neither skips a row; at most a few rows of second S come
/// twice, which the loader's guarded merge absorbs.
///
/// **Values.** Fields are read as Odoo's ORM answers `read`: empty numbers are 0, empty booleans
/// False, many2one a pair with Odoo 18's display name, translated names in `options.language`,
/// datetimes in whole seconds, JSON canonical, strings as XML-RPC delivers them (see
/// `SQLSourceText`). A computed field Odoo does not store fails the unit with `SQLSourceError`
/// unless it is a known related field (`SQLSourceCatalog`). Record rules are not applied: the
/// company scope is the `company_id = X` condition the configuration asks for.
///
/// Blocking and not thread-safe. A `next()` that throws leaves the reader where it was.
public final class SQLSourceReader {
    public struct Options: Sendable {
        /// Rows read per transaction; batches of `configuration.pageSize` records are cut from them.
        public var rowsPerTransaction: Int
        /// The language of translated names, as Odoo answers a call whose context has no `lang`.
        public var language: String
        /// Transient database failures (lost connection, serialization failure, shutdown) are retried.
        public var retryPolicy: RetryPolicy
        public var connection: PostgresConnection.Options

        public init(rowsPerTransaction: Int = 50_000, language: String = "en_US", retryPolicy: RetryPolicy = .standard,
                    connection: PostgresConnection.Options = PostgresConnection.Options(applicationName: "odoo-etl sql source")) {
            self.rowsPerTransaction = rowsPerTransaction
            self.language = language
            self.retryPolicy = retryPolicy
            self.connection = connection
        }
    }

    public let configuration: IncrementalReader.Configuration
    /// The checkpoint of the last batch delivered, or where the run started.
    public private(set) var checkpoint: OdooCheckpoint
    /// Read transactions so far (pages and lookups).
    public private(set) var transactionCount = 0
    public private(set) var deliveredCount = 0

    private let databaseURL: String
    private let options: Options
    private let fields: [String: OdooField]
    private let fieldNames: [String]
    private let language: String
    private var connection: PostgresConnection?
    private var schema = SQLSourceSchema()
    private var page = Page()
    /// The last kept row of the last page, where the next page starts; nil before the first.
    private var position: SQLSourceKey?
    private var exhausted = false
    private var carried: SQLSourcePaging.Carried?
    /// How each COPY row's columns become fields, known once the first page was read.
    private var readers: [SQLSourceFieldReader] = []

    /// One page: its rows, their keys, and how far batches have taken it.
    private struct Page {
        var rows = SQLSourceCopyRows()
        var keys: [SQLSourceKey] = []
        var delivered = 0
        var beyondPage: Int64?
        var isDone: Bool { delivered >= keys.count }
    }

    /// - Parameters:
    ///   - databaseURL: Odoo's database, ideally a read-only role (a hot standby works).
    ///   - fields: `fields_get` of `configuration.model`: types, relations, stored or not.
    public init(databaseURL: String, configuration: IncrementalReader.Configuration, fields: [String: OdooField],
                options: Options = Options()) throws {
        guard Self.isLanguageCode(options.language) else { throw SQLSourceError(.invalidLanguage(options.language)) }
        self.databaseURL = databaseURL
        self.configuration = configuration
        self.fields = fields
        self.options = options
        self.language = options.language
        fieldNames = configuration.fields.contains("write_date") ? configuration.fields : configuration.fields + ["write_date"]
        checkpoint = configuration.start
    }

    // MARK: - Batches

    /// The next batch, or nil when the run is complete. A batch is never empty.
    public func next() throws -> OdooBatch? {
        while page.isDone {
            if exhausted { return nil }
            let fetched = try fetchPage()
            page = fetched.page
            position = fetched.position ?? position
            exhausted = fetched.exhausted
        }
        let start = page.delivered
        let end = SQLSourcePaging.batchEnd(page.keys, from: start, limit: configuration.pageSize)
        var records: [OdooRecord] = []
        records.reserveCapacity(end - start)
        var ranges: [Range<Int>] = []
        for index in start..<end {
            records.append(try SQLSourceRecords.record(at: index, in: page.rows, readers: readers,
                                                       model: configuration.model, ranges: &ranges))
        }
        let (batchCheckpoint, carried) = SQLSourcePaging.checkpoint(page.keys, start: start, end: end,
                                                                    beyondPage: page.beyondPage, carried: carried)
        page.delivered = end
        self.carried = carried
        checkpoint = batchCheckpoint
        deliveredCount += records.count
        return OdooBatch(records: records, checkpoint: batchCheckpoint, queryNumber: transactionCount)
    }

    /// Records the run will read from where it starts (for progress estimates).
    public func remainingCount() throws -> Int {
        try inTransaction { connection in
            var statement = try pageStatement()
            let condition = try rowCondition(&statement, after: nil)
            try assign(statement.parameters, on: connection)
            let row = try connection.query("SELECT count(*) AS n FROM \(statement.table) t WHERE \(condition)").first
            return Int(try row?.int("n") ?? 0)
        }
    }

    /// `read(ids, names)` of a related model, as the XML-RPC `read` of a lookup answers it:
    /// the records that exist, ids ascending. `fields` is that model's `fields_get`.
    public func read(model: String, ids: [Int64], fields names: [String], fieldTypes: [String: OdooField]) throws -> [OdooRecord] {
        guard !ids.isEmpty else { return [] }
        return try inTransaction { connection in
            var statement = try SQLSourceStatement(model: model, fieldNames: names, fields: fieldTypes, companyID: nil,
                                                   schema: schema, language: language)
            let list = statement.parameters.bindArray(SQLSourceParameters.arrayLiteral(ids), of: "bigint")
            try assign(statement.parameters, on: connection)
            var rows = SQLSourceCopyRows()
            try connection.copyOut(statement.copy(condition: "t.id = ANY(\(list))", orderedBy: ["id"], limit: nil)) { rows.append($0) }
            var ranges: [Range<Int>] = []
            return try (0..<rows.count).map {
                try SQLSourceRecords.record(at: $0, in: rows, readers: statement.select.readers, model: model, ranges: &ranges)
            }
        }
    }

    // MARK: - Pages

    private func pageStatement() throws -> SQLSourceStatement {
        try SQLSourceStatement(model: configuration.model, fieldNames: fieldNames, fields: fields,
                               companyID: configuration.companyID, schema: schema, language: language)
    }

    /// Which rows a run reads: the configured domain, company and `until`, from the start
    /// checkpoint `(S, i)` on (seconds after S, and ids above i within S), after `key` if given.
    private func rowCondition(_ statement: inout SQLSourceStatement, after key: SQLSourceKey?) throws -> String {
        let start = configuration.start
        var parts = [
            "t.write_date >= \(statement.parameters.bind(start.second))",
            "(t.write_date >= \(statement.parameters.bind(start.second.adding(seconds: 1))) OR t.id > \(statement.parameters.bind(start.id)))",
        ]
        if let key {
            parts.append("(t.write_date, t.id) > (\(statement.parameters.bind(key.writeDate)), \(statement.parameters.bind(key.id)))")
        }
        if let until = configuration.until { parts.append("t.write_date < \(statement.parameters.bind(until))") }
        if let companyID = configuration.companyID, let companyField = configuration.companyField {
            guard statement.select.columns[companyField] != nil else {
                throw SQLSourceError(.unsupportedField(model: configuration.model, field: companyField,
                                                       reason: "the unit is scoped by it but the table has no such column"))
            }
            parts.append("\(SQLSourceSelect.column("t", companyField)) = \(statement.parameters.bind(companyID))")
        }
        let domain = SQLSourceDomain(model: configuration.model, columns: statement.select.columns, fields: fields, language: language)
        parts.append(try domain.condition(configuration.domain, &statement.parameters))
        return parts.joined(separator: " AND ")
    }

    private func fetchPage() throws -> (page: Page, position: SQLSourceKey?, exhausted: Bool) {
        let limit = max(1, options.rowsPerTransaction, configuration.pageSize)
        return try inTransaction { connection in
            var statement = try pageStatement()
            let condition = try rowCondition(&statement, after: position)
            try assign(statement.parameters, on: connection)
            var fetched = Page()
            try connection.copyOut(statement.copy(condition: condition, orderedBy: ["write_date", "id"], limit: limit)) {
                fetched.rows.append($0)
            }
            var ranges: [Range<Int>] = []
            fetched.keys = try (0..<fetched.rows.count).map {
                try SQLSourceRecords.key(at: $0, in: fetched.rows, columns: statement.columnCount, model: configuration.model, ranges: &ranges)
            }
            let full = fetched.keys.count >= limit
            let (kept, continues) = SQLSourcePaging.kept(fetched.keys, limit: limit)
            fetched.keys.removeSubrange(kept...)
            fetched.rows.truncate(to: kept)
            if continues, let last = fetched.keys.last {
                fetched.beyondPage = try smallestID(inSecondOf: last, condition: condition, statement: statement, on: connection)
            }
            readers = statement.select.readers
            return (fetched, fetched.keys.last, !full)
        }
    }

    /// The smallest id among the rows of `key`'s second that come after `key`, in this snapshot:
    /// what a batch ending inside a second larger than a page may promise up to.
    private func smallestID(inSecondOf key: SQLSourceKey, condition: String, statement: SQLSourceStatement,
                            on connection: PostgresConnection) throws -> Int64? {
        var parameters = statement.parameters
        let second = OdooDateTime(seconds: key.second)
        let sql = """
            SELECT min(t.id) AS id FROM \(statement.table) t
            WHERE \(condition) AND t.write_date >= \(parameters.bind(second)) AND t.write_date < \(parameters.bind(second.adding(seconds: 1)))
              AND (t.write_date, t.id) > (\(parameters.bind(key.writeDate)), \(parameters.bind(key.id)))
            """
        try assign(parameters, on: connection)
        return try connection.query(sql).first?.int("id")
    }

    // MARK: - Connection

    private func assign(_ parameters: SQLSourceParameters, on connection: PostgresConnection) throws {
        guard let assignment = parameters.assignment else { return }
        try connection.query(assignment.sql, assignment.values.map { $0 as PostgresBindable? })
    }

    /// One read-only transaction with ISO dates and exact floats, retried on transient failures.
    private func inTransaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { connection in
            transactionCount += 1
            return try connection.withTransaction("REPEATABLE READ READ ONLY") {
                try connection.execute(script: "SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL extra_float_digits = 3")
                return try body(connection)
            }
        }
    }

    private func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                let connection = try self.connection ?? PostgresConnection(databaseURL, options: options.connection)
                self.connection = connection
                schema.connection = connection
                return try body(connection)
            } catch let error as PostgresError {
                let endpoint = connection?.endpointDescription
                if error.isRetryable { connection = nil }
                guard error.isRetryable, attempt < options.retryPolicy.maxAttempts else {
                    throw SQLSourceError(.database(endpoint: endpoint, error))
                }
                options.retryPolicy.sleep(options.retryPolicy.backoff(beforeRetry: attempt))
                attempt += 1
            }
        }
    }

    /// `en_US`, `fil_PH`, `sr@latin`: interpolated into the SQL, so only these shapes pass.
    static func isLanguageCode(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 16 && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "_" || $0 == "@"
        }
    }
}
