import InstanceConfig
import OdooRPC
import Pipelines
import Postgres
import Sync
import Warehouse

// The engine's errors, explained at the terminal: what happened, what to do, which exit status.
// Messages come from the errors' own descriptions, which never hold secrets.

extension OdooError: UserFacingError {
    public var summary: String { description.split(separator: "\n").first.map(String.init) ?? description }
    public var details: [String] { description.split(separator: "\n").dropFirst().map(String.init) }
    public var hint: String {
        switch kind {
        case .loginFailed, .badCredentials:
            return
                "check the Odoo login and password (or API key) variables named by odoo.login_env / odoo.password_env; nothing was written"
        case .unknownDatabase:
            return "check odoo.database in the instance matrix against the databases on \(serverURL); nothing was written"
        case .missingModel:
            return "the Odoo module behind this model is not installed; run `odoo-etl check` to see which pipelines fit this Odoo"
        case .accessRule:
            return "give the ETL user read access to this model and company in Odoo; nothing of the failed batch was written"
        case .http(.couldNotConnect), .http(.couldNotResolveHost), .http(.connectTimeout):
            return "check that Odoo is running and reachable at \(serverURL) (odoo.url in the instance matrix); nothing was written"
        case .http, .unreadableResponse:
            return isRetryable
                ? "Odoo or a proxy in front of it failed after \(attempts) attempts; try again later, the next run resumes from the last checkpoint"
                : "check odoo.url in the instance matrix and that Odoo answers there; nothing of the failed batch was written"
        case .serverError, .userError, .unexpectedResult:
            return
                "see the Odoo server log for this call; nothing of the failed batch was written and the next run resumes from the last checkpoint"
        }
    }
    public var exitStatus: ExitStatus { .failure }
}

extension SyncError: UserFacingError {
    public var summary: String { description.split(separator: "\n").first.map(String.init) ?? description }
    public var details: [String] { description.split(separator: "\n").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) } }
    public var hint: String {
        switch self {
        case .unknownPipeline: return "use one of the listed pipeline names (files in the pipelines directory)"
        case .unknownCompany, .ambiguousCompany: return "pass --company with an id or an exact name from the list"
        case .interrupted: return "run the same command again to resume"
        case .warehouseNotMigrated: return "run `odoo-etl migrate --env …` (make supabase-migrate ENV=…) first"
        }
    }
    public var exitStatus: ExitStatus {
        switch self {
        case .unknownPipeline, .unknownCompany, .ambiguousCompany: return .usage
        case .interrupted, .warehouseNotMigrated: return .failure
        }
    }
}

extension WarehouseError: UserFacingError {
    public var summary: String { description }
    public var hint: String {
        switch self {
        case .transactionPooler:
            return "change the warehouse URL variable (supabase.db_url_env) to the direct or session-pooler connection string"
        case .migrationDrift: return "never edit an applied migration; add a new warehouse/NNNN_*.sql file instead"
        case .migrationFailed, .badMigrationName:
            return "fix the migration file and run `odoo-etl migrate` again; applied migrations are kept"
        case .migrationLockTimeout: return "another `migrate` is running; wait for it and try again"
        case .rowShape: return "this is a pipeline transformer bug; report it with the pipeline file"
        case .emptyReconciliation:
            return "nothing was soft-deleted; run the sync again with --allow-empty-reconcile "
                + "for that --company and --pipeline only once you know Odoo really has none left"
        }
    }
    public var exitStatus: ExitStatus {
        if case .transactionPooler = self { return .usage }
        return .failure
    }
}

extension PostgresError: UserFacingError {
    public var summary: String { "warehouse: " + (description.split(separator: "\n").first.map(String.init) ?? description) }
    public var details: [String] { description.split(separator: "\n").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) } }
    public var hint: String {
        switch kind {
        case .connectFailed:
            return "check the warehouse URL variable (supabase.db_url_env), the network and the password; nothing was written"
        case .connectionLost:
            return "the warehouse connection broke; the batch in flight was rolled back, run again to resume from the last checkpoint"
        case .server, .client, .invalidValue:
            return "nothing of the failed transaction was committed; run `odoo-etl migrate --env …` if a table is missing"
        }
    }
    public var exitStatus: ExitStatus { .failure }
}

extension PipelineValidationError: UserFacingError {
    public var summary: String { "\(diagnostics.count) problem(s) in the pipeline files" }
    public var details: [String] { diagnostics.map(\.description) }
    public var hint: String { "fix the pipeline files as listed; pipelines/README.md documents the format" }
    public var exitStatus: ExitStatus { .usage }
}

extension VerificationError: UserFacingError {
    public var summary: String { description }
    public var hint: String { "verification could not compare this unit; nothing was written. Report the message with the Odoo version" }
    public var exitStatus: ExitStatus { .failure }
}

/// A rejected Odoo login, with the hint naming this environment's own variables.
struct OdooLoginError: UserFacingError {
    let underlying: OdooError
    let loginVariable: String
    let passwordVariable: String

    init?(_ error: OdooError, environment: ResolvedEnvironment) {
        switch error.kind {
        case .loginFailed, .badCredentials: break
        default: return nil
        }
        underlying = error
        loginVariable = environment.odoo.login.variable ?? "the odoo.login_env variable"
        passwordVariable = environment.odoo.password.variable ?? "the odoo.password_env variable"
    }

    var summary: String { underlying.summary }
    var details: [String] { underlying.details }
    var hint: String {
        "check \(loginVariable) and \(passwordVariable) (a password or an API key of an active user of database \(underlying.database)); nothing was written"
    }
    var exitStatus: ExitStatus { .failure }
}

/// `SyncError.warehouseNotMigrated` with the environment the user named, so the hint is the
/// exact command to run.
struct WarehouseNotMigratedError: UserFacingError {
    let underlying: SyncError
    let environment: String

    var summary: String { underlying.description }
    var hint: String { "run `odoo-etl migrate --env \(environment)` (make supabase-migrate ENV=\(environment)) first; nothing was written" }
    var exitStatus: ExitStatus { .failure }
}
