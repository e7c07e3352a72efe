import Foundation
import Postgres
import TestSupport
import XCTest

/// The failures an operator meets before any data moves, through the built binary: each gives
/// one clear message (golden files), exit status 1, no secret in the output, and leaves every
/// committed row, checkpoint and run-log row as it was.
final class EngineEndToEndErrorTests: EngineEndToEndTestCase {
    func testWrongOdooPasswordIsALoginFailureAndChangesNothing() throws {
        let before = try preparedWarehouse()
        let wrongPassword = "not-the-Odoo-password-5521"
        let result = try workspace.run(["sync", "--env", "local"], environment: ["ODOO_LOCAL_PASSWORD": wrongPassword])
        XCTAssertEqual(result.status, 1, result.transcript)
        XCTAssertTrue(result.stderr.contains("login failed for user admin on database odoo_demo"), result.stderr)
        XCTAssertFalse(result.transcript.contains(wrongPassword), "the password was printed")
        try Golden.assertMatches(normalized(result), "error-odoo-login-failed.txt")
        XCTAssertEqual(try everything(), before)
    }

    func testAnUnmigratedWarehouseNamesTheMigrateCommandOfItsEnvironment() throws {
        try prepare(.small)
        let result = try workspace.run(["sync", "--env", "local"])
        XCTAssertEqual(result.status, 1, result.transcript)
        XCTAssertTrue(
            result.stderr.contains("hint: run `odoo-etl migrate --env local` (make supabase-migrate ENV=local) first"),
            result.stderr)
        XCTAssertEqual(
            try warehouse.count("SELECT count(*) FROM pg_tables WHERE schemaname IN ('etl', 'warehouse', 'analytics')"), 0,
            "nothing was created")
    }

    func testOdooThatDoesNotAnswerIsNamedAndChangesNothing() throws {
        let before = try preparedWarehouse()
        simulator.stop()
        let result = try workspace.run(["sync", "--env", "local"])
        XCTAssertEqual(result.status, 1, result.transcript)
        XCTAssertTrue(result.stderr.contains("Could not connect to \(simulator.url.absoluteString)/xmlrpc/2/common"), result.stderr)
        XCTAssertTrue(result.stderr.contains("Check that the server is running and listens on that port"), result.stderr)
        try Golden.assertMatches(normalized(result), "error-odoo-unreachable.txt")
        XCTAssertEqual(try everything(), before)
    }

    func testTransactionPoolerURLIsRefusedWithTheSessionPoolerAdvice() throws {
        let before = try preparedWarehouse()
        let secret = "pooler-Secret-0097"
        let pooler = "postgresql://postgres.project:\(secret)@127.0.0.1:6543/postgres"
        let result = try workspace.run(["sync", "--env", "local"], environment: ["SUPABASE_LOCAL_DB_URL": pooler])
        XCTAssertEqual(result.status, 64, result.transcript)
        XCTAssertTrue(result.stderr.contains("Use the direct connection or the session pooler (port 5432) instead."), result.stderr)
        XCTAssertFalse(result.transcript.contains(secret), "the database password was printed")
        try Golden.assertMatches(normalized(result), "error-transaction-pooler.txt")

        // The same refusal for migrate and backfill, and for a pooler named by pgbouncer=true.
        for (arguments, url) in [
            (["migrate", "--env", "local"], pooler),
            (["backfill", "--env", "local", "--company", "2"], pooler),
            (["sync", "--env", "local"], "postgresql://postgres:\(secret)@127.0.0.1:5432/postgres?pgbouncer=true"),
        ] {
            let refused = try workspace.run(arguments, environment: ["SUPABASE_LOCAL_DB_URL": url])
            XCTAssertEqual(refused.status, 64, refused.transcript)
            XCTAssertTrue(refused.stderr.contains("is Supabase's transaction pooler"), refused.transcript)
            XCTAssertFalse(refused.transcript.contains(secret), "the database password was printed")
        }
        XCTAssertEqual(try everything(), before)
    }

    func testAWarehouseStatementStuckBehindALockIsCutOffByTheStatementTimeout() throws {
        try prepare(.small, statementSeconds: 2)
        try workspace.migrateAndSync()
        let before = try everything()
        _ = try simulator.write(model: "hr.expense", ids: [1], values: ["name": "waiting behind a lock"])
        // Another session (a long report, a migration by hand) holds the expense table.
        let blocker = try PostgresConnection(workspace.databaseURL)
        try blocker.execute(script: "BEGIN; LOCK TABLE warehouse.hr_expense IN ACCESS EXCLUSIVE MODE")
        // The lock is held until the run returns: it can only end through the statement timeout (57014).
        let result = try workspace.run(["sync", "--env", "local", "--pipeline", "expenses"])
        try blocker.execute(script: "ROLLBACK")
        XCTAssertEqual(result.status, 1, result.transcript)
        XCTAssertTrue(result.stderr.contains("57014") && result.stderr.contains("statement timeout"), result.stderr)
        XCTAssertTrue(result.stderr.contains("the next run resumes from the last one"), result.stderr)
        var after = try everything()
        // The failed run is recorded; nothing else changed.
        after["etl.sync_runs"] = before["etl.sync_runs"]
        XCTAssertEqual(after, before)
        // Every expense unit failed on the timeout; no other unit failed.
        let companies = try warehouse.count("SELECT count(*) FROM warehouse.res_company")
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM etl.sync_runs WHERE status = 'failed'"), companies)
        XCTAssertEqual(
            try warehouse.count(
                "SELECT count(*) FROM etl.sync_runs WHERE status = 'failed' "
                    + "AND (pipeline <> 'expenses' OR error NOT LIKE '%statement timeout%')"), 0)
    }

    /// Odoo answering "no records" for a company is far more often a lost access right or a broken
    /// domain than a company that deleted everything: reconciliation refuses to soft-delete the lot.
    func testReconcileRefusesToSoftDeleteACompanyThatOdooSuddenlyShowsEmpty() throws {
        let before = try preparedWarehouse()
        let answer = try simulator.control("read", ["model": "hr.expense", "domain": [["company_id", "=", 2]], "fields": ["id"]])
        let company2 = (answer["records"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
        XCTAssertFalse(company2.isEmpty)
        try simulator.unlink(model: "hr.expense", ids: company2)
        let result = try workspace.run(["sync", "--env", "local", "--pipeline", "expenses", "--reconcile"])
        XCTAssertEqual(result.status, 1, result.transcript)
        XCTAssertTrue(
            result.stderr.contains(
                "Odoo returned no live records for warehouse.hr_expense of company 2 while the warehouse holds "
                    + "\(company2.count) live rows"), result.stderr)
        var after = try everything()
        after["etl.sync_runs"] = before["etl.sync_runs"]
        XCTAssertEqual(after, before, "nothing soft-deleted, no checkpoint moved")
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM etl.sync_runs WHERE status = 'failed'"), 1, "only company 2's unit failed")
        XCTAssertTrue(result.stderr.contains("--allow-empty-reconcile"), "the refusal names the way out\n\(result.stderr)")

        // The operator confirms the company really has no expenses left.
        let refused = try workspace.run(["sync", "--env", "local", "--pipeline", "expenses", "--allow-empty-reconcile"])
        XCTAssertEqual(refused.status, 64, refused.transcript)
        XCTAssertTrue(refused.stderr.contains("--allow-empty-reconcile only applies with --reconcile"), refused.stderr)
        try workspace.succeed([
            "sync", "--env", "local", "--pipeline", "expenses", "--company", "2", "--reconcile", "--allow-empty-reconcile",
        ])
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM warehouse.hr_expense WHERE company_id = 2 AND deleted_at IS NULL"), 0)
        XCTAssertEqual(
            try warehouse.count("SELECT count(*) FROM warehouse.hr_expense WHERE company_id = 2 AND deleted_at IS NOT NULL"),
            company2.count, "soft-deleted, not removed")
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM warehouse.hr_expense WHERE company_id <> 2 AND deleted_at IS NOT NULL"), 0)
    }

    // MARK: - Helpers

    /// A warehouse after one full sync, and everything in it.
    func testDryRunReadsAndTransformsButWritesNothing() throws {
        let before = try preparedWarehouse()
        _ = try simulator.write(model: "hr.expense", ids: [1], values: ["name": "changed for the dry run"])
        let result = try workspace.succeed(["sync", "--env", "local", "--full", "--dry-run", "--pipeline", "expenses"])
        XCTAssertTrue(result.stdout.contains("would write"), result.stdout)
        XCTAssertTrue(result.stdout.contains("warehouse.hr_expense"), result.stdout)
        XCTAssertTrue(result.stdout.contains("(dry run: nothing was written)"), result.stdout)
        // The same answer as one JSON line for cron.
        let json = try workspace.succeed([
            "--log-format", "json", "sync", "--env", "local", "--full", "--dry-run", "--pipeline", "expenses",
        ])
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.stdout)
        let fields = try XCTUnwrap(summary["fields"] as? [String: Any])
        let wouldWrite = try XCTUnwrap(fields["would_write"] as? [String])
        XCTAssertEqual(wouldWrite.count, 3, "\(wouldWrite)")
        XCTAssertTrue(
            wouldWrite.allSatisfy { $0.contains("warehouse.hr_expense ") && $0.contains("analytics.fact_expense ") }, "\(wouldWrite)")
        XCTAssertEqual(try everything(), before, "a dry run must not write rows, checkpoints or run-log rows")
    }

    private func preparedWarehouse() throws -> [String: [String: String]] {
        try prepare(.small)
        try workspace.migrateAndSync()
        return try everything()
    }

    /// Every row of every table, the etl bookkeeping included, as exact text.
    private func everything() throws -> [String: [String: String]] {
        var state = try warehouse.snapshot(schemas: WarehouseExpectations.schemas)
        state["etl.sync_state"] = Dictionary(uniqueKeysWithValues: try warehouse.lines("SELECT * FROM etl.sync_state").map { ($0, $0) })
        state["etl.sync_runs"] = try warehouse.snapshot("etl.sync_runs")
        state["etl.backfill_progress"] = Dictionary(
            uniqueKeysWithValues: try warehouse.lines("SELECT * FROM etl.backfill_progress").map { ($0, $0) })
        return state
    }

    /// The transcript with what changes from run to run (the simulator's port, curl's timing) replaced.
    private func normalized(_ result: CLIResult) -> String {
        result.transcript
            .replacingOccurrences(of: "127.0.0.1:\(simulator.port)", with: "127.0.0.1:PORT")
            .replacingOccurrences(of: "port \(simulator.port) ", with: "port PORT ")
            .replacingOccurrences(of: #"after \d+ ms"#, with: "after N ms", options: .regularExpression)
    }
}
