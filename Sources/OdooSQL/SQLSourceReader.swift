import ETLModel
import Foundation
import Postgres

/// Reads the records of one model changed since a checkpoint straight from Odoo's PostgreSQL,
/// for large backfills: the same `ExtractionRequest`, the same `OdooRecord`s and
/// the same checkpoints as the XML-RPC reader, at database speed.
///
/// **Paging.** Keys first, then rows, each in its own `REPEATABLE READ READ ONLY` transaction
/// streaming `COPY (SELECT …) TO STDOUT`. A window lists the keys `(write_date, id)` of up to a
/// million matching rows, keyset-paged with the stored microseconds: one scan and one sort of
/// narrow rows, since Odoo has no index on `write_date`. Pages then read the rows of consecutive
/// keys by id (the primary key), with their display-name joins, and batches are cut from them.
/// Over XML-RPC the textbook keyset `(write_date, id) > (w, i)` loops forever, because Odoo sends
/// `write_date` in whole seconds while its domains compare the stored microseconds, so
/// `write_date > w` re-reads the second `w` names; that is why `IncrementalReader` pages by second
/// buckets. Here the query sees the very value it compares (`w` to the microsecond), so the keyset
/// advances strictly and every row comes exactly once per run, however many rows share a second.
/// A row changed between its window and its page is read as it is then (its new version comes
/// again later, or in the next run's lookback); a row that no longer matches is skipped.
///
/// **Checkpoints.** The batches' checkpoints keep the XML-RPC meaning (`Checkpoint`: all of
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
        /// Rows read per page transaction; batches of `configuration.pageSize` records are cut from them.
        public var rowsPerTransaction: Int
        /// Keys listed per window transaction.
        public var keysPerWindow: Int
        /// The language of translated names, as Odoo answers a call whose context has no `lang`.
        public var language: String
        /// Transient database failures (lost connection, serialization failure, shutdown) are retried.
        public var retryPolicy: RetryPolicy
        public var connection: PostgresConnection.Options

        public init(
            rowsPerTransaction: Int = 50_000, keysPerWindow: Int = 1_000_000, language: String = "en_US",
            retryPolicy: RetryPolicy = .standard,
            connection: PostgresConnection.Options = PostgresConnection.Options(applicationName: "odoo-etl sql source")
        ) {
            self.rowsPerTransaction = rowsPerTransaction
            self.keysPerWindow = keysPerWindow
            self.language = language
            self.retryPolicy = retryPolicy
            self.connection = connection
        }
    }

    public let configuration: ExtractionRequest
    /// The checkpoint of the last batch delivered, or where the run started.
    public private(set) var checkpoint: Checkpoint
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
    private var window = Window()
    private var page = Page()
    /// The last key of the last window, where the next window starts; nil before the first.
    private var position: SQLSourceKey?
    /// No keys after the current window.
    private var exhausted = false
    private var carried: SQLSourcePaging.Carried?
    /// Display names read for the current window (cleared with each window, so memory stays flat).
    private var names: SQLSourceRecords.Names = [:]

    /// Keys of matching rows, in the source's order, and how far pages have read them.
    private struct Window {
        var keys: [SQLSourceKey] = []
        /// The smallest id of the window's last second past the window, when that second continues.
        var beyond: Int64?
        var fetched = 0
        var isRead: Bool { fetched >= keys.count }
    }

    /// The rows of `window.keys[from..<to]` that still match, sorted as their keys, and how far
    /// batches have taken them.
    private struct Page {
        var rows = SQLSourceCopyRows()
        /// The window index of each row's key.
        var positions: [Int] = []
        var readers: [SQLSourceFieldReader] = []
        var to = 0
        var nextKey = 0
        var nextRow = 0
        var isDone: Bool { nextKey >= to }
    }

    /// - Parameters:
    ///   - databaseURL: Odoo's database, ideally a read-only role (a hot standby works).
    ///   - fields: `fields_get` of `configuration.scope.model`: types, relations, stored or not.
    public init(
        databaseURL: String, configuration: ExtractionRequest, fields: [String: OdooField],
        options: Options = Options()
    ) throws {
        guard Self.isLanguageCode(options.language) else { throw SQLSourceError(.invalidLanguage(options.language)) }
        self.databaseURL = databaseURL
        self.configuration = configuration
        self.fields = fields
        self.options = options
        self.language = options.language
        fieldNames = configuration.fieldsWithWriteDate
        checkpoint = configuration.start
    }

    // MARK: - Batches

    /// The next batch, or nil when the run is complete. A batch is never empty.
    public func next() throws -> OdooBatch? {
        while true {
            if page.isDone {
                if window.isRead {
                    if exhausted { return nil }
                    try listKeys()
                } else {
                    try readPage()
                }
                continue
            }
            let start = page.nextKey
            let end = min(SQLSourcePaging.batchEnd(window.keys, from: start, limit: configuration.pageSize), page.to)
            var records: [OdooRecord] = []
            var decoder = SQLSourceRecords.Decoder(readers: page.readers, names: names, model: configuration.scope.model)
            var row = page.nextRow
            while row < page.positions.count && page.positions[row] < end {
                records.append(try decoder.record(at: row, in: page.rows))
                row += 1
            }
            let (batchCheckpoint, carried) = SQLSourcePaging.checkpoint(
                window.keys, start: start, end: end,
                beyondPage: window.beyond, carried: carried)
            page.nextKey = end
            page.nextRow = row
            self.carried = carried
            checkpoint = batchCheckpoint
            // Keys whose rows vanished since their window still advance the checkpoint.
            guard !records.isEmpty else { continue }
            deliveredCount += records.count
            return OdooBatch(records: records, checkpoint: batchCheckpoint, queryNumber: transactionCount)
        }
    }

    /// Records the run will read from where it starts (for progress estimates).
    public func remainingCount() throws -> Int {
        try inTransaction { connection in
            var statement = try pageStatement()
            let condition = try matchCondition(&statement) + " AND " + windowCondition(&statement.parameters, after: nil)
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
            var statement = try SQLSourceStatement(
                model: model, fieldNames: names, fields: fieldTypes, companyID: nil,
                schema: schema, language: language)
            let list = statement.parameters.bindArray(SQLSourceParameters.arrayLiteral(ids), of: "bigint")
            try assign(statement.parameters, on: connection)
            var rows = SQLSourceCopyRows()
            try connection.copyOut(statement.rows(condition: "t.id = ANY(\(list))")) { rows.append($0) }
            var names: SQLSourceRecords.Names = [:]
            try readNames(of: rows, statement: statement, into: &names, on: connection)
            var decoder = SQLSourceRecords.Decoder(readers: statement.select.readers, names: names, model: model)
            let records = try (0..<rows.count).map { try decoder.record(at: $0, in: rows) }
            return records.sorted { $0.id < $1.id }
        }
    }

    // MARK: - Pages

    private func pageStatement() throws -> SQLSourceStatement {
        try SQLSourceStatement(
            model: configuration.scope.model, fieldNames: fieldNames, fields: fields,
            companyID: configuration.scope.companyID, schema: schema, language: language)
    }

    /// Which rows match, whatever the position: the configured domain, company and `until`.
    private func matchCondition(_ statement: inout SQLSourceStatement) throws -> String {
        var parts: [String] = []
        if let until = configuration.until { parts.append("t.write_date < \(statement.parameters.bind(until))") }
        if let companyID = configuration.scope.companyID, let companyField = configuration.scope.companyField {
            guard statement.select.columns[companyField] != nil else {
                throw SQLSourceError(
                    .unsupportedField(
                        model: configuration.scope.model, field: companyField,
                        reason: "the unit is scoped by it but the table has no such column"))
            }
            parts.append("\(SQLSourceSelect.column("t", companyField)) = \(statement.parameters.bind(companyID))")
        }
        let domain = SQLSourceDomain(
            model: configuration.scope.model, columns: statement.select.columns, fields: fields, language: language)
        parts.append(try domain.condition(configuration.scope.condition, &statement.parameters))
        return parts.joined(separator: " AND ")
    }

    /// Where the run is: from the start checkpoint `(S, i)` on (seconds after S, and ids above i
    /// within S), after `key` if given.
    private func windowCondition(_ parameters: inout SQLSourceParameters, after key: SQLSourceKey?) -> String {
        let start = configuration.start
        var parts = [
            "t.write_date >= \(parameters.bind(start.second))",
            "(t.write_date >= \(parameters.bind(start.second.adding(seconds: 1))) OR t.id > \(parameters.bind(start.id)))",
        ]
        if let key {
            parts.append("(t.write_date, t.id) > (\(parameters.bind(key.writeDate)), \(parameters.bind(key.id)))")
        }
        return parts.joined(separator: " AND ")
    }

    /// The next window of keys after `position`.
    private func listKeys() throws {
        let limit = max(1, options.keysPerWindow, options.rowsPerTransaction, configuration.pageSize)
        let listed: (Window, exhausted: Bool) = try inTransaction { connection in
            var statement = try pageStatement()
            let condition = try matchCondition(&statement) + " AND " + windowCondition(&statement.parameters, after: position)
            try assign(statement.parameters, on: connection)
            var rows = SQLSourceCopyRows()
            try connection.copyOut(statement.keys(condition: condition, limit: limit)) { rows.append($0) }
            var ranges: [Range<Int>] = []
            var listed = Window()
            listed.keys = try (0..<rows.count).map {
                try SQLSourceRecords.key(at: $0, in: rows, columns: 2, model: configuration.scope.model, ranges: &ranges)
            }
            let full = listed.keys.count >= limit
            let (kept, continues) = SQLSourcePaging.kept(listed.keys, limit: limit)
            listed.keys.removeSubrange(kept...)
            if continues, let last = listed.keys.last {
                listed.beyond = try smallestID(inSecondOf: last, condition: condition, statement: statement, on: connection)
            }
            return (listed, !full)
        }
        window = listed.0
        exhausted = listed.exhausted
        position = window.keys.last ?? position
        page = Page()
        names = [:]
    }

    /// The rows of the next keys of the window, up to a second boundary when one is near.
    private func readPage() throws {
        let from = window.fetched
        let to = SQLSourcePaging.batchEnd(window.keys, from: from, limit: max(1, options.rowsPerTransaction))
        let fetched: Page = try inTransaction { connection in
            var statement = try pageStatement()
            let ids = window.keys[from..<to].map(\.id)
            let list = statement.parameters.bindArray(SQLSourceParameters.arrayLiteral(ids), of: "bigint")
            let condition = "t.id = ANY(\(list)) AND " + (try matchCondition(&statement))
            try assign(statement.parameters, on: connection)
            var unordered = SQLSourceCopyRows()
            try connection.copyOut(statement.rows(condition: condition)) { unordered.append($0) }
            var position: [Int64: Int] = [:]
            position.reserveCapacity(to - from)
            for index in from..<to { position[window.keys[index].id] = index }
            var ranges: [Range<Int>] = []
            let positions = try (0..<unordered.count).map { row -> Int in
                unordered.fields(ofRow: row, into: &ranges)
                guard let id = unordered.integer(ranges[0]), let index = position[id] else {
                    throw SQLSourceError(
                        .unreadableValue(
                            model: configuration.scope.model, field: "id", recordID: nil,
                            text: unordered.string(ranges[0])))
                }
                return index
            }
            try readNames(of: unordered, statement: statement, into: &names, on: connection)
            let order = positions.indices.sorted { positions[$0] < positions[$1] }
            var page = Page()
            page.rows = unordered.reordered(order)
            page.positions = order.map { positions[$0] }
            page.readers = statement.select.readers
            page.nextKey = from
            page.to = to
            return page
        }
        page = fetched
        window.fetched = to
    }

    /// The display names the many2one fields of `rows` need and `names` lacks, in the same snapshot.
    private func readNames(
        of rows: SQLSourceCopyRows, statement: SQLSourceStatement, into names: inout SQLSourceRecords.Names,
        on connection: PostgresConnection
    ) throws {
        let missing = SQLSourceRecords.unnamedTargets(in: rows, readers: statement.select.readers, known: names)
        for (comodel, ids) in missing {
            guard let query = statement.nameQueries[comodel] else { continue }
            let (sql, parameters) = query.copy(ids: ids.sorted())
            try assign(parameters, on: connection)
            var found = SQLSourceCopyRows()
            try connection.copyOut(sql) { found.append($0) }
            var known = names[comodel] ?? [:]
            // A target that does not exist (or is hidden from the role) shows no name, as Odoo shows False.
            for id in ids { known[id] = "" }
            var ranges: [Range<Int>] = []
            for row in 0..<found.count {
                found.fields(ofRow: row, into: &ranges)
                guard ranges.count == 2, let id = found.integer(ranges[0]) else { continue }
                known[id] = SQLSourceText.asDelivered(found.string(ranges[1]))
            }
            names[comodel] = known
        }
    }

    /// The smallest id among the rows of `key`'s second that come after `key`, in this snapshot:
    /// what a batch ending inside a second larger than a page may promise up to.
    private func smallestID(
        inSecondOf key: SQLSourceKey, condition: String, statement: SQLSourceStatement,
        on connection: PostgresConnection
    ) throws -> Int64? {
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
                // ISO dates and exact floats whatever the server's defaults; room to sort a page in memory.
                try connection.execute(
                    script: "SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL extra_float_digits = 3; "
                        + "SET LOCAL work_mem = '64MB'")
                return try body(connection)
            }
        }
    }

    private func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        var attempt = 1
        var endpoint: String?
        do {
            return try options.retryPolicy.run(attempt: &attempt, isTransient: { ($0 as? PostgresError)?.isRetryable == true }) {
                do {
                    let connection = try self.connection ?? PostgresConnection(databaseURL, options: options.connection)
                    self.connection = connection
                    schema.connection = connection
                    return try body(connection)
                } catch let error as PostgresError {
                    endpoint = connection?.endpointDescription
                    // A lost session is replaced on the next try.
                    if error.isRetryable { connection = nil }
                    throw error
                }
            }
        } catch let error as PostgresError {
            throw SQLSourceError(.database(endpoint: endpoint, error))
        }
    }

    /// `en_US`, `fil_PH`, `sr@latin`: interpolated into the SQL, so only these shapes pass.
    static func isLanguageCode(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 16
            && text.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "_" || $0 == "@"
            }
    }
}
