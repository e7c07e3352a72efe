import ETLModel
import Foundation
import Postgres
import TestSupport
import Warehouse
import XCTest

final class MigrationAndLockTests: XCTestCase {
    private func scratchMigrations(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, sql) in files { try sql.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testMigrationsApplyOnceRefuseDriftAndReportInCheckMode() throws {
        let (_, db) = try PostgresHarness.shared.connectToNewDatabase()
        let dir = try scratchMigrations(["0001_first.sql": "CREATE TABLE one (id int);", "0002_second.sql": "CREATE TABLE two (id int);"])
        let runner = MigrationRunner(directory: dir)
        XCTAssertEqual(try runner.status(db).pending, ["0001_first.sql", "0002_second.sql"])
        XCTAssertEqual(try runner.migrate(db).applied, ["0001_first.sql", "0002_second.sql"])
        XCTAssertEqual(try runner.migrate(db).applied, [])
        XCTAssertTrue(try runner.status(db).upToDate)

        try "CREATE TABLE three (id int);".write(to: dir.appendingPathComponent("0003_third.sql"), atomically: true, encoding: .utf8)
        try "CREATE TABLE two (id bigint);".write(to: dir.appendingPathComponent("0002_second.sql"), atomically: true, encoding: .utf8)
        let report = try runner.status(db)
        XCTAssertEqual(report.pending, ["0003_third.sql"])
        XCTAssertEqual(report.drifted, ["0002_second.sql"])
        XCTAssertThrowsError(try runner.migrate(db)) { error in
            XCTAssertTrue("\(error)".contains("migration 0002_second.sql was changed after it was applied"), "\(error)")
        }
        XCTAssertNil(try db.query("SELECT to_regclass('three')::text AS t").first?.string("t"), "nothing applied after drift")
    }

    /// 0021 widens money from numeric(18,2) to numeric under a warehouse already in use: every
    /// value stays; our views and a view someone built on them come back with their options,
    /// owner, comment and grants, even where default privileges hand new views to anon (Supabase);
    /// and a 3-decimal amount is then kept whole.
    func testMoneyMigrationKeepsValuesViewsAndGrantsOfAWarehouseInUse() throws {
        let (db, repository) = try warehouseBeforeMigration21()
        try db.execute(
            script: """
                INSERT INTO analytics.fact_expense (odoo_id, company_id, amount, expense_month, stage, odoo_write_date)
                VALUES (1, 1, 1234.56, date '2026-11-01', 'draft', now()), (2, 1, -0.5, date '2026-11-01', 'draft', now());
                CREATE VIEW public.expense_by_month WITH (security_invoker = true) AS
                    SELECT expense_month, sum(amount) AS amount FROM analytics.expense_monthly GROUP BY expense_month;
                COMMENT ON VIEW public.expense_by_month IS 'Superset: expenses per month';
                REVOKE ALL ON public.expense_by_month FROM PUBLIC, anon;
                GRANT SELECT ON public.expense_by_month TO authenticated WITH GRANT OPTION;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public, analytics, scout GRANT SELECT ON TABLES TO anon;
                """)
        func viewFacts() throws -> [String] {
            try db.query(
                """
                SELECT c.relname || ' ' || array_to_string(c.reloptions, ',') || ' ' || coalesce(c.relacl::text, '')
                       || ' ' || pg_get_userbyid(c.relowner) || ' ' || coalesce(obj_description(c.oid, 'pg_class'), '') AS facts
                FROM pg_class c WHERE c.relkind = 'v' AND c.relnamespace::regnamespace::text IN ('analytics', 'scout', 'public')
                ORDER BY c.relname
                """
            ).rows.map { try $0.string("facts") ?? "" }
        }
        let viewsBefore = try viewFacts()
        XCTAssertEqual(viewsBefore.count, 5)
        XCTAssertTrue(viewsBefore.allSatisfy { $0.contains("security_invoker=true") && $0.contains("authenticated=r") }, "\(viewsBefore)")
        XCTAssertFalse(viewsBefore.contains { $0.contains("anon=") }, "\(viewsBefore)")

        XCTAssertEqual(try MigrationRunner(directory: repository).migrate(db).applied, ["0021_money_keeps_its_decimals.sql"])
        XCTAssertEqual(try viewFacts(), viewsBefore, "every view keeps its options, grants, owner and comment; anon gets nothing")
        XCTAssertEqual(
            try db.query("SELECT string_agg(amount::text, ' ' ORDER BY odoo_id) AS a FROM analytics.fact_expense")
                .first?.string("a"), "1234.56 -0.50")
        XCTAssertEqual(
            try db.query(
                "SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute "
                    + "WHERE attrelid = 'warehouse.account_move_line'::regclass AND attname = 'amount_currency'"
            )
            .first?.string("t"), "numeric")
        try db.execute(script: "UPDATE analytics.fact_expense SET amount = 1.235 WHERE odoo_id = 1")
        XCTAssertEqual(try db.query("SELECT amount::text AS a FROM public.expense_by_month").first?.string("a"), "0.735")
    }

    /// A materialized view holds data the migration would not rebuild: it stops, naming it, and
    /// leaves everything as it was.
    func testMoneyMigrationStopsAtAMaterializedViewAndChangesNothing() throws {
        let (db, repository) = try warehouseBeforeMigration21()
        try db.execute(
            script: "CREATE MATERIALIZED VIEW public.journal_totals AS SELECT sum(debit) AS debit FROM analytics.fact_journal_item")
        XCTAssertThrowsError(try MigrationRunner(directory: repository).migrate(db)) { error in
            XCTAssertTrue("\(error)".contains("materialized views read the warehouse's money columns: journal_totals"), "\(error)")
            XCTAssertTrue("\(error)".contains("0021_money_keeps_its_decimals.sql"), "\(error)")
        }
        XCTAssertEqual(
            try db.query(
                "SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute "
                    + "WHERE attrelid = 'analytics.fact_journal_item'::regclass AND attname = 'debit'"
            )
            .first?.string("t"), "numeric(18,2)")
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM pg_views WHERE schemaname IN ('analytics', 'scout')").first?.int("n"), 4)
    }

    /// A new database migrated up to 0020, as a warehouse in use before 0021 was written.
    private func warehouseBeforeMigration21() throws -> (PostgresConnection, URL) {
        let (_, db) = try PostgresHarness.shared.connectToNewDatabase()
        let repository = TestPaths.migrations
        let files = try FileManager.default.contentsOfDirectory(atPath: repository.path).filter { $0.hasSuffix(".sql") }
        var before: [String: String] = [:]
        for file in files where file < "0021" {
            before[file] = try String(contentsOf: repository.appendingPathComponent(file), encoding: .utf8)
        }
        try MigrationRunner(directory: try scratchMigrations(before)).migrate(db)
        return (db, repository)
    }

    func testFailingMigrationRollsBackAndNamesTheFile() throws {
        let (_, db) = try PostgresHarness.shared.connectToNewDatabase()
        let dir = try scratchMigrations([
            "0001_ok.sql": "CREATE TABLE ok (id int);", "0002_bad.sql": "CREATE TABLE half (id int); SELECT * FROM missing_table;",
        ])
        XCTAssertThrowsError(try MigrationRunner(directory: dir).migrate(db)) { error in
            XCTAssertTrue("\(error)".contains("migration 0002_bad.sql failed and was rolled back"), "\(error)")
            XCTAssertTrue("\(error)".contains("42P01"), "\(error)")
        }
        XCTAssertNotNil(try db.query("SELECT to_regclass('ok')::text AS t").first?.string("t"))
        XCTAssertNil(try db.query("SELECT to_regclass('half')::text AS t").first?.string("t"))
        XCTAssertEqual(try MigrationRunner(directory: dir).status(db).pending, ["0002_bad.sql"])
    }

    func testTwoRunnersAtOnceSerialise() throws {
        let (url, _) = try PostgresHarness.shared.connectToNewDatabase()
        let dir = try scratchMigrations(["0001_slow.sql": "SELECT pg_sleep(0.5); CREATE TABLE slow (id int);"])
        let group = DispatchGroup()
        final class Outcomes: @unchecked Sendable {
            let lock = NSLock()
            var applied: [[String]] = []
            var errors: [Error] = []
        }
        let outcomes = Outcomes()
        for _ in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let connection = try PostgresConnection(url)
                    let report = try MigrationRunner(directory: dir).migrate(connection)
                    outcomes.lock.lock()
                    outcomes.applied.append(report.applied)
                    outcomes.lock.unlock()
                } catch {
                    outcomes.lock.lock()
                    outcomes.errors.append(error)
                    outcomes.lock.unlock()
                }
            }
        }
        group.wait()
        XCTAssertTrue(outcomes.errors.isEmpty, "\(outcomes.errors)")
        XCTAssertEqual(outcomes.applied.flatMap { $0 }, ["0001_slow.sql"], "exactly one runner applies the file")
    }

    func testUnitLockIsRefusedToASecondSession() throws {
        let (url, db) = try PostgresHarness.shared.connectToNewDatabase()
        let other = try PostgresConnection(url)
        let unit = SyncUnit(pipeline: "expenses", companyId: 3)
        XCTAssertTrue(try UnitLock(db, unit: unit).acquire())
        XCTAssertFalse(try UnitLock(other, unit: unit).acquire())
        XCTAssertFalse(try UnitLock(other, unit: unit).acquire(waitSeconds: 0.2))
        XCTAssertTrue(try UnitLock(other, unit: SyncUnit(pipeline: "expenses", companyId: 4)).acquire(), "other units are independent")
        try UnitLock(db, unit: unit).release()
        XCTAssertTrue(try UnitLock(other, unit: unit).acquire(waitSeconds: 1))
    }

    func testTransactionPoolerIsRefusedWithAClearMessage() {
        for url in [
            "postgresql://postgres.abc:pw@aws-0-ap-southeast-1.pooler.supabase.com:6543/postgres",
            "postgres://u:pw@db.example.com:5432/postgres?pgbouncer=true",
        ] {
            XCTAssertThrowsError(try WarehouseConnection.open(url)) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("transaction pooler"), text)
                XCTAssertTrue(text.contains("session pooler (port 5432)"), text)
                XCTAssertFalse(text.contains("pw@"), text)
            }
        }
        XCTAssertNil(WarehouseConnection.transactionPoolerEndpoint("postgres://u:pw@db.example.com:5432/postgres"))
    }
}
