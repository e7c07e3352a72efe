import ETLModel
import Postgres

/// Where a batch's checkpoint goes: the incremental cursor, or a backfill's own cursor.
public enum CheckpointTarget: Hashable, Sendable {
    case sync
    case backfill(window: BackfillWindow)
}

/// Reads and advances checkpoints in `etl.sync_state` / `etl.backfill_progress`.
public struct SyncStateStore {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    public func checkpoint(_ unit: SyncUnit) throws -> Checkpoint? {
        let row = try connection.query(
            """
            SELECT to_char(cursor_write_date, 'YYYY-MM-DD HH24:MI:SS.US') AS w, cursor_id
            FROM etl.sync_state WHERE pipeline = $1 AND company_id IS NOT DISTINCT FROM $2
            """, [unit.pipeline, unit.companyId]
        ).first
        return try row.flatMap(Self.checkpoint(from:))
    }

    public func backfillCheckpoint(_ unit: SyncUnit, window: BackfillWindow) throws -> (checkpoint: Checkpoint, completed: Bool)? {
        let row = try connection.query(
            """
            SELECT to_char(cursor_write_date, 'YYYY-MM-DD HH24:MI:SS.US') AS w, cursor_id, completed_at IS NOT NULL AS done
            FROM etl.backfill_progress
            WHERE pipeline = $1 AND company_id = $2 AND window_since IS NOT DISTINCT FROM $3::date
              AND window_until IS NOT DISTINCT FROM $4::date
            """, [unit.pipeline, unit.companyId, window.since?.description, window.until?.description]
        ).first
        guard let row, let checkpoint = try Self.checkpoint(from: row) else { return nil }
        return (checkpoint, try row.bool("done") ?? false)
    }

    /// Moves the unit's cursor forward; never backwards (a lookback re-read or a `--full` run
    /// passes older checkpoints, which must not undo progress).
    func advance(_ unit: SyncUnit, to checkpoint: Checkpoint, target: CheckpointTarget, runId: Int64?) throws {
        switch target {
        case .sync:
            try connection.query(
                """
                INSERT INTO etl.sync_state AS s (pipeline, company_id, cursor_write_date, cursor_id, updated_at, last_run_id)
                VALUES ($1, $2, $3::timestamp, $4, now(), $5)
                ON CONFLICT ON CONSTRAINT sync_state_unit DO UPDATE
                SET cursor_write_date = EXCLUDED.cursor_write_date, cursor_id = EXCLUDED.cursor_id,
                    updated_at = now(), last_run_id = EXCLUDED.last_run_id
                WHERE (s.cursor_write_date, s.cursor_id) < (EXCLUDED.cursor_write_date, EXCLUDED.cursor_id)
                """, [unit.pipeline, unit.companyId, checkpoint.second.description, checkpoint.id, runId])
        case .backfill(let window):
            try connection.query(
                """
                INSERT INTO etl.backfill_progress AS b
                    (pipeline, company_id, window_since, window_until, cursor_write_date, cursor_id, updated_at, last_run_id)
                VALUES ($1, $2, $3::date, $4::date, $5::timestamp, $6, now(), $7)
                ON CONFLICT ON CONSTRAINT backfill_progress_unit DO UPDATE
                SET cursor_write_date = EXCLUDED.cursor_write_date, cursor_id = EXCLUDED.cursor_id,
                    updated_at = now(), last_run_id = EXCLUDED.last_run_id
                WHERE (b.cursor_write_date, b.cursor_id) < (EXCLUDED.cursor_write_date, EXCLUDED.cursor_id)
                """,
                [
                    unit.pipeline, unit.companyId, window.since?.description, window.until?.description,
                    checkpoint.second.description, checkpoint.id, runId,
                ])
        }
    }

    /// Marks a backfill window finished, so a later identical backfill starts afresh.
    public func completeBackfill(_ unit: SyncUnit, window: BackfillWindow) throws {
        try connection.query(
            """
            UPDATE etl.backfill_progress SET completed_at = now(), updated_at = now()
            WHERE pipeline = $1 AND company_id = $2 AND window_since IS NOT DISTINCT FROM $3::date
              AND window_until IS NOT DISTINCT FROM $4::date
            """, [unit.pipeline, unit.companyId, window.since?.description, window.until?.description])
    }

    /// Forgets a finished backfill window's progress, so the same window can be run again.
    public func resetBackfill(_ unit: SyncUnit, window: BackfillWindow) throws {
        try connection.query(
            """
            DELETE FROM etl.backfill_progress
            WHERE pipeline = $1 AND company_id = $2 AND window_since IS NOT DISTINCT FROM $3::date
              AND window_until IS NOT DISTINCT FROM $4::date
            """, [unit.pipeline, unit.companyId, window.since?.description, window.until?.description])
    }

    private static func checkpoint(from row: PostgresRow) throws -> Checkpoint? {
        guard let text = try row.string("w"), let writeDate = OdooDateTime(text), let id = try row.int("cursor_id") else { return nil }
        return Checkpoint(second: writeDate, id: id)
    }
}
