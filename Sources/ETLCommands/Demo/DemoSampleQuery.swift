import Foundation
import Postgres

/// The query a Superset chart of expenses by company and stage would run, on the analytics view
/// the sync keeps current.
enum DemoSampleQuery {
    static let sql = """
        SELECT c.company_name AS company, e.stage, e.currency_name AS currency,
               sum(e.expense_count) AS expenses, sum(e.amount) AS amount
        FROM analytics.expense_monthly e
        JOIN analytics.dim_company c ON c.company_id = e.company_id AND c.deleted_at IS NULL
        GROUP BY c.company_name, e.stage, e.currency_name
        ORDER BY c.company_name, array_position(ARRAY['draft', 'submitted', 'approved', 'posted', 'paid', 'refused'], e.stage)
        """

    /// The result as a text table.
    static func run(warehouseURL: String) throws -> String {
        let result = try PostgresConnection(warehouseURL).query(sql)
        var rows = [result.columns]
        for row in result.rows {
            rows.append(
                try result.columns.map { column in
                    let value = try row.string(column) ?? ""
                    return ["expenses", "amount"].contains(column) ? DemoFormat.grouped(value) : value
                })
        }
        return TextTable.render(rows)
    }
}
