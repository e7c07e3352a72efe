import ETLModel
import Postgres

/// The loader's fast path: a batch whose keys the table does not hold yet is copied straight into
/// the table, skipping the staging table, the dedupe and the guarded merge, which for new rows
/// would only have inserted them in the same way (`synced_at` = the transaction's `now()`).
///
/// Taken only when that equivalence is certain: a single integer key, no key twice in the batch,
/// every row in the unit's company, and an index probe finding none of the keys in the table. A
/// row another session inserts between the probe and the COPY makes the COPY fail with a unique
/// violation; it runs under a savepoint, so that rolls back alone and the caller merges instead.
struct DirectInsert {
    let connection: PostgresConnection
    let beforeStep: ((LoadStep) throws -> Void)?

    private static let savepoint = "odoo_etl_direct_insert"
    private static let uniqueViolation = "23505"

    /// The number of rows inserted, or nil when the batch must go through the staged merge.
    func insertIfAllNew(_ batch: RowBatch, companyId: Int?) throws -> Int? {
        let table = batch.table
        guard let keys = Self.distinctIntegerKeys(of: batch), let lowest = keys.min(), let highest = keys.max(),
            Self.allInScope(batch, companyId: companyId)
        else { return nil }
        let key = PostgresConnection.quoteIdentifier(table.key[0])
        let target = PostgresConnection.quoteQualified(table.name)
        // now() is the transaction's start, the `synced_at` the merge would have written. The range
        // probe is one index descent; only when other rows fall in the batch's id range (another
        // company's, older batches') are the keys probed one by one.
        let range = "SELECT EXISTS (SELECT 1 FROM \(target) WHERE \(key) BETWEEN $1 AND $2) AS taken, now()::text AS now"
        guard let answer = try connection.query(range, [lowest, highest]).first,
            let syncedAt = try answer.string("now")
        else { return nil }
        if try answer.bool("taken") != false {
            let exact = "SELECT EXISTS (SELECT 1 FROM \(target) WHERE \(key) = ANY($1::bigint[])) AS taken"
            guard try connection.query(exact, [keys]).first?.bool("taken") == false else { return nil }
        }

        try beforeStep?(.insert(table: table.name))
        let columns = table.columns.map(\.name) + ["synced_at"]
        let copy = "COPY \(target) (\(columns.map(PostgresConnection.quoteIdentifier).joined(separator: ", "))) FROM STDIN"
        try connection.execute(script: "SAVEPOINT \(Self.savepoint)")
        do {
            try connection.copyIn(copy, columns: columns) { writer in try writer.write(batch, trailing: syncedAt) }
        } catch let error as PostgresError where error.sqlState == Self.uniqueViolation {
            try connection.execute(script: "ROLLBACK TO SAVEPOINT \(Self.savepoint)")
            return nil
        }
        try connection.execute(script: "RELEASE SAVEPOINT \(Self.savepoint)")
        return batch.rows.count
    }

    /// The batch's keys when the table has one integer key column and no key comes twice.
    static func distinctIntegerKeys(of batch: RowBatch) -> [Int64]? {
        let table = batch.table
        guard table.key.count == 1, let column = table.index(of: table.key[0]),
            table.columns[column].type == .bigint || table.columns[column].type == .integer
        else { return nil }
        var keys: [Int64] = []
        keys.reserveCapacity(batch.rows.count)
        var seen = Set<Int64>(minimumCapacity: batch.rows.count)
        for row in batch.rows {
            guard column < row.count, case .int(let key) = row[column], seen.insert(key).inserted else { return nil }
            keys.append(key)
        }
        return keys
    }

    /// Whether a scoped load would keep every row (the merge drops rows of other companies).
    static func allInScope(_ batch: RowBatch, companyId: Int?) -> Bool {
        guard let companyId, let name = batch.table.companyColumn else { return true }
        guard let column = batch.table.index(of: name) else { return false }
        return batch.rows.allSatisfy { column < $0.count && $0[column] == .int(Int64(companyId)) }
    }
}
