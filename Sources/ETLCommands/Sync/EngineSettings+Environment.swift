import ETLModel
import Foundation
import InstanceConfig
import OdooRPC
import Postgres
import Sync

extension EngineSettings {
    /// The engine's settings for an environment whose Odoo and warehouse secrets are set (the
    /// commands that need them refuse to start otherwise); the SQL source also needs odoo.db_url_env.
    init(_ environment: ResolvedEnvironment, source: ExtractionSource = .xmlrpc) throws {
        var session = environment.warehouseConnectOptions
        session.statementTimeoutMilliseconds = Int((environment.etl.timeouts.statementSeconds * 1000).rounded())
        self.init(
            odoo: try environment.odooConnection(), warehouseURL: try environment.warehouse.databaseURL.require().reveal(),
            retryPolicy: environment.retryPolicy,
            odooDatabaseURL: source == .sql ? try environment.odoo.sqlSourceURL.require().reveal() : nil,
            warehouseSession: session)
    }
}

extension ResolvedEnvironment {
    /// Odoo's address and credentials with the environment's `etl.timeouts`.
    func odooConnection() throws -> OdooConnectionSettings {
        OdooConnectionSettings(
            url: odoo.url.absoluteString, database: odoo.database,
            login: try odoo.login.require(), password: try odoo.password.require().reveal(),
            connectTimeout: etl.timeouts.connectSeconds, requestTimeout: etl.timeouts.requestSeconds)
    }

    /// `etl.retries`, for Odoo calls and warehouse steps alike.
    var retryPolicy: RetryPolicy { etl.retries }

    /// `etl.timeouts.connect_seconds` for a warehouse session. No statement timeout: `migrate` may
    /// rightly run long, and the engine adds `statement_seconds` to its own sessions.
    var warehouseConnectOptions: PostgresConnection.Options {
        PostgresConnection.Options(connectTimeoutSeconds: max(1, Int(etl.timeouts.connectSeconds.rounded(.up))))
    }
}
