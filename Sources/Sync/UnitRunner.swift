import ETLModel
import Foundation
import OdooRPC
import Pipelines
import Postgres
import Warehouse

/// Runs one unit on the calling thread (a dedicated worker thread, never the concurrency pool):
/// lock, run log, extract on a producer thread into a bounded queue, transform, load batch by
/// batch with its checkpoint, optional delete reconciliation, close the run log.
struct UnitRunner {
    let planned: PlannedUnit
    let settings: EngineSettings
    let options: SyncOptions
    let odooVersion: String
    let events: SyncEventSink

    private var unit: SyncUnit { planned.unit }
    private var plan: PipelinePlan { planned.plan }
    private var kind: RunLog.Kind {
        if case .backfill = options.mode { return .backfill }
        return .sync
    }

    func run() -> UnitReport {
        let started = Date()
        var report = UnitReport(label: planned.label, unit: unit, status: .ok)
        if options.dryRun {
            do { try dryRun(&report) } catch { fail(&report, error) }
            if report.status == .ok, options.cancellation.isRequested {
                report.status = .interrupted
                report.message = SyncError.interrupted.description
            }
            report.seconds = Date().timeIntervalSince(started)
            events.unitFinished(report)
            return report
        }
        var db: PostgresConnection
        do {
            var attempt = 1
            db = try openWarehouseWithRetries(&attempt)
        } catch {
            fail(&report, error)
            report.seconds = Date().timeIntervalSince(started)
            events.unitFinished(report)
            return report
        }
        do {
            guard try UnitLock(db, unit: unit).acquire(waitSeconds: options.lockWaitSeconds) else {
                report.status = .busy
                report.message = "another run holds the lock of \(unit); nothing was done (try again when it has finished)"
                try? RunLog(db).record(unit, kind: kind, status: .busy, message: report.message, odooVersion: odooVersion)
                report.seconds = Date().timeIntervalSince(started)
                events.unitFinished(report)
                return report
            }
        } catch {
            fail(&report, error)
            report.seconds = Date().timeIntervalSince(started)
            events.unitFinished(report)
            return report
        }
        var runId: Int64 = 0
        do {
            _ = try withWarehouseRetries(&db) { try RunLog($0).closeAbandoned(unit) }
            runId = try withWarehouseRetries(&db) { try RunLog($0).start(unit, kind: kind, odooVersion: odooVersion) }
            try extractAndLoad(&db, runId: runId, report: &report)
            if options.cancellation.isRequested {
                report.status = .interrupted
                report.message = SyncError.interrupted.description
            } else if options.reconcile, case .sync = options.mode {
                try reconcile(&db, report: &report)
            }
        } catch {
            fail(&report, error)
        }
        report.seconds = Date().timeIntervalSince(started)
        closeRun(&db, runId: runId, report: report)
        events.unitFinished(report)
        return report
    }

    // MARK: - Extract, transform, load

    /// A batch transformed on the extraction thread, so that transforming overlaps loading.
    private struct Extracted {
        let rows: [RowBatch]
        let checkpoint: Checkpoint
        let recordCount: Int
    }

    /// The records this unit covers: the pipeline's domain, a backfill's window, the company.
    private var scope: UnitScope {
        if case .backfill(let window) = options.mode { return UnitScope(plan: plan, unit: unit, window: window) }
        return UnitScope(plan: plan, unit: unit)
    }

    private func extractionRequest(start checkpoint: Checkpoint?, lookback: Int64) -> ExtractionRequest {
        ExtractionRequest(
            scope: scope, fields: plan.fieldsToRead, checkpoint: checkpoint, lookbackSeconds: lookback,
            pageSize: options.batchSize ?? (plan.definition.declaresBatchSize ? plan.batchSize : options.defaultBatchSize ?? plan.batchSize)
        )
    }

    /// Where this unit starts, and where its checkpoints go.
    private func startingPoint(_ db: PostgresConnection) throws -> (Checkpoint?, Int64, CheckpointTarget) {
        let store = SyncStateStore(db)
        switch options.mode {
        case .sync:
            if options.full { return (nil, 0, .sync) }
            let checkpoint = try store.checkpoint(unit)
            return (checkpoint, checkpoint == nil ? 0 : options.lookbackSeconds, .sync)
        case .backfill(let window):
            if let previous = try store.backfillCheckpoint(unit, window: window) {
                if !previous.completed { return (previous.checkpoint, 0, .backfill(window: window)) }
                try store.resetBackfill(unit, window: window)
            }
            return (nil, 0, .backfill(window: window))
        }
    }

    private func extractAndLoad(_ db: inout PostgresConnection, runId: Int64, report: inout UnitReport) throws {
        let (checkpoint, lookback, target) = try withWarehouseRetries(&db) { try startingPoint($0) }
        let configuration = extractionRequest(start: checkpoint, lookback: lookback)
        let queue = startProducer(configuration)
        defer { queue.close() }
        while let item = try queue.take() {
            let rows = item.rows
            let batchCheckpoint = item.checkpoint
            let counts = try withWarehouseRetries(&db) {
                try BatchLoader(connection: $0).load(rows, unit: unit, checkpoint: batchCheckpoint, target: target, runId: runId)
            }
            // The first table is the pipeline's own record table; others derive from the same records.
            if let first = plan.tables.first, let primary = counts[first.name] {
                report.inserted += primary.inserted
                report.updated += primary.updated
                report.unchanged += primary.unchanged
            }
            report.batches += 1
            report.recordsRead += item.recordCount
            events.batchLoaded(planned, records: item.recordCount, report: report)
            if options.cancellation.isRequested { return }
        }
        if case .backfill(let window) = options.mode {
            try withWarehouseRetries(&db) { try SyncStateStore($0).completeBackfill(unit, window: window) }
        }
    }

    /// A batch of records as read, with the related records its lookups need.
    private struct Read {
        let records: [OdooRecord]
        let lookups: LookupResults
        let checkpoint: Checkpoint
    }

    /// The loader's end of the stages: what it takes, and `close()`, which stops both stages
    /// before it at their next step (a failed load must not leave Odoo being read for nothing).
    private struct Stages {
        let reads: BoundedQueue<Read>
        let transformed: BoundedQueue<Extracted>

        func take() throws -> Extracted? { try transformed.take() }

        func close() {
            transformed.close()
            reads.close()
        }
    }

    /// Extraction and transformation on a thread each, every stage at most two batches ahead of
    /// the next: waiting for Odoo (or its database) overlaps transforming, which overlaps loading.
    /// A failure travels downstream after the batches before it; a stage that stops closes the
    /// queue it reads from, so the stages before it stop too.
    private func startProducer(_ configuration: ExtractionRequest) -> Stages {
        let reads = BoundedQueue<Read>(capacity: 2)
        let transformed = BoundedQueue<Extracted>(capacity: 2)
        let settings = self.settings
        let plan = self.plan
        let events = self.events
        let planned = self.planned
        let source = options.source
        let extraction = Thread {
            do {
                let reader = try RecordSources.open(source, configuration: configuration, settings: settings)
                events.unitStarted(planned, expectedRecords: reader.expectedRecords())
                var cache = LookupCache()
                // A loader that failed closes the queues: stop before reading another page from Odoo.
                while !reads.isClosed, let batch = try reader.next() {
                    let lookups = try cache.resolve(plan.lookupRequests, for: batch.records) { request, ids in
                        try reader.read(model: request.model, ids: ids, fields: request.fields)
                    }
                    let read = Read(records: batch.records, lookups: lookups, checkpoint: batch.checkpoint)
                    guard reads.put(read) else { return }
                    if options.cancellation.isRequested { break }
                }
                reads.close()
            } catch {
                reads.close(error: error)
            }
        }
        let transformation = Thread {
            defer { reads.close() }
            do {
                while let read = try reads.take() {
                    let rows = try plan.transform(read.records, lookups: read.lookups)
                    guard transformed.put(Extracted(rows: rows, checkpoint: read.checkpoint, recordCount: read.records.count)) else {
                        return
                    }
                }
                transformed.close()
            } catch {
                transformed.close(error: error)
            }
        }
        extraction.name = "odoo-etl extract \(planned.unit)"
        transformation.name = "odoo-etl transform \(planned.unit)"
        extraction.start()
        transformation.start()
        return Stages(reads: reads, transformed: transformed)
    }

    /// Retries a warehouse step after a transient PostgreSQL failure. Every step is a read or one
    /// transaction (a batch load, a reconciliation, a run-log row), rolled back whole on failure,
    /// so running it again is safe. The session can be lost between batches as well as inside
    /// one (a terminated backend, a server restart), so every step of the unit goes through here,
    /// not only the loads. A session that survived (serialization failure, deadlock) still holds
    /// the unit's lock and is reused; a lost one is replaced.
    private func withWarehouseRetries<T>(_ db: inout PostgresConnection, _ body: (PostgresConnection) throws -> T) throws -> T {
        var attempt = 1
        return try settings.retryPolicy.run(
            attempt: &attempt, isTransient: Self.isTransient,
            beforeRetry: { error, attempt in
                guard !db.isAlive else { return }
                // Replacing `db` drops the old session before locking, so a half-dead one cannot hold the lock against us.
                db = try openWarehouseWithRetries(&attempt)
                // The session lock died with the old connection: take it again or give up as busy.
                guard try UnitLock(db, unit: unit).acquire(waitSeconds: 5) else { throw error }
            }
        ) { try body(db) }
    }

    /// A new session, waiting out a warehouse that is briefly unreachable (a restart refuses
    /// connections for a moment) while attempts remain; `attempt` counts across a unit's retries.
    private func openWarehouseWithRetries(_ attempt: inout Int) throws -> PostgresConnection {
        try settings.retryPolicy.run(attempt: &attempt, isTransient: Self.isTransient) { try settings.openWarehouse() }
    }

    private static func isTransient(_ error: Error) -> Bool { (error as? PostgresError)?.isRetryable == true }

    // MARK: - Reconciliation

    private func reconcile(_ db: inout PostgresConnection, report: inout UnitReport) throws {
        let client = OdooClient(settings: settings.odoo, retryPolicy: settings.retryPolicy)
        let scope = scope
        let ids = try client.allIds(model: scope.model, domain: scope.domain(), context: scope.context)
        let results = try withWarehouseRetries(&db) {
            try DeleteReconciler($0).reconcile(
                tables: plan.tables, companyId: unit.companyId, liveIds: ids,
                allowEmpty: options.allowEmptyReconcile)
        }
        // The first table is the pipeline's own record table; the others derive from the same records.
        if let primary = results.first {
            report.deleted += primary.softDeleted
            report.restored += primary.restored
        }
    }

    // MARK: - Dry run

    private func dryRun(_ report: inout UnitReport) throws {
        let db = try settings.openWarehouse()
        let checkpoint = options.full ? nil : try SyncStateStore(db).checkpoint(unit)
        let configuration = extractionRequest(start: checkpoint, lookback: checkpoint == nil ? 0 : options.lookbackSeconds)
        let queue = startProducer(configuration)
        defer { queue.close() }
        while let item = try queue.take() {
            for batch in item.rows {
                report.wouldWrite[batch.table.name, default: 0] += batch.rows.count
            }
            report.batches += 1
            report.recordsRead += item.recordCount
        }
    }

    // MARK: - Outcome

    private func fail(_ report: inout UnitReport, _ error: Error) {
        report.status = .failed
        report.message =
            "\(planned.label): \(error) — batches committed before the failure stay, each with its "
            + "checkpoint; the next run resumes from the last one."
    }

    private func closeRun(_ db: inout PostgresConnection, runId: Int64, report: UnitReport) {
        guard runId > 0 else { return }
        var totals = RunLog.Totals()
        totals.inserted = report.inserted
        totals.updated = report.updated
        totals.unchanged = report.unchanged
        totals.deleted = report.deleted
        totals.batches = report.batches
        let status = report.status
        if (try? RunLog(db).finish(runId, status: status, totals: totals, error: report.message)) == nil {
            // The session may have died with the failure; the run row must still be closed.
            if let fresh = try? settings.openWarehouse() {
                db = fresh
                try? RunLog(fresh).finish(runId, status: status, totals: totals, error: report.message)
            }
        }
    }
}
