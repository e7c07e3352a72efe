import Foundation
import InstanceConfig
import OdooRPC
import Pipelines
import Sync
import Warehouse

/// `demo`: the whole product on throwaway servers. Starts PostgreSQL and the bundled Odoo
/// simulator, migrates, syncs everything, changes records in Odoo, syncs again incrementally
/// with delete reconciliation, verifies, and runs a sample analytics query; then stops both
/// servers and removes their files, also on an error or Ctrl-C.
struct DemoAction {
    let request: DemoRequest
    let context: CommandContext

    func run() async throws -> ExitStatus {
        let started = Date()
        StopSignals.install()
        let scratch = try DemoScratch.create()
        let status: ExitStatus
        do {
            status = try await DemoRun(request: request, context: context, scratch: scratch).perform()
        } catch {
            scratch.tearDown()
            throw error
        }
        scratch.tearDown()
        say(
            """

            Done in \(DemoFormat.seconds(Date().timeIntervalSince(started))). PostgreSQL and the simulator are stopped, \
            \(scratch.directory.path) is removed.
            Next: describe your Odoo and Supabase in config/instance-matrix.yaml (config/README.md), then
              odoo-etl check --env staging      # every pipeline against your Odoo's fields
              odoo-etl sync --env staging       # the same run as above, for real
            """)
        return status
    }
}

/// One run of the demo, step by step.
private struct DemoRun {
    let request: DemoRequest
    let context: CommandContext
    let scratch: DemoScratch

    func perform() async throws -> ExitStatus {
        say("odoo-etl demo: a simulated Odoo 18 synced into a throwaway PostgreSQL warehouse, end to end")
        let environment = try await startServers()
        let settings = try EngineSettings(environment)
        let warehouseURL = settings.warehouseURL
        let catalog = try PipelineCatalog.load(directory: context.pipelinesDirectory)

        try await step("1. migrate: create the warehouse schemas (etl, warehouse, analytics, scout)") {
            let directory = MigrationsDirectory.locate(pipelinesDirectory: context.pipelinesDirectory)
            let report = try MigrationRunner(directory: directory).migrate(try WarehouseConnection.open(warehouseURL))
            let range = [report.applied.first, report.applied.last].compactMap { $0 }.joined(separator: " ... ")
            return (["applied \(report.applied.count) migrations: \(range)"], ())
        }

        var options = SyncOptions()
        options.cancellation = StopSignals.flag
        options.pipelines = request.pipelines
        options.jobs = environment.etl.jobs
        options.lookbackSeconds = Int64(environment.etl.lookbackSeconds)
        options.full = true
        try await sync(
            "2. sync --full: every pipeline for every company, \(options.jobs) units at a time",
            options: options, settings: settings, catalog: catalog)

        try await step("3. Meanwhile in Odoo: a few changes, sent over XML-RPC like any Odoo client") {
            let changes = try DemoChanges.prepare(client: OdooClient(settings: settings.odoo))
            return (try changes.apply().map { "- " + $0 }, ())
        }

        options.full = false
        options.reconcile = true
        try await sync(
            "4. sync --reconcile: incremental from each unit's checkpoint, plus a check for deleted records",
            options: options, settings: settings, catalog: catalog)

        let verified = try await verify(settings: settings, catalog: catalog)

        try await step("6. A sample analytics query: expenses by company and stage, as a Superset chart would ask") {
            ([DemoSampleQuery.sql, "", try DemoSampleQuery.run(warehouseURL: warehouseURL)], ())
        }
        return verified
    }

    /// Starts the simulator seeding while PostgreSQL initialises, then waits for both.
    private func startServers() async throws -> ResolvedEnvironment {
        let size = DemoSimulator.Size()
        say(
            """

            Starting throwaway servers (their files go to \(scratch.directory.path), removed at the end)
            """)
        let started = Date()
        let script = DemoSimulator.script(pipelinesDirectory: context.pipelinesDirectory)
        let launched = try DemoSimulator.launch(script: script, size: size, scratch: scratch)
        let scratch = self.scratch
        let postgres = try await onThread { try DemoPostgres.start(in: scratch) }
        let warehouseURL = try await onThread { try postgres.createDatabase("warehouse") }
        let simulator = try await onThread { try launched.waitUntilReady() }
        try stopIfInterrupted()
        say(
            """
              PostgreSQL \(postgres.version) on 127.0.0.1:\(postgres.port) (pid \(postgres.pid)), database "warehouse"
              Odoo 18 simulator on 127.0.0.1:\(simulator.url.port ?? 0) (pid \(simulator.pid)): \(size.companies) companies, \
            \(size.expenses.formatted()) expenses, \(size.moves.formatted()) invoices, bills and entries, \
            \(size.partners) partners, \(size.employees) employees
              ready in \(DemoFormat.seconds(Date().timeIntervalSince(started)))
            """)
        return ResolvedEnvironment.demo(simulator: simulator, warehouseURL: warehouseURL)
    }

    private func sync(_ heading: String, options: SyncOptions, settings: EngineSettings, catalog: PipelineCatalog) async throws {
        let progress = DemoProgress(live: context.isTerminal)
        let failedUnits = try await step(heading) {
            let started = Date()
            let summary = try SyncEngine(settings: settings, catalog: catalog, events: progress).run(options)
            let seconds = Date().timeIntervalSince(started)
            var lines = [DemoFormat.pipelineTable(summary), ""] + outcome(of: summary, seconds: seconds, full: options.full)
            let failed = summary.units.filter { $0.status == .failed || $0.status == .interrupted }
            lines += failed.map { "\($0.status.rawValue.uppercased()) \($0.label): \($0.message ?? $0.status.rawValue)" }
            // The same Odoo gives the same notices on every run: once is enough.
            if options.full { lines += DemoFormat.notices(summary.notices).map { "note: " + $0 } }
            return (lines, failed.count)
        }
        // Failed units end the demo: what follows would only compound them.
        guard failedUnits == 0 else {
            throw DemoError.syncFailed(step: String(heading.prefix { $0 != ":" }), failedUnits: failedUnits)
        }
    }

    /// What a sync did, in a sentence or two.
    private func outcome(of summary: SyncSummary, seconds: TimeInterval, full: Bool) -> [String] {
        func total(_ count: (UnitReport) -> Int) -> Int { summary.units.reduce(0) { $0 + count($1) } }
        let read = total(\.recordsRead)
        let rate = Int(Double(read) / max(seconds, 0.001))
        let head =
            "Odoo \(summary.odooVersion): \(summary.units.count) units (pipeline x company), "
            + "\(read.formatted()) records read in \(DemoFormat.seconds(seconds)) (\(rate.formatted()) records/s)"
        if full {
            return [head, "each batch was loaded in one transaction together with its unit's checkpoint"]
        }
        return [
            head,
            "\(total(\.inserted)) new and \(total(\.updated)) changed rows written; \(total(\.deleted)) deleted in Odoo, "
                + "so soft-deleted here (deleted_at set);",
            "\(total(\.unchanged)) rows re-read by the lookback were identical and not rewritten",
        ]
    }

    /// `verify`: the engine compares every unit's row count and monthly amount sums in Odoo and in
    /// the warehouse.
    private func verify(settings: EngineSettings, catalog: PipelineCatalog) async throws -> ExitStatus {
        let pipelines = request.pipelines
        return try await step("5. verify: row counts and amount sums, month by month, in Odoo against the warehouse") {
            let summary = try VerificationRun(settings: settings, catalog: catalog).run(pipelines: pipelines)
            var lines = [DemoFormat.verificationTable(summary), ""]
            let shown = 10
            for difference in summary.differences.prefix(shown) { lines.append("DIFFERS \(difference)") }
            if summary.differences.count > shown { lines.append("... and \(summary.differences.count - shown) more differences") }
            lines += summary.units.compactMap(\.failure).map { "FAILED \($0)" }
            lines.append(
                summary.isClean
                    ? "Odoo and the warehouse agree on all \(summary.units.count) units, to the centavo"
                    : "Odoo and the warehouse differ: this is a bug in odoo-etl or its simulator; please report it with this output")
            return (lines, summary.isClean ? ExitStatus.success : .failure)
        }
    }

    /// Prints the heading, runs `body` off the concurrency pool, prints its lines and the time it
    /// took, and stops if Ctrl-C was pressed meanwhile.
    @discardableResult
    private func step<T: Sendable>(_ heading: String, _ body: @escaping @Sendable () throws -> ([String], T)) async throws -> T {
        say("\n" + heading)
        let started = Date()
        let (lines, value) = try await onThread(body)
        say(DemoFormat.indented((lines + ["(\(DemoFormat.seconds(Date().timeIntervalSince(started))))"]).joined(separator: "\n")))
        try stopIfInterrupted()
        return value
    }

    private func stopIfInterrupted() throws {
        if StopSignals.flag.isRequested { throw DemoError.interrupted }
    }
}

/// Prints and flushes, so each step shows as it finishes even when stdout is a pipe or a file.
private func say(_ text: String) {
    print(text)
    fflush(nil)  // all open streams: naming `stdout` is a global mutable in Swift 6
}
