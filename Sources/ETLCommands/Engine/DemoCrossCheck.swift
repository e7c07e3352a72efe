import Foundation
import Odoo
import Postgres

/// The demo's own comparison of Odoo and the warehouse, used when this build's `verify` command
/// has no engine yet: expenses per company, counted and summed to the centavo by Odoo
/// (`read_group`, every company) and by the warehouse (soft-deleted rows left out).
struct DemoCrossCheck {
    let client: OdooClient
    let warehouseURL: String
    let companyIDs: [Int64]

    struct Outcome {
        let table: String
        let differences: Int
    }

    func run() throws -> Outcome {
        let groups = try client.readGroup(model: "hr.expense", fields: ["total_amount:sum"], groupBy: ["company_id"],
                                          context: OdooContext(activeTest: false, allowedCompanyIDs: companyIDs))
        var odoo: [Int64: (name: String, count: Int64, amount: String)] = [:]
        for group in groups {
            guard case .many2one(let id, let name) = group["company_id"] else { continue }
            let amount: Double
            switch group["total_amount"] {
            case .float(let value): amount = value
            case .int(let value): amount = Double(value)
            default: amount = 0
            }
            odoo[id] = (name, group.count, String(format: "%.2f", amount))
        }
        let connection = try PostgresConnection(warehouseURL)
        let result = try connection.query("""
            SELECT company_id, count(*) AS expenses, coalesce(sum(total_amount), 0)::numeric(18,2)::text AS amount
            FROM warehouse.hr_expense WHERE deleted_at IS NULL GROUP BY company_id
            """)
        var warehouse: [Int64: (count: Int64, amount: String)] = [:]
        for row in result.rows {
            guard let id = try row.int("company_id") else { continue }
            warehouse[id] = (try row.int("expenses") ?? 0, try row.string("amount") ?? "0.00")
        }
        var rows = [["company", "Odoo expenses", "warehouse", "Odoo amount", "warehouse amount", "same"]]
        var differences = 0
        for id in Set(odoo.keys).union(warehouse.keys).sorted() {
            let inOdoo = odoo[id], inWarehouse = warehouse[id]
            let same = inOdoo?.count == inWarehouse?.count && inOdoo?.amount == inWarehouse?.amount
            if !same { differences += 1 }
            rows.append([inOdoo?.name ?? "company \(id)",
                         (inOdoo?.count ?? 0).formatted(), (inWarehouse?.count ?? 0).formatted(),
                         DemoFormat.grouped(inOdoo?.amount ?? "0.00"), DemoFormat.grouped(inWarehouse?.amount ?? "0.00"),
                         same ? "yes" : "NO"])
        }
        return Outcome(table: TextTable.render(rows), differences: differences)
    }
}
