import ETLModel
import Foundation
import OdooRPC
import Pipelines
import Postgres
import Sync
import TestSupport
import Warehouse
import XCTest

/// A running simulator and a fresh, migrated warehouse that every pipeline has been synced into.
final class SyncedWarehouse {
    let simulator: OdooSimulator
    let warehouseURL: String
    let db: PostgresConnection
    let settings: EngineSettings
    let catalog: PipelineCatalog

    /// - Parameter pipelines: synced at once; empty for every pipeline.
    init(_ options: OdooSimulator.Options, pipelines: [String] = []) throws {
        simulator = try OdooSimulator(options)
        warehouseURL = try PostgresHarness.shared.createDatabase(prefix: "verify")
        db = try PostgresConnection(warehouseURL)
        try MigrationRunner(directory: TestPaths.migrations).migrate(db)
        settings = EngineSettings(
            odoo: OdooConnectionSettings(
                url: simulator.url.absoluteString, database: simulator.database,
                login: simulator.login, password: simulator.password),
            warehouseURL: warehouseURL)
        catalog = try PipelineCatalog.load(directory: TestPaths.pipelines)
        try sync(pipelines: pipelines)
    }

    /// One company with `expenses` expenses and a few journal entries: a small, quick world.
    static func oneCompany(expenses: Int) -> OdooSimulator.Options {
        var options = OdooSimulator.Options()
        options.companies = 1
        options.expenses = expenses
        options.moves = 10
        return options
    }

    /// Three companies, a few thousand expenses and journal items.
    static func standardOptions() -> OdooSimulator.Options {
        var options = OdooSimulator.Options()
        options.companies = 3
        options.expenses = 3000
        options.moves = 600
        return options
    }

    /// An incremental sync of every pipeline; fails the test when a unit fails.
    @discardableResult
    func sync(pipelines: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> SyncSummary {
        let events = RecordedEvents()
        var options = SyncOptions()
        options.pipelines = pipelines
        let summary = try SyncEngine(settings: settings, catalog: catalog, events: events).run(options)
        let failures = summary.units.filter { $0.status != .ok }.map { "\($0.label): \($0.status) \($0.message ?? "")" }
        XCTAssertEqual(failures, [], "every unit syncs", file: file, line: line)
        XCTAssertEqual(events.finished.count, summary.units.count, "one finished event per unit", file: file, line: line)
        return summary
    }

    func verify(pipelines: [String] = [], companies: [CompanySelection] = []) throws -> VerificationSummary {
        try VerificationRun(settings: settings, catalog: catalog).run(pipelines: pipelines, companies: companies)
    }

    func stop() {
        simulator.stop()
    }
}

/// Records the units the engine reports finished, from whichever worker thread sends them.
final class RecordedEvents: SyncEventSink, @unchecked Sendable {
    private let lock = NSLock()
    private var finishedReports: [UnitReport] = []

    var finished: [UnitReport] { lock.withLock { finishedReports } }

    func unitStarted(_ unit: PlannedUnit, expectedRecords: Int?) {}
    func batchLoaded(_ unit: PlannedUnit, records: Int, report: UnitReport) {}
    func unitFinished(_ report: UnitReport) { lock.withLock { finishedReports.append(report) } }
    func notice(_ text: String) {}
}
