import ETLModel
import Foundation
import InstanceConfig
import OdooRPC
import Pipelines
import Sync
import Warehouse

/// The real engine behind the commands. Blocking work (libpq, libcurl) runs on dedicated threads
/// inside `Sync`; the async methods only wait for it.
public struct EngineActions: ETLActions {
    public init() {}

    public func sync(_ request: SyncRequest, context: CommandContext) async throws -> ExitStatus {
        var options = SyncOptions()
        options.pipelines = request.pipelines
        options.companies = request.companies
        options.full = request.full
        options.reconcile = request.reconcile
        options.allowEmptyReconcile = request.allowEmptyReconcile
        options.dryRun = request.dryRun
        options.jobs = request.jobs
        options.lookbackSeconds = Int64(request.environment.etl.lookbackSeconds)
        options.defaultBatchSize = request.environment.etl.batchSize
        options.source = request.source
        return try await run(options, environment: request.environment, context: context)
    }

    public func backfill(_ request: BackfillRequest, context: CommandContext) async throws -> ExitStatus {
        var options = SyncOptions()
        options.mode = .backfill(BackfillWindow(since: request.since, until: request.until))
        options.pipelines = request.pipelines
        options.companies = [request.company]
        options.jobs = request.jobs
        options.defaultBatchSize = request.environment.etl.batchSize
        options.source = request.source
        return try await run(options, environment: request.environment, context: context)
    }

    public func migrate(_ request: MigrateRequest, context: CommandContext) async throws -> ExitStatus {
        let url = try request.environment.warehouse.databaseURL.require().reveal()
        let options = request.environment.warehouseConnectOptions
        let directory = MigrationsDirectory.locate(pipelinesDirectory: context.pipelinesDirectory)
        return try await onThread {
            let db = try WarehouseConnection.open(url, options: options)
            let runner = MigrationRunner(directory: directory)
            if request.checkOnly {
                let report = try runner.status(db)
                report.pending.forEach { print("pending  \($0)") }
                report.drifted.forEach { print("DRIFTED  \($0) (changed after it was applied)") }
                if report.upToDate { print("migrations: up to date (\(try runner.migrations().count) files)") }
                return report.upToDate ? .success : .failure
            }
            let report = try runner.migrate(db)
            report.applied.forEach { print("applied  \($0)") }
            print(report.applied.isEmpty ? "migrations: nothing to apply" : "migrations: \(report.applied.count) applied")
            return .success
        }
    }

    public func health(_ request: HealthRequest, context: CommandContext) async throws -> ExitStatus {
        try await HealthAction(request: request, context: context).run()
    }

    public func status(_ request: StatusRequest, context: CommandContext) async throws -> ExitStatus {
        try await StatusAction(request: request, context: context).run()
    }

    public func verify(_ request: VerifyRequest, context: CommandContext) async throws -> ExitStatus {
        try await VerifyAction(request: request, context: context).run()
    }

    public func check(_ request: CheckRequest, context: CommandContext) async throws -> ExitStatus {
        try await CheckAction(request: request, context: context).run()
    }

    public func demo(_ request: DemoRequest, context: CommandContext) async throws -> ExitStatus {
        try await DemoAction(request: request, context: context).run()
    }

    // MARK: -

    private func run(_ options: SyncOptions, environment: ResolvedEnvironment, context: CommandContext) async throws -> ExitStatus {
        let settings = try EngineSettings(environment, source: options.source)
        let catalog = try PipelineCatalog.load(directory: context.pipelinesDirectory)
        let progress = ProgressReporter(context: context)
        var withSignals = options
        withSignals.cancellation = StopSignals.install()
        let options = withSignals
        let summary: SyncSummary
        do {
            summary = try await onThread {
                try SyncEngine(settings: settings, catalog: catalog, events: progress).run(options)
            }
        } catch let error as OdooError {
            throw OdooLoginError(error, environment: environment) ?? error
        } catch let error as SyncError {
            if case .warehouseNotMigrated = error { throw WarehouseNotMigratedError(underlying: error, environment: environment.name) }
            throw error
        }
        progress.printSummary(summary, dryRun: options.dryRun)
        if summary.allBusy { return .busy }
        return summary.anyFailed ? .failure : .success
    }
}

/// Runs blocking work on its own thread and awaits it, keeping libpq/libcurl off the
/// concurrency pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.name = "odoo-etl command"
        thread.start()
    }
}

/// `warehouse/` beside the pipelines directory (both live at the top of a checkout or install).
enum MigrationsDirectory {
    static func locate(pipelinesDirectory: URL) -> URL {
        pipelinesDirectory.standardizedFileURL.deletingLastPathComponent().appendingPathComponent("warehouse")
    }
}
