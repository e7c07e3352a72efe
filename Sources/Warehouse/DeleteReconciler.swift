import ETLModel
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

    /// One table; see `reconcile(tables:…)`.
    public func reconcile(
        table: TableSchema, idColumn: String = "odoo_id", companyId: Int?, liveIds: [Int64],
        allowEmpty: Bool = false
    ) throws -> Result {
        try reconcile(tables: [table], idColumn: idColumn, companyId: companyId, liveIds: liveIds, allowEmpty: allowEmpty)[0]
    }

    /// Every table of a pipeline at once, in one transaction, so a record's row and its analytics row
    /// are soft-deleted together or not at all; the live ids are sent once.
    ///
    /// `idColumn` is the Odoo id column (`odoo_id`); `companyId` nil reconciles unscoped tables.
    /// An empty `liveIds` while a scope still holds live rows would soft-delete all of them; that
    /// is refused unless `allowEmpty`, since an empty answer is more often a permissions change or
    /// a broken domain than a company that really deleted everything. (Nothing live: nothing to do.)
    public func reconcile(
        tables: [TableSchema], idColumn: String = "odoo_id", companyId: Int?, liveIds: [Int64],
        allowEmpty: Bool = false
    ) throws -> [Result] {
        let id = PostgresConnection.quoteIdentifier(idColumn)
        func scope(_ table: TableSchema) -> String {
            if let column = table.companyColumn, companyId != nil { return "\(PostgresConnection.quoteIdentifier(column)) = $1::integer" }
            return "$1::integer IS NULL"
        }
        return try connection.withTransaction {
            if liveIds.isEmpty && !allowEmpty {
                for table in tables {
                    let name = PostgresConnection.quoteQualified(table.name)
                    let live =
                        try connection.query(
                            "SELECT count(*) AS n FROM \(name) WHERE deleted_at IS NULL AND (\(scope(table)))",
                            [companyId]
                        ).first?.int("n") ?? 0
                    if live > 0 {
                        throw WarehouseError.emptyReconciliation(table: table.name, companyId: companyId, liveRows: Int(live))
                    }
                }
                return tables.map { _ in Result() }
            }
            try connection.execute(script: "CREATE TEMP TABLE odoo_etl_live_ids (id bigint PRIMARY KEY) ON COMMIT DROP")
            try connection.copyIn("COPY odoo_etl_live_ids (id) FROM STDIN", columns: ["id"]) { writer in
                for value in Set(liveIds) {
                    writer.writeField(value)
                    try writer.endRow()
                }
            }
            try connection.execute(script: "ANALYZE odoo_etl_live_ids")
            return try tables.map { table in
                let name = PostgresConnection.quoteQualified(table.name)
                let deleted = try connection.query(
                    """
                    UPDATE \(name) AS t SET deleted_at = now()
                    WHERE t.deleted_at IS NULL AND (\(scope(table)))
                      AND NOT EXISTS (SELECT 1 FROM odoo_etl_live_ids l WHERE l.id = t.\(id))
                    """, [companyId]
                ).affectedRows
                let restored = try connection.query(
                    """
                    UPDATE \(name) AS t SET deleted_at = NULL
                    WHERE t.deleted_at IS NOT NULL AND (\(scope(table)))
                      AND EXISTS (SELECT 1 FROM odoo_etl_live_ids l WHERE l.id = t.\(id))
                    """, [companyId]
                ).affectedRows
                return Result(softDeleted: deleted, restored: restored)
            }
        }
    }
}
