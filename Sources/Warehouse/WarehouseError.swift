import Postgres

/// Problems of the warehouse side that are not plain PostgreSQL errors.
public enum WarehouseError: Error, CustomStringConvertible {
    /// A Supabase transaction-pooler URL: advisory locks, session settings and temp tables break there.
    case transactionPooler(endpoint: String)
    /// An applied migration's file changed since it was applied.
    case migrationDrift(file: String, applied: String, current: String)
    /// A migration file failed; nothing of it was committed.
    case migrationFailed(file: String, underlying: PostgresError)
    case badMigrationName(file: String)
    case migrationLockTimeout(seconds: Double)
    /// A row does not fit the table it is meant for (a transformer bug).
    case rowShape(table: String, row: Int, expected: Int, got: Int)
    /// Odoo reported no live records at all for a reconciliation scope.
    case emptyReconciliation(table: String, companyId: Int?, liveRows: Int)

    public var description: String {
        switch self {
        case .transactionPooler(let endpoint):
            return "\(endpoint) is Supabase's transaction pooler (port 6543 / pgbouncer=true), which breaks advisory locks, "
                + "session settings and temp tables. Use the direct connection or the session pooler (port 5432) instead."
        case .migrationDrift(let file, let applied, let current):
            return
                "migration \(file) was changed after it was applied (checksum \(applied.prefix(12)) applied, \(current.prefix(12)) now). "
                + "Restore the applied version and put the change in a new migration file."
        case .migrationFailed(let file, let underlying):
            return "migration \(file) failed and was rolled back: \(underlying)"
        case .badMigrationName(let file):
            return "migration file \(file) is not named NNNN_name.sql"
        case .migrationLockTimeout(let seconds):
            return "another migration runner held the migration lock for more than \(Int(seconds)) s"
        case .rowShape(let table, let row, let expected, let got):
            return "row \(row) for \(table) has \(got) values, the table has \(expected) columns"
        case .emptyReconciliation(let table, let companyId, let liveRows):
            return "Odoo returned no live records for \(table)\(companyId.map { " of company \($0)" } ?? "") while the "
                + "warehouse holds \(liveRows) live rows; reconciliation would soft-delete all of them, so it was not run. "
                + "Check the Odoo user's access rights and the pipeline's domain; if the company really has none left, "
                + "reconcile it with sync --reconcile --allow-empty-reconcile"
        }
    }
}
