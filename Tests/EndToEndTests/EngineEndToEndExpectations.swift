import Foundation
import TestSupport
import XCTest

/// What each shipped pipeline promises, written out independently of the engine: which Odoo
/// records (model and domain) land in which tables, under which company, and which money columns
/// come from which Odoo field. The tests hold the warehouse to this against the simulator's own data.
struct PipelineExpectation {
    struct Table {
        let name: String
        /// Money columns (numeric(18,2)) and the Odoo field each one carries.
        var money: [String: String] = [:]
        /// Only records passing this land in the table (`when:` in the pipeline file).
        var includes: (OdooRecord) -> Bool = { _ in true }
        var hasActive = false
    }

    let pipeline: String
    let model: String
    let domain: [[Any]]
    /// res.company rows are their own company; every other record carries company_id.
    var companyIsOwnId = false
    let tables: [Table]

    var primaryTable: String { tables[0].name }
    var moneyFields: [String] { Array(Set(tables.flatMap(\.money.values))) }

    nonisolated(unsafe) static let all: [PipelineExpectation] = [
        PipelineExpectation(
            pipeline: "companies", model: "res.company", domain: [], companyIsOwnId: true,
            tables: [
                Table(name: "warehouse.res_company", hasActive: true), Table(name: "analytics.dim_company", hasActive: true),
            ]),
        PipelineExpectation(
            pipeline: "partners", model: "res.partner", domain: [],
            tables: [
                Table(name: "warehouse.res_partner", hasActive: true), Table(name: "analytics.dim_partner", hasActive: true),
            ]),
        PipelineExpectation(
            pipeline: "taxes", model: "account.tax", domain: [],
            tables: [
                Table(name: "warehouse.account_tax", hasActive: true)
            ]),
        PipelineExpectation(
            pipeline: "employees", model: "hr.employee", domain: [],
            tables: [
                Table(name: "warehouse.hr_employee", hasActive: true), Table(name: "analytics.dim_employee", hasActive: true),
            ]),
        PipelineExpectation(
            pipeline: "invoices", model: "account.move", domain: [],
            tables: [
                Table(
                    name: "warehouse.account_move",
                    money: [
                        "amount_untaxed": "amount_untaxed", "amount_tax": "amount_tax", "amount_total": "amount_total",
                        "amount_residual_signed": "amount_residual_signed",
                    ]),
                Table(
                    name: "analytics.fact_invoice", money: ["total_amount": "amount_total", "total_amount_signed": "amount_total_signed"],
                    includes: { ["out_invoice", "out_refund", "in_invoice", "in_refund"].contains($0.text("move_type")) }),
            ]),
        PipelineExpectation(
            pipeline: "journal_items", model: "account.move.line", domain: [],
            tables: [
                Table(name: "warehouse.account_move_line", money: ["debit": "debit", "credit": "credit", "balance": "balance"]),
                Table(name: "analytics.fact_journal_item", money: ["balance": "balance"]),
            ]),
        PipelineExpectation(
            pipeline: "bir_tax_lines", model: "account.move.line",
            domain: [["parent_state", "=", "posted"], ["tax_line_id", "!=", false]],
            tables: [
                Table(name: "scout.transactions", money: ["tax_amount": "balance", "base_amount": "tax_base_amount"])
            ]),
        PipelineExpectation(
            pipeline: "expense_reports", model: "hr.expense.sheet", domain: [],
            tables: [
                Table(name: "warehouse.hr_expense_sheet", money: ["total_amount": "total_amount", "total_tax_amount": "total_tax_amount"])
            ]),
        PipelineExpectation(
            pipeline: "expenses", model: "hr.expense", domain: [],
            tables: [
                Table(name: "warehouse.hr_expense", money: ["total_amount": "total_amount", "tax_amount": "tax_amount"]),
                Table(name: "analytics.fact_expense", money: ["amount": "total_amount"]),
            ]),
    ]

    static func named(_ pipeline: String) -> PipelineExpectation {
        all.first { $0.pipeline == pipeline }!
    }

    /// Every record of this pipeline as the simulator stores it now (archived ones included).
    func records(in simulator: OdooSimulator) throws -> [OdooRecord] {
        var fields = ["write_date"] + moneyFields
        if !companyIsOwnId { fields.append("company_id") }
        if model == "account.move" { fields.append("move_type") }
        if tables.contains(where: \.hasActive) { fields.append("active") }
        let answer = try simulator.control("read", ["model": model, "domain": domain, "fields": fields])
        return (answer["records"] as? [[String: Any]] ?? []).map { OdooRecord($0, companyIsOwnId: companyIsOwnId) }
    }
}

/// One record as the simulator stores it (datetimes with microseconds).
struct OdooRecord {
    let id: Int
    /// "3", or "null" for a record shared by every company.
    let company: String
    /// The write_date second, as the warehouse stores it: `YYYY-MM-DD HH:MM:SS`.
    let writeSecond: String
    let values: [String: Any]

    init(_ values: [String: Any], companyIsOwnId: Bool) {
        id = values["id"] as? Int ?? 0
        if companyIsOwnId {
            company = String(id)
        } else {
            company = (values["company_id"] as? Int).map(String.init) ?? "null"
        }
        writeSecond = String((values["write_date"] as? String ?? "").prefix(19))
        self.values = values
    }

    var key: String { "\(company)/\(id)" }

    func text(_ field: String) -> String? { values[field] as? String }

    /// A money field in cents (the simulator sends doubles with at most two decimals).
    func cents(_ field: String) -> Int64? {
        (values[field] as? NSNumber).map { Int64(($0.doubleValue * 100).rounded()) }
    }

    /// `(write_date second, id) <= checkpoint`: covered by a checkpoint, so it must be loaded.
    func isCovered(bySecond second: String, id checkpointId: Int) -> Bool {
        writeSecond < second || (writeSecond == second && id <= checkpointId)
    }
}

/// Warehouse-against-simulator assertions shared by the end-to-end tests.
enum WarehouseExpectations {
    static let schemas = ["warehouse", "analytics", "scout"]

    /// Every record of every pipeline is in each of its tables exactly once, under its company, with
    /// its write_date second, its active flag and its money to the cent; rows whose record is gone
    /// from Odoo are soft-deleted, and no live row lacks a record. `pipelines` and `companies`
    /// (ids as text) narrow the check.
    static func assertHoldsExactly(
        _ simulator: OdooSimulator, _ warehouse: WarehouseInspector,
        pipelines: [PipelineExpectation] = PipelineExpectation.all, companies: Set<String>? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        func inScope(_ key: String) -> Bool {
            companies.map { $0.contains(String(key.prefix { $0 != "/" })) } ?? true
        }
        for expectation in pipelines {
            let records = try expectation.records(in: simulator)
            for table in expectation.tables {
                let expected = Dictionary(
                    uniqueKeysWithValues: records.filter(table.includes).map { ($0.key, $0) }
                        .filter { inScope($0.0) })
                let moneyColumns = table.money.keys.sorted()
                let selected =
                    [
                        "coalesce(company_id::text, 'null') || '/' || odoo_id", "odoo_write_date::text",
                        table.hasActive ? "active::text" : "NULL",
                    ] + moneyColumns.map { "round(\($0) * 100)::bigint::text" }
                let live = try warehouse.rows("SELECT \(selected.joined(separator: ", ")) FROM \(table.name) WHERE deleted_at IS NULL")
                let deleted = try warehouse.rows(
                    "SELECT coalesce(company_id::text, 'null') || '/' || odoo_id FROM \(table.name) WHERE deleted_at IS NOT NULL"
                )
                .compactMap { $0[0] }.filter(inScope)
                let duplicates = try warehouse.count("SELECT count(*) - count(DISTINCT odoo_id) FROM \(table.name)")
                XCTAssertEqual(duplicates, 0, "\(table.name) holds an Odoo id more than once", file: file, line: line)
                var liveKeys = Set<String>()
                var mismatches: [String] = []
                for row in live {
                    guard let key = row[0], inScope(key) else { continue }
                    liveKeys.insert(key)
                    guard let record = expected[key] else { continue }
                    if row[1] != record.writeSecond {
                        mismatches.append("\(key) odoo_write_date \(row[1] ?? "NULL") ≠ \(record.writeSecond)")
                    }
                    if table.hasActive, let active = record.values["active"] as? Bool, row[2] != (active ? "true" : "false") {
                        mismatches.append("\(key) active \(row[2] ?? "NULL") ≠ \(active)")
                    }
                    for (index, column) in moneyColumns.enumerated() {
                        let cents = record.cents(table.money[column]!)
                        if row[3 + index] != cents.map(String.init) {
                            mismatches.append("\(key) \(column) \(row[3 + index] ?? "NULL") cents ≠ \(cents.map(String.init) ?? "NULL")")
                        }
                    }
                }
                let missing = Set(expected.keys).subtracting(liveKeys)
                let unexpected = liveKeys.subtracting(expected.keys)
                let wronglyDeleted = Set(deleted).intersection(expected.keys)
                XCTAssertTrue(
                    missing.isEmpty, "\(table.name) lacks \(missing.count) records (company/id): \(missing.sorted().prefix(12))",
                    file: file, line: line)
                XCTAssertTrue(
                    unexpected.isEmpty, "\(table.name) has \(unexpected.count) live rows Odoo does not: \(unexpected.sorted().prefix(12))",
                    file: file, line: line)
                XCTAssertTrue(
                    wronglyDeleted.isEmpty, "\(table.name) soft-deleted live records: \(wronglyDeleted.sorted().prefix(12))",
                    file: file, line: line)
                XCTAssertTrue(
                    mismatches.isEmpty, "\(table.name) differs from Odoo in \(mismatches.count) values: \(mismatches.prefix(12))",
                    file: file, line: line)
            }
        }
    }

    /// No checkpoint is ahead of the data: for every unit, each record its `(write_date, id)`
    /// cursor covers is loaded (live) in the pipeline's own table. `table` is `etl.sync_state` or
    /// `etl.backfill_progress`. Returns how many cursors were checked.
    @discardableResult
    static func assertCheckpointsCovered(
        _ simulator: OdooSimulator, _ warehouse: WarehouseInspector,
        table: String = "etl.sync_state",
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> Int {
        let cursors = try warehouse.rows(
            """
            SELECT pipeline, coalesce(company_id::text, 'null'), to_char(cursor_write_date, 'YYYY-MM-DD HH24:MI:SS'), cursor_id
            FROM \(table)
            """)
        var recordsByPipeline: [String: [OdooRecord]] = [:]
        for cursor in cursors {
            guard let pipeline = cursor[0], let company = cursor[1], let second = cursor[2], let id = cursor[3].flatMap({ Int($0) }) else {
                continue
            }
            let expectation = PipelineExpectation.named(pipeline)
            if recordsByPipeline[pipeline] == nil { recordsByPipeline[pipeline] = try expectation.records(in: simulator) }
            let covered = recordsByPipeline[pipeline]!.filter {
                (company == "null" || $0.company == company) && $0.isCovered(bySecond: second, id: id)
            }
            let loaded = Set(
                try warehouse.rows(
                    """
                    SELECT odoo_id::text FROM \(expectation.primaryTable) WHERE deleted_at IS NULL
                    """ + (company == "null" ? "" : " AND company_id = \(company)")
                ).compactMap { $0[0] })
            let missing = covered.filter { !loaded.contains(String($0.id)) }.map(\.id)
            XCTAssertTrue(
                missing.isEmpty,
                """
                \(table) \(pipeline) company \(company) is at (\(second), \(id)) but \(missing.count) of the \
                \(covered.count) records it covers are not in \(expectation.primaryTable): \(missing.prefix(12))
                """, file: file, line: line)
        }
        return cursors.count
    }

    /// Two warehouses hold the same rows in every table (synced_at aside, which says when, not what).
    static func assertSameRows(
        _ actual: WarehouseInspector, _ reference: WarehouseInspector,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let mine = try actual.snapshot(schemas: schemas, excluding: ["synced_at"])
        let theirs = try reference.snapshot(schemas: schemas, excluding: ["synced_at"])
        XCTAssertEqual(mine.keys.sorted(), theirs.keys.sorted(), file: file, line: line)
        for (table, rows) in theirs.sorted(by: { $0.key < $1.key }) {
            let difference = SnapshotDifference(before: rows, after: mine[table] ?? [:])
            XCTAssertTrue(difference.isEmpty, "\(table) differs from the uninterrupted reference: \(difference)", file: file, line: line)
        }
    }
}
