import Foundation
import Odoo
import Postgres
import Sync

extension EngineSettings {
    /// The engine's settings for an environment whose Odoo and warehouse secrets are set (the
    /// commands that need them refuse to start otherwise); the SQL source also needs odoo.db_url_env.
    init(_ environment: ResolvedEnvironment, source: ExtractionSource = .xmlrpc) throws {
        let etl = environment.etl
        let odoo = OdooConnectionSettings(
            url: environment.odoo.url.absoluteString, database: environment.odoo.database,
            login: try environment.odoo.login.require(), password: try environment.odoo.password.require().reveal(),
            connectTimeout: etl.timeouts.connectSeconds, requestTimeout: etl.timeouts.requestSeconds)
        let retries = Odoo.RetryPolicy(maxAttempts: etl.retries.attempts, initialBackoff: etl.retries.initialBackoffSeconds,
                                       maxBackoff: etl.retries.maxBackoffSeconds)
        let session = PostgresConnection.Options(connectTimeoutSeconds: max(1, Int(etl.timeouts.connectSeconds.rounded(.up))),
                                                 statementTimeoutMilliseconds: Int((etl.timeouts.statementSeconds * 1000).rounded()))
        self.init(odoo: odoo, warehouseURL: try environment.warehouse.databaseURL.require().reveal(), retryPolicy: retries,
                  odooDatabaseURL: source == .sql ? try environment.odoo.sqlSourceURL.require().reveal() : nil,
                  warehouseSession: session)
    }
}

extension Extractor {
    var engineSource: ExtractionSource {
        switch self {
        case .xmlrpc: return .xmlrpc
        case .sql: return .sql
        }
    }
}

extension CompanySelector {
    var selection: CompanySelection {
        switch self {
        case .id(let id): return .id(id)
        case .name(let name): return .name(name)
        }
    }
}
