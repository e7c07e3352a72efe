import ETLModel
import Foundation
import OdooRPC
import Postgres
import Warehouse

/// Everything a run needs to reach Odoo and the warehouse. Secrets live only in `odoo.password`
/// and `warehouseURL`, which never appear in a description.
public struct EngineSettings: Sendable {
    public var odoo: OdooConnectionSettings
    public var warehouseURL: String
    /// Attempts and backoff for transient faults of Odoo calls and of warehouse steps alike.
    public var retryPolicy: RetryPolicy
    /// Odoo's own PostgreSQL (`odoo.db_url_env`, a read-only role), for `SyncOptions.source = .sql`.
    public var odooDatabaseURL: String?
    /// Connect timeout and `statement_timeout` of every warehouse session a run opens
    /// (`etl.timeouts.connect_seconds`, `etl.timeouts.statement_seconds`).
    public var warehouseSession: PostgresConnection.Options

    public init(
        odoo: OdooConnectionSettings, warehouseURL: String, retryPolicy: RetryPolicy = .standard,
        odooDatabaseURL: String? = nil, warehouseSession: PostgresConnection.Options = .init()
    ) {
        self.odoo = odoo
        self.warehouseURL = warehouseURL
        self.retryPolicy = retryPolicy
        self.odooDatabaseURL = odooDatabaseURL
        self.warehouseSession = warehouseSession
    }

    /// A new warehouse session with the run's timeouts.
    func openWarehouse() throws -> PostgresConnection {
        try WarehouseConnection.open(warehouseURL, options: warehouseSession)
    }
}

/// How one command wants its units run.
public struct SyncOptions: Sendable {
    public enum Mode: Hashable, Sendable {
        /// Incremental from the unit's checkpoint (or everything with `full`).
        case sync
        /// Re-extract a window of one company with its own resumable cursor.
        case backfill(BackfillWindow)
    }

    public var mode: Mode = .sync
    /// Pipelines by name; empty = every pipeline of the catalog. Dependencies run first.
    public var pipelines: [String] = []
    /// Company ids or exact names; empty = every company.
    public var companies: [CompanySelection] = []
    public var full = false
    public var reconcile = false
    /// Lets reconciliation soft-delete every row of a company whose Odoo answer is empty.
    public var allowEmptyReconcile = false
    public var dryRun = false
    public var jobs = 1
    public var lookbackSeconds: Int64 = 300
    /// Overrides each pipeline's batch size when set.
    public var batchSize: Int?
    /// The page size of pipelines whose file does not set `batch_size` (the environment's `etl.batch_size`).
    public var defaultBatchSize: Int?
    /// Seconds to wait for a unit's lock before reporting it busy (0 = do not wait).
    public var lockWaitSeconds: Double = 0
    /// Where records are read: Odoo's XML-RPC API, or Odoo's own PostgreSQL.
    public var source: ExtractionSource = .xmlrpc
    /// Set to stop every unit after the batch in flight (SIGINT/SIGTERM in the command line).
    public var cancellation = CancellationFlag()

    public init() {}
}
