import ETLModel
import Foundation
import OdooRPC
import Pipelines
import Warehouse

/// The engine: plans the run, then runs its units level by level (a level's units in parallel,
/// up to `jobs`, each on its own thread with its own connections).
public struct SyncEngine {
    public let settings: EngineSettings
    public let catalog: PipelineCatalog
    public let events: SyncEventSink

    public init(settings: EngineSettings, catalog: PipelineCatalog, events: SyncEventSink) {
        self.settings = settings
        self.catalog = catalog
        self.events = events
    }

    /// Plans and runs. Throws only when the run cannot start (a transaction-pooler warehouse URL,
    /// Odoo unreachable, bad login, unknown pipeline or company); a failing unit is reported and the others still run.
    public func run(_ options: SyncOptions) throws -> SyncSummary {
        try preflightWarehouse()
        let client = OdooClient(settings: settings.odoo, retryPolicy: settings.retryPolicy)
        let plan = try Planner(client: client, catalog: catalog).plan(options)
        plan.notices.forEach(events.notice)
        var reports = plan.unresolved
        reports.forEach(events.unitFinished)
        for level in plan.levels {
            reports += runInParallel(level, options: options, odooVersion: plan.odooVersion.serverVersion)
        }
        return SyncSummary(odooVersion: plan.odooVersion.serverVersion, units: reports, notices: plan.notices)
    }

    /// One connection before anything else: a wrong URL, the transaction pooler or an unmigrated
    /// warehouse is one clear error instead of one failure per unit.
    private func preflightWarehouse() throws {
        let db = try settings.openWarehouse()
        let migrated = try db.query("SELECT to_regclass('etl.sync_state') IS NOT NULL AS ok").first?.bool("ok") ?? false
        if !migrated { throw SyncError.warehouseNotMigrated(endpoint: db.endpointDescription) }
    }

    private func runInParallel(_ units: [PlannedUnit], options: SyncOptions, odooVersion: String) -> [UnitReport] {
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var reports: [Int: UnitReport] = [:]
            var next = 0
        }
        let results = Results()
        let group = DispatchGroup()
        let settings = self.settings
        let events = self.events
        for _ in 0..<max(1, min(options.jobs, units.count)) {
            group.enter()
            let worker = Thread {
                defer { group.leave() }
                while true {
                    results.lock.lock()
                    let index = results.next
                    results.next += 1
                    results.lock.unlock()
                    guard index < units.count, !options.cancellation.isRequested else { return }
                    let report = UnitRunner(
                        planned: units[index], settings: settings, options: options,
                        odooVersion: odooVersion, events: events
                    ).run()
                    results.lock.lock()
                    results.reports[index] = report
                    results.lock.unlock()
                }
            }
            worker.name = "odoo-etl worker"
            worker.start()
        }
        group.wait()
        // Units an interruption kept from starting are reported too, so the summary lists every unit.
        return units.indices.map { index in
            results.reports[index]
                ?? UnitReport(
                    label: units[index].label, unit: units[index].unit, status: .interrupted,
                    message: "\(units[index].label): not started (interrupted); the next run does it")
        }
    }
}
