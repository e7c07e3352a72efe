import Warehouse

/// `status`: per pipeline and company, the checkpoint, its lag, the last run and the last error,
/// read from the warehouse alone (no Odoo call), as a table or one JSON document on stdout.
struct StatusAction {
    let request: StatusRequest
    let context: CommandContext

    func run() async throws -> ExitStatus {
        let environment = request.environment
        let url = try environment.warehouse.databaseURL.require().reveal()
        let options = environment.warehouseConnectOptions
        let units = try await onThread {
            let reader = StatusReader(try WarehouseConnection.open(url, options: options))
            let missing = try reader.missingTables()
            guard missing.isEmpty else { throw StatusError.notMigrated(environment: environment.name, missingTables: missing) }
            return try reader.units()
        }
        let report = StatusReport(environment: environment.name, units: units)
        print(request.json ? report.json : report.text)
        return .success
    }
}

/// Why `status` has nothing to show.
enum StatusError: UserFacingError, Equatable {
    /// The warehouse lacks the engine's bookkeeping tables: `migrate` never ran against it.
    case notMigrated(environment: String, missingTables: [String])

    var summary: String {
        switch self {
        case .notMigrated(let environment, let tables):
            return "the warehouse of environment '\(environment)' is not migrated: \(tables.joined(separator: " and ")) "
                + (tables.count == 1 ? "does" : "do") + " not exist"
        }
    }

    var hint: String {
        switch self {
        case .notMigrated(let environment, _):
            return "run odoo-etl migrate --env \(environment), then sync; status shows what the runs recorded"
        }
    }

    var exitStatus: ExitStatus { .failure }
}
