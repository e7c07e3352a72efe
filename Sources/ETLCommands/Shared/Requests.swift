import ETLModel
import Foundation
import InstanceConfig

/// `sync`: every selected pipeline × company, in dependency order.
public struct SyncRequest: Sendable, Equatable {
    public let environment: ResolvedEnvironment
    /// Pipeline names (file names in the pipelines directory without `.yaml`), each known to exist:
    /// the `--pipeline` options in the order given, else `etl.pipelines.enabled`, else every pipeline
    /// in the directory (sorted). The engine orders them by dependency.
    public let pipelines: [String]
    /// `--company` options in the order given, duplicates removed; empty means every company.
    public let companies: [CompanySelection]
    /// `--full`: ignore checkpoints and re-read everything (still idempotent).
    public let full: Bool
    /// `--reconcile`: also reconcile id sets to catch hard deletes.
    public let reconcile: Bool
    /// `--allow-empty-reconcile`: with `reconcile`, also soft-delete a company that Odoo lists empty.
    public let allowEmptyReconcile: Bool
    /// `--dry-run`: extract and transform, write nothing, print what would change.
    public let dryRun: Bool
    /// `--jobs`, else `etl.jobs`; 1...32.
    public let jobs: Int
    /// `--source`, else `etl.extractor`.
    public let source: ExtractionSource
}

/// `backfill`: re-extract one company; never moves its incremental checkpoint backwards.
public struct BackfillRequest: Sendable, Equatable {
    public let environment: ResolvedEnvironment
    public let company: CompanySelection
    /// As in `SyncRequest.pipelines`.
    public let pipelines: [String]
    /// First day included (`--since`), if any.
    public let since: OdooDate?
    /// Last day included (`--until`), if any; never before `since`.
    public let until: OdooDate?
    /// `etl.jobs` of the environment.
    public let jobs: Int
    /// `--source`, else `etl.extractor`.
    public let source: ExtractionSource
}

/// `migrate`: apply pending warehouse migrations, or with `checkOnly` list them and fail if any.
public struct MigrateRequest: Sendable, Equatable {
    public let environment: ResolvedEnvironment
    public let checkOnly: Bool
}

/// `health`: every check of the environment, each pass / fail / skipped-because. The environment
/// was resolved with `CredentialNeeds.none`: an unset variable arrives as `VariableValue.missing`
/// and must be reported as a failed check naming it.
public struct HealthRequest: Sendable, Equatable {
    public let environment: ResolvedEnvironment
    public let json: Bool
}

/// `status`: per pipeline and company, checkpoint, lag, last run, rows, last error.
public struct StatusRequest: Sendable, Equatable {
    public let environment: ResolvedEnvironment
    public let json: Bool
}

/// `verify`: Odoo counts and sums against the warehouse, per pipeline, company and month.
public struct VerifyRequest: Sendable, Equatable {
    public let environment: ResolvedEnvironment
    /// As in `SyncRequest.pipelines` (there is no `--pipeline` option: enabled or all).
    public let pipelines: [String]
    /// Empty means every company.
    public let companies: [CompanySelection]
}

/// `check`: each pipeline's fields against Odoo's `fields_get`.
public struct CheckRequest: Sendable, Equatable {
    public let environment: ResolvedEnvironment
    /// As in `VerifyRequest.pipelines`.
    public let pipelines: [String]
}

/// `demo`: throwaway PostgreSQL and the bundled simulator; needs no instance matrix.
public struct DemoRequest: Sendable, Equatable {
    /// Every pipeline in the pipelines directory.
    public let pipelines: [String]
}

/// What every command hands the engine besides its request.
public struct CommandContext: Sendable {
    /// The subcommand's name, e.g. `sync`.
    public let command: String
    /// `--config` as given.
    public let configPath: String
    /// `--pipelines` as given.
    public let pipelinesDirectory: URL
    public let logFormat: LogFormat
    /// Writes to stderr in `logFormat`, redacting secrets.
    public let logger: Logger
    /// True when stderr is a terminal: show live progress; otherwise plain lines.
    public let isTerminal: Bool
}
