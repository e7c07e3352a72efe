import ETLModel
import Foundation
import Pipelines
import Postgres
import TestSupport
import Warehouse
import XCTest

/// A fresh database with every migration applied, plus a small tenant table for loader tests.
class WarehouseTestCase: XCTestCase {
    var url: String!
    var db: PostgresConnection!

    static let expenses = TableSchema(
        name: "warehouse.test_expense",
        columns: [
            ColumnSpec("odoo_id", .bigint), ColumnSpec("company_id", .integer), ColumnSpec("odoo_write_date", .timestamp),
            ColumnSpec("name", .text), ColumnSpec("amount", .numeric(precision: 18, scale: 2)), ColumnSpec("expense_date", .date),
            ColumnSpec("distribution", .jsonb), ColumnSpec("active", .boolean),
        ], key: ["odoo_id"])

    static let expenseFacts = TableSchema(
        name: "analytics.test_fact_expense",
        columns: [
            ColumnSpec("odoo_id", .bigint), ColumnSpec("company_id", .integer), ColumnSpec("odoo_write_date", .timestamp),
            ColumnSpec("amount", .numeric(precision: 18, scale: 2)),
        ], key: ["odoo_id"])

    override func setUpWithError() throws {
        (url, db) = try PostgresHarness.shared.connectToNewDatabase()
        try MigrationRunner(directory: TestPaths.migrations).migrate(db)
        try db.execute(
            script: """
                CREATE SCHEMA IF NOT EXISTS warehouse; CREATE SCHEMA IF NOT EXISTS analytics;
                CREATE TABLE warehouse.test_expense (
                    odoo_id bigint PRIMARY KEY, company_id integer, odoo_write_date timestamp NOT NULL, name text,
                    amount numeric(18,2), expense_date date, distribution jsonb, active boolean,
                    synced_at timestamptz NOT NULL, deleted_at timestamptz);
                CREATE TABLE analytics.test_fact_expense (
                    odoo_id bigint PRIMARY KEY, company_id integer, odoo_write_date timestamp NOT NULL, amount numeric(18,2),
                    synced_at timestamptz NOT NULL, deleted_at timestamptz);
                """)
    }

    func at(_ text: String) -> OdooDateTime { OdooDateTime(text)! }

    func expenseRow(
        _ id: Int64, company: Int = 1, writeDate: String = "2026-11-24 15:21:40", name: String = "Taxi",
        amount: String = "289.00"
    ) -> [Cell] {
        [
            .int(id), .int(Int64(company)), .timestamp(at(writeDate)), .text(name), .numeric(amount),
            .date(OdooDate("2026-11-03")!), .json("{\"3\": 100.0}"), .bool(true),
        ]
    }

    func factRow(_ id: Int64, company: Int = 1, writeDate: String = "2026-11-24 15:21:40", amount: String = "289.00") -> [Cell] {
        [.int(id), .int(Int64(company)), .timestamp(at(writeDate)), .numeric(amount)]
    }

    /// Every row of a table as text, ordered by key, without the loader's `synced_at`.
    func snapshot(_ table: String) throws -> [[String?]] {
        try db.query("SELECT * FROM \(table) ORDER BY odoo_id").rows.map { row in
            try row.values.enumerated().filter { i, _ in try db.query("SELECT * FROM \(table) LIMIT 0").columns[i] != "synced_at" }.map(
                \.element)
        }
    }

    /// Row versions (xmin): they change only when a row is physically rewritten.
    func rowVersions(_ table: String) throws -> [String] {
        try db.query("SELECT xmin::text AS v FROM \(table) ORDER BY odoo_id").rows.map { try $0.string("v") ?? "" }
    }

    func count(_ sql: String, _ parameters: [PostgresBindable?] = []) throws -> Int64 {
        try db.query(sql, parameters).first?.int("n") ?? -1
    }
}
