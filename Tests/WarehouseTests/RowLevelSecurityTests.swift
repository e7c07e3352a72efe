import ETLModel
import Foundation
import Pipelines
import Postgres
import TestSupport
import XCTest

/// The warehouse migrations on a real PostgreSQL, applied by a non-superuser owner as on Supabase:
/// every tenant table shows a caller the rows of the companies in its JWT claims plus shared rows,
/// nothing without claims, nothing to anon; the owner (the loader) sees everything.
final class RowLevelSecurityTests: XCTestCase {
    private static let companyA = "{\"sub\":\"a\",\"role\":\"authenticated\",\"app_metadata\":{\"company_ids\":[1]}}"
    private static let companyB = "{\"sub\":\"b\",\"role\":\"authenticated\",\"app_metadata\":{\"company_ids\":[2]}}"
    private static let noCompanies = "{\"sub\":\"c\",\"role\":\"authenticated\"}"
    private static let malformed = "{\"sub\":\"d\",\"app_metadata\":{\"company_ids\":\"1\"}}"

    private var loader: PostgresConnection!
    private var tenantTables: [TableSchema] = []

    override func setUpWithError() throws {
        let harness = PostgresHarness.shared
        let url = try harness.createDatabase(prefix: "rls")
        let database = String(url.split(separator: "/").last ?? "")
        let admin = try PostgresConnection(url)
        // Supabase's `postgres` is no superuser: it owns the tables, may create roles, and is a
        // member of the API roles. The loader here gets the same rights.
        try admin.execute(
            script: """
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'etl_loader') THEN
                        CREATE ROLE etl_loader LOGIN CREATEROLE;
                    END IF;
                END $$;
                ALTER DATABASE \(PostgresConnection.quoteIdentifier(database)) OWNER TO etl_loader;
                """)
        loader = try PostgresConnection(url.replacingOccurrences(of: "://postgres@", with: "://etl_loader@"))
        for migration in try Self.migrations() {
            do {
                try loader.withTransaction { _ = try loader.execute(script: migration.text) }
            } catch {
                throw HarnessError("migration \(migration.name) failed: \(error)")
            }
        }
        try admin.execute(script: "GRANT authenticated, anon TO etl_loader")
        tenantTables = try PipelineCatalog.load(directory: TestPaths.pipelines).pipelines.flatMap(\.tables).filter {
            $0.companyColumn != nil
        }
        XCTAssertEqual(tenantTables.count, 15)
        try insertRows()
    }

    private static func migrations() throws -> [(name: String, text: String)] {
        let directory = TestPaths.migrations
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }.sorted()
            .map { ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// Rows 10 (company 1), 20 (company 2) and, where the key allows it, 30 (shared, no company).
    private func insertRows() throws {
        for table in tenantTables {
            let company = try XCTUnwrap(table.companyColumn)
            let name = PostgresConnection.quoteQualified(table.name)
            var values = ["(10, 1, now())", "(20, 2, now())"]
            if !table.key.contains(company) { values.append("(30, NULL, now())") }
            try loader.execute(
                script: "INSERT INTO \(name) (odoo_id, \(company), \(table.versionColumn)) VALUES "
                    + values.joined(separator: ", "))
        }
    }

    /// Ids visible in `relation` to `role` presenting `claims` (nil: no claims set).
    private func visibleIDs(
        in relation: String, column: String = "odoo_id", role: String = "authenticated",
        claims: String?
    ) throws -> [String] {
        try loader.withTransaction {
            if let claims { try loader.query("SELECT set_config('request.jwt.claims', $1, true)", [claims]) }
            try loader.execute(script: "SET LOCAL ROLE \(role)")
            return try loader.query("SELECT \(column)::text AS id FROM \(relation) ORDER BY 1").rows
                .map { try $0.string("id") ?? "NULL" }
        }
    }

    func testEveryTenantTableShowsTheClaimedCompanyAndSharedRowsOnly() throws {
        for table in tenantTables {
            let shared = table.key.contains(table.companyColumn ?? "") ? [] : ["30"]
            XCTAssertEqual(try visibleIDs(in: table.name, claims: Self.companyA), ["10"] + shared, table.name)
            XCTAssertEqual(try visibleIDs(in: table.name, claims: Self.companyB), ["20"] + shared, table.name)
            XCTAssertEqual(try visibleIDs(in: table.name, claims: Self.noCompanies), shared, table.name)
            XCTAssertEqual(try visibleIDs(in: table.name, claims: Self.malformed), shared, table.name)
            XCTAssertEqual(try visibleIDs(in: table.name, claims: nil), [], "\(table.name) without claims")
            XCTAssertEqual(try visibleIDs(in: table.name, claims: ""), [], "\(table.name) with empty claims")
            XCTAssertEqual(
                try visibleIDs(in: table.name, role: "etl_loader", claims: nil), ["10", "20"] + shared,
                "the owner loads and reads every row of \(table.name)")
            XCTAssertThrowsError(try visibleIDs(in: table.name, role: "anon", claims: Self.companyA)) { error in
                XCTAssertEqual((error as? PostgresError)?.sqlState, "42501", "anon must be refused \(table.name): \(error)")
            }
        }
    }

    func testViewsApplyTheCallersRowSecurity() throws {
        // Each company gets a VAT line and a withholding line, so every view has rows of both.
        try loader.execute(
            script: """
                INSERT INTO scout.transactions (odoo_id, company_id, odoo_write_date) VALUES (11, 1, now()), (21, 2, now());
                UPDATE analytics.fact_expense SET amount = 100, expense_month = date '2026-11-01', stage = 'draft';
                UPDATE analytics.fact_invoice SET state = 'posted', move_type = 'out_invoice', residual_amount = 50,
                    due_date = current_date - 45;
                UPDATE scout.transactions SET transaction_date = date '2026-11-25', move_type = 'in_invoice',
                    transaction_type = CASE WHEN odoo_id IN (10, 20) THEN 'withholding_tax' ELSE 'vat_input' END,
                    tax_use = 'purchase', base_amount = 1000, tax_amount = -20, tax_rate = -2;
                """)
        let views = [
            "analytics.expense_monthly", "analytics.invoice_aging", "scout.vat_transactions",
            "scout.withholding_by_payee_quarter",
        ]
        for view in views {
            let companies = try visibleIDs(in: view, column: "company_id", claims: Self.companyA)
            XCTAssertFalse(companies.isEmpty, "\(view) shows nothing to company 1")
            XCTAssertEqual(Set(companies).subtracting(["1", "NULL"]), [], "\(view) leaks \(companies)")
            XCTAssertEqual(try visibleIDs(in: view, column: "company_id", claims: nil), [], "\(view) without claims")
        }
        XCTAssertEqual(
            try visibleIDs(in: "analytics.invoice_aging", column: "aging_bucket", claims: Self.companyB),
            ["31-60", "31-60"])
    }

    func testEveryTableWithACompanyColumnHasRowSecurityAndMatchesItsPipeline() throws {
        let unsecured = try loader.query(
            """
            SELECT c.relnamespace::regnamespace || '.' || c.relname AS name
            FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'company_id'
            WHERE c.relkind = 'r' AND c.relnamespace::regnamespace::text IN ('warehouse', 'analytics', 'scout')
              AND NOT c.relrowsecurity
            """
        ).rows.map { try $0.string("name") ?? "" }
        XCTAssertEqual(unsecured, [])
        for table in tenantTables {
            let columns = try loader.query(
                """
                SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
                FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum
                """, [table.name]
            ).rows.map { row -> String in
                let type = (try row.string("type") ?? "")
                    .replacingOccurrences(of: "timestamp without time zone", with: "timestamp")
                    .replacingOccurrences(of: "timestamp with time zone", with: "timestamptz")
                return "\(try row.string("name") ?? "") \(type)"
            }
            XCTAssertEqual(
                columns,
                table.columns.map { "\($0.name) \($0.type.sql)" }
                    + ["synced_at timestamptz", "deleted_at timestamptz"], table.name)
            let key = try loader.query(
                """
                SELECT string_agg(a.attname, ',' ORDER BY k.ordinality) AS key
                FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = $1::regclass AND i.indisunique
                GROUP BY i.indexrelid
                """, [table.name]
            ).rows.map { try $0.string("key") ?? "" }
            XCTAssertTrue(key.contains(table.key.joined(separator: ",")), "\(table.name) has no unique index on its key")
        }
    }
}
