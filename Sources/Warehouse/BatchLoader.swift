import ETLModel
import Postgres

/// What one load did, per row: inserted, updated, left alone (unchanged or older), or skipped
/// because it belonged to another company than the unit's.
public struct LoadCounts: Hashable, Sendable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var outOfScope = 0

    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, outOfScope: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.outOfScope = outOfScope
    }

    public static func + (a: LoadCounts, b: LoadCounts) -> LoadCounts {
        LoadCounts(
            inserted: a.inserted + b.inserted, updated: a.updated + b.updated,
            unchanged: a.unchanged + b.unchanged, outOfScope: a.outOfScope + b.outOfScope)
    }
}

/// The steps of one batch load, in order; `BatchLoader.beforeStep` sees each one.
public enum LoadStep: Hashable, Sendable {
    case stage(table: String)
    case copy(table: String)
    case merge(table: String)
    /// The direct path: rows whose keys the table does not hold yet, copied straight into it.
    case insert(table: String)
    case checkpoint
    case commit
}

/// Loads batches with the staging-COPY-merge-checkpoint protocol, one transaction per call:
/// either every table of the batch and the checkpoint are committed, or nothing is.
///
/// Rows that are all new to their table (a backfill, a first sync, new records) skip the staging:
/// when none of their keys exists yet, they are copied straight into the table, which is what a
/// merge would have done, at the cost of one COPY. See `DirectInsert`.
public final class BatchLoader {
    let connection: PostgresConnection
    /// Called before each step inside the transaction; a throw aborts the load (used by failure
    /// tests and the chaos suite to prove nothing half-written survives).
    public var beforeStep: ((LoadStep) throws -> Void)?

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Loads `batches` (several target tables of the same records) for `unit` and, when given,
    /// advances the unit's checkpoint, all in one transaction. Returns counts per table name.
    @discardableResult
    public func load(
        _ batches: [RowBatch], unit: SyncUnit, checkpoint: Checkpoint?, target: CheckpointTarget = .sync,
        runId: Int64? = nil
    ) throws -> [String: LoadCounts] {
        try connection.withTransaction {
            var counts: [String: LoadCounts] = [:]
            for (index, batch) in batches.enumerated() where !batch.rows.isEmpty {
                counts[batch.table.name, default: LoadCounts()] =
                    counts[batch.table.name, default: LoadCounts()]
                    + (try merge(batch, companyId: unit.companyId, stagingName: "odoo_etl_stage_\(index)"))
            }
            if let checkpoint {
                try beforeStep?(.checkpoint)
                try SyncStateStore(connection).advance(unit, to: checkpoint, target: target, runId: runId)
            }
            try beforeStep?(.commit)
            return counts
        }
    }

    private func merge(_ batch: RowBatch, companyId: Int?, stagingName: String) throws -> LoadCounts {
        let table = batch.table
        if let inserted = try DirectInsert(connection: connection, beforeStep: beforeStep).insertIfAllNew(batch, companyId: companyId) {
            return LoadCounts(inserted: inserted)
        }
        let sql = MergeSQL(table: table, stagingName: stagingName)
        try beforeStep?(.stage(table: table.name))
        try connection.execute(script: sql.createStaging)
        try beforeStep?(.copy(table: table.name))
        try connection.copyIn(sql.copyIn, columns: table.columns.map(\.name)) { writer in try writer.write(batch) }
        try beforeStep?(.merge(table: table.name))
        let result = try connection.query(sql.merge, [companyId])
        guard let row = result.first else { return LoadCounts() }
        let inserted = Int(try row.int("inserted") ?? 0)
        let updated = Int(try row.int("updated") ?? 0)
        let staged = Int(try row.int("staged") ?? 0)
        let copied = Int(try row.int("copied") ?? 0)
        let inScopeRows = table.companyColumn == nil || companyId == nil ? copied : try inScopeCount(sql, stagingName, table, companyId)
        try connection.execute(script: "DROP TABLE \(PostgresConnection.quoteIdentifier(stagingName))")
        return LoadCounts(
            inserted: inserted, updated: updated, unchanged: staged - inserted - updated,
            outOfScope: copied - inScopeRows)
    }

    private func inScopeCount(_ sql: MergeSQL, _ stagingName: String, _ table: TableSchema, _ companyId: Int?) throws -> Int {
        let column = PostgresConnection.quoteIdentifier(table.companyColumn!)
        return Int(
            try connection.query(
                "SELECT count(*) AS n FROM \(PostgresConnection.quoteIdentifier(stagingName)) WHERE \(column) = $1::integer",
                [companyId]
            ).first?.int("n") ?? 0)
    }
}
