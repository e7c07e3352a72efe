import ETLModel
import Postgres

/// What `etl.sync_state` and `etl.sync_runs` say about each unit, read without writing or locking
/// anything, so `status` is safe to run beside a sync.
public struct StatusReader {
    /// One unit (pipeline × company) as the warehouse knows it: from its checkpoint, its runs, or both.
    public struct UnitState: Sendable, Equatable {
        public let unit: SyncUnit
        /// The company's name from `warehouse.res_company`, when that table exists and has the company.
        public let companyName: String?
        public let checkpoint: StoredCheckpoint?
        /// The most recent run of any kind.
        public let lastRun: Run?
        /// The most recent run that failed or was interrupted.
        public let lastError: RunError?
        /// Whether some session holds the unit's advisory lock right now (a run is in progress).
        public let lockHeld: Bool
    }

    public struct StoredCheckpoint: Sendable, Equatable {
        /// `cursor_write_date`, naive UTC as Odoo stores it: `YYYY-MM-DD HH:MM:SS`.
        public let writeDate: String
        public let id: Int64
        /// When the checkpoint last moved, UTC `YYYY-MM-DD HH:MM:SS`.
        public let updatedAt: String
        /// Whole seconds from `cursor_write_date` to the database server's clock.
        public let lagSeconds: Int64
    }

    public struct Run: Sendable, Equatable {
        public let runId: Int64
        public let kind: String
        /// `running`, `ok`, `failed`, `skipped`, `interrupted` or `busy`.
        public let status: String
        /// UTC `YYYY-MM-DD HH:MM:SS`.
        public let startedAt: String
        public let finishedAt: String?
        /// From start to finish; nil while the run is open.
        public let seconds: Double?
        public let inserted: Int64
        public let updated: Int64
        public let unchanged: Int64
        public let deleted: Int64
        public let batches: Int64
    }

    public struct RunError: Sendable, Equatable {
        public let runId: Int64
        public let status: String
        public let startedAt: String
        /// The first line of the stored error (which the run log keeps free of secrets).
        public let firstLine: String
        /// True when a later run of the unit finished `ok`.
        public let resolved: Bool
    }

    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// The bookkeeping tables `status` reads that this warehouse lacks (none once `migrate` ran).
    public func missingTables() throws -> [String] {
        let tables = ["etl.sync_state", "etl.sync_runs"]
        return try tables.filter { table in
            try connection.query("SELECT to_regclass($1) IS NULL AS missing", [table]).first?.bool("missing") ?? true
        }
    }

    /// Every unit that has a checkpoint or a run, ordered by pipeline then company (global first).
    public func units() throws -> [UnitState] {
        let hasCompanies =
            try connection.query("SELECT to_regclass('warehouse.res_company') IS NOT NULL AS present")
            .first?.bool("present") ?? false
        let heldLocks = try heldAdvisoryLocks()
        return try connection.query(Self.unitsSQL(withCompanyNames: hasCompanies)).rows.map { row in
            let unit = SyncUnit(pipeline: try row.string("pipeline") ?? "", companyId: try row.int("company_id").map { Int($0) })
            return UnitState(
                unit: unit, companyName: try row.string("company_name"), checkpoint: try Self.checkpoint(row),
                lastRun: try Self.run(row), lastError: try Self.runError(row),
                lockHeld: heldLocks.contains(UnitLock(connection, unit: unit).key))
        }
    }

    /// Keys of the advisory locks some session holds. An int8 key is stored as two 32-bit halves
    /// (classid high, objid low, objsubid 1); shifting puts the signed key back together.
    private func heldAdvisoryLocks() throws -> Set<Int64> {
        let rows = try connection.query(
            """
            SELECT (classid::bigint << 32) | objid::bigint AS key FROM pg_locks
            WHERE locktype = 'advisory' AND objsubid = 1 AND granted
            """
        ).rows
        return Set(try rows.compactMap { try $0.int("key") })
    }

    private static func checkpoint(_ row: PostgresRow) throws -> StoredCheckpoint? {
        guard let writeDate = try row.string("cursor_write_date"), let id = try row.int("cursor_id") else { return nil }
        return StoredCheckpoint(
            writeDate: writeDate, id: id, updatedAt: try row.string("checkpoint_updated_at") ?? "",
            lagSeconds: try row.int("lag_seconds") ?? 0)
    }

    private static func run(_ row: PostgresRow) throws -> Run? {
        guard let runId = try row.int("run_id") else { return nil }
        return Run(
            runId: runId, kind: try row.string("kind") ?? "", status: try row.string("status") ?? "",
            startedAt: try row.string("started_at") ?? "", finishedAt: try row.string("finished_at"),
            seconds: try row.double("run_seconds"), inserted: try row.int("rows_inserted") ?? 0,
            updated: try row.int("rows_updated") ?? 0, unchanged: try row.int("rows_unchanged") ?? 0,
            deleted: try row.int("rows_deleted") ?? 0, batches: try row.int("batches") ?? 0)
    }

    private static func runError(_ row: PostgresRow) throws -> RunError? {
        guard let runId = try row.int("error_run_id") else { return nil }
        let firstLine = (try row.string("error") ?? "").split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return RunError(
            runId: runId, status: try row.string("error_status") ?? "", startedAt: try row.string("error_started_at") ?? "",
            firstLine: firstLine.isEmpty ? "(no message recorded)" : firstLine,
            resolved: try row.bool("error_resolved") ?? false)
    }

    /// The last run comes from `sync_runs_unit`, newest first, one short index probe per unit (the two
    /// branches because `=` never matches a NULL company and `IS NOT DISTINCT FROM` cannot use the
    /// index); errors and successes, rare or small, take one pass each. A run log of a million rows
    /// reads in well under a second. Times are rendered in UTC by the server, so the client's time
    /// zone never matters.
    static func unitsSQL(withCompanyNames: Bool) -> String {
        let utc = "'YYYY-MM-DD HH24:MI:SS'"
        return """
            WITH units AS (
                SELECT pipeline, company_id FROM etl.sync_state
                UNION
                SELECT DISTINCT pipeline, company_id FROM etl.sync_runs
            ), last_error AS (
                SELECT DISTINCT ON (pipeline, company_id) pipeline, company_id, run_id, status, started_at, error
                FROM etl.sync_runs WHERE status IN ('failed', 'interrupted')
                ORDER BY pipeline, company_id, started_at DESC, run_id DESC
            ), last_ok AS (
                SELECT pipeline, company_id, max(started_at) AS started_at FROM etl.sync_runs WHERE status = 'ok'
                GROUP BY pipeline, company_id
            )
            SELECT u.pipeline, u.company_id, \(withCompanyNames ? "c.name" : "NULL::text") AS company_name,
                to_char(s.cursor_write_date, \(utc)) AS cursor_write_date, s.cursor_id,
                to_char(s.updated_at AT TIME ZONE 'UTC', \(utc)) AS checkpoint_updated_at,
                floor(extract(epoch FROM (now() AT TIME ZONE 'UTC') - s.cursor_write_date))::bigint AS lag_seconds,
                r.run_id, r.kind, r.status,
                to_char(r.started_at AT TIME ZONE 'UTC', \(utc)) AS started_at,
                to_char(r.finished_at AT TIME ZONE 'UTC', \(utc)) AS finished_at,
                extract(epoch FROM r.finished_at - r.started_at)::float8 AS run_seconds,
                r.rows_inserted, r.rows_updated, r.rows_unchanged, r.rows_deleted, r.batches,
                e.run_id AS error_run_id, e.status AS error_status,
                to_char(e.started_at AT TIME ZONE 'UTC', \(utc)) AS error_started_at, e.error,
                coalesce(o.started_at > e.started_at, false) AS error_resolved
            FROM units u
            LEFT JOIN etl.sync_state s ON s.pipeline = u.pipeline AND s.company_id IS NOT DISTINCT FROM u.company_id
            LEFT JOIN LATERAL (
                (SELECT * FROM etl.sync_runs x WHERE x.pipeline = u.pipeline AND x.company_id = u.company_id
                 ORDER BY x.started_at DESC, x.run_id DESC LIMIT 1)
                UNION ALL
                (SELECT * FROM etl.sync_runs x WHERE x.pipeline = u.pipeline AND x.company_id IS NULL AND u.company_id IS NULL
                 ORDER BY x.started_at DESC, x.run_id DESC LIMIT 1)
            ) r ON true
            LEFT JOIN last_error e ON e.pipeline = u.pipeline AND e.company_id IS NOT DISTINCT FROM u.company_id
            LEFT JOIN last_ok o ON o.pipeline = u.pipeline AND o.company_id IS NOT DISTINCT FROM u.company_id
            \(withCompanyNames ? "LEFT JOIN warehouse.res_company c ON c.odoo_id = u.company_id" : "")
            ORDER BY u.pipeline, u.company_id NULLS FIRST
            """
    }
}
