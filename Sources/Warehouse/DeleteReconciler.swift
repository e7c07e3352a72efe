import Pipelines
import Postgres

/// Hard deletes in Odoo leave no `write_date`: given the complete set of live ids for a model and
/// company, soft-delete rows that vanished and bring back rows that reappeared, in one transaction,
/// touching only that company's rows.
public struct DeleteReconciler {
    public struct Result: Hashable, Sendable {
        public var softDeleted = 0
        public var restored = 0
        public init(softDeleted: Int = 0, restored: Int = 0) {
            self.softDeleted = softDeleted
            self.restored = restored
        }
    }

    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// `idColumn` is the Odoo id column (`odoo_id`); `companyId` nil reconciles an unscoped table.
    /// An empty `liveIds` while the scope still holds live rows would soft-delete all of them; that
    /// is refused unless `allowEmpty`, since an empty answer is more often a permissions change or
    /// a broken domain than a company that really deleted everything. (Nothing live: nothing to do.)
    public func reconcile(table: TableSchema, idColumn: String = "odoo_id", companyId: Int?, liveIds: [Int64],
                          allowEmpty: Bool = false) throws -> Result {
        let name = PostgresConnection.quoteQualified(table.name)
        let id = PostgresConnection.quoteIdentifier(idColumn)
        let scope: String
        if let column = table.companyColumn, companyId != nil {
            scope = "\(PostgresConnection.quoteIdentifier(column)) = $1::integer"
        } else {
            scope = "$1::integer IS NULL"
        }
        if liveIds.isEmpty && !allowEmpty {
            let live = try connection.query(
                "SELECT count(*) AS n FROM \(name) WHERE deleted_at IS NULL AND (\(scope))", [companyId]).first?.int("n") ?? 0
            if live > 0 { throw WarehouseError.emptyReconciliation(table: table.name, companyId: companyId, liveRows: Int(live)) }
            return Result()
        }
        return try connection.withTransaction {
            try connection.execute(script: "CREATE TEMP TABLE odoo_etl_live_ids (id bigint PRIMARY KEY) ON COMMIT DROP")
            try connection.copyIn("COPY odoo_etl_live_ids (id) FROM STDIN", columns: ["id"]) { writer in
                for value in Set(liveIds) {
                    writer.writeField(value)
                    try writer.endRow()
                }
            }
            try connection.execute(script: "ANALYZE odoo_etl_live_ids")
            let deleted = try connection.query("""
                UPDATE \(name) AS t SET deleted_at = now()
                WHERE t.deleted_at IS NULL AND (\(scope))
                  AND NOT EXISTS (SELECT 1 FROM odoo_etl_live_ids l WHERE l.id = t.\(id))
                """, [companyId]).affectedRows
            let restored = try connection.query("""
                UPDATE \(name) AS t SET deleted_at = NULL
                WHERE t.deleted_at IS NOT NULL AND (\(scope))
                  AND EXISTS (SELECT 1 FROM odoo_etl_live_ids l WHERE l.id = t.\(id))
                """, [companyId]).affectedRows
            return Result(softDeleted: deleted, restored: restored)
        }
    }
}
