import Foundation
import InstanceConfig
import Postgres

/// Superset's checks: `/health` answers 200, and its metadata database answers `SELECT 1`. Both are
/// skipped when the environment has no superset block. Blocking: run it off the concurrency pool.
struct HealthSupersetProbe {
    let environment: ResolvedEnvironment
    let timeouts: HealthTimeouts

    private var keyPath: String { "environments.\(environment.name).superset" }

    func run() -> [HealthCheck] {
        guard let superset = environment.superset else {
            let reason = "the environment has no superset block"
            return [.skipped("superset.health", because: reason), .skipped("superset.metadata_db", because: reason)]
        }
        return [health(superset), metadataDatabase(superset)]
    }

    private func health(_ superset: SupersetSettings) -> HealthCheck {
        HealthPageCheck(
            name: "superset.health", path: "/health", base: superset.url, service: "Superset",
            expectedURL: "Superset's base URL", keyPath: keyPath
        ).run(timeouts)
    }

    private func metadataDatabase(_ superset: SupersetSettings) -> HealthCheck {
        let name = "superset.metadata_db"
        let setting = superset.metadataDatabaseURL
        if case .notConfigured(let keyPath) = setting {
            return .skipped(
                name, because: "\(keyPath) is not configured",
                hint: "add \(keyPath) naming the variable that holds the metadata database URL, to check it")
        }
        if let missing = MissingSetting(setting, meaning: "Superset's metadata database URL (SQLALCHEMY_DATABASE_URI)") {
            return .fail(name, missing.detail, hint: missing.hint)
        }
        let variable = setting.variable ?? "\(keyPath).metadata_db_url_env"
        let url = SQLAlchemyURL(setting.value?.reveal() ?? "")
        guard url.isPostgres else {
            return .skipped(name, because: "the metadata database is \(url.dialect), and odoo-etl checks only PostgreSQL")
        }
        do {
            let connection = try PostgresConnection(url.libpqURL, options: timeouts.postgresOptions)
            _ = try connection.query("SELECT 1 AS one")
            return .pass(name, "SELECT 1 answered on \(connection.endpointDescription)")
        } catch {
            return .fail(
                name, String(describing: error),
                hint: "check that \(variable) names a reachable PostgreSQL with the right user, password and database")
        }
    }
}

/// Superset keeps its metadata database URL in SQLAlchemy's form (`postgresql+psycopg2://…`);
/// libpq wants the bare scheme. A libpq keyword string (`host=… dbname=…`) passes unchanged.
struct SQLAlchemyURL {
    /// `postgresql`, `mysql`, `sqlite`…: the scheme without its `+driver`.
    let dialect: String
    let libpqURL: String

    init(_ text: String) {
        guard let separator = text.range(of: "://") else {
            dialect = "postgresql"
            libpqURL = text
            return
        }
        let scheme = text[..<separator.lowerBound]
        let bare = scheme.split(separator: "+", maxSplits: 1).first.map(String.init) ?? String(scheme)
        dialect = bare.lowercased()
        libpqURL = bare + text[separator.lowerBound...]
    }

    var isPostgres: Bool { dialect == "postgresql" || dialect == "postgres" }
}
