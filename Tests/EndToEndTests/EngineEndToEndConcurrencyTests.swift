import Foundation
import TestSupport
import XCTest

/// Runs that overlap or die: the unit locks turn a second run away per unit, and a run killed with
/// SIGKILL leaves checkpoints that never run ahead of committed rows, so the next run completes
/// the warehouse to exactly what one uninterrupted run would have loaded.
final class EngineEndToEndConcurrencyTests: EngineEndToEndTestCase {
    private let companies = [(1, "Makati Holdings Inc."), (2, "Cebu Logistics Corp."), (3, "Davao Agri Ventures")]

    func testOverlappingRunsReportTheHeldUnitsBusyAndCorruptNothing() throws {
        try prepare(.larger, jobs: 3)
        try workspace.succeed(["migrate", "--env", "local"])
        // Slow expense pages keep the first run inside its three expense units for several seconds.
        try simulator.inject(.init(.delay(seconds: 0.5), count: nil, method: "search_read", model: "hr.expense"))
        let first = try workspace.start(["sync", "--env", "local"])
        let holding = try eventually(timeout: 60) {
            try warehouse.count("SELECT count(*) FROM etl.sync_runs WHERE pipeline = 'expenses' AND status = 'running'") == 3
        }
        XCTAssertTrue(holding, "the first run never held all three expense units")

        // The nightly run starting meanwhile: every other unit runs, the three held ones are busy.
        let overlapping = try workspace.run(["sync", "--env", "local"])
        XCTAssertTrue(first.isRunning, "the first run ended before the second finished; the dataset is too small to overlap")
        XCTAssertEqual(overlapping.status, 0, overlapping.transcript)
        XCTAssertTrue(overlapping.stdout.contains("23 units, 0 failed, 3 busy"), overlapping.stdout)
        for (id, name) in companies {
            XCTAssertNotNil(
                overlapping.stdout.range(of: #"expenses · \#(name) \(\#(id)\)\s.*\sbusy"#, options: .regularExpression),
                overlapping.stdout)
            XCTAssertTrue(
                overlapping.stderr.contains("another run holds the lock of expenses × company \(id); nothing was done"),
                overlapping.stderr)
        }

        // Asking only for the held units: every requested unit is busy, exit 75.
        let allBusy = try workspace.run(["sync", "--env", "local", "--pipeline", "expenses"])
        XCTAssertTrue(first.isRunning, "the first run ended before the third finished; the dataset is too small to overlap")
        XCTAssertEqual(allBusy.status, 75, allBusy.transcript)
        XCTAssertTrue(allBusy.stdout.contains("3 units, 0 failed, 3 busy"), allBusy.stdout)

        let firstResult = finish(first)
        XCTAssertEqual(firstResult.status, 0, firstResult.transcript)
        XCTAssertTrue(firstResult.stdout.contains("23 units, 0 failed, 0 busy"), firstResult.stdout)
        XCTAssertEqual(
            try warehouse.lines("SELECT pipeline, company_id::text, rows_inserted + rows_updated FROM etl.sync_runs WHERE status = 'busy'"),
            (companies + companies).map { "expenses | \($0.0) | 0" }.sorted())
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM etl.sync_runs WHERE status NOT IN ('ok', 'busy')"), 0)

        try simulator.clearFaults()
        try WarehouseExpectations.assertHoldsExactly(simulator, warehouse)
        try WarehouseExpectations.assertCheckpointsCovered(simulator, warehouse)
        try WarehouseExpectations.assertSameRows(warehouse, try workspace.referenceWarehouse())
    }

    func testSyncKilledMidwayResumesToExactlyWhatOneUninterruptedRunLoads() throws {
        try prepare(.larger)
        try workspace.succeed(["migrate", "--env", "local"])
        let totalExpenses = try PipelineExpectation.named("expenses").records(in: simulator).count
        try simulator.inject(.init(.delay(seconds: 0.15), count: nil, method: "search_read", model: "hr.expense"))

        let killed = try workspace.start(["sync", "--env", "local"])
        let caught = try eventually(timeout: 90) {
            let loaded = try warehouse.count("SELECT count(*) FROM warehouse.hr_expense")
            return loaded >= 200 && loaded <= totalExpenses / 2
        }
        killed.killHard()
        let outcome = killed.wait()
        XCTAssertTrue(caught, "the sync finished before it could be killed:\n\(outcome.transcript)")
        XCTAssertEqual(outcome.status, 128 + SIGKILL)

        // At the moment of death: no checkpoint ahead of its committed rows, no key twice, and the
        // killed units visible as still running.
        try WarehouseExpectations.assertCheckpointsCovered(simulator, warehouse)
        XCTAssertEqual(try warehouse.count("SELECT count(*) - count(DISTINCT odoo_id) FROM warehouse.hr_expense"), 0)
        let runningAtKill = try warehouse.lines(
            "SELECT run_id, pipeline, coalesce(company_id, 0) FROM etl.sync_runs WHERE status = 'running'")
        XCTAssertTrue(runningAtKill.contains { $0.contains(" | expenses | ") }, "\(runningAtKill)")
        let loadedAtKill = try warehouse.count("SELECT count(*) FROM warehouse.hr_expense")

        try simulator.clearFaults()
        let lastRun = try workspace.lastRunId()
        let resumed = try workspace.succeed(["sync", "--env", "local"])
        XCTAssertTrue(resumed.stdout.contains("23 units, 0 failed, 0 busy"), resumed.stdout)
        let expenseRuns = try runRows(after: lastRun).filter { $0.pipeline == "expenses" }
        XCTAssertEqual(
            expenseRuns.map(\.inserted).reduce(0, +), totalExpenses - loadedAtKill,
            "the resumed run inserts exactly the expenses the killed one had not committed: \(expenseRuns)")
        XCTAssertEqual(expenseRuns.map(\.updated).reduce(0, +), 0, "\(expenseRuns)")
        XCTAssertEqual(
            try warehouse.lines("SELECT run_id, pipeline, coalesce(company_id, 0) FROM etl.sync_runs WHERE status = 'interrupted'"),
            runningAtKill, "the resumed units closed the rows their killed runs left open")
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM etl.sync_runs WHERE status = 'running'"), 0)

        try WarehouseExpectations.assertHoldsExactly(simulator, warehouse)
        try WarehouseExpectations.assertCheckpointsCovered(simulator, warehouse)
        try WarehouseExpectations.assertSameRows(warehouse, try workspace.referenceWarehouse())

        let settled = try workspace.lastRunId()
        try workspace.succeed(["sync", "--env", "local"])
        XCTAssertEqual(try runRows(after: settled).map { $0.inserted + $0.updated }.reduce(0, +), 0)
        try workspace.succeed(["verify", "--env", "local"])
    }
    /// `systemctl stop` (SIGTERM) or Ctrl-C: the batch in flight finishes, every unit records
    /// itself interrupted, the run exits 1 and the next run picks up exactly there. A second
    /// signal stops at once with the shell's 128 + signal number and still loses nothing.
    func testSIGTERMStopsAfterTheBatchInFlightAndASecondSignalStopsAtOnce() throws {
        try prepare(.larger)
        try workspace.succeed(["migrate", "--env", "local"])
        let totalExpenses = try PipelineExpectation.named("expenses").records(in: simulator).count
        try simulator.inject(.init(.delay(seconds: 0.15), count: nil, method: "search_read", model: "hr.expense"))
        func startAndWaitForExpenses(_ minimum: Int) throws -> RunningCommand {
            let command = try workspace.start(["sync", "--env", "local"])
            let caught = try eventually(timeout: 90) {
                let loaded = try warehouse.count("SELECT count(*) FROM warehouse.hr_expense")
                return loaded >= minimum && loaded < totalExpenses
            }
            XCTAssertTrue(caught, "the sync finished before it could be signalled")
            return command
        }

        let stopped = try startAndWaitForExpenses(200)
        stopped.signal(SIGTERM)
        let outcome = stopped.wait()
        XCTAssertEqual(outcome.status, 1, outcome.transcript)
        XCTAssertTrue(outcome.stderr.contains("stopping after the batch in flight"), outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("INTERRUPTED"), outcome.stdout)
        XCTAssertEqual(
            try warehouse.count("SELECT count(*) FROM etl.sync_runs WHERE status = 'running'"), 0,
            "every unit closed its run row itself")
        XCTAssertGreaterThan(
            try warehouse.count("SELECT count(*) FROM etl.sync_runs WHERE status = 'interrupted' AND pipeline = 'expenses'"), 0)
        try WarehouseExpectations.assertCheckpointsCovered(simulator, warehouse)
        XCTAssertEqual(try warehouse.count("SELECT count(*) - count(DISTINCT odoo_id) FROM warehouse.hr_expense"), 0)

        let loaded = try warehouse.count("SELECT count(*) FROM warehouse.hr_expense")
        let twice = try startAndWaitForExpenses(loaded + 100)
        twice.signal(SIGTERM)
        usleep(50_000)
        twice.signal(SIGTERM)
        let abrupt = twice.wait()
        XCTAssertEqual(abrupt.status, 128 + SIGTERM, abrupt.transcript)
        try WarehouseExpectations.assertCheckpointsCovered(simulator, warehouse)

        try simulator.clearFaults()
        try workspace.succeed(["sync", "--env", "local"])
        try WarehouseExpectations.assertHoldsExactly(simulator, warehouse)
        try WarehouseExpectations.assertSameRows(warehouse, try workspace.referenceWarehouse())
        try workspace.succeed(["verify", "--env", "local"])
    }
}
