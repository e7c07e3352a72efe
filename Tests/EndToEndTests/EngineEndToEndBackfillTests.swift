import Foundation
import TestSupport
import XCTest

/// `backfill --company` through the built binary: it repairs one legal entity, resumes after a
/// SIGKILL, never touches another company's rows or any incremental checkpoint, and refuses an
/// unknown or ambiguous company name by listing the candidates.
final class EngineEndToEndBackfillTests: EngineEndToEndTestCase {
    private let backfilled = 2
    private let backfilledName = "Cebu Logistics Corp."

    func testBackfillByIdRepairsOneCompanyAndLeavesTheOthersByteIdentical() throws {
        try prepare(.small)
        try workspace.migrateAndSync()
        // Changes committed late, stamped long before the checkpoints (an incremental sync never
        // sees them), in the backfilled company and in another one; and rows lost from the warehouse.
        let lateInBackfilled = try lateCorrection(company: backfilled)
        let lateElsewhere = try lateCorrection(company: 1)
        try workspace.succeed(["sync", "--env", "local"])
        for late in [lateInBackfilled, lateElsewhere] {
            XCTAssertNotEqual(try amount(of: late), "7777.77", "an incremental sync cannot see a change stamped before its checkpoint")
        }
        try warehouse.execute(
            """
            DELETE FROM warehouse.hr_expense WHERE company_id = \(backfilled) AND odoo_id % 4 = 0;
            DELETE FROM analytics.fact_expense WHERE company_id = \(backfilled) AND odoo_id % 3 = 0;
            DELETE FROM warehouse.account_move_line WHERE company_id = \(backfilled) AND odoo_id % 5 = 0;
            """)
        let othersBefore = try otherCompaniesRows()
        let checkpointsBefore = try checkpoints()
        let lastRun = try workspace.lastRunId()

        let result = try workspace.succeed(["backfill", "--env", "local", "--company", String(backfilled)])
        XCTAssertTrue(result.stdout.contains("7 units, 0 failed, 0 busy"), result.stdout)
        XCTAssertTrue(
            result.stderr.contains("pipeline 'partners' is shared by every company and is not part of a company backfill"), result.stderr)

        try WarehouseExpectations.assertHoldsExactly(simulator, warehouse, companies: [String(backfilled)])
        XCTAssertEqual(try amount(of: lateInBackfilled), "7777.77")
        XCTAssertNotEqual(try amount(of: lateElsewhere), "7777.77", "the backfill reached into another company")
        XCTAssertEqual(try otherCompaniesRows(), othersBefore, "rows of other companies changed")
        XCTAssertEqual(try checkpoints(), checkpointsBefore, "a backfill moved an incremental checkpoint")
        let runs = try runRows(after: lastRun)
        XCTAssertEqual(Set(runs.map(\.company)), [String(backfilled)], "\(runs)")
        XCTAssertTrue(runs.allSatisfy { $0.kind == "backfill" && $0.status == "ok" }, "\(runs)")
        XCTAssertGreaterThan(runs.map(\.inserted).reduce(0, +), 0, "the lost rows came back")
        XCTAssertEqual(
            try warehouse.lines("SELECT pipeline, company_id::text, (completed_at IS NOT NULL)::text FROM etl.backfill_progress"),
            ["bir_tax_lines", "employees", "expense_reports", "expenses", "invoices", "journal_items", "taxes"]
                .map { "\($0) | \(backfilled) | true" })

        // The same company by its exact name: a finished window starts afresh and changes nothing.
        let repaired = try warehouse.snapshot(schemas: WarehouseExpectations.schemas)
        let byName = try workspace.succeed(["backfill", "--env", "local", "--company", backfilledName])
        XCTAssertTrue(byName.stdout.contains("\(backfilledName) (\(backfilled))"), byName.stdout)
        XCTAssertEqual(try warehouse.snapshot(schemas: WarehouseExpectations.schemas), repaired)
        XCTAssertEqual(try checkpoints(), checkpointsBefore)
    }

    func testKilledBackfillResumesFromItsOwnCursorAndNeverTouchesOtherCompanies() throws {
        try prepare(.larger)
        try workspace.migrateAndSync()
        let expenses = PipelineExpectation.named("expenses")
        let companyExpenses = try expenses.records(in: simulator).filter { $0.company == String(backfilled) }.count
        try warehouse.execute(
            """
            DELETE FROM warehouse.hr_expense WHERE company_id = \(backfilled);
            DELETE FROM analytics.fact_expense WHERE company_id = \(backfilled);
            """)
        let othersBefore = try otherCompaniesRows()
        let checkpointsBefore = try checkpoints()
        // Slow Odoo pages, so the kill lands between committed batches.
        try simulator.inject(.init(.delay(seconds: 0.15), count: nil, method: "search_read", model: "hr.expense"))

        let killed = try workspace.start(["backfill", "--env", "local", "--company", backfilledName, "--pipeline", "expenses"])
        let caught = try eventually(timeout: 60) {
            let loaded = try warehouse.count("SELECT count(*) FROM warehouse.hr_expense WHERE company_id = \(backfilled)")
            return loaded >= 100 && loaded < companyExpenses / 2
        }
        killed.killHard()
        let outcome = killed.wait()
        XCTAssertTrue(caught, "the backfill finished before it could be killed:\n\(outcome.transcript)")
        XCTAssertEqual(outcome.status, 128 + SIGKILL)
        let loadedAtKill = try warehouse.count("SELECT count(*) FROM warehouse.hr_expense WHERE company_id = \(backfilled)")
        XCTAssertEqual(
            try warehouse.lines("SELECT pipeline, company_id::text, (completed_at IS NULL)::text FROM etl.backfill_progress"),
            ["expenses | \(backfilled) | true"], "an unfinished backfill cursor is left to resume from")
        try WarehouseExpectations.assertCheckpointsCovered(simulator, warehouse, table: "etl.backfill_progress")
        XCTAssertEqual(
            try warehouse.lines("SELECT pipeline, status FROM etl.sync_runs WHERE kind = 'backfill'"), ["expenses | running"],
            "the killed run stays visible as running")
        XCTAssertEqual(try otherCompaniesRows(), othersBefore)

        try simulator.clearFaults()
        let lastRun = try workspace.lastRunId()
        let resumed = try workspace.succeed(["backfill", "--env", "local", "--company", backfilledName, "--pipeline", "expenses"])
        XCTAssertTrue(resumed.stdout.contains("1 units, 0 failed, 0 busy"), resumed.stdout)
        let run = try XCTUnwrap(runRows(after: lastRun).first)
        XCTAssertEqual(
            run.inserted, companyExpenses - loadedAtKill, "the resumed backfill loads exactly what the killed one had not: \(run)")
        XCTAssertLessThan(run.inserted + run.unchanged, companyExpenses, "it resumed from its cursor instead of starting over: \(run)")

        try WarehouseExpectations.assertHoldsExactly(simulator, warehouse, pipelines: [expenses], companies: [String(backfilled)])
        XCTAssertEqual(try otherCompaniesRows(), othersBefore, "rows of other companies changed")
        XCTAssertEqual(try checkpoints(), checkpointsBefore, "a backfill moved an incremental checkpoint")
        XCTAssertEqual(
            try warehouse.lines("SELECT pipeline, (completed_at IS NOT NULL)::text FROM etl.backfill_progress"), ["expenses | true"])
        XCTAssertEqual(
            try warehouse.lines("SELECT pipeline, status FROM etl.sync_runs WHERE kind = 'backfill'"),
            ["expenses | interrupted", "expenses | ok"], "the resumed backfill closed the row its killed run left open")
    }

    func testUnknownAndAmbiguousCompanyNamesListTheCandidatesAndWriteNothing() throws {
        try prepare(.small)
        try workspace.migrateAndSync()
        let before = try warehouse.snapshot(schemas: WarehouseExpectations.schemas)
        let bookkeepingBefore = try bookkeeping()

        let unknown = try workspace.run(["backfill", "--env", "local", "--company", "Cebu Logistics"])
        XCTAssertEqual(unknown.status, 64, unknown.transcript)
        XCTAssertTrue(unknown.stderr.contains("1 Makati Holdings Inc., 2 Cebu Logistics Corp., 3 Davao Agri Ventures"), unknown.stderr)
        try Golden.assertMatches(unknown.transcript, "error-backfill-unknown-company.txt")

        _ = try simulator.write(model: "res.company", ids: [3], values: ["name": backfilledName])
        let ambiguous = try workspace.run(["backfill", "--env", "local", "--company", backfilledName])
        XCTAssertEqual(ambiguous.status, 64, ambiguous.transcript)
        XCTAssertTrue(ambiguous.stderr.contains("2 Cebu Logistics Corp., 3 Cebu Logistics Corp."), ambiguous.stderr)
        try Golden.assertMatches(ambiguous.transcript, "error-backfill-ambiguous-company.txt")

        XCTAssertEqual(try warehouse.snapshot(schemas: WarehouseExpectations.schemas), before)
        XCTAssertEqual(try bookkeeping(), bookkeepingBefore, "a refused backfill left a trace in the etl schema")
    }

    // MARK: - Helpers

    /// Rewrites one of the company's earliest expenses with a write_date months before every
    /// checkpoint (a late commit), and returns its id.
    private func lateCorrection(company: Int) throws -> Int {
        let early = try simulator.control(
            "read",
            [
                "model": "hr.expense", "fields": ["write_date"],
                "domain": [["company_id", "=", company], ["write_date", "<", "2025-03-01 00:00:00"]],
            ])
        let id = try XCTUnwrap((early["records"] as? [[String: Any]])?.compactMap { $0["id"] as? Int }.min())
        _ = try simulator.write(model: "hr.expense", ids: [id], values: ["total_amount": 7777.77], at: "2025-03-01 12:00:00")
        return id
    }

    private func amount(of expense: Int) throws -> String? {
        try warehouse.value("SELECT total_amount::text FROM warehouse.hr_expense WHERE odoo_id = \(expense)")
    }

    /// Every row (exact text, synced_at included) of every company but the backfilled one.
    private func otherCompaniesRows() throws -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for table in try warehouse.tables(inSchemas: WarehouseExpectations.schemas) {
            result[table] = try warehouse.snapshot(table, where: "company_id IS DISTINCT FROM \(backfilled)")
        }
        return result
    }

    private func checkpoints() throws -> [String] {
        try warehouse.lines("SELECT * FROM etl.sync_state")
    }

    private func bookkeeping() throws -> [String] {
        try warehouse.lines("SELECT 'state', * FROM etl.sync_state") + warehouse.lines("SELECT 'runs', * FROM etl.sync_runs")
            + warehouse.lines("SELECT 'backfill', * FROM etl.backfill_progress")
    }
}
