import Foundation
import InstanceConfig
import Postgres
import Warehouse

/// The warehouse's checks: a session answers `SELECT 1` (the transaction pooler is refused), and
/// every migration file is applied unchanged. Blocking: run it off the concurrency pool.
struct HealthWarehouseProbe {
    let environment: ResolvedEnvironment
    let migrationsDirectory: URL
    let timeouts: HealthTimeouts

    /// Pending files listed by name before the rest are only counted.
    static let listedPendingFiles = 5

    func run() -> [HealthCheck] {
        let setting = environment.warehouse.databaseURL
        let variable = setting.variable ?? "environments.\(environment.name).supabase.db_url_env"
        if let missing = MissingSetting(setting, meaning: "the warehouse's PostgreSQL URL (direct connection or session pooler)") {
            return [
                .fail("warehouse.connect", missing.detail, hint: missing.hint),
                .skipped("warehouse.migrations", because: "the warehouse URL is not available (see warehouse.connect)"),
            ]
        }
        let connection: PostgresConnection
        do {
            connection = try WarehouseConnection.open(setting.value?.reveal() ?? "", options: timeouts.postgresOptions)
            _ = try connection.query("SELECT 1 AS one")
        } catch {
            return [
                .fail("warehouse.connect", String(describing: error), hint: connectHint(error, variable: variable)),
                .skipped("warehouse.migrations", because: "the warehouse did not answer (see warehouse.connect)"),
            ]
        }
        return [.pass("warehouse.connect", "SELECT 1 answered on \(connection.endpointDescription)"), migrations(connection)]
    }

    private func connectHint(_ error: Error, variable: String) -> String {
        if case WarehouseError.transactionPooler = error {
            return "point \(variable) at the direct connection or the session pooler (port 5432)"
        }
        return "check that \(variable) names a reachable PostgreSQL with the right user, password and database"
    }

    private func migrations(_ connection: PostgresConnection) -> HealthCheck {
        let name = "warehouse.migrations"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: migrationsDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .fail(
                name, "no migrations directory at \(migrationsDirectory.path)",
                hint:
                    "run odoo-etl from the checkout or install root, or pass --pipelines DIR whose sibling warehouse/ holds the migrations")
        }
        let runner = MigrationRunner(directory: migrationsDirectory)
        do {
            let report = try runner.status(connection)
            if !report.drifted.isEmpty {
                var detail = "changed after they were applied: \(report.drifted.joined(separator: ", "))"
                if !report.pending.isEmpty { detail += "; also \(pendingText(report.pending))" }
                return .fail(
                    name, detail,
                    hint: "restore the applied version of each changed file (version control has it) "
                        + "and put the change in a new migration file; then run odoo-etl migrate --env \(environment.name)")
            }
            if !report.pending.isEmpty {
                return .fail(name, pendingText(report.pending), hint: "run odoo-etl migrate --env \(environment.name)")
            }
            let files = try runner.migrations()
            return .pass(name, "up to date: \(files.count) migrations applied, the newest \(files.last?.file ?? "none")")
        } catch {
            return .fail(name, String(describing: error), hint: "fix what the message names, then run health again")
        }
    }

    private func pendingText(_ pending: [String]) -> String {
        let listed = pending.prefix(Self.listedPendingFiles).joined(separator: ", ")
        let rest = pending.count - Self.listedPendingFiles
        return "\(pending.count) pending: \(listed)" + (rest > 0 ? " and \(rest) more" : "")
    }
}
