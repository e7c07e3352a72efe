/// A unit of work: one pipeline for one company (nil for global pipelines).
public struct SyncUnit: Hashable, Sendable, CustomStringConvertible {
    public let pipeline: String
    public let companyId: Int?

    public init(pipeline: String, companyId: Int?) {
        self.pipeline = pipeline
        self.companyId = companyId
    }

    public var description: String { companyId.map { "\(pipeline) × company \($0)" } ?? "\(pipeline) (global)" }
}

/// How a unit's run ended, as reported and as stored in `etl.sync_runs.status`.
public enum UnitStatus: String, Sendable {
    case ok, failed, busy, skipped, interrupted
}

/// A backfill's window of `write_date` days (UTC).
public struct BackfillWindow: Hashable, Sendable {
    /// Inclusive dates as `YYYY-MM-DD`, nil for open ends.
    public let since: OdooDate?
    public let until: OdooDate?
    public init(since: OdooDate?, until: OdooDate?) {
        self.since = since
        self.until = until
    }
}
