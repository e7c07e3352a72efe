import ETLModel
import Pipelines
import Postgres
import Warehouse

/// The warehouse's side of a unit's comparison: live rows (not soft-deleted) of the pipeline's
/// first table, for the unit's company. Sums are computed by PostgreSQL in `numeric` and rounded
/// to the column's scale, so they are exact.
struct WarehouseSide {
    let connection: PostgresConnection
    let table: TableSchema
    /// `WHERE …` for the unit's live rows; `$1` is the company when there is one.
    let condition: String
    let parameters: [PostgresBindable?]

    init(connection: PostgresConnection, plan: PipelinePlan, table: TableSchema, unit: SyncUnit) throws {
        self.connection = connection
        self.table = table
        if let company = unit.companyId {
            guard let column = table.companyColumn else {
                throw VerificationError.tableNotTenantScoped(pipeline: plan.name, table: table.name)
            }
            condition = "deleted_at IS NULL AND \(PostgresConnection.quoteIdentifier(column)) = $1"
            parameters = [company]
        } else {
            condition = "deleted_at IS NULL"
            parameters = []
        }
    }

    private var from: String { "FROM \(PostgresConnection.quoteQualified(table.name)) WHERE \(condition)" }

    func count() throws -> Int {
        let result = try connection.query("SELECT count(*) AS rows \(from)", parameters)
        return Int(try result.first?.int("rows") ?? 0)
    }

    /// Count and sums per month, or one `.all` group without a month column; sums as exact text
    /// at the column's scale, keyed by column.
    func groups(_ measures: VerificationMeasures) throws -> [VerificationMonth: VerificationGroup<String>] {
        let date = measures.month.map { PostgresConnection.quoteIdentifier($0.column) } ?? "NULL::date"
        var select = ["extract(year FROM \(date))::int AS year", "extract(month FROM \(date))::int AS month", "count(*) AS rows"]
        for (index, amount) in measures.amounts.enumerated() {
            select.append(
                "round(coalesce(sum(\(PostgresConnection.quoteIdentifier(amount.column))), 0), \(amount.scale))::text AS sum\(index)")
        }
        let result = try connection.query("SELECT \(select.joined(separator: ", ")) \(from) GROUP BY 1, 2", parameters)
        var groups: [VerificationMonth: VerificationGroup<String>] = [:]
        for row in result.rows {
            let key: VerificationMonth
            if measures.month == nil {
                key = .all
            } else if let year = try row.int("year"), let month = try row.int("month") {
                key = .month(year: Int(year), month: Int(month))
            } else {
                key = .undated
            }
            var sums: [String: String] = [:]
            for (index, amount) in measures.amounts.enumerated() { sums[amount.column] = try row.string("sum\(index)") }
            groups[key] = VerificationGroup(count: Int(try row.int("rows") ?? 0), sums: sums)
        }
        return groups
    }
}
