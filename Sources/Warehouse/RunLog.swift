import ETLModel
import Postgres

/// `etl.sync_runs`: one row per unit and run, opened when the unit starts and closed with its outcome.
public struct RunLog {
    public enum Kind: String, Sendable { case sync, backfill }

    public struct Totals: Sendable {
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0
        public var deleted = 0
        public var batches = 0
        public init() {}
    }

    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Opens a run row (committed at once, so a crash leaves a visible `running` row) and returns its id.
    public func start(_ unit: SyncUnit, kind: Kind, odooVersion: String?) throws -> Int64 {
        try connection.query(
            """
            INSERT INTO etl.sync_runs (pipeline, company_id, kind, odoo_version) VALUES ($1, $2, $3, $4) RETURNING run_id
            """, [unit.pipeline, unit.companyId, kind.rawValue, odooVersion]
        ).first?.int("run_id") ?? 0
    }

    /// Closes a run. `error` must already be free of secrets (it is stored and shown by `status`).
    public func finish(_ runId: Int64, status: UnitStatus, totals: Totals, error: String? = nil) throws {
        try connection.query(
            """
            UPDATE etl.sync_runs SET finished_at = now(), status = $2, rows_inserted = $3, rows_updated = $4,
                rows_unchanged = $5, rows_deleted = $6, batches = $7, error = $8
            WHERE run_id = $1
            """, [runId, status.rawValue, totals.inserted, totals.updated, totals.unchanged, totals.deleted, totals.batches, error])
    }

    /// Closes the unit's rows still marked running and returns how many. A live run holds the
    /// unit's lock, so with the lock in hand such rows belong to runs that died without closing
    /// them (SIGKILL, crash, lost host); left alone they would read as running forever.
    @discardableResult
    public func closeAbandoned(_ unit: SyncUnit) throws -> Int {
        try connection.query(
            """
            UPDATE etl.sync_runs SET status = 'interrupted', finished_at = now(),
                error = 'the run ended without closing this row (killed or crashed); its committed batches stay and the next run resumes after them'
            WHERE pipeline = $1 AND company_id IS NOT DISTINCT FROM $2 AND status = 'running'
            """, [unit.pipeline, unit.companyId]
        ).affectedRows
    }

    /// Records a unit that did not run (busy, skipped) as a closed row in one statement.
    public func record(_ unit: SyncUnit, kind: Kind, status: UnitStatus, message: String?, odooVersion: String?) throws {
        try connection.query(
            """
            INSERT INTO etl.sync_runs (pipeline, company_id, kind, status, finished_at, error, odoo_version)
            VALUES ($1, $2, $3, $4, now(), $5, $6)
            """, [unit.pipeline, unit.companyId, kind.rawValue, status.rawValue, message, odooVersion])
    }
}
