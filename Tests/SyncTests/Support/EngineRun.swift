import ETLModel
import Foundation
import OdooRPC
import Pipelines
import Postgres
import Sync
import TestSupport
import Warehouse

/// The engine in-process against the simulator (planning, and the XML-RPC source) and a
/// database with Odoo's layout (the SQL source), into throwaway warehouses.
struct EngineRun {
    let simulator: OdooSimulator
    let odooDatabaseURL: String

    static let pipelines = TestPaths.pipelines
    static let migrations = TestPaths.migrations

    /// A fresh, migrated warehouse.
    static func newWarehouse() throws -> String {
        let (url, connection) = try PostgresHarness.shared.connectToNewDatabase()
        try MigrationRunner(directory: migrations).migrate(connection)
        return url
    }

    /// Every pipeline for every company; fails the test's expectations through the summary.
    @discardableResult
    func sync(into warehouseURL: String, source: ExtractionSource, lookbackSeconds: Int64 = 0) throws -> SyncSummary {
        let odoo = OdooConnectionSettings(
            url: simulator.url.absoluteString, database: simulator.database, login: simulator.login,
            password: simulator.password, connectTimeout: 10, requestTimeout: 120)
        let settings = EngineSettings(odoo: odoo, warehouseURL: warehouseURL, retryPolicy: .none, odooDatabaseURL: odooDatabaseURL)
        var options = SyncOptions()
        options.jobs = 2
        options.lookbackSeconds = lookbackSeconds
        options.source = source
        let events = CollectedEvents()
        let summary = try SyncEngine(
            settings: settings, catalog: try PipelineCatalog.load(directory: Self.pipelines),
            events: events
        ).run(options)
        let failures = summary.units.filter { $0.status != .ok }.map { "\($0.label): \($0.status) \($0.message ?? "")" }
        guard failures.isEmpty else { throw HarnessError("the \(source) sync failed:\n" + failures.joined(separator: "\n")) }
        return summary
    }
}

/// Progress the tests do not watch.
final class CollectedEvents: SyncEventSink, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var notices: [String] = []

    func unitStarted(_ unit: PlannedUnit, expectedRecords: Int?) {}
    func batchLoaded(_ unit: PlannedUnit, records: Int, report: UnitReport) {}
    func unitFinished(_ report: UnitReport) {}
    func notice(_ text: String) {
        lock.lock()
        notices.append(text)
        lock.unlock()
    }
}

/// Every row of every warehouse, analytics and scout table (all columns but `synced_at`, which
/// says when, not what), and the checkpoints: what two syncs must agree on.
struct WarehouseSnapshot: Equatable {
    var tables: [String: [String]] = [:]

    init(_ url: String) throws {
        let connection = try PostgresConnection(url)
        let names = try connection.query(
            """
            SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
            WHERE table_schema IN ('warehouse', 'analytics', 'scout') AND table_type = 'BASE TABLE' ORDER BY 1
            """
        ).rows.compactMap { try $0.string("name") }
        for name in names {
            let parts = name.split(separator: ".").map(String.init)
            let columns = try connection.query(
                """
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = $1 AND table_name = $2 AND column_name <> 'synced_at' ORDER BY ordinal_position
                """, [parts[0], parts[1]]
            ).rows.compactMap { try $0.string("column_name") }
            let row = "ROW(" + columns.map(PostgresConnection.quoteIdentifier).joined(separator: ", ") + ")::text"
            tables[name] = try connection.query("SELECT \(row) AS r FROM \(PostgresConnection.quoteQualified(name)) ORDER BY 1")
                .rows.compactMap { try $0.string("r") }
        }
        tables["etl.sync_state"] = try connection.query(
            """
            SELECT ROW(pipeline, company_id, cursor_write_date, cursor_id)::text AS r FROM etl.sync_state ORDER BY 1
            """
        ).rows.compactMap { try $0.string("r") }
    }

    var rowCount: Int { tables.values.reduce(0) { $0 + $1.count } }

    /// The first differences, table by table, for a failure message.
    func differences(from other: WarehouseSnapshot, limit: Int = 6) -> String {
        var lines: [String] = []
        for name in Set(tables.keys).union(other.tables.keys).sorted() {
            let mine = Set(tables[name] ?? [])
            let theirs = Set(other.tables[name] ?? [])
            guard mine != theirs else { continue }
            lines.append("\(name): \(mine.count) rows vs \(theirs.count)")
            lines += mine.subtracting(theirs).sorted().prefix(limit).map { "  only left:  \($0)" }
            lines += theirs.subtracting(mine).sorted().prefix(limit).map { "  only right: \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
