import Foundation
import TestSupport
import XCTest

/// A chaos scenario: its own Odoo simulator and workspace (the end-to-end suite's), a seeded
/// random source, and the common ending: `verify`, the row-by-row audit, a comparison with an
/// uninterrupted reference sync, and the report line.
class ChaosTestCase: XCTestCase {
    let settings = ChaosSettings.current
    private(set) var simulator: OdooSimulator!
    private(set) var workspace: EngineWorkspace!
    var random = SeededRandom(seed: 0)
    /// `etl.retries` backoff of the scenarios that take the warehouse away: 0.25 s doubling to 1 s
    /// over 8 attempts waits out about 5 s, as the default settings (1 s to 30 s, 5 attempts) would 15 s.
    static let warehouseBackoff = (initial: 0.25, max: 1.0)

    /// Starts a simulator holding `expenses` expenses over three companies and a workspace whose
    /// pipelines read in small batches, so a run has many pages and transactions to hit.
    func prepare(
        scenario: String, expenses: Int, expenseBatch: Int, jobs: Int = 2,
        backoff: (initial: Double, max: Double) = (0, 0)
    ) throws {
        random = settings.random(for: scenario)
        var options = OdooSimulator.Options()
        options.companies = 3
        options.partners = 60
        options.employees = 30
        options.expenses = expenses
        options.moves = 150
        simulator = try OdooSimulator(options)
        var workspaceSettings = EngineWorkspace.Settings()
        workspaceSettings.batchSizes = [
            "expenses": expenseBatch, "expense_reports": expenseBatch, "journal_items": 200,
            "bir_tax_lines": 100, "invoices": 50, "partners": 25,
        ]
        workspaceSettings.jobs = jobs
        workspace = try EngineWorkspace(simulator: simulator, settings: workspaceSettings)
        try workspace.configureForChaos(jobs: jobs, backoff: backoff)
    }

    override func tearDown() {
        simulator?.stop()
        simulator = nil
        workspace = nil
        super.tearDown()
    }

    /// Waits for a command; one still running after `timeout` is a hang: the test fails, the process is killed.
    func finish(_ command: RunningCommand, timeout: TimeInterval = 300, file: StaticString = #filePath, line: UInt = #line) -> CLIResult {
        if !eventually(timeout: timeout, { !command.isRunning }) {
            XCTFail("odoo-etl hung: still running after \(Int(timeout)) s; killed", file: file, line: line)
            command.killHard()
        }
        return command.wait()
    }

    /// Migrates the warehouse and asserts it worked.
    func migrate(_ warehouse: ChaosWarehouse, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try warehouse.run(["migrate", "--env", "local"])
        XCTAssertEqual(result.status, 0, result.transcript, file: file, line: line)
    }

    /// Gives the next incremental run work: `count` random expenses get a new amount, stamped now
    /// (one Odoo transaction, so they share a write_date second).
    @discardableResult
    func rewriteExpenses(count: Int) throws -> [Int] {
        let ids = try expenseIds()
        let chosen = Array(ids.shuffled(using: &random).prefix(count))
        let amount = Double(random.integer(100...999_999)) / 100
        _ = try simulator.write(model: "hr.expense", ids: chosen, values: ["total_amount": amount])
        return chosen
    }

    func expenseIds() throws -> [Int] {
        let answer = try simulator.control("read", ["model": "hr.expense", "domain": [], "fields": ["id"]])
        return (answer["records"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }.sorted()
    }

    /// Retried batches leave nothing behind, and a rerun's units ran: how each unit of each run ended.
    func runStatuses(_ warehouse: ChaosWarehouse, after runId: Int) throws -> [String] {
        try warehouse.inspector.lines("SELECT status FROM etl.sync_runs WHERE run_id > \(runId)")
    }

    func lastRunId(_ warehouse: ChaosWarehouse) throws -> Int {
        try warehouse.inspector.count("SELECT coalesce(max(run_id), 0) FROM etl.sync_runs")
    }

    /// The common ending: `verify` clean, the audit (rows compared by hash, duplicates, checkpoints)
    /// clean, the same live rows as an uninterrupted sync of the same Odoo, then the report line.
    /// `earlier` holds invariant checks made during the scenario (after each kill, say); `reference`
    /// an uninterrupted sync of Odoo as it is now, if the scenario already made one.
    func conclude(
        _ scenario: String, _ warehouse: ChaosWarehouse, faultsInjected: Int, retries: Int, details: [String],
        earlier: ChaosAudit = ChaosAudit(), reference: WarehouseInspector? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        try simulator.clearFaults()
        let verification = try warehouse.verify()
        XCTAssertTrue(
            verification.clean, "verify is not clean after chaos \(scenario):\n\(verification.transcript)", file: file, line: line)

        let odoo = try OdooSnapshot.take(simulator)
        var audit = try ChaosAudit.measure(odoo, warehouse.inspector)
        let final = audit
        audit.add(earlier)
        XCTAssertTrue(
            audit.isClean, "chaos \(scenario): \(audit.summary)\n  " + audit.examples.joined(separator: "\n  "), file: file, line: line)

        let reference = try reference ?? workspace.referenceWarehouse(file: file, line: line)
        let comparison = try ReferenceComparison.compare(warehouse.inspector, with: reference)
        XCTAssertEqual(
            comparison.differing, 0,
            "chaos \(scenario): rows differ from an uninterrupted sync:\n  "
                + comparison.examples.joined(separator: "\n  "), file: file, line: line)

        ChaosReportLine(
            scenario: scenario, faultsInjected: faultsInjected, retries: retries,
            rowsLost: audit.rowsLost, rowsDuplicated: audit.duplicated,
            details: details + [
                "end state: \(final.recordsCompared) rows expected from Odoo (each record in each table of its pipeline) hashed and compared "
                    + "(\(final.missing) missing, \(final.stale) stale, \(final.extra) extra live rows); "
                    + "\(comparison.rowsCompared) rows equal column by column to an uninterrupted sync "
                    + "(\(comparison.differing) differ); verify \(verification.clean ? "clean" : "NOT clean")",
                "checkpoints: \(audit.checkpointsChecked) cursors checked (during the scenario and at its end), "
                    + "\(audit.behindCheckpoints) covered records missing; duplicate keys: \(audit.duplicated); "
                    + "\(settings.mode.rawValue) size, ODOO_ETL_CHAOS_SEED=\(settings.seed)",
            ]
        ).publish(settings: settings)
    }
}
