import Foundation
import TestSupport
import XCTest

/// Each end-to-end engine test gets its own Odoo simulator and its own database; the simulator
/// is stopped when the test ends.
class EngineEndToEndTestCase: XCTestCase {
    /// Seed sizes (totals over three companies) and batch sizes for the two kinds of test.
    enum Dataset {
        /// A full sync takes a couple of seconds and still runs several batches per unit.
        case small
        /// Enough expense batches per company that a run can be caught (and killed) between batches.
        case larger

        var simulatorOptions: OdooSimulator.Options {
            var options = OdooSimulator.Options()
            options.companies = 3
            options.partners = 24
            options.employees = 12
            switch self {
            case .small:
                options.expenses = 240
                options.moves = 60
            case .larger:
                options.expenses = 1_800
                options.moves = 60
            }
            return options
        }

        var workspaceSettings: EngineWorkspace.Settings {
            var settings = EngineWorkspace.Settings()
            switch self {
            case .small:
                settings.batchSizes = [
                    "companies": 2, "partners": 10, "taxes": 4, "employees": 3, "invoices": 8,
                    "journal_items": 40, "bir_tax_lines": 20, "expense_reports": 20, "expenses": 30,
                ]
            case .larger:
                settings.batchSizes = ["expenses": 50, "expense_reports": 50, "journal_items": 100]
            }
            return settings
        }
    }

    private(set) var simulator: OdooSimulator!
    private(set) var workspace: EngineWorkspace!

    /// Starts the simulator and prepares a workspace with an empty (unmigrated) database.
    func prepare(_ dataset: Dataset, jobs: Int? = nil, statementSeconds: Double? = nil) throws {
        simulator = try OdooSimulator(dataset.simulatorOptions)
        var settings = dataset.workspaceSettings
        if let jobs { settings.jobs = jobs }
        if let statementSeconds { settings.statementSeconds = statementSeconds }
        workspace = try EngineWorkspace(simulator: simulator, settings: settings)
    }

    override func tearDown() {
        simulator?.stop()
        simulator = nil
        workspace = nil
        super.tearDown()
    }

    var warehouse: WarehouseInspector { workspace.warehouse }

    /// The rows `etl.sync_runs` got after `runId`, oldest first.
    func runRows(after runId: Int) throws -> [RunRow] {
        try warehouse.rows(
            """
            SELECT pipeline, coalesce(company_id::text, 'null'), kind, status, rows_inserted, rows_updated, rows_unchanged,
                   rows_deleted, batches, coalesce(error, '')
            FROM etl.sync_runs WHERE run_id > $1 ORDER BY run_id
            """, [String(runId)]
        ).map(RunRow.init)
    }

    /// Waits for a started command to end, failing the test when it has not within `timeout` seconds.
    func finish(_ command: RunningCommand, timeout: TimeInterval = 90, file: StaticString = #filePath, line: UInt = #line) -> CLIResult {
        if !eventually(timeout: timeout, { !command.isRunning }) {
            XCTFail("odoo-etl did not finish within \(Int(timeout)) s; killed", file: file, line: line)
            command.killHard()
        }
        return command.wait()
    }
}

/// One row of `etl.sync_runs`.
struct RunRow: CustomStringConvertible {
    let pipeline: String
    let company: String
    let kind: String
    let status: String
    let inserted: Int
    let updated: Int
    let unchanged: Int
    let deleted: Int
    let batches: Int
    let error: String

    init(_ cells: [String?]) {
        pipeline = cells[0] ?? ""
        company = cells[1] ?? ""
        kind = cells[2] ?? ""
        status = cells[3] ?? ""
        inserted = Int(cells[4] ?? "") ?? 0
        updated = Int(cells[5] ?? "") ?? 0
        unchanged = Int(cells[6] ?? "") ?? 0
        deleted = Int(cells[7] ?? "") ?? 0
        batches = Int(cells[8] ?? "") ?? 0
        error = cells[9] ?? ""
    }

    var unit: String { "\(pipeline)/\(company)" }

    var description: String {
        "\(unit) \(kind) \(status) +\(inserted) ~\(updated) =\(unchanged) -\(deleted) in \(batches) batches \(error)"
    }
}
