import Foundation
import InstanceConfig

extension ResolvedEnvironment {
    /// The environment the demo runs against, built in memory rather than read from the instance
    /// matrix: the simulator as Odoo, the throwaway server as the warehouse, default etl settings.
    static func demo(simulator: DemoSimulator, warehouseURL: String) -> ResolvedEnvironment {
        let source = "odoo-etl demo"
        return ResolvedEnvironment(
            name: "demo", configPath: "(built in by \(source))",
            odoo: OdooSettings(
                url: simulator.url, database: simulator.database, version: "18.0",
                login: .set(simulator.login, variable: source),
                password: .set(Secret(simulator.password), variable: source),
                sqlSourceURL: .notConfigured(keyPath: "environments.demo.odoo.db_url_env")),
            warehouse: WarehouseSettings(apiURL: nil, version: nil, databaseURL: .set(Secret(warehouseURL), variable: source)),
            superset: nil,
            etl: .defaults)
    }
}
